"""The rosters' beat entries run at an Amsterdam hour the clock change neither skips nor repeats."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from django.conf import settings

AMSTERDAM = ZoneInfo("Europe/Amsterdam")


def _wall_clock_exists_once(day: dt.date, hour: int, minute: int) -> bool:
    """Whether `hour:minute` on `day` happens exactly once in Amsterdam (not skipped in spring, not repeated in
    autumn)."""
    moments = set()
    for fold in (0, 1):
        local = dt.datetime(day.year, day.month, day.day, hour, minute, tzinfo=AMSTERDAM, fold=fold)
        utc = local.astimezone(dt.UTC)
        if utc.astimezone(AMSTERDAM).replace(tzinfo=None) == local.replace(tzinfo=None):
            moments.add(utc)
    return len(moments) == 1


@pytest.mark.parametrize("entry", ["volunteers-make-shifts", "volunteers-shift-reminders"])
@pytest.mark.parametrize("day", [dt.date(2027, 3, 28), dt.date(2026, 10, 25)])
def test_rosters_beat_entries_avoid_the_clock_change(entry, day):
    schedule = settings.CELERY_BEAT_SCHEDULE[entry]["schedule"]
    assert settings.CELERY_TIMEZONE == "Europe/Amsterdam"
    for hour in schedule.hour:
        for minute in schedule.minute:
            assert _wall_clock_exists_once(day, hour, minute), (entry, hour, minute)
