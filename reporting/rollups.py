"""The daily rollups: every measure of every house (and place) per Amsterdam day, in `DayFigure`.

Figures are never read from raw rows: `derive` computes the measures of a set of houses over a range of days with
grouped queries (GROUP BY house or place and the local date) and replaces their `DayFigure` rows; a quarter of a
house is then about 90 days of rows, however many years of door taps lie behind it.

How the rows are kept current:
- `refresh_stale` (every minute, `reporting.rollup_tasks.refresh_rollups`) derives the days of new door taps
  (found by their id, above the watermark "door_taps") and the days other apps marked as changed
  (`locations.StaleDay`, through `locations.services.days_changed`, in the transaction of the change);
- `rederive_recent` (nightly, `reporting.rollup_tasks.rederive_recent`) derives yesterday and today of every
  house again, because some measures depend on the clock (a session is held once its start has passed, a day
  without a door count is only counted once it is over);
- `rebuild` (`manage.py rebuild_rollups --from .. --to .. [--house SLUG]`) derives any range again.

Adding a measure: one `Measure` in `MEASURES` and the lines in one `_derive_*` function that add its values.
"""

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal
from itertools import groupby

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count, DurationField, ExpressionWrapper, F, Prefetch, Q, Sum
from django.db.models.functions import TruncDate
from django.utils import timezone
from django.utils.translation import gettext as _

from activities.models import DoorTally, Organiser, Session, Signal
from audit.services import event_record
from bookings.models import Booking
from huizen.dates import days_between
from huizen.forms import FIRST_DAY, LAST_DAY
from locations.models import Closure, House, Place, RoomOccupancy, StaleDay
from locations.selectors import closure_on, week_schedule
from volunteers.models import (
    Certificate,
    HelpRequest,
    HoursEntry,
    RoleCertificate,
    SupportContact,
    Volunteer,
    VolunteerRoleChoice,
    WaarderingApplication,
)

from .indicators import Source
from .models import DayFigure, Watermark


@dataclass(frozen=True)
class Measure:
    name: str
    source: Source
    per: str  # "place": one row per place (DayFigure.place set); "house": one row per house (place empty)
    breakdowns: tuple[str, ...]  # the dimensions it is also broken down by (rows with dimension and member)
    definition: str


SESSION_BREAKDOWNS = ("category", "organiser", "target_group")

MEASURES: dict[str, Measure] = {
    measure.name: measure
    for measure in (
        Measure(
            "visits_walk_in",
            Source.DOOR,
            "place",
            ("age_band",),
            "Door taps without a session (the walk-in), not undone: the sum of their counts, at the tap's place.",
        ),
        Measure(
            "visits_activity",
            Source.DOOR,
            "place",
            ("category", "organiser", "target_group", "age_band"),
            "Door taps for a session, not undone: the sum of their counts, at the tap's place; broken down by the "
            "session's activity (category, organiser, each of its target groups: these overlap) and the age band.",
        ),
        Measure("new_visitors", Source.DOOR, "place", (), "Door taps marked new, not undone: the sum of their counts."),
        Measure(
            "sessions_held",
            Source.PROGRAMME,
            "place",
            SESSION_BREAKDOWNS,
            "Sessions planned (not cancelled) that started on the day, up to now, at the activity's place.",
        ),
        Measure(
            "sessions_resident",
            Source.PROGRAMME,
            "place",
            (),
            "Sessions held of activities organised by residents (a bewonersinitiatief).",
        ),
        Measure(
            "participants_closeout",
            Source.CLOSE_OUT,
            "place",
            SESSION_BREAKDOWNS,
            "The participants counted at close-out, added up over the sessions held that were closed out.",
        ),
        Measure(
            "sessions_not_closed",
            Source.CLOSE_OUT,
            "place",
            (),
            "Sessions held that have ended and were not closed out (data completeness).",
        ),
        Measure(
            "signals_passed_on",
            Source.SIGNALS,
            "house",
            ("destination",),
            "Signals of the day that were passed on, by where they went (the member is the destination).",
        ),
        Measure(
            "opening_minutes",
            Source.OPENING_HOURS,
            "place",
            (),
            "Minutes the place is open by its weekly opening hours; 0 on a day a closure covers (public holidays "
            "are closures of the place, as the demo and the programme treat them).",
        ),
        Measure(
            "room_minutes_open",
            Source.OPENING_HOURS,
            "place",
            (),
            "The opening minutes of the place times the number of its rooms.",
        ),
        Measure(
            "room_minutes_used",
            Source.BOOKINGS,
            "place",
            (),
            "Minutes the place's rooms are claimed by approved bookings and sessions not cancelled, within the "
            "opening hours of the day (claims of one room never overlap, so never more than room_minutes_open).",
        ),
        Measure(
            "booking_minutes_free",
            Source.BOOKINGS,
            "place",
            (),
            "Minutes of approved bookings without a price, on the day they start, at the room's place.",
        ),
        Measure(
            "booking_minutes_paid",
            Source.BOOKINGS,
            "place",
            (),
            "Minutes of approved bookings with a price, on the day they start, at the room's place.",
        ),
        Measure(
            "booking_revenue",
            Source.BOOKINGS,
            "place",
            (),
            "The price of approved bookings plus the cancellation costs of cancelled ones, on the day they start.",
        ),
        Measure(
            "open_days_without_count",
            Source.DOOR,
            "place",
            (),
            "1 for a day before today on which the place was open and no door tap at all was recorded there.",
        ),
        Measure(
            "volunteers_new",
            Source.VOLUNTEERS,
            "house",
            (),
            "Volunteers (accepted, or stopped since) whose start date is the day: they started volunteering.",
        ),
        Measure(
            "volunteer_minutes",
            Source.VOLUNTEERS,
            "house",
            ("hours_source",),
            "Minutes of approved hours of the house's volunteers on their date, by where the hours come from "
            "(the member: shift, own, neighbour_help).",
        ),
        Measure(
            "certificate_needed",
            Source.VOLUNTEERS,
            "house",
            (),
            "Volunteers active on the day (accepted, or stopped later; started on or before the day, not ended "
            "before it) with at least one role that needs a certificate (RoleCertificate).",
        ),
        Measure(
            "certificate_valid",
            Source.VOLUNTEERS,
            "house",
            (),
            "Of certificate_needed, the volunteers holding every certificate their roles need, valid on the day "
            "(issued on or before it, valid until it or later).",
        ),
        Measure(
            "support_contacts",
            Source.CARERS,
            "house",
            ("support_kind",),
            "Support contacts with the house's informal carers on their date, by kind of support (the member).",
        ),
        Measure(
            "waarderingen_awarded",
            Source.CARERS,
            "house",
            (),
            "Mantelzorgwaardering applications of the house's carers awarded, on the Amsterdam day of the decision.",
        ),
        Measure(
            "help_requests_matched",
            Source.NEIGHBOUR_HELP,
            "house",
            (),
            "Burenhulp requests matched with a volunteer, on the Amsterdam day of the match (whatever happened after).",
        ),
        Measure(
            "help_requests_completed",
            Source.NEIGHBOUR_HELP,
            "house",
            (),
            "Burenhulp requests closed as done, on the Amsterdam day they were closed.",
        ),
    )
}

# Houses derived in one transaction: their rows are locked (in id order) while their days are read and replaced.
HOUSE_BATCH = 25
# `rebuild` derives this many days at a time.
REBUILD_CHUNK_DAYS = 31
REBUILD_MAX_DAYS = 10 * 366
# The door taps are found by id above the watermark. Ids are handed out when a row is inserted, but a transaction
# that took a lower id can commit after one that took a higher id, so a pass reads again the OVERLAP_IDS ids below
# the watermark and compares how many rows it finds there with how many the previous pass saw (the watermark's
# `window_count`): more (or fewer) means rows committed late, and then the days of every tap in that window are
# derived again. This assumes no tap transaction is still open after OVERLAP_IDS later ids were handed out.
TAPS_WATERMARK = "door_taps"
OVERLAP_IDS = 1000
# At most this many new taps are read per pass; a backlog (the first pass, an outage) is worked off pass by pass.
TAP_BATCH = 20_000

Key = tuple[int, int | None, dt.date, str, str, str]  # house, place, day, measure, dimension, member


def _zone():
    return timezone.get_default_timezone()


def _local_date(field: str) -> TruncDate:
    """The Amsterdam date of a datetime column, in SQL (23:30 on the 5th in Amsterdam is the 5th, not the UTC day)."""
    return TruncDate(field, tzinfo=_zone())


class _Figures:
    """The values being derived, added up by key; zeros are left out when the rows are made."""

    def __init__(self):
        self.values: dict[Key, Decimal] = defaultdict(Decimal)

    def add(self, house_id, place_id, day, measure, value, dimension="", member=""):
        if value:
            self.values[(house_id, place_id, day, measure, dimension, member or "")] += Decimal(value)

    def rows(self, house_ids) -> list[DayFigure]:
        wanted = set(house_ids)
        return [
            DayFigure(
                house_id=house_id,
                place_id=place_id,
                day=day,
                measure=measure,
                dimension=dimension,
                member=member,
                value=value.quantize(Decimal("0.01")),
            )
            for (house_id, place_id, day, measure, dimension, member), value in sorted(
                self.values.items(), key=lambda item: tuple("" if part is None else str(part) for part in item[0])
            )
            if value and house_id in wanted
        ]


def _minutes(duration: dt.timedelta | None) -> Decimal:
    if not duration:
        return Decimal(0)
    return (Decimal(duration.total_seconds()) / 60).quantize(Decimal("0.01"))


# --- the measures, one function per source ----------------------------------------------------------------------


def _derive_taps(figures: _Figures, house_ids, start: dt.datetime, end: dt.datetime) -> set[tuple[int, dt.date]]:
    """Door taps: visits (walk-in, activity), new visitors and their breakdowns. Returns the (place, day) pairs
    with at least one tap (for open_days_without_count). Four grouped queries."""
    taps = DoorTally.objects.filter(
        house_id__in=house_ids, recorded_at__gte=start, recorded_at__lt=end, undone_at__isnull=True
    ).annotate(local_day=_local_date("recorded_at"))
    walk_in, with_session = Q(session_id__isnull=True), Q(session_id__isnull=False)
    counted: set[tuple[int, dt.date]] = set()
    for row in taps.values("house_id", "place_id", "local_day").annotate(
        walk_in=Sum("count", filter=walk_in),
        activity=Sum("count", filter=with_session),
        new=Sum("count", filter=Q(is_new=True)),
    ):
        house_id, place_id, day = row["house_id"], row["place_id"], row["local_day"]
        counted.add((place_id, day))
        figures.add(house_id, place_id, day, "visits_walk_in", row["walk_in"])
        figures.add(house_id, place_id, day, "visits_activity", row["activity"])
        figures.add(house_id, place_id, day, "new_visitors", row["new"])
    for row in (
        taps.exclude(age_band="")
        .values("house_id", "place_id", "local_day", "age_band")
        .annotate(walk_in=Sum("count", filter=walk_in), activity=Sum("count", filter=with_session))
    ):
        key = (row["house_id"], row["place_id"], row["local_day"])
        figures.add(*key, "visits_walk_in", row["walk_in"], "age_band", row["age_band"])
        figures.add(*key, "visits_activity", row["activity"], "age_band", row["age_band"])
    for row in (
        taps.filter(with_session)
        .values("house_id", "place_id", "local_day", "session__activity__category", "session__activity__organiser")
        .annotate(visits=Sum("count"))
    ):
        key = (row["house_id"], row["place_id"], row["local_day"])
        figures.add(*key, "visits_activity", row["visits"], "category", row["session__activity__category"])
        figures.add(*key, "visits_activity", row["visits"], "organiser", row["session__activity__organiser"])
    for row in (
        taps.filter(with_session, session__activity__target_groups__isnull=False)
        .values("house_id", "place_id", "local_day", "session__activity__target_groups__group")
        .annotate(visits=Sum("count"))
    ):
        key = (row["house_id"], row["place_id"], row["local_day"])
        figures.add(
            *key, "visits_activity", row["visits"], "target_group", row["session__activity__target_groups__group"]
        )
    return counted


def _derive_sessions(figures: _Figures, house_ids, start: dt.datetime, end: dt.datetime, now: dt.datetime) -> None:
    """Sessions held (planned, started by now), resident-initiated, participants at close-out, not closed out. Two
    grouped queries."""
    held = Session.objects.filter(
        activity__house_id__in=house_ids,
        status=Session.Status.PLANNED,
        start__gte=start,
        start__lt=min(end, now + dt.timedelta(microseconds=1)),
    ).annotate(local_day=_local_date("start"))
    aggregates = {
        "held": Count("id"),
        "closeout": Sum("participants_count", filter=Q(closed_at__isnull=False)),
        "not_closed": Count("id", filter=Q(end__lt=now, closed_at__isnull=True)),
    }
    for row in held.values(
        "activity__house_id", "activity__place_id", "local_day", "activity__category", "activity__organiser"
    ).annotate(**aggregates):
        key = (row["activity__house_id"], row["activity__place_id"], row["local_day"])
        category, organiser = row["activity__category"], row["activity__organiser"]
        for dimension, member in (("", ""), ("category", category), ("organiser", organiser)):
            figures.add(*key, "sessions_held", row["held"], dimension, member)
            figures.add(*key, "participants_closeout", row["closeout"], dimension, member)
        figures.add(*key, "sessions_not_closed", row["not_closed"])
        if organiser == Organiser.RESIDENTS:
            figures.add(*key, "sessions_resident", row["held"])
    for row in (
        held.filter(activity__target_groups__isnull=False)
        .values("activity__house_id", "activity__place_id", "local_day", "activity__target_groups__group")
        .annotate(held=Count("id"), closeout=Sum("participants_count", filter=Q(closed_at__isnull=False)))
    ):
        key = (row["activity__house_id"], row["activity__place_id"], row["local_day"])
        group = row["activity__target_groups__group"]
        figures.add(*key, "sessions_held", row["held"], "target_group", group)
        figures.add(*key, "participants_closeout", row["closeout"], "target_group", group)


def _derive_signals(figures: _Figures, house_ids, first: dt.date, last: dt.date) -> None:
    """Signals passed on, per house (they belong to no place), by destination. One grouped query."""
    for row in (
        Signal.objects.filter(house_id__in=house_ids, date__gte=first, date__lte=last)
        .exclude(referred_to="")
        .values("house_id", "date", "referred_to")
        .annotate(signals=Count("id"))
    ):
        figures.add(row["house_id"], None, row["date"], "signals_passed_on", row["signals"])
        figures.add(
            row["house_id"], None, row["date"], "signals_passed_on", row["signals"], "destination", row["referred_to"]
        )


def _days(first: dt.date, last: dt.date):
    day = first
    while day <= last:
        yield day
        day += dt.timedelta(days=1)


def _opening_windows(place: Place, schedule: dict, day: dt.date) -> list[tuple[dt.datetime, dt.datetime]]:
    """The aware opening intervals of `place` on `day`, as locations decides "open": its weekly hours (`schedule`,
    from `locations.selectors.week_schedule`), none when a closure covers the day (`locations.selectors.closure_on`,
    with the closures of the range prefetched as `upcoming_closures`)."""
    if closure_on(place, day):
        return []
    zone = _zone()
    return [
        (dt.datetime.combine(day, opens, tzinfo=zone), dt.datetime.combine(day, closes, tzinfo=zone))
        for opens, closes in schedule[day.weekday()]
    ]


def _wall_minutes(opens: dt.datetime, closes: dt.datetime) -> int:
    """Opening minutes as the opening hours read (09:00-17:00 is 480 minutes, also on the day the clocks change)."""
    return (closes.hour * 60 + closes.minute) - (opens.hour * 60 + opens.minute)


def _derive_rooms(figures: _Figures, house_ids, first: dt.date, last: dt.date, counted: set, today: dt.date) -> None:
    """Opening minutes, room minutes open and used, and open days without a door count. Three queries for the
    places (with their rooms counted, opening hours and closures) and one for the claims on their rooms: claims are
    cut to the opening windows of each day, which SQL cannot do portably, so they are read (a few per room per day)
    and cut here."""
    start, end = days_between(first, last)
    places = list(
        Place.objects.filter(house_id__in=house_ids)
        .annotate(room_count=Count("rooms"))
        .prefetch_related(
            "opening_hours",
            Prefetch(
                "closures",
                queryset=Closure.objects.filter(start_date__lte=last, end_date__gte=first),
                to_attr="upcoming_closures",
            ),
        )
    )
    windows: dict[tuple[int, dt.date], list] = {}
    for place in places:
        schedule = {weekday.weekday: weekday.intervals for weekday in week_schedule(place, today=today)}
        for day in _days(first, last):
            opening = _opening_windows(place, schedule, day)
            windows[(place.pk, day)] = opening
            minutes = sum(_wall_minutes(opens, closes) for opens, closes in opening)
            figures.add(place.house_id, place.pk, day, "opening_minutes", minutes)
            figures.add(place.house_id, place.pk, day, "room_minutes_open", minutes * place.room_count)
            if minutes and day < today and (place.pk, day) not in counted:
                figures.add(place.house_id, place.pk, day, "open_days_without_count", 1)
    claims = (
        RoomOccupancy.objects.filter(room__place__house_id__in=house_ids, start__lt=end, end__gt=start)
        .filter(
            Q(kind=RoomOccupancy.Kind.SESSION, session__status=Session.Status.PLANNED)
            | Q(kind=RoomOccupancy.Kind.BOOKING, booking__status=Booking.Status.APPROVED)
        )
        .values_list("room__place__house_id", "room__place_id", "start", "end")
    )
    for house_id, place_id, claim_start, claim_end in claims:
        first_day = max(timezone.localtime(claim_start, _zone()).date(), first)
        last_day = min(timezone.localtime(claim_end - dt.timedelta(microseconds=1), _zone()).date(), last)
        for day in _days(first_day, last_day):
            for opens, closes in windows.get((place_id, day), []):
                overlap = min(claim_end, closes) - max(claim_start, opens)
                if overlap > dt.timedelta(0):
                    figures.add(house_id, place_id, day, "room_minutes_used", _minutes(overlap))


def _derive_bookings(figures: _Figures, house_ids, start: dt.datetime, end: dt.datetime) -> None:
    """Booking minutes (free, paid) and revenue, by the day a booking starts. One grouped query."""
    approved, cancelled = Q(status=Booking.Status.APPROVED), Q(status=Booking.Status.CANCELLED)
    duration = ExpressionWrapper(F("end") - F("start"), output_field=DurationField())
    for row in (
        Booking.objects.filter(
            room__place__house_id__in=house_ids,
            start__gte=start,
            start__lt=end,
            status__in=[Booking.Status.APPROVED, Booking.Status.CANCELLED],
        )
        .annotate(local_day=_local_date("start"))
        .values("room__place__house_id", "room__place_id", "local_day")
        .annotate(
            free=Sum(duration, filter=approved & Q(price=0)),
            paid=Sum(duration, filter=approved & Q(price__gt=0)),
            prices=Sum("price", filter=approved),
            costs=Sum("cancellation_cost", filter=cancelled),
        )
    ):
        key = (row["room__place__house_id"], row["room__place_id"], row["local_day"])
        figures.add(*key, "booking_minutes_free", _minutes(row["free"]))
        figures.add(*key, "booking_minutes_paid", _minutes(row["paid"]))
        figures.add(*key, "booking_revenue", (row["prices"] or 0) + (row["costs"] or 0))


def _derive_volunteering(
    figures: _Figures, house_ids, first: dt.date, last: dt.date, start: dt.datetime, end: dt.datetime
) -> None:
    """The volunteers app: new volunteers, approved volunteer minutes, certificates needed and valid, support
    contacts, waarderingen awarded, burenhulp requests matched and completed. All per house (place empty). Six
    grouped queries and four for the certificates (see `_derive_certificates`), those
    counted per day here: houses × volunteers × days is small, and "valid on the day" is an interval test SQL would
    do per day."""
    started = (
        Volunteer.objects.filter(
            house_id__in=house_ids,
            status__in=[Volunteer.Status.ACCEPTED, Volunteer.Status.STOPPED],
            start_date__gte=first,
            start_date__lte=last,
        )
        .values("house_id", "start_date")
        .annotate(volunteers=Count("id"))
        .order_by()
    )
    for row in started:
        figures.add(row["house_id"], None, row["start_date"], "volunteers_new", row["volunteers"])
    hours = (
        HoursEntry.objects.filter(
            volunteer__house_id__in=house_ids,
            status=HoursEntry.Status.APPROVED,
            date__gte=first,
            date__lte=last,
        )
        .values("volunteer__house_id", "date", "source")
        .annotate(minutes=Sum("minutes"))
        .order_by()
    )
    for row in hours:
        key = (row["volunteer__house_id"], None, row["date"])
        figures.add(*key, "volunteer_minutes", row["minutes"])
        figures.add(*key, "volunteer_minutes", row["minutes"], "hours_source", row["source"])
    contacts = (
        SupportContact.objects.filter(carer__house_id__in=house_ids, date__gte=first, date__lte=last)
        .values("carer__house_id", "date", "kind")
        .annotate(contacts=Count("id"))
        .order_by()
    )
    for row in contacts:
        key = (row["carer__house_id"], None, row["date"])
        figures.add(*key, "support_contacts", row["contacts"])
        figures.add(*key, "support_contacts", row["contacts"], "support_kind", row["kind"])
    awarded = (
        WaarderingApplication.objects.filter(
            carer__house_id__in=house_ids,
            status=WaarderingApplication.Status.AWARDED,
            decided_at__gte=start,
            decided_at__lt=end,
        )
        .annotate(local_day=_local_date("decided_at"))
        .values("carer__house_id", "local_day")
        .annotate(awarded=Count("id"))
        .order_by()
    )
    for row in awarded:
        figures.add(row["carer__house_id"], None, row["local_day"], "waarderingen_awarded", row["awarded"])
    for measure, moment, condition in (
        ("help_requests_matched", "matched_at", Q()),
        ("help_requests_completed", "closed_at", Q(status=HelpRequest.Status.DONE)),
    ):
        requests = (
            HelpRequest.objects.filter(
                condition, house_id__in=house_ids, **{f"{moment}__gte": start, f"{moment}__lt": end}
            )
            .annotate(local_day=_local_date(moment))
            .values("house_id", "local_day")
            .annotate(requests=Count("id"))
            .order_by()
        )
        for row in requests:
            figures.add(row["house_id"], None, row["local_day"], measure, row["requests"])
    _derive_certificates(figures, house_ids, first, last)


def _derive_certificates(figures: _Figures, house_ids, first: dt.date, last: dt.date) -> None:
    """certificate_needed and certificate_valid per house and day (see MEASURES). Four queries: the certificates
    each role needs, the volunteers active at some day of the range, their roles and their certificates that
    overlap the range."""
    needs: dict[str, set[str]] = defaultdict(set)
    for role, kind in RoleCertificate.objects.values_list("role", "certificate"):
        needs[role].add(kind)
    if not needs:
        return
    active = Volunteer.objects.filter(house_id__in=house_ids, start_date__isnull=False, start_date__lte=last).filter(
        Q(status=Volunteer.Status.ACCEPTED, end_date__isnull=True)
        | Q(status__in=[Volunteer.Status.ACCEPTED, Volunteer.Status.STOPPED], end_date__gte=first)
    )
    volunteers = {pk: (house_id, begins, ends) for pk, house_id, begins, ends in active.values_list(
        "pk", "house_id", "start_date", "end_date"
    )}  # fmt: skip
    if not volunteers:
        return
    needed: dict[int, set[str]] = defaultdict(set)
    for volunteer_id, role in VolunteerRoleChoice.objects.filter(
        volunteer_id__in=active.values("pk"), role__in=list(needs)
    ).values_list("volunteer_id", "role"):
        needed[volunteer_id] |= needs[role]
    held: dict[tuple[int, str], list[tuple[dt.date, dt.date]]] = defaultdict(list)
    for volunteer_id, kind, issued_on, valid_until in Certificate.objects.filter(
        volunteer_id__in=active.values("pk"), issued_on__lte=last, valid_until__gte=first
    ).values_list("volunteer_id", "kind", "issued_on", "valid_until"):
        held[(volunteer_id, kind)].append((issued_on, valid_until))
    for volunteer_id, kinds in needed.items():
        if volunteer_id not in volunteers:
            continue
        house_id, begins, ends = volunteers[volunteer_id]
        for day in _days(max(first, begins), min(last, ends or last)):
            figures.add(house_id, None, day, "certificate_needed", 1)
            if all(
                any(issued_on <= day <= valid_until for issued_on, valid_until in held[(volunteer_id, kind)])
                for kind in kinds
            ):
                figures.add(house_id, None, day, "certificate_valid", 1)


def _compute(house_ids: list[int], first: dt.date, last: dt.date, now: dt.datetime) -> _Figures:
    figures = _Figures()
    start, end = days_between(first, last)
    counted = _derive_taps(figures, house_ids, start, end)
    _derive_sessions(figures, house_ids, start, end, now)
    _derive_signals(figures, house_ids, first, last)
    _derive_rooms(figures, house_ids, first, last, counted, timezone.localdate(now))
    _derive_bookings(figures, house_ids, start, end)
    _derive_volunteering(figures, house_ids, first, last, start, end)
    return figures


# --- writing the rows ---------------------------------------------------------------------------------------------


def derive(*, house_ids, start: dt.date, end: dt.date) -> int:
    """Derive every measure of the houses `house_ids` (ints or a queryset of pks) for the days `start` to `end`
    inclusive, up to today, and replace their `DayFigure` rows. Returns the number of rows written.

    Houses are done in batches of HOUSE_BATCH, each in one transaction that first locks the batch's house rows
    (in id order, so two derives never deadlock): a second derive of the same house waits, then reads what the first
    one committed, so an older derive never overwrites a newer one. The lock is FOR NO KEY UPDATE, so door taps and
    other rows that refer to the house are still inserted meanwhile (their foreign key check takes KEY SHARE).
    The queries are grouped per batch (about twenty, however many days, taps or hours), never one per day or per
    row."""
    if start > end:
        raise ValidationError(_("The first day must not be after the last day."), code="reversed")
    # Figures are what happened: days after today are not derived (the nightly pass reaches each day as it comes),
    # so a future day marked by a booking decision holds no partial figures (opening hours without the rest).
    end = min(end, timezone.localdate())
    if start > end:
        return 0
    ids = sorted({int(pk) for pk in house_ids})
    written = 0
    for index in range(0, len(ids), HOUSE_BATCH):
        batch = ids[index : index + HOUSE_BATCH]
        with transaction.atomic():
            locked = list(
                House.objects.select_for_update(no_key=True)
                .filter(pk__in=batch)
                .order_by("pk")
                .values_list("pk", flat=True)
            )
            if not locked:
                continue
            figures = _compute(locked, start, end, timezone.now())
            DayFigure.objects.filter(house_id__in=locked, day__gte=start, day__lte=end).delete()
            rows = DayFigure.objects.bulk_create(figures.rows(locked), batch_size=1000)
            written += len(rows)
    return written


def _runs(days: list[dt.date]) -> list[tuple[dt.date, dt.date]]:
    """Sorted days as runs of consecutive days: [1, 2, 3, 7] -> [(1, 3), (7, 7)]."""
    runs = []
    for _key, group in groupby(enumerate(sorted(set(days))), key=lambda item: item[1] - dt.timedelta(days=item[0])):
        run = [day for _index, day in group]
        runs.append((run[0], run[-1]))
    return runs


def _derive_pairs(pairs: set[tuple[int, dt.date]]) -> None:
    """Derive the (house, day) pairs: per run of consecutive days, every house that has that run at once."""
    days_by_house: dict[int, list[dt.date]] = defaultdict(list)
    for house_id, day in pairs:
        if FIRST_DAY <= day <= LAST_DAY:
            days_by_house[house_id].append(day)
    houses_by_run: dict[tuple[dt.date, dt.date], list[int]] = defaultdict(list)
    for house_id, days in days_by_house.items():
        for run in _runs(days):
            houses_by_run[run].append(house_id)
    for (first, last), house_ids in sorted(houses_by_run.items()):
        derive(house_ids=house_ids, start=first, end=last)


# --- keeping them current -----------------------------------------------------------------------------------------


def _new_tap_days() -> tuple[set[tuple[int, dt.date]], Watermark, int, int]:
    """The (house, day) pairs of door taps that arrived since the last pass, and where the watermark goes next.
    Two queries: the watermark and the taps from OVERLAP_IDS below it (see OVERLAP_IDS)."""
    mark, _created = Watermark.objects.get_or_create(name=TAPS_WATERMARK)
    floor = max(mark.last_id - OVERLAP_IDS, 0)
    rows = list(
        DoorTally.objects.filter(pk__gt=floor)
        .order_by("pk")
        .values_list("pk", "house_id", "recorded_at")[: OVERLAP_IDS + TAP_BATCH]
    )
    seen_before = sum(1 for pk, _house, _at in rows if pk <= mark.last_id)
    late = seen_before != mark.window_count  # rows committed below the watermark after the last pass read it
    zone = _zone()
    pairs = {
        (house_id, timezone.localtime(recorded_at, zone).date())
        for pk, house_id, recorded_at in rows
        if late or pk > mark.last_id
    }
    last_id = max([mark.last_id] + [pk for pk, _house, _at in rows])
    window_count = sum(1 for pk, _house, _at in rows if last_id - OVERLAP_IDS < pk <= last_id)
    return pairs, mark, last_id, window_count


def refresh_stale(*, limit: int = 500) -> int:
    """Derive what changed since the last pass: the days of new door taps and the days marked stale (at most
    `limit` marks, the oldest first; the rest next time). Returns the number of (house, day) pairs derived.

    Cheap when nothing changed: three queries (the watermark, the taps around it, the marks). A mark is removed only
    if nobody marked the day again while it was derived (its `marked_at` is unchanged), so a change made during the
    derive is derived again on the next pass."""
    tap_pairs, mark, last_id, window_count = _new_tap_days()
    marks = list(StaleDay.objects.order_by("marked_at", "pk").values_list("pk", "house_id", "day", "marked_at")[:limit])
    pairs = tap_pairs | {(house_id, day) for _pk, house_id, day, _at in marks}
    if pairs:
        _derive_pairs(pairs)
    if (last_id, window_count) != (mark.last_id, mark.window_count):
        # Only from where this pass started: a pass that ran alongside and got further is not set back.
        Watermark.objects.filter(pk=mark.pk, last_id=mark.last_id, window_count=mark.window_count).update(
            last_id=last_id, window_count=window_count
        )
    if marks:
        done = Q()
        for marked_at, group in groupby(sorted(marks, key=lambda m: m[3]), key=lambda m: m[3]):
            done |= Q(pk__in=[pk for pk, _house, _day, _at in group], marked_at=marked_at)
        StaleDay.objects.filter(done).delete()
    return len(pairs)


def taps_seen_up_to_now() -> int:
    """Move the door taps' watermark to the newest tap, so `refresh_stale` does not derive the days of all earlier
    taps again. For a fresh database whose history is rolled up in one go (the demo): call this first, then
    `rebuild` over the whole history; taps that arrive meanwhile are above the watermark and are still derived.
    Returns the new watermark."""
    rows = list(DoorTally.objects.order_by("-pk").values_list("pk", flat=True)[:OVERLAP_IDS])
    last_id = rows[0] if rows else 0
    window_count = sum(1 for pk in rows if pk > last_id - OVERLAP_IDS)
    Watermark.objects.update_or_create(name=TAPS_WATERMARK, defaults={"last_id": last_id, "window_count": window_count})
    return last_id


def rederive_recent(*, days: int = 2) -> int:
    """The nightly pass: derive the last `days` days (yesterday and today) of every house again, because held
    sessions, sessions not closed out and open days without a count depend on the clock. Returns rows written."""
    today = timezone.localdate()
    return derive(
        house_ids=House.objects.values_list("pk", flat=True), start=today - dt.timedelta(days=days - 1), end=today
    )


def _check_range(start, end) -> None:
    if not isinstance(start, dt.date) or not isinstance(end, dt.date):
        raise ValidationError(_("Give a first and a last day."), code="missing")
    if not (FIRST_DAY <= start <= LAST_DAY and FIRST_DAY <= end <= LAST_DAY):
        raise ValidationError(_("Choose days between 2000 and 2099."), code="out_of_range")
    if start > end:
        raise ValidationError(_("The first day must not be after the last day."), code="reversed")
    if (end - start).days + 1 > REBUILD_MAX_DAYS:
        raise ValidationError(_("Derive at most ten years at a time."), code="too_long")


def rebuild(*, start: dt.date, end: dt.date, house_ids=None, by) -> int:
    """Derive the days `start` to `end` of the houses `house_ids` (all houses when None) again, REBUILD_CHUNK_DAYS
    days at a time, and record who did it (audit "rollup.rebuild"). Returns the number of rows written.
    Raises ValidationError for a range outside 2000-2099, reversed, or longer than ten years."""
    _check_range(start, end)
    ids = sorted(set(House.objects.values_list("pk", flat=True) if house_ids is None else house_ids))
    written = 0
    chunk_start = start
    while chunk_start <= end:
        chunk_end = min(chunk_start + dt.timedelta(days=REBUILD_CHUNK_DAYS - 1), end)
        written += derive(house_ids=ids, start=chunk_start, end=chunk_end)
        chunk_start = chunk_end + dt.timedelta(days=1)
    with transaction.atomic():
        event_record(
            by=by,
            action="rollup.rebuild",
            house=None,
            changes={"from": start.isoformat(), "to": end.isoformat(), "houses": len(ids)},
        )
    return written
