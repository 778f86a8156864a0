"""Reads of room rental: free rooms, a room's week, occupancy. QuerySets or plain data built from few queries."""

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import DurationField, Exists, ExpressionWrapper, F, OuterRef, QuerySet, Sum
from django.utils import timezone

from locations.models import Closure, OpeningHours, Room, RoomOccupancy

from .models import Booking


def bookable_rooms() -> QuerySet[Room]:
    """Rooms that can be rented, with their place, house and wijk for listing and filtering."""
    return (
        Room.objects.filter(bookable=True)
        .select_related("place__house__neighbourhood__district")
        .order_by("place__house__name", "place__name", "name")
    )


def free_between(rooms: QuerySet[Room], start: dt.datetime, end: dt.datetime) -> QuerySet[Room]:
    """Narrow `rooms` to those with no claim (booking or session) overlapping start-end."""
    taken = RoomOccupancy.objects.filter(room=OuterRef("pk"), start__lt=end, end__gt=start)
    return rooms.exclude(Exists(taken))


def bookings_of(user) -> QuerySet[Booking]:
    """A resident's own bookings, newest first: the only bookings they may see."""
    return Booking.objects.filter(renter=user).select_related("room__place__house").order_by("-start")


def house_bookings(house) -> QuerySet[Booking]:
    """All bookings of a house's rooms, for the coordinator's lists, calendar and export."""
    return Booking.objects.filter(room__place__house=house).select_related("room__place", "renter").order_by("start")


@dataclass
class Block:
    start: dt.datetime
    end: dt.datetime
    kind: str  # "booking", "session", "closed"
    label: str = ""


@dataclass
class Day:
    date: dt.date
    opening: list[tuple[dt.time, dt.time]] = field(default_factory=list)
    busy: list[Block] = field(default_factory=list)
    closed_reason: str = ""


def room_week(room: Room, monday: dt.date) -> list[Day]:
    """Seven days from `monday`: opening hours, closures and busy blocks (never who booked). Three queries."""
    zone = timezone.get_default_timezone()
    start = dt.datetime.combine(monday, dt.time.min, tzinfo=zone)
    end = start + dt.timedelta(days=7)
    days = [Day(date=monday + dt.timedelta(days=offset)) for offset in range(7)]
    hours = defaultdict(list)
    for row in OpeningHours.objects.filter(place_id=room.place_id).order_by("opens"):
        hours[row.weekday].append((row.opens, row.closes))
    closures = list(
        Closure.objects.filter(place_id=room.place_id, start_date__lte=days[-1].date, end_date__gte=monday)
    )
    for day in days:
        day.opening = hours[day.date.weekday()]
        closure = next((c for c in closures if c.start_date <= day.date <= c.end_date), None)
        day.closed_reason = closure.reason if closure else ""
    for claim in RoomOccupancy.objects.filter(room=room, start__lt=end, end__gt=start).order_by("start"):
        local = timezone.localtime(claim.start, zone).date()
        for day in days:
            if day.date == local:
                day.busy.append(Block(start=claim.start, end=claim.end, kind=claim.kind))
    return days


def _open_hours(room: Room, first: dt.date, last: dt.date, hours, closures) -> Decimal:
    total = Decimal("0")
    day = first
    while day <= last:
        if not any(c.start_date <= day <= c.end_date for c in closures):
            for opens, closes in hours.get(day.weekday(), []):
                minutes = (closes.hour * 60 + closes.minute) - (opens.hour * 60 + opens.minute)
                total += Decimal(minutes) / 60
        day += dt.timedelta(days=1)
    return total


def occupancy(rooms: QuerySet[Room], first: dt.date, last: dt.date) -> dict[int, dict]:
    """Per room: hours booked (approved bookings), hours open (weekly hours minus closures) and their ratio,
    from `first` to `last` inclusive. The reporting issue reuses this. A fixed number of queries."""
    zone = timezone.get_default_timezone()
    start = dt.datetime.combine(first, dt.time.min, tzinfo=zone)
    end = dt.datetime.combine(last + dt.timedelta(days=1), dt.time.min, tzinfo=zone)
    rooms = list(rooms)
    place_ids = {room.place_id for room in rooms}
    hours_by_place: dict[int, dict[int, list]] = defaultdict(lambda: defaultdict(list))
    for row in OpeningHours.objects.filter(place_id__in=place_ids):
        hours_by_place[row.place_id][row.weekday].append((row.opens, row.closes))
    closures_by_place = defaultdict(list)
    for closure in Closure.objects.filter(place_id__in=place_ids, start_date__lte=last, end_date__gte=first):
        closures_by_place[closure.place_id].append(closure)
    booked = dict(
        Booking.objects.filter(
            room__in=rooms, status=Booking.Status.APPROVED, start__gte=start, start__lt=end
        )
        .values("room")
        .annotate(total=Sum(ExpressionWrapper(F("end") - F("start"), output_field=DurationField())))
        .values_list("room", "total")
    )
    result = {}
    for room in rooms:
        open_hours = _open_hours(
            room, first, last, hours_by_place[room.place_id], closures_by_place[room.place_id]
        )
        duration = booked.get(room.pk) or dt.timedelta(0)
        booked_hours = Decimal(duration.total_seconds()) / 3600
        ratio = (booked_hours / open_hours).quantize(Decimal("0.001")) if open_hours else None
        result[room.pk] = {"booked_hours": booked_hours, "open_hours": open_hours, "ratio": ratio}
    return result
