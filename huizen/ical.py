"""iCalendar (RFC 5545) building blocks shared by the feeds of the agenda and of room rental."""

import datetime as dt

import icalendar
from django.conf import settings
from django.utils import timezone

CONTENT_TYPE = "text/calendar; charset=utf-8"
# The window a feed covers: recent events stay visible for a while, the time ahead is bounded.
FEED_PAST = dt.timedelta(days=30)
FEED_AHEAD = dt.timedelta(days=180)


def feed_window(now: dt.datetime) -> tuple[dt.datetime, dt.datetime]:
    return now - FEED_PAST, now + FEED_AHEAD


def new_calendar(*, name: str, product: str, refresh: dt.timedelta) -> icalendar.Calendar:
    """A published calendar named `name` that calendar apps fetch again every `refresh`."""
    calendar = icalendar.Calendar()
    calendar.add("prodid", f"-//{settings.SITE_NAME}//{product}//NL")
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    calendar.calendar_name = name  # NAME and X-WR-CALNAME
    calendar.add("x-wr-timezone", settings.TIME_ZONE)
    calendar.refresh_interval = refresh
    calendar.add("x-published-ttl", icalendar.vDuration(refresh).to_ical().decode())
    return calendar


def new_event(*, uid: str, start: dt.datetime, end: dt.datetime, stamp: dt.datetime) -> icalendar.Event:
    """An event with its times in Europe/Amsterdam (TZID), as people read them."""
    zone = timezone.get_default_timezone()
    event = icalendar.Event()
    event.add("uid", uid)
    event.add("dtstamp", stamp)
    event.add("dtstart", start.astimezone(zone))
    event.add("dtend", end.astimezone(zone))
    return event


def finish(calendar: icalendar.Calendar, first: dt.datetime, last: dt.datetime) -> bytes:
    """Add the Europe/Amsterdam VTIMEZONE, covering only the time the feed spans (keeps it small). It is there
    even without events, so an empty calendar still holds the one component RFC 5545 asks for."""
    calendar.add_component(
        icalendar.Timezone.from_tzid(
            settings.TIME_ZONE,
            first_date=(first - dt.timedelta(days=1)).date(),
            last_date=(last + dt.timedelta(days=2)).date(),
        )
    )
    return calendar.to_ical()
