"""Which days an activity takes place, and the aware start and end of each session."""

import datetime as dt
from collections.abc import Iterable
from zoneinfo import ZoneInfo

import holidays
from django.conf import settings

# Sessions are planned at most this far ahead; a longer series is extended later.
HORIZON_DAYS = 366


def local_zone() -> ZoneInfo:
    return ZoneInfo(settings.TIME_ZONE)


def public_holidays(years: Iterable[int]) -> set[dt.date]:
    return set(holidays.country_holidays("NL", years=sorted(set(years))).keys())


def occurrence_dates(
    *,
    first_date: dt.date,
    weekdays: list[int],
    interval_weeks: int = 1,
    until: dt.date | None = None,
    skip: set[dt.date] = frozenset(),
) -> list[dt.date]:
    """The days of a series: on `weekdays` (0 = Monday) in every `interval_weeks`-th week counted from the
    week of `first_date`, from `first_date` to `until` inclusive, leaving out the days in `skip`.
    Without weekdays or without `until` it is a single day."""
    if not weekdays or until is None:
        return [] if first_date in skip else [first_date]
    last = min(until, first_date + dt.timedelta(days=HORIZON_DAYS))
    week_zero = first_date - dt.timedelta(days=first_date.weekday())
    days = []
    day = first_date
    while day <= last:
        week_number = (day - week_zero).days // 7
        if day.weekday() in weekdays and week_number % interval_weeks == 0 and day not in skip:
            days.append(day)
        day += dt.timedelta(days=1)
    return days


def session_bounds(day: dt.date, start: dt.time, end: dt.time) -> tuple[dt.datetime, dt.datetime]:
    """Wall-clock times in Amsterdam on `day`, as aware datetimes: 19:00 stays 19:00 in summer and in winter."""
    zone = local_zone()
    return dt.datetime.combine(day, start, tzinfo=zone), dt.datetime.combine(day, end, tzinfo=zone)
