"""The clock the tests run on (tests/conftest.py): a fixed instant that ticks on; factories on the Amsterdam date."""

import datetime as dt
import re
import time
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone

from tests.conftest import frozen_now
from tests.factories import ActivityFactory, SignalFactory, next_weekday

AMSTERDAM = ZoneInfo("Europe/Amsterdam")
TESTS = Path(__file__).parent

pytestmark = pytest.mark.date_sensitive


def test_every_test_starts_at_the_frozen_instant_and_time_ticks_on():
    first = timezone.now()
    assert dt.timedelta(0) <= first - frozen_now() < dt.timedelta(seconds=5)
    time.sleep(0.01)
    assert dt.datetime.now(dt.UTC) > first  # the standard library reads the same clock, and it moves


def test_the_default_instant_is_a_monday(monkeypatch):
    monkeypatch.delenv("HUIZEN_TEST_NOW", raising=False)
    assert frozen_now() == dt.datetime(2026, 11, 30, 7, tzinfo=AMSTERDAM)
    assert frozen_now().weekday() == 0


def test_an_instant_without_an_offset_is_amsterdam_time(monkeypatch):
    monkeypatch.setenv("HUIZEN_TEST_NOW", "2027-07-05T23:30")
    assert frozen_now() == dt.datetime(2027, 7, 5, 21, 30, tzinfo=dt.UTC)


@pytest.mark.django_db
def test_factories_use_the_amsterdam_date_after_midnight(clock):
    clock.move_to(dt.datetime(2028, 2, 29, 0, 30, tzinfo=AMSTERDAM))  # still 28 February in UTC
    assert SignalFactory().date == dt.date(2028, 2, 29)
    assert ActivityFactory().first_date == dt.date(2028, 3, 1)
    assert next_weekday(1) == dt.date(2028, 3, 7)  # Tuesday, a week ahead


def test_no_test_reads_the_server_date():
    """`date.today` and a bare `datetime.now` (called without a zone) read the server's time zone, not
    Amsterdam's: after midnight in Amsterdam they still give yesterday. Tests use `timezone.localdate()` and
    `timezone.now()`."""
    server_date = re.compile(r"\bdate\.today\(\)|\bdatetime\.now\(\)")
    offenders = [
        f"{path.relative_to(TESTS.parent)}:{number}"
        for path in sorted(TESTS.rglob("*.py"))
        if path != Path(__file__)
        for number, line in enumerate(path.read_text().splitlines(), start=1)
        if server_date.search(line)
    ]
    assert offenders == []
