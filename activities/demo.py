"""Demo programme: a weekly programme per house, a few months of door tallies, session close-outs and signals.

Planned through `services.activity_create`, so rooms are never double-booked and holidays and closures are
skipped. The history (tallies, close-outs, signals) is written in bulk for speed. Dates are relative to the
day the demo is built; a house that already has activities is left alone, so running the seed again changes
nothing.
"""

import datetime as dt
import random
import uuid
from decimal import Decimal

from django.db.models import F, OuterRef, Q, Subquery, Sum
from django.utils import timezone

from accounts.models import Role, RoleAssignment, User
from audit.services import SYSTEM
from locations.models import House, Place, Room

from . import services
from .models import AgeBand, Category, DoorTally, Organiser, Session, Signal, TargetGroup

HISTORY_DAYS = 91
AHEAD_DAYS = 56

# title, category, organiser, target groups, weekdays, start, end, capacity, price, registration
PROGRAMME = [
    (
        "Koffie-inloop",
        Category.MEETING,
        Organiser.PROFESSIONAL,
        ["everyone"],
        [0, 2, 4],
        "09:30",
        "11:30",
        None,
        "0",
        False,
    ),
    (
        "Samen eten",
        Category.EATING,
        Organiser.RESIDENTS,
        ["everyone", "seniors"],
        [3],
        "17:30",
        "19:30",
        24,
        "4.50",
        True,
    ),
    ("Stoelyoga", Category.MOVEMENT, Organiser.PARTNER, ["seniors"], [1], "10:00", "11:00", 14, "2.00", True),
    ("Taalcafé", Category.LANGUAGE, Organiser.RESIDENTS, ["newcomers"], [2], "13:30", "15:00", None, "0", False),
    (
        "Digi-spreekuur",
        Category.LANGUAGE,
        Organiser.PARTNER,
        ["seniors", "everyone"],
        [1],
        "14:00",
        "16:00",
        8,
        "0",
        True,
    ),
    (
        "Creatief atelier",
        Category.CREATIVE,
        Organiser.RESIDENTS,
        ["everyone"],
        [3],
        "13:30",
        "15:30",
        12,
        "1.50",
        False,
    ),
    ("Huiswerkklas", Category.YOUTH, Organiser.PROFESSIONAL, ["youth"], [0, 2], "15:30", "17:00", 15, "0", True),
    (
        "Formulierenbrigade",
        Category.ADVICE,
        Organiser.PROFESSIONAL,
        ["everyone", "vulnerable"],
        [4],
        "10:00",
        "12:00",
        None,
        "0",
        False,
    ),
    ("Mantelzorgcafé", Category.VOLUNTEERS, Organiser.PROFESSIONAL, ["carers"], [2], "10:00", "11:30", 12, "0", True),
    ("Wandelgroep", Category.MOVEMENT, Organiser.RESIDENTS, ["everyone"], [4], "13:30", "15:00", None, "0", False),
    ("Vrouwenochtend", Category.MEETING, Organiser.RESIDENTS, ["women"], [1], "09:30", "11:30", 20, "0", False),
    (
        "Wijkoverleg",
        Category.NEIGHBOURHOOD,
        Organiser.PROFESSIONAL,
        ["everyone"],
        [0],
        "19:30",
        "21:00",
        None,
        "0",
        False,
    ),
]
PARTNERS = ["Sportief Zuid", "Bibliotheek Rotterdam", "Vitaal Ouder Worden"]
SIGNAL_THEMES = list(Signal.Theme.values)
REFERRALS = [Signal.Referral.NONE, Signal.Referral.TEAM, Signal.Referral.VRAAGWIJZER, Signal.Referral.DEBT]


def _time(value: str) -> dt.time:
    return dt.time.fromisoformat(value)


def _rooms_by_size(place: Place) -> list[Room]:
    return sorted(place.rooms.all(), key=lambda room: -room.capacity)


def seed_programme() -> dict:
    today = timezone.localdate()
    first_date = today - dt.timedelta(days=HISTORY_DAYS)
    until = today + dt.timedelta(days=AHEAD_DAYS)
    planned = 0
    houses = House.objects.filter(activities__isnull=True).prefetch_related("places__rooms").order_by("slug")
    for house in houses:
        rng = random.Random(house.slug)
        place = next((p for p in house.places.all() if p.kind == Place.Kind.MAIN), None) or house.places.first()
        if place is None:
            continue
        rooms = _rooms_by_size(place)
        offer = rng.sample(PROGRAMME, k=rng.randint(6, 9))
        for index, (title, category, organiser, groups, days, start, end, capacity, price, registration) in enumerate(
            offer
        ):
            room = rooms[index % len(rooms)] if rooms else None
            if room is not None and capacity is not None:
                capacity = min(capacity, room.capacity)
            try:
                services.activity_create(
                    house=house,
                    place=place,
                    room=room,
                    title=title,
                    category=category,
                    organiser=organiser,
                    partner_name=rng.choice(PARTNERS) if organiser == Organiser.PARTNER else "",
                    target_groups=[TargetGroup(group) for group in groups],
                    capacity=capacity,
                    price=Decimal(price),
                    registration_required=registration,
                    first_date=first_date,
                    start_time=_time(start),
                    end_time=_time(end),
                    weekdays=days,
                    until=until,
                    description=f"{title} in {house.name}. Iedereen uit de wijk is welkom.",
                    by=SYSTEM,
                )
                planned += 1
            except Exception:  # noqa: BLE001 - a clash in the demo just means this house does without it
                continue
    tallies = _seed_history(first_date, today)
    return {"activities": planned, "tallies": tallies}


def _seed_history(first_date: dt.date, today: dt.date) -> int:
    """Door tallies and close-outs for past sessions, walk-ins on open days, and some signals."""
    hosts = {
        assignment.house_id: assignment.user
        for assignment in RoleAssignment.objects.filter(role__in=[Role.HOST, Role.COORDINATOR]).select_related("user")
    }
    fallback = User.objects.filter(is_superuser=True).first()
    now = timezone.now()
    tallies: list[DoorTally] = []
    closed: list[int] = []
    signals: list[Signal] = []
    past = (
        Session.objects.filter(start__lt=now, start__date__gte=first_date, status=Session.Status.PLANNED)
        .filter(closed_at__isnull=True)
        .select_related("activity")
        .order_by("pk")
    )
    if DoorTally.objects.filter(recorded_at__date__gte=first_date).exists():
        return 0
    for session in past:
        rng = random.Random(session.pk)
        activity = session.activity
        visitors = rng.randint(3, min(activity.capacity or 25, 25))
        remaining = visitors
        moment = session.start
        while remaining > 0:
            count = min(remaining, rng.choice([1, 2, 3, 4, 5]))
            remaining -= count
            moment += dt.timedelta(minutes=rng.randint(0, 3))
            tallies.append(
                DoorTally(
                    house_id=activity.house_id,
                    place_id=activity.place_id,
                    session=session,
                    tap_id=uuid.UUID(int=rng.getrandbits(128)),
                    recorded_at=moment,
                    count=count,
                    is_new=rng.random() < 0.12,
                    age_band=rng.choice(["", "", AgeBand.ADULT, AgeBand.SENIOR, AgeBand.YOUTH]),
                    recorded_by=hosts.get(activity.house_id, fallback),
                )
            )
        closed.append(session.pk)
    # Walk-ins (inloop) on weekdays, and a few signals a week per house.
    for place in Place.objects.filter(Q(kind=Place.Kind.MAIN) | Q(kind=Place.Kind.NEIGHBOURHOOD_SPOT)).order_by("pk"):
        rng = random.Random(f"walk-in-{place.pk}")
        day = first_date
        while day < today:
            if day.weekday() < 5:
                for _ in range(rng.randint(2, 6)):
                    recorded = timezone.make_aware(
                        dt.datetime.combine(day, dt.time(rng.randint(9, 16), rng.randint(0, 59)))
                    )
                    tallies.append(
                        DoorTally(
                            house_id=place.house_id,
                            place=place,
                            tap_id=uuid.UUID(int=rng.getrandbits(128)),
                            recorded_at=recorded,
                            count=rng.choice([1, 2, 2, 3, 4]),
                            is_new=rng.random() < 0.08,
                            recorded_by=hosts.get(place.house_id, fallback),
                        )
                    )
                if place.kind == Place.Kind.MAIN and rng.random() < 0.35:
                    referred = rng.choice(REFERRALS)
                    signals.append(
                        Signal(
                            house_id=place.house_id,
                            date=day,
                            theme=rng.choice(SIGNAL_THEMES),
                            referred_to=referred,
                            consent=bool(referred),
                            follow_up=rng.choice(list(Signal.FollowUp.values)),
                            created_by=hosts.get(place.house_id, fallback),
                        )
                    )
            day += dt.timedelta(days=1)
    DoorTally.objects.bulk_create(tallies, batch_size=2000)
    # Close-outs: the participants are the visitors counted at the door; one to four volunteers.
    counted = DoorTally.objects.filter(session=OuterRef("pk")).values("session").annotate(total=Sum("count"))
    for start in range(0, len(closed), 900):
        Session.objects.filter(pk__in=closed[start : start + 900]).update(
            participants_count=Subquery(counted.values("total")[:1]),
            volunteers_count=F("id") % 4 + 1,
            closed_at=F("end"),
        )
    Signal.objects.bulk_create(signals, batch_size=1000)
    return len(tallies)
