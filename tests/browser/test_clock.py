"""Chromium's pages run on the tests' clock too, so page scripts and the server agree on the date and time."""

import datetime as dt

import pytest
from django.utils import timezone

pytestmark = pytest.mark.date_sensitive


def test_the_page_clock_is_the_server_clock(page, live_server):
    page.goto(live_server.url + "/")
    page_now = dt.datetime.fromtimestamp(page.evaluate("Date.now()") / 1000, dt.UTC)
    assert abs(page_now - timezone.now()) < dt.timedelta(seconds=5)
    today = page.evaluate('new Intl.DateTimeFormat("en-CA", {timeZone: "Europe/Amsterdam"}).format(new Date())')
    assert today == timezone.localdate().isoformat()  # as door.js keys the day
