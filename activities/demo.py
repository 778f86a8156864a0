"""Demo programme: a weekly programme per house, a year of door tallies, session close-outs and signals.

Planned through `services.activity_create`, so rooms are never double-booked and holidays and closures are
skipped: per house the current season (from `SEASON_DAYS` ago to `AHEAD_DAYS` ahead) and the season before it
(from `HISTORY_DAYS` ago), each a sample of `PROGRAMME`, since one series spans at most a year. The history
(tallies, close-outs, a few cancelled sessions, signals) is written in bulk, straight into the tables
(`insert_rows`), so a year of it takes seconds. Dates are relative to the day the demo is built; a house that
already has activities is left alone, so running the seed again changes nothing.
"""

import datetime as dt
import random
import uuid
from collections.abc import Iterable, Sequence
from decimal import Decimal

from django.db import connection
from django.db.models import F, OuterRef, Q, Subquery, Sum
from django.utils import timezone

from accounts.models import Role, RoleAssignment, User
from audit.services import SYSTEM
from locations.models import Closure, House, Place, Room, RoomOccupancy

from . import services
from .models import AgeBand, Category, DoorTally, Organiser, Session, Signal, TargetGroup
from .recurrence import public_holidays

HISTORY_DAYS = 365  # a year of history: the dashboards' trends and last quarter's reports have data
SEASON_DAYS = 91  # the current season started this long ago; the season before it ran from HISTORY_DAYS ago
AHEAD_DAYS = 56
CANCELLED_SHARE = 0.02  # past sessions that did not take place
NOT_CLOSED_DAYS = 21  # in the last three weeks some sessions are not closed out yet (data completeness)
NOT_CLOSED_SHARE = 0.15
NO_WALK_IN_SHARE = 0.03  # open days on which nobody counted the walk-in

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


def insert_rows(model, names: Sequence[str], rows: Iterable[Sequence], *, batch_size: int = 5000) -> int:
    """INSERT rows of `model` (values in the order of the field `names`) through one statement per batch
    (executemany), without building model instances: the demo's history, hundreds of thousands of rows, in
    seconds. Each value is converted by its field as the ORM would; the other fields get their defaults. No
    signals, and `auto_now_add` fields are not filled in: name them."""
    given = [model._meta.get_field(name) for name in names]
    rest = [field for field in model._meta.concrete_fields if not field.primary_key and field not in given]
    fields = given + rest
    defaults = [field.get_default() for field in rest]
    quote = connection.ops.quote_name
    sql = (
        f"INSERT INTO {quote(model._meta.db_table)} ({', '.join(quote(field.column) for field in fields)}) "
        f"VALUES ({', '.join(['%s'] * len(fields))})"
    )
    prepare = [_memoised(field) for field in fields]
    written = 0
    batch: list[list] = []
    with connection.cursor() as cursor:
        for row in rows:
            batch.append([convert(value) for convert, value in zip(prepare, [*row, *defaults], strict=True)])
            if len(batch) >= batch_size:
                cursor.executemany(sql, batch)
                written, batch = written + len(batch), []
        if batch:
            cursor.executemany(sql, batch)
            written += len(batch)
    return written


def _memoised(field):
    """The field's conversion to a database value, remembered for the few values that repeat (ids, numbers,
    choices); dates, times and uuids, mostly different, are converted each time."""
    memo: dict = {}

    def convert(value):
        if isinstance(value, dt.date | uuid.UUID):
            return field.get_db_prep_save(value, connection)
        key = (type(value), value)
        if key not in memo:
            memo[key] = field.get_db_prep_save(value, connection)
        return memo[key]

    return convert


def seed_programme() -> dict:
    today = timezone.localdate()
    first_date = today - dt.timedelta(days=HISTORY_DAYS)
    season_start = today - dt.timedelta(days=SEASON_DAYS)
    # The current season first, so its programme is the same whatever the length of the history.
    seasons = [(season_start, today + dt.timedelta(days=AHEAD_DAYS)), (first_date, season_start - dt.timedelta(days=1))]
    planned = 0
    houses = House.objects.filter(activities__isnull=True).prefetch_related("places__rooms").order_by("slug")
    for house in houses:
        rng = random.Random(house.slug)
        place = next((p for p in house.places.all() if p.kind == Place.Kind.MAIN), None) or house.places.first()
        if place is None:
            continue
        rooms = _rooms_by_size(place)
        for season_first, season_until in seasons:
            planned += _plan_season(house, place, rooms, rng, season_first, season_until)
    tallies = _seed_history(first_date, today)
    return {"activities": planned, "tallies": tallies}


def _plan_season(house: House, place: Place, rooms: list[Room], rng: random.Random, first_date, until) -> int:
    planned = 0
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
    return planned


TALLY_FIELDS = ("house", "place", "session", "tap_id", "recorded_at", "received_at", "count", "is_new", "age_band")
TALLY_FIELDS += ("recorded_by",)
SIGNAL_FIELDS = ("house", "date", "theme", "referred_to", "consent", "follow_up", "remark", "created_by", "created_at")
AGE_BANDS = ["", "", AgeBand.ADULT, AgeBand.SENIOR, AgeBand.YOUTH]
CANCEL_REASONS = ["Begeleider ziek", "Te weinig aanmeldingen", "Storing in het gebouw"]


def _closed_days(first_date: dt.date, today: dt.date) -> dict[int, set[dt.date]]:
    """Per place, the days it was closed (closures and public holidays) in the history."""
    holidays = public_holidays(range(first_date.year, today.year + 1))
    closed: dict[int, set[dt.date]] = {}
    for place_id, start, end in Closure.objects.filter(start_date__lte=today, end_date__gte=first_date).values_list(
        "place_id", "start_date", "end_date"
    ):
        days = closed.setdefault(place_id, set())
        day = max(start, first_date)
        while day <= min(end, today):
            days.add(day)
            day += dt.timedelta(days=1)
    return {place_id: days | holidays for place_id, days in closed.items()} | {0: holidays}


def _seed_history(first_date: dt.date, today: dt.date) -> int:
    """Door tallies and close-outs for past sessions (a few cancelled, the last weeks' not all closed out yet),
    walk-ins on open days, and some signals."""
    if DoorTally.objects.filter(recorded_at__date__gte=first_date).exists():
        return 0
    hosts = {
        assignment.house_id: assignment.user_id
        for assignment in RoleAssignment.objects.filter(role__in=[Role.HOST, Role.COORDINATOR])
    }
    fallback = User.objects.filter(is_superuser=True).values_list("pk", flat=True).first()
    now = timezone.now()
    recent = timezone.make_aware(dt.datetime.combine(today - dt.timedelta(days=NOT_CLOSED_DAYS), dt.time()))
    tallies: list[tuple] = []
    closed: list[int] = []
    cancelled: list[tuple[int, int | None]] = []
    past = (
        Session.objects.filter(start__lt=now, start__date__gte=first_date, status=Session.Status.PLANNED)
        .filter(closed_at__isnull=True)
        .order_by("pk")
        .values_list("pk", "start", "occupancy_id", "activity__house_id", "activity__place_id", "activity__capacity")
    )
    for pk, start, occupancy, house_id, place_id, capacity in past:
        rng = random.Random(pk)
        if rng.random() < CANCELLED_SHARE:
            cancelled.append((pk, occupancy))
            continue
        remaining = rng.randint(3, min(capacity or 25, 25))
        moment = start
        host = hosts.get(house_id, fallback)
        while remaining > 0:
            count = min(remaining, rng.choice([1, 2, 3, 4, 5]))
            remaining -= count
            moment += dt.timedelta(minutes=rng.randint(0, 3))
            tap = uuid.UUID(int=rng.getrandbits(128))
            new = rng.random() < 0.12
            tallies.append((house_id, place_id, pk, tap, moment, moment, count, new, rng.choice(AGE_BANDS), host))
        if start >= recent and rng.random() < NOT_CLOSED_SHARE:
            continue
        closed.append(pk)
    # Walk-ins (inloop) on open weekdays, and a few signals a week per house.
    signals: list[tuple] = []
    closed_days = _closed_days(first_date, today)
    # A house of buurtplekken only (Middelland, self-managed) notes its signals at the spots, now and then.
    spots_only = set(Place.objects.values_list("house_id", flat=True).distinct()) - set(
        Place.objects.filter(kind=Place.Kind.MAIN).values_list("house_id", flat=True)
    )
    for place in Place.objects.filter(Q(kind=Place.Kind.MAIN) | Q(kind=Place.Kind.NEIGHBOURHOOD_SPOT)).order_by("pk"):
        rng = random.Random(f"walk-in-{place.pk}")
        host = hosts.get(place.house_id, fallback)
        shut = closed_days.get(place.pk, closed_days[0])
        day = first_date
        while day < today:
            if day.weekday() < 5 and day not in shut and rng.random() >= NO_WALK_IN_SHARE:
                for _ in range(rng.randint(2, 6)):
                    recorded = timezone.make_aware(
                        dt.datetime.combine(day, dt.time(rng.randint(9, 16), rng.randint(0, 59)))
                    )
                    tap = uuid.UUID(int=rng.getrandbits(128))
                    count, new = rng.choice([1, 2, 2, 3, 4]), rng.random() < 0.08
                    tallies.append((place.house_id, place.pk, None, tap, recorded, recorded, count, new, "", host))
                if (place.kind == Place.Kind.MAIN and rng.random() < 0.35) or (
                    place.house_id in spots_only and rng.random() < 0.04
                ):
                    referred = rng.choice(REFERRALS)
                    noted = timezone.make_aware(dt.datetime.combine(day, dt.time(16, 30)))
                    signals.append(
                        (
                            place.house_id,
                            day,
                            rng.choice(SIGNAL_THEMES),
                            referred,
                            bool(referred),
                            rng.choice(list(Signal.FollowUp.values)),
                            "",
                            host,
                            noted,
                        )
                    )
            day += dt.timedelta(days=1)
    insert_rows(DoorTally, TALLY_FIELDS, tallies)
    # Close-outs: the participants are the visitors counted at the door; one to four volunteers.
    counted = DoorTally.objects.filter(session=OuterRef("pk")).values("session").annotate(total=Sum("count"))
    for start in range(0, len(closed), 900):
        Session.objects.filter(pk__in=closed[start : start + 900]).update(
            participants_count=Subquery(counted.values("total")[:1]),
            volunteers_count=F("id") % 4 + 1,
            closed_at=F("end"),
        )
    # Cancelled sessions gave their room back, as `services.session_cancel` does.
    for number, reason in enumerate(CANCEL_REASONS):
        sessions = [pk for pk, _claim in cancelled if pk % len(CANCEL_REASONS) == number]
        Session.objects.filter(pk__in=sessions).update(
            status=Session.Status.CANCELLED, change_reason=reason, occupancy=None
        )
    RoomOccupancy.objects.filter(pk__in=[claim for _pk, claim in cancelled if claim is not None]).delete()
    insert_rows(Signal, SIGNAL_FIELDS, signals)
    return len(tallies)
