"""iCalendar (RFC 5545) feeds of room rental.

- A room's public feed: busy blocks only (bookings and activity sessions alike), never who, never what for.
- A resident's private feed of their own requested and approved bookings, behind a secret address.
"""

import datetime as dt
from collections.abc import Callable, Iterable

import icalendar
from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _

from locations.models import Room, RoomOccupancy

from .models import Booking

# The window a feed covers: recent blocks stay visible for a while, the time ahead is bounded.
FEED_PAST = dt.timedelta(days=30)
FEED_AHEAD = dt.timedelta(days=180)
CONTENT_TYPE = "text/calendar; charset=utf-8"
# How often calendar apps are asked to fetch the feed again.
REFRESH_INTERVAL = dt.timedelta(hours=1)


def feed_window(now: dt.datetime) -> tuple[dt.datetime, dt.datetime]:
    return now - FEED_PAST, now + FEED_AHEAD


def _calendar(name: str) -> icalendar.Calendar:
    calendar = icalendar.Calendar()
    calendar.add("prodid", f"-//{settings.SITE_NAME}//Room rental//NL")
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    calendar.calendar_name = name  # NAME and X-WR-CALNAME
    calendar.add("x-wr-timezone", settings.TIME_ZONE)
    calendar.refresh_interval = REFRESH_INTERVAL
    calendar.add("x-published-ttl", icalendar.vDuration(REFRESH_INTERVAL).to_ical().decode())
    return calendar


def _event(*, uid: str, start: dt.datetime, end: dt.datetime, stamp: dt.datetime) -> icalendar.Event:
    zone = timezone.get_default_timezone()
    event = icalendar.Event()
    event.add("uid", uid)
    event.add("dtstamp", stamp)
    event.add("dtstart", start.astimezone(zone))
    event.add("dtend", end.astimezone(zone))
    return event


def _finish(calendar: icalendar.Calendar, first: dt.datetime, last: dt.datetime) -> bytes:
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


def room_location(room: Room) -> str:
    place = room.place
    return ", ".join([room.name, place.name, f"{place.street} {place.house_number}", f"{place.postcode} {place.city}"])


def build_room_calendar(
    room: Room,
    claims: Iterable[RoomOccupancy],
    *,
    domain: str,
    url: str,
    window: tuple[dt.datetime, dt.datetime],
    now: dt.datetime | None = None,
) -> bytes:
    """The public calendar of a room: one 'Busy' event per claim, whatever claims it."""
    now = now or timezone.now()
    stamp = now.astimezone(dt.UTC)
    calendar = _calendar(_("%(room)s (%(house)s): busy times") % {"room": room.name, "house": room.place.house.name})
    location = room_location(room)
    for claim in claims:
        event = _event(
            uid=f"room-{room.pk}-claim-{claim.pk}@{domain or 'huizen'}", start=claim.start, end=claim.end, stamp=stamp
        )
        event.add("summary", _("Busy"))
        event.add("location", location)
        event.add("transp", "OPAQUE")
        event.add("class", "PUBLIC")
        event.add("url", url)
        calendar.add_component(event)
    return _finish(calendar, *window)


def booking_description(booking: Booking, url: str) -> str:
    place = booking.room.place
    status = _("Confirmed") if booking.status == Booking.Status.APPROVED else _("Requested, waiting for approval")
    lines = [
        _("Status: %(status)s") % {"status": status},
        _("Purpose: %(purpose)s") % {"purpose": booking.purpose},
        _("Room: %(room)s, %(house)s") % {"room": booking.room.name, "house": place.house.name},
        _("Address: %(address)s") % {"address": place.address},
        url,
    ]
    return "\n".join(lines)


def build_bookings_calendar(
    bookings: Iterable[Booking],
    *,
    domain: str,
    url_for: Callable[[Booking], str],
    window: tuple[dt.datetime, dt.datetime],
    now: dt.datetime | None = None,
) -> bytes:
    """A resident's private calendar: their requested (tentative) and approved (confirmed) bookings."""
    now = now or timezone.now()
    stamp = now.astimezone(dt.UTC)
    calendar = _calendar(_("My bookings at %(site)s") % {"site": settings.SITE_NAME})
    first, last = window
    for booking in bookings:
        first, last = min(first, booking.start), max(last, booking.end)
        url = url_for(booking)
        event = _event(
            uid=f"booking-{booking.pk}@{domain or 'huizen'}", start=booking.start, end=booking.end, stamp=stamp
        )
        approved = booking.status == Booking.Status.APPROVED
        summary = _("Booked: %(room)s") if approved else _("Requested: %(room)s")
        event.add("summary", summary % {"room": booking.room.name})
        event.add("location", room_location(booking.room))
        event.add("description", booking_description(booking, url))
        event.add("status", "CONFIRMED" if approved else "TENTATIVE")
        event.add("class", "PRIVATE")
        event.add("url", url)
        place = booking.room.place
        if place.latitude is not None and place.longitude is not None:
            event.add("geo", (float(place.latitude), float(place.longitude)))
        calendar.add_component(event)
    return _finish(calendar, first, last)
