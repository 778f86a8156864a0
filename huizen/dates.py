"""Days as people in the houses count them: from midnight in Europe/Amsterdam (23 or 25 hours at DST)."""

import datetime as dt

from django.utils import timezone


def day_start(day: dt.date) -> dt.datetime:
    """Midnight at the start of `day`, in Europe/Amsterdam, as an aware datetime."""
    return dt.datetime.combine(day, dt.time.min, tzinfo=timezone.get_default_timezone())


def days_between(first: dt.date, last: dt.date) -> tuple[dt.datetime, dt.datetime]:
    """From the start of `first` to the start of the day after `last`: the days first to last inclusive."""
    return day_start(first), day_start(last + dt.timedelta(days=1))
