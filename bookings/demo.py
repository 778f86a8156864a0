"""Demo room rental: a few weeks of requests and bookings ahead in every house, through the booking services,
and a year of past bookings (approved, free and paid; some cancelled, late ones at a cost; some rejected).

The past is written in bulk (`activities.demo.insert_rows`), each approved booking with its claim on the room,
fitted around the programme's sessions and within the place's opening hours; its prices come from the one price
function, `services.booking_price`. Run after the programme (`activities.demo.seed_programme`). Left alone when
bookings exist, so running the seed again changes nothing."""

import datetime as dt
import random
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.utils import timezone

from accounts.models import Role, RoleAssignment, User
from activities.demo import HISTORY_DAYS, insert_rows
from activities.recurrence import public_holidays
from locations.models import Closure, OpeningHours, RenterTier, Room, RoomOccupancy
from locations.services import RoomTaken

from . import services
from .models import Booking

PURPOSES = [
    ("Vergadering bewonerscommissie", RenterTier.INITIATIVE, 12),
    ("Verjaardag", RenterTier.RESIDENT, 20),
    ("Cursus Nederlands", RenterTier.SOCIAL, 10),
    ("Training teamleiders", RenterTier.COMMERCIAL, 8),
    ("Buurtkoor repetitie", RenterTier.INITIATIVE, 15),
    ("Spreekuur woningcorporatie", RenterTier.SOCIAL, 4),
]
CALLERS = [("Buurtkoor De Zingende Wijk", "010-4112233"), ("Stichting Taalmaatjes", "010-4223344")]
WEEKS = 4
# The past year: bookings per room per week (each room its own rate in this range), and how they ended.
PAST_PER_WEEK = (0.3, 2.0)
PAST_BY_RESIDENT = 0.08  # the demo resident's own requests (they can cancel, late at a cost); the rest by phone
PAST_REJECTED = 0.04
PAST_CANCELLED = 0.12  # of the resident's own bookings; the late ones pay the price
PAST_CALLERS = [
    *CALLERS,
    ("Vereniging Bewonersbelangen", "010-4334455"),
    ("Schaakclub De Toren", "010-4445566"),
    ("Stichting Buurtbudget", "010-4556677"),
    ("Yogagroep Zonnegroet", "010-4667788"),
]
ORGANISATION_PURPOSES = [purpose for purpose in PURPOSES if purpose[1] != RenterTier.RESIDENT]  # no parties
REJECT_REASONS = ["De zaal is die dag nodig voor de buurt.", "Dit past niet bij de huisregels."]


def seed_bookings() -> int:
    if Booking.objects.exists():
        return 0
    return _seed_ahead() + _seed_series() + _seed_past()


def _seed_series() -> int:
    """A weekly series of the demo resident, so 'Mijn boekingen' offers cancelling all its coming weeks."""
    renter = User.objects.filter(email="bewoner@demo.huizen.nl").first()
    if renter is None:
        return 0
    today = timezone.localdate()
    wednesday = today + dt.timedelta(days=(2 - today.weekday()) % 7 or 7)
    start = timezone.make_aware(dt.datetime.combine(wednesday, dt.time(10)))
    rooms = Room.objects.filter(bookable=True, rates__isnull=False).distinct().order_by("pk")
    for room in rooms[:10]:
        try:
            bookings, _skipped = services.booking_request_series(
                room=room,
                start=start,
                end=start + dt.timedelta(hours=2),
                weeks=6,
                tier=RenterTier.INITIATIVE,
                purpose="Naaicursus voor de buurt",
                people=min(8, room.capacity),
                renter=renter,
                rules_accepted=True,
                by=renter,
            )
        except (ValidationError, RoomTaken):
            continue
        return len(bookings)
    return 0


def _seed_ahead() -> int:
    renter = User.objects.filter(email="bewoner@demo.huizen.nl").first()
    coordinators = {
        assignment.house_id: assignment.user
        for assignment in RoleAssignment.objects.filter(role=Role.COORDINATOR).select_related("user")
    }
    administrator = User.objects.filter(is_superuser=True).order_by("pk").first()
    today = timezone.localdate()
    made = 0
    rooms = Room.objects.filter(bookable=True, rates__isnull=False).distinct().select_related("place__house")
    for room in rooms.order_by("pk"):
        rng = random.Random(f"bookings-{room.pk}")
        for _ in range(rng.randint(1, 4)):
            day = today + dt.timedelta(days=rng.randint(1, 7 * WEEKS))
            if day.weekday() > 4:
                continue
            start = timezone.make_aware(dt.datetime.combine(day, dt.time(rng.choice([9, 10, 13, 14]))))
            end = start + dt.timedelta(hours=rng.choice([1, 2, 3]))
            purpose, tier, people = rng.choice(PURPOSES)
            people = min(people, room.capacity)
            coordinator = coordinators.get(room.place.house_id, administrator)
            try:
                if renter is not None and rng.random() < 0.6:
                    booking = services.booking_request(
                        room=room,
                        start=start,
                        end=end,
                        tier=tier,
                        purpose=purpose,
                        people=people,
                        renter=renter,
                        rules_accepted=True,
                        by=renter,
                    )
                    if coordinator and booking.status == Booking.Status.REQUESTED and rng.random() < 0.5:
                        services.booking_approve(booking=booking, by=coordinator)
                elif coordinator is not None:
                    name, phone = rng.choice(CALLERS)
                    services.booking_book_on_behalf(
                        room=room,
                        start=start,
                        end=end,
                        tier=RenterTier.INITIATIVE,
                        purpose=purpose,
                        people=people,
                        contact_name=name,
                        contact_phone=phone,
                        by=coordinator,
                    )
                else:
                    continue
                made += 1
            except (ValidationError, RoomTaken):
                continue
    return made


BOOKING_FIELDS = (
    "room",
    "occupancy",
    "start",
    "end",
    "renter",
    "contact_name",
    "contact_phone",
    "tier",
    "purpose",
    "people",
    "price",
    "deposit",
    "status",
    "rules_accepted_at",
    "decision_reason",
    "cancellation_cost",
    "created_at",
    "created_by",
    "decided_at",
    "decided_by",
)


def _seed_past() -> int:
    """A year of past bookings in every room with rates, written in bulk: no events, no e-mails."""
    zone = timezone.get_current_timezone()
    today = timezone.localdate()
    first = today - dt.timedelta(days=HISTORY_DAYS)
    window = (
        timezone.make_aware(dt.datetime.combine(first, dt.time())),
        timezone.make_aware(dt.datetime.combine(today, dt.time())),
    )
    renter = User.objects.filter(email="bewoner@demo.huizen.nl").values_list("pk", flat=True).first()
    coordinators = {
        assignment.house_id: assignment.user_id
        for assignment in RoleAssignment.objects.filter(role=Role.COORDINATOR).order_by("pk")
    }
    administrator = User.objects.filter(is_superuser=True).order_by("pk").values_list("pk", flat=True).first()
    rooms = list(
        Room.objects.filter(bookable=True, rates__isnull=False).distinct().select_related("place__house").order_by("pk")
    )
    hours: dict[int, dict[int, list]] = {}
    for place_id, weekday, opens, closes in OpeningHours.objects.values_list("place_id", "weekday", "opens", "closes"):
        hours.setdefault(place_id, {}).setdefault(weekday, []).append((opens, closes))
    holidays = public_holidays(range(first.year, today.year + 1))
    closed: dict[int, set[dt.date]] = {}
    for place_id, start, end in Closure.objects.filter(start_date__lte=today, end_date__gte=first).values_list(
        "place_id", "start_date", "end_date"
    ):
        closed.setdefault(place_id, set()).update(start + dt.timedelta(days=n) for n in range((end - start).days + 1))
    taken: dict[int, list[tuple]] = {}
    for room_id, start, end in RoomOccupancy.objects.filter(start__lt=window[1], end__gt=window[0]).values_list(
        "room_id", "start", "end"
    ):
        taken.setdefault(room_id, []).append((start, end))
    prices: dict[tuple, services.Price | None] = {}

    def price_of(room, tier, start, end):
        key = (room.pk, tier, end - start)
        if key not in prices:
            try:
                prices[key] = services.booking_price(room=room, tier=tier, start=start, end=end)
            except ValidationError:  # this room is not rented to this kind of renter
                prices[key] = None
        return prices[key]

    planned = []  # (room, start, end, values without the claim)
    for room in rooms:
        rng = random.Random(f"past-bookings-{room.pk}")
        opening = hours.get(room.place_id, {})
        shut = closed.get(room.place_id, set()) | holidays
        busy = taken.get(room.pk, [])
        house = room.place.house
        coordinator = coordinators.get(house.pk, administrator)
        wanted = round(rng.uniform(*PAST_PER_WEEK) * HISTORY_DAYS / 7)
        for _ in range(wanted):
            day = first + dt.timedelta(days=rng.randrange(HISTORY_DAYS))
            if day in shut or not opening.get(day.weekday()):
                continue
            opens, closes = rng.choice(opening[day.weekday()])
            length = rng.choice([1, 2, 2, 3, 4])
            if closes.hour - length < opens.hour + (opens.minute > 0):
                continue
            hour = rng.randint(opens.hour + (opens.minute > 0), closes.hour - length)
            start = dt.datetime.combine(day, dt.time(hour), tzinfo=zone)
            end = start + dt.timedelta(hours=length)
            if any(start < other_end and end > other_start for other_start, other_end in busy):
                continue
            by_resident = renter is not None and rng.random() < PAST_BY_RESIDENT
            purpose, tier, people = rng.choice(PURPOSES if by_resident else ORGANISATION_PURPOSES)
            price = price_of(room, tier, start, end)
            if price is None:
                continue
            asked = start - dt.timedelta(days=rng.randint(3, 40), hours=rng.randint(0, 8))
            status, reason, cost, decided_by = Booking.Status.APPROVED, "", Decimal(0), coordinator
            decided = asked + dt.timedelta(hours=rng.randint(2, 48))
            if by_resident and rng.random() < PAST_REJECTED:
                status, reason = Booking.Status.REJECTED, rng.choice(REJECT_REASONS)
            elif by_resident and rng.random() < PAST_CANCELLED:
                status, decided_by = Booking.Status.CANCELLED, renter
                decided = start - dt.timedelta(days=rng.randint(0, 2 * house.cancellation_days + 1), hours=2)
                decided = max(decided, asked + dt.timedelta(hours=1))
                if decided > start - dt.timedelta(days=house.cancellation_days):
                    cost = price.amount  # cancelled after the house's term: the renter pays the price
            if status == Booking.Status.APPROVED:
                busy.append((start, end))
            caller, phone = ("", "") if by_resident else rng.choice(PAST_CALLERS)
            values = [
                renter if by_resident else None,
                caller,
                phone,
                tier,
                purpose,
                min(people, room.capacity),
                price.amount,
                price.deposit,
                status,
                asked if by_resident else None,
                reason,
                cost,
                asked,
                renter if by_resident else coordinator,
                decided,
                decided_by,
            ]
            planned.append((room, start, end, values))
    approved = [(room, start, end) for room, start, end, values in planned if values[8] == Booking.Status.APPROVED]
    claims = RoomOccupancy.objects.bulk_create(
        RoomOccupancy(room=room, start=start, end=end, kind=RoomOccupancy.Kind.BOOKING) for room, start, end in approved
    )
    claim_of = {(claim.room_id, claim.start): claim.pk for claim in claims}
    return insert_rows(
        Booking,
        BOOKING_FIELDS,
        (
            (
                room.pk,
                claim_of.get((room.pk, start)) if values[8] == Booking.Status.APPROVED else None,
                start,
                end,
                *values,
            )
            for room, start, end, values in planned
        ),
    )
