"""Reads of room rental: free rooms, a room's week, occupancy. QuerySets or plain data built from few queries."""

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from typing import NamedTuple

from django.db.models import Count, DurationField, Exists, ExpressionWrapper, F, OuterRef, Q, QuerySet, Sum
from django.utils import timezone

from huizen.dates import day_start, days_between
from locations.models import Closure, OpeningHours, Place, Room, RoomOccupancy
from locations.selectors import claims_overlapping

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
    taken = claims_overlapping(RoomOccupancy.objects.filter(room=OuterRef("pk")), start=start, end=end)
    return rooms.exclude(Exists(taken))


def bookings_of(user) -> QuerySet[Booking]:
    """A resident's own bookings, newest first: the only bookings they may see."""
    return Booking.objects.filter(renter=user).select_related("room__place__house").order_by("-start")


def house_bookings(house) -> QuerySet[Booking]:
    """All bookings of a house's rooms, for the coordinator's lists, calendar and export."""
    return Booking.objects.filter(room__place__house=house).select_related("room__place", "renter").order_by("start")


class Block(NamedTuple):
    start: dt.datetime
    end: dt.datetime
    kind: str  # "booking", "session", "closed"


@dataclass
class Day:
    date: dt.date
    opening: list[tuple[dt.time, dt.time]] = field(default_factory=list)
    busy: list[Block] = field(default_factory=list)
    closed_reason: str = ""
    is_today: bool = False
    is_past: bool = False
    free: list[tuple[dt.time, dt.time]] = field(default_factory=list)  # within opening hours, from now on


def room_week(room: Room, monday: dt.date, *, now: dt.datetime | None = None) -> list[Day]:
    """Seven days from `monday`: opening hours, closures, busy blocks (never who booked) and the free time a
    resident can still book within the opening hours (from the next quarter of an hour on). Three queries."""
    zone = timezone.get_default_timezone()
    now = now or timezone.now()
    today = timezone.localdate(now)
    start = day_start(monday)
    end = start + dt.timedelta(days=7)
    days = [Day(date=monday + dt.timedelta(days=offset)) for offset in range(7)]
    hours = defaultdict(list)
    for row in OpeningHours.objects.filter(place_id=room.place_id).order_by("opens"):
        hours[row.weekday].append((row.opens, row.closes))
    closures = list(Closure.objects.filter(place_id=room.place_id, start_date__lte=days[-1].date, end_date__gte=monday))
    for day in days:
        day.opening = hours[day.date.weekday()]
        closure = next((c for c in closures if c.start_date <= day.date <= c.end_date), None)
        day.closed_reason = closure.reason if closure else ""
        day.is_today, day.is_past = day.date == today, day.date < today
    for claim in claims_overlapping(RoomOccupancy.objects.filter(room=room), start=start, end=end).order_by("start"):
        local = timezone.localtime(claim.start, zone).date()
        for day in days:
            if day.date == local:
                day.busy.append(Block(start=claim.start, end=claim.end, kind=claim.kind))
    for day in days:
        if not day.closed_reason and not day.is_past:
            day.free = _free_times(day.opening, [(block.start, block.end) for block in day.busy], day.date, now)
    return days


def _free_times(
    opening: list[tuple[dt.time, dt.time]], busy: list[tuple[dt.datetime, dt.datetime]], day: dt.date, now
) -> list[tuple[dt.time, dt.time]]:
    """The opening hours of `day` minus busy time and minus what has passed."""
    zone = timezone.get_default_timezone()
    # From now on, rounded up to the next quarter of an hour: bookings start on the quarter.
    past_quarter = now.minute % 15
    if past_quarter or now.second or now.microsecond:
        now = now.replace(second=0, microsecond=0) + dt.timedelta(minutes=15 - past_quarter)
    free = []
    for opens, closes in opening:
        cursor = max(dt.datetime.combine(day, opens, tzinfo=zone), now)
        until = dt.datetime.combine(day, closes, tzinfo=zone)
        for start, end in sorted(busy):
            if end <= cursor or start >= until:
                continue
            if start > cursor:
                free.append((cursor, start))
            cursor = max(cursor, end)
        if cursor < until:
            free.append((cursor, until))
    # Shown in local wall-clock time; pieces shorter than a quarter of an hour are no use to anyone.
    return [
        (timezone.localtime(start, zone).time(), timezone.localtime(end, zone).time())
        for start, end in free
        if end - start >= dt.timedelta(minutes=15)
    ]


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
    start, end = days_between(first, last)
    rooms = list(rooms)
    place_ids = {room.place_id for room in rooms}
    hours_by_place: dict[int, dict[int, list]] = defaultdict(lambda: defaultdict(list))
    for row in OpeningHours.objects.filter(place_id__in=place_ids):
        hours_by_place[row.place_id][row.weekday].append((row.opens, row.closes))
    closures_by_place = defaultdict(list)
    for closure in Closure.objects.filter(place_id__in=place_ids, start_date__lte=last, end_date__gte=first):
        closures_by_place[closure.place_id].append(closure)
    booked = dict(
        Booking.objects.filter(room__in=rooms, status=Booking.Status.APPROVED, start__gte=start, start__lt=end)
        .values("room")
        .annotate(total=Sum(ExpressionWrapper(F("end") - F("start"), output_field=DurationField())))
        .values_list("room", "total")
    )
    result = {}
    for room in rooms:
        open_hours = _open_hours(room, first, last, hours_by_place[room.place_id], closures_by_place[room.place_id])
        duration = booked.get(room.pk) or dt.timedelta(0)
        booked_hours = Decimal(duration.total_seconds()) / 3600
        ratio = (booked_hours / open_hours).quantize(Decimal("0.001")) if open_hours else None
        result[room.pk] = {"booked_hours": booked_hours, "open_hours": open_hours, "ratio": ratio}
    return result


# --- residents: room search, room page, own bookings ---------------------------------------------------------
# (imports kept local to this section, so the shared import block above stays as it is)

# The order renter tiers are shown in: from a private resident to a company.
RESIDENT_TIER_ORDER = ("resident", "initiative", "social", "commercial")


def resident_rooms() -> QuerySet[Room]:
    """Bookable rooms with what the search results and the room page show: facilities and rates, prefetched."""
    from django.db.models import Case, IntegerField, Prefetch, Value, When

    from locations.models import RoomFacility, RoomRate

    tier_order = Case(
        *(When(tier=tier, then=Value(index)) for index, tier in enumerate(RESIDENT_TIER_ORDER)),
        default=Value(len(RESIDENT_TIER_ORDER)),
        output_field=IntegerField(),
    )
    return bookable_rooms().prefetch_related(
        Prefetch("facilities", queryset=RoomFacility.objects.order_by("facility")),
        Prefetch("rates", queryset=RoomRate.objects.annotate(tier_order=tier_order).order_by("tier_order")),
    )


def resident_closed_on(day: dt.date) -> Exists:
    """True for a room whose place is closed on `day`."""
    return Exists(Closure.objects.filter(place_id=OuterRef("place_id"), start_date__lte=day, end_date__gte=day))


def resident_open_between(start: dt.datetime, end: dt.datetime) -> Exists:
    """True for a room whose place is open the whole time from `start` to `end` (one day, local time)."""
    local_start, local_end = timezone.localtime(start), timezone.localtime(end)
    return Exists(
        OpeningHours.objects.filter(
            place_id=OuterRef("place_id"),
            weekday=local_start.weekday(),
            opens__lte=local_start.time(),
            closes__gte=local_end.time(),
        )
    )


def resident_bookable_between(
    rooms: QuerySet[Room], start: dt.datetime, end: dt.datetime, *, now: dt.datetime | None = None
) -> QuerySet[Room]:
    """Narrow `rooms` to those a resident could book from `start` to `end` (one day): free then, the place not
    closed, within opening hours unless the room may be used outside them, a duration the room allows and not
    further ahead than it may be booked. The rules of `services.booking_problems`, as one query."""
    import math

    from django.db.models import Q

    now = now or timezone.now()
    minutes = (end - start).total_seconds() / 60
    days_ahead = math.ceil((start - now).total_seconds() / 86400)
    rooms = free_between(rooms, start, end).filter(
        min_booking_minutes__lte=minutes, max_booking_minutes__gte=minutes, book_ahead_days__gte=days_ahead
    )
    day = timezone.localtime(start).date()
    return rooms.exclude(resident_closed_on(day)).filter(Q(evening_use=True) | resident_open_between(start, end))


def resident_open_on(rooms: QuerySet[Room], day: dt.date) -> QuerySet[Room]:
    """Narrow `rooms` to those whose place is not closed on `day` and opens on that weekday, or that may be used
    outside opening hours."""
    from django.db.models import Q

    opens = Exists(OpeningHours.objects.filter(place_id=OuterRef("place_id"), weekday=day.weekday()))
    return rooms.exclude(resident_closed_on(day)).filter(Q(evening_use=True) | opens)


def resident_feed_bookings(user, *, since: dt.datetime) -> QuerySet[Booking]:
    """A resident's requested and approved bookings ending after `since`, for their private calendar feed."""
    return (
        Booking.objects.filter(renter=user, status__in=Booking.ACTIVE, end__gt=since)
        .select_related("room__place__house")
        .order_by("start")
    )


def resident_feed_by_token(token: str):
    """The private feed with this secret token, of an active user (a QuerySet of at most one). Something that
    cannot be a token (NUL or other junk from a mangled address) finds nothing, without asking the database."""
    import re

    from .models import BookingFeed

    if not re.fullmatch(r"[A-Za-z0-9_-]{1,64}", token):  # what secrets.token_urlsafe makes, at most max_length
        return BookingFeed.objects.none()
    return BookingFeed.objects.filter(token=token, user__is_active=True).select_related("user")


def resident_room_claims(room: Room, *, start: dt.datetime, end: dt.datetime) -> QuerySet[RoomOccupancy]:
    """The claims on `room` (bookings and activity sessions alike) overlapping start-end: busy time, never who."""
    return claims_overlapping(RoomOccupancy.objects.filter(room=room), start=start, end=end).order_by("start")


# --- house: the coordinator's requests, calendar and export ---------------------------------------------------


def house_rooms(house) -> QuerySet[Room]:
    """Every room of every place of `house`, with its place: for the room filter and the calendar."""
    return Room.objects.filter(place__house=house).select_related("place").order_by("place__name", "name")


def house_bookable_rooms(house) -> QuerySet[Room]:
    """The rooms of `house` that can be rented: for booking on someone's behalf and for occupancy."""
    return house_rooms(house).filter(bookable=True)


def house_places(house) -> QuerySet[Place]:
    return Place.objects.filter(house=house).order_by("name")


def house_bookings_starting(
    bookings: QuerySet[Booking], *, first: dt.date | None = None, last: dt.date | None = None
) -> QuerySet[Booking]:
    """Narrow `bookings` to those starting on the days `first` to `last` (inclusive, days in Amsterdam); either
    may be None for an open end. The requests page and the export share it."""
    if first is not None:
        bookings = bookings.filter(start__gte=day_start(first))
    if last is not None:
        bookings = bookings.filter(start__lt=day_start(last + dt.timedelta(days=1)))
    return bookings


def house_waiting(bookings: QuerySet[Booking]) -> QuerySet[Booking]:
    """Requests waiting for the house's decision, the oldest request first."""
    return bookings.filter(status=Booking.Status.REQUESTED).order_by("created_at", "pk")


def house_approved(bookings: QuerySet[Booking], *, ending_after: dt.datetime | None = None) -> QuerySet[Booking]:
    """Approved bookings in time order; with `ending_after`, only those not yet over then."""
    bookings = bookings.filter(status=Booking.Status.APPROVED)
    if ending_after is not None:
        bookings = bookings.filter(end__gt=ending_after)
    return bookings.order_by("start", "pk")


def house_billable(bookings: QuerySet[Booking]) -> QuerySet[Booking]:
    """What a house invoices: approved bookings, and cancelled bookings that cost the renter money."""
    return bookings.filter(
        Q(status=Booking.Status.APPROVED) | Q(status=Booking.Status.CANCELLED, cancellation_cost__gt=0)
    )


@dataclass
class CalendarEntry:
    """One line of a room's calendar: a booking, an activity session or a closed day."""

    start: dt.datetime
    end: dt.datetime | None
    kind: str  # "booking", "session", "closed"
    title: str = ""
    renter: str = ""
    status: str = ""
    status_label: str = ""


def house_calendar(rooms: list[Room], first: dt.date, last: dt.date) -> dict[int, list[CalendarEntry]]:
    """Per room, from `first` to `last` (inclusive): its bookings (with who booked: for the house only), its
    activity sessions and the days its place is closed, in time order. Two queries, however many rooms."""
    result: dict[int, list[CalendarEntry]] = {room.pk: [] for room in rooms}
    if not rooms:
        return result
    start, end = day_start(first), day_start(last + dt.timedelta(days=1))
    claims = (
        claims_overlapping(RoomOccupancy.objects.filter(room__in=rooms), start=start, end=end)
        .select_related("booking__renter", "session__activity")
        .order_by("start", "pk")
    )
    for claim in claims:
        booking = getattr(claim, "booking", None)
        session = getattr(claim, "session", None)
        if booking is not None:
            entry = CalendarEntry(
                start=claim.start,
                end=claim.end,
                kind="booking",
                title=booking.purpose,
                renter=booking.renter_label,
                status=booking.status,
                status_label=booking.get_status_display(),
            )
        elif session is not None:
            entry = CalendarEntry(start=claim.start, end=claim.end, kind="session", title=session.activity.title)
        else:
            entry = CalendarEntry(start=claim.start, end=claim.end, kind=claim.kind)
        result[claim.room_id].append(entry)
    place_ids = {room.place_id for room in rooms}
    closures = Closure.objects.filter(place_id__in=place_ids, start_date__lte=last, end_date__gte=first)
    for closure in closures:
        day = max(closure.start_date, first)
        while day <= min(closure.end_date, last):
            for room in rooms:
                if room.place_id == closure.place_id:
                    result[room.pk].append(
                        CalendarEntry(start=day_start(day), end=None, kind="closed", title=closure.reason)
                    )
            day += dt.timedelta(days=1)
    for entries in result.values():
        entries.sort(key=lambda entry: (entry.start, entry.kind != "closed"))
    return result


def waiting_per_house(bookings: QuerySet[Booking]) -> dict[int, int]:
    """How many requests wait for a decision per house ({house id: count}), in one query: for the start page.
    Pass the bookings the user may manage (`policy.bookings_for`)."""
    rows = (
        bookings.filter(status=Booking.Status.REQUESTED)
        .order_by()
        .values("room__place__house_id")
        .annotate(waiting=Count("pk"))
    )
    return {row["room__place__house_id"]: row["waiting"] for row in rows}
