"""Reads of the network. Each returns a QuerySet (or plain data built from one) so pages, exports and reports
share the same query."""

import datetime as dt
from dataclasses import dataclass

from django.contrib.postgres.fields import DateTimeRangeField
from django.db import connections
from django.db.backends.postgresql.psycopg_any import DateTimeTZRange
from django.db.models import Count, Exists, F, Func, OuterRef, Prefetch, Q, QuerySet, Subquery, Value
from django.utils import timezone

from .models import (
    Closure,
    House,
    HouseManagement,
    OpeningHours,
    Place,
    Room,
    RoomFacility,
    RoomOccupancy,
    RoomRate,
    Weekday,
)


class _ClaimSpan(Func):
    """tstzrange(start, "end", '[)'): a claim's time as the exclusion constraint `room_occupancy_no_overlap`
    indexes it (locations/migrations/0004), so a query on this very expression can use that gist index."""

    function = "tstzrange"
    output_field = DateTimeRangeField()

    def __init__(self):
        super().__init__(F("start"), F("end"), Value("[)"))


def claims_overlapping(
    claims: QuerySet[RoomOccupancy], *, start: dt.datetime, end: dt.datetime
) -> QuerySet[RoomOccupancy]:
    """Narrow `claims` to those overlapping start-end; back-to-back is no overlap (10:00-12:00 and 12:00-14:00).

    On PostgreSQL the range overlap `&&` on the claim's tstzrange, which the exclusion constraint's gist index on
    (room, tstzrange) serves, so the cost follows the claims near that time, not the room's whole history.
    Elsewhere (SQLite), and for an empty or reversed start-end, the plain comparisons start < end and end > start,
    which match the same rows."""
    if connections[claims.db].vendor == "postgresql" and start < end:
        return claims.alias(span=_ClaimSpan()).filter(span__overlap=DateTimeTZRange(start, end, "[)"))
    return claims.filter(start__lt=end, end__gt=start)


def managements_on(day: dt.date) -> QuerySet[HouseManagement]:
    """Management periods that apply on `day`."""
    return HouseManagement.objects.filter(valid_from__lte=day).filter(
        Q(valid_until__isnull=True) | Q(valid_until__gt=day)
    )


def current_management(house: House, *, on: dt.date | None = None) -> HouseManagement | None:
    on = on or timezone.localdate()
    return managements_on(on).filter(house=house).select_related("operator").first()


def with_current_management(houses: QuerySet[House], *, on: dt.date | None = None) -> QuerySet[House]:
    """Annotate each house with the management type and operator that apply today (or on `on`)."""
    on = on or timezone.localdate()
    period = managements_on(on).filter(house=OuterRef("pk")).order_by("-valid_from")
    return houses.annotate(
        current_management_type=Subquery(period.values("management_type")[:1]),
        current_operator_id=Subquery(period.values("operator_id")[:1]),
        current_operator_name=Subquery(period.values("operator__name")[:1]),
    )


def closed_on_q(day: dt.date, place_ref: str = "pk") -> Exists:
    return Exists(Closure.objects.filter(place_id=OuterRef(place_ref), start_date__lte=day, end_date__gte=day))


def open_at_exists(at: dt.datetime, house_ref: str = "pk") -> Exists:
    """True when one of the house's places is open at `at` (weekly hours, not closed that day)."""
    local = timezone.localtime(at)
    hours = OpeningHours.objects.filter(
        place__house_id=OuterRef(house_ref),
        weekday=local.weekday(),
        opens__lte=local.time(),
        closes__gt=local.time(),
    ).exclude(closed_on_q(local.date(), place_ref="place_id"))
    return Exists(hours)


def _place_feature(field: str) -> Exists:
    return Exists(Place.objects.filter(house_id=OuterRef("pk"), **{field: True}))


def house_overview(*, at: dt.datetime | None = None) -> QuerySet[House]:
    """The network overview: every house with what the list shows and filters on, in one query."""
    at = at or timezone.now()
    houses = House.objects.select_related("neighbourhood__district").order_by("name")
    return with_current_management(houses, on=timezone.localdate(at)).annotate(
        place_count=Count("places", distinct=True),
        is_open_now=open_at_exists(at),
        has_step_free_entrance=_place_feature("step_free_entrance"),
        has_accessible_toilet=_place_feature("accessible_toilet"),
        has_hearing_loop=_place_feature("hearing_loop"),
    )


def house_detail_queryset() -> QuerySet[House]:
    """A house with everything its page shows, prefetched (a fixed number of queries)."""
    today = timezone.localdate()
    return with_current_management(House.objects.select_related("neighbourhood__district")).prefetch_related(
        Prefetch(
            "places",
            queryset=Place.objects.prefetch_related(
                "opening_hours",
                Prefetch(
                    "closures",
                    queryset=Closure.objects.filter(end_date__gte=today).order_by("start_date"),
                    to_attr="upcoming_closures",
                ),
                Prefetch(
                    "rooms",
                    queryset=Room.objects.prefetch_related(
                        Prefetch("facilities", queryset=RoomFacility.objects.order_by("facility")),
                        Prefetch("rates", queryset=RoomRate.objects.order_by("per_hour")),
                    ),
                ),
            ),
        ),
        Prefetch("managements", queryset=HouseManagement.objects.select_related("operator").order_by("-valid_from")),
        "neighbourhood__indices",
    )


@dataclass(frozen=True)
class DaySchedule:
    weekday: int
    label: str
    intervals: list[tuple[dt.time, dt.time]]
    is_today: bool


def week_schedule(place: Place, *, today: dt.date | None = None) -> list[DaySchedule]:
    """Monday to Sunday with the opening intervals of each day, from the prefetched opening hours."""
    today = today or timezone.localdate()
    by_day: dict[int, list[tuple[dt.time, dt.time]]] = {day: [] for day in Weekday.values}
    for hours in place.opening_hours.all():
        by_day[hours.weekday].append((hours.opens, hours.closes))
    return [
        DaySchedule(
            weekday=day,
            label=Weekday(day).label,
            intervals=sorted(by_day[day]),
            is_today=day == today.weekday(),
        )
        for day in Weekday.values
    ]


def closure_on(place: Place, day: dt.date) -> Closure | None:
    """The closure that covers `day`, from the prefetched upcoming closures."""
    closures = place.upcoming_closures if hasattr(place, "upcoming_closures") else place.closures.all()
    for closure in closures:
        if closure.start_date <= day <= closure.end_date:
            return closure
    return None


def place_is_open(place: Place, at: dt.datetime) -> bool:
    local = timezone.localtime(at)
    if closure_on(place, local.date()):
        return False
    return any(
        hours.weekday == local.weekday() and hours.opens <= local.time() < hours.closes
        for hours in place.opening_hours.all()
    )
