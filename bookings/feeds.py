"""iCalendar (RFC 5545) feeds of room rental.

- A room's public feed: busy blocks only (bookings and activity sessions alike), never who, never what for.
- A resident's private feed of their own requested and approved bookings, behind a secret address.
"""

import datetime as dt
from collections.abc import Callable, Iterable

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _

from huizen import ical
from locations.models import Room, RoomOccupancy

from .models import Booking

# How often calendar apps are asked to fetch the feed again.
REFRESH_INTERVAL = dt.timedelta(hours=1)
CONTENT_TYPE = ical.CONTENT_TYPE
feed_window = ical.feed_window


def _calendar(name: str):
    return ical.new_calendar(name=name, product="Room rental", refresh=REFRESH_INTERVAL)


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
        event = ical.new_event(
            uid=f"room-{room.pk}-claim-{claim.pk}@{domain or 'huizen'}", start=claim.start, end=claim.end, stamp=stamp
        )
        event.add("summary", _("Busy"))
        event.add("location", location)
        event.add("transp", "OPAQUE")
        event.add("class", "PUBLIC")
        event.add("url", url)
        calendar.add_component(event)
    return ical.finish(calendar, *window)


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
        event = ical.new_event(
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
    return ical.finish(calendar, first, last)
