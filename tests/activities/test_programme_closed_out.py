"""The programme list shows a session that the host closed out at the door as "afgesloten", not as "gepland"."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.urls import reverse
from django.utils import translation

from activities import services
from tests.factories import ActivityFactory, PlaceFactory, SessionFactory

AMSTERDAM = ZoneInfo("Europe/Amsterdam")
NOW = dt.datetime(2026, 11, 30, 15, 0, tzinfo=AMSTERDAM)


@pytest.fixture(autouse=True)
def frozen():
    with time_machine.travel(NOW, tick=False):
        yield


def session_at(place, hour, title):
    activity = ActivityFactory(house=place.house, place=place, first_date=NOW.date(), title=title)
    start = dt.datetime.combine(NOW.date(), dt.time(hour), tzinfo=AMSTERDAM)
    return SessionFactory(activity=activity, start=start, end=start + dt.timedelta(hours=2))


def status_cell(html: str, title: str) -> str:
    row = html[html.index(f">{title}<") :]
    return row[: row.index("</tr>")]


def test_a_closed_out_session_reads_afgesloten_and_the_others_gepland(client, house, host, coordinator):
    place = PlaceFactory(house=house)
    closed = session_at(place, 10, "Samen eten")
    session_at(place, 13, "Sjoelen")  # started, not closed out
    session_at(place, 17, "Koor")  # still to come
    services.session_close(session=closed, participants=12, volunteers=2, by=host)
    client.force_login(coordinator)
    with translation.override("nl"):
        html = client.get(reverse("activities:programme", args=[house.slug])).content.decode()
    assert "afgesloten" in status_cell(html, "Samen eten") and "gepland" not in status_cell(html, "Samen eten")
    assert "gepland" in status_cell(html, "Sjoelen") and "afgesloten" not in status_cell(html, "Sjoelen")
    assert "gepland" in status_cell(html, "Koor")
