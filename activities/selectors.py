"""Reads of the programme, the door and signals. Each returns a QuerySet or plain data built from one."""

import datetime as dt

from django.db.models import (
    Case,
    Count,
    Exists,
    F,
    IntegerField,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
    When,
)
from django.db.models.functions import Coalesce, Greatest, TruncDate
from django.utils import timezone

from locations.models import House, Place, Room

from .models import Activity, ActivityTargetGroup, AgeBand, DoorTally, Registration, Session, Signal

# --- programme: the coordinator's programme pages and door log ------------------------------------------------


def programme_places(house: House) -> QuerySet[Place]:
    return Place.objects.filter(house=house).order_by("name")


def programme_rooms(house: House) -> QuerySet[Room]:
    """The rooms of all places of `house`, for choosing where an activity takes place."""
    return Room.objects.filter(place__house=house).select_related("place").order_by("place__name", "name")


def programme_sessions(house: House) -> QuerySet[Session]:
    """Every session of `house`: the one place to look a session up by id (another house's ids find nothing)."""
    return Session.objects.filter(activity__house=house).select_related("activity__place", "room")


def programme_activities(house: House, *, since: dt.datetime) -> QuerySet[Activity]:
    """The activities of `house` with a session ending at or after `since` (running or still to come)."""
    still_on = Session.objects.filter(activity_id=OuterRef("pk"), end__gte=since)
    return (
        Activity.objects.filter(house=house)
        .filter(Exists(still_on))
        .select_related("place", "room")
        .prefetch_related("target_groups")
        .order_by("title", "pk")
    )


def programme_activities_of(house: House) -> QuerySet[Activity]:
    """Every activity of `house`: the one place to look an activity up by id (another house's ids find nothing)."""
    return Activity.objects.filter(house=house).select_related("house", "place", "room")


def programme_rooms_of(place: Place) -> QuerySet[Room]:
    """The rooms of one place, for the room of an activity held there."""
    return Room.objects.filter(place=place).select_related("place").order_by("name")


def programme_sessions_between(house: House, *, start: dt.datetime, end: dt.datetime) -> QuerySet[Session]:
    """Sessions of `house` starting from `start` up to (not including) `end`, cancelled ones too."""
    return programme_sessions(house).filter(start__gte=start, start__lt=end).order_by("start", "activity__title", "pk")


AGE_BAND_KEYS = {band: f"age_{index}" for index, band in enumerate(AgeBand.values)}


def _tally_sums(prefix: str = "") -> dict:
    """Visitors counted (undone taps left out), of which new, and per age band, as aggregate expressions."""
    counted = Q(**{f"{prefix}undone_at__isnull": True})
    sums = {
        "visitors": Sum(f"{prefix}count", filter=counted, default=0),
        "new_visitors": Sum(f"{prefix}count", filter=counted & Q(**{f"{prefix}is_new": True}), default=0),
    }
    for band, key in AGE_BAND_KEYS.items():
        sums[key] = Sum(f"{prefix}count", filter=counted & Q(**{f"{prefix}age_band": band}), default=0)
    return sums


def programme_door_log_sessions(house: House, *, start: dt.datetime, end: dt.datetime) -> QuerySet[Session]:
    """The sessions of one day with their door counts (`visitors`, `new_visitors`, `age_0`..), in one query."""
    return (
        programme_sessions_between(house, start=start, end=end)
        .annotate(**_tally_sums("tallies__"))
        .order_by("activity__place__name", "start", "pk")
    )


def programme_door_log_walk_in(house: House, *, start: dt.datetime, end: dt.datetime) -> QuerySet:
    """Walk-in visitors (taps without a session) recorded from `start` to `end`, one row of sums per place."""
    return (
        DoorTally.objects.filter(house=house, session__isnull=True, recorded_at__gte=start, recorded_at__lt=end)
        .values("place_id")
        .annotate(**_tally_sums())
        .order_by("place_id")
    )


def _local_day(field: str) -> TruncDate:
    return TruncDate(field, tzinfo=timezone.get_default_timezone())


def programme_door_log_walk_in_per_day(house: House, *, start: dt.datetime, end: dt.datetime) -> QuerySet:
    """Walk-in visitors from `start` to `end`, one row of sums per place and Amsterdam day: one grouped query,
    however many taps lie behind it."""
    return (
        DoorTally.objects.filter(house=house, session__isnull=True, recorded_at__gte=start, recorded_at__lt=end)
        .annotate(day=_local_day("recorded_at"))
        .values("place_id", "day")
        .annotate(**_tally_sums())
        .order_by("place_id", "day")
    )


def programme_door_log_session_visitors_per_day(house: House, *, start: dt.datetime, end: dt.datetime) -> QuerySet:
    """Visitors counted at the sessions starting from `start` to `end`, per place and day of the session (as the
    door log of one day counts them)."""
    return (
        DoorTally.objects.filter(house=house, session__start__gte=start, session__start__lt=end)
        .annotate(day=_local_day("session__start"))
        .values("place_id", "day")
        .annotate(**_tally_sums())
        .order_by("place_id", "day")
    )


def programme_door_log_sessions_per_day(
    house: House, *, start: dt.datetime, end: dt.datetime, now: dt.datetime | None = None
) -> QuerySet:
    """Sessions starting from `start` to `end` per place and day: held (planned and started by `now`, as the
    reports count them), cancelled, and the close-outs' sums. Sessions still to come are neither."""
    now = now or timezone.now()
    held = Q(status=Session.Status.PLANNED, start__lte=now)
    return (
        Session.objects.filter(activity__house=house, start__gte=start, start__lt=end)
        .annotate(day=_local_day("start"), place_id=F("activity__place_id"))
        .values("place_id", "day")
        .annotate(
            held=Count("pk", filter=held),
            cancelled=Count("pk", filter=~Q(status=Session.Status.PLANNED)),
            participants=Sum("participants_count", filter=held, default=0),
            volunteers=Sum("volunteers_count", filter=held, default=0),
        )
        .order_by("place_id", "day")
    )


# --- signals: recording and following up signals ---------------------------------------------------------------


def signals_for_house(house: House) -> QuerySet[Signal]:
    return Signal.objects.filter(house=house).order_by("-date", "-created_at", "-pk")


def signals_theme_counts(signals: QuerySet[Signal]) -> list[tuple[str, str, int]]:
    """How many of `signals` there are per theme, every theme listed: (value, label, count)."""
    counts = dict(signals.order_by().values_list("theme").annotate(total=Count("pk")))
    return [(value, label, counts.get(value, 0)) for value, label in Signal.Theme.choices]


# --- agenda: the public agenda, its feeds and residents' registrations ------------------------------------


def _registration_count(status: str) -> Coalesce:
    counted = (
        Registration.objects.filter(session=OuterRef("pk"), status=status)
        .order_by()
        .values("session")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return Coalesce(Subquery(counted, output_field=IntegerField()), 0)


def agenda_sessions() -> QuerySet[Session]:
    """Sessions with everything the public agenda, a session's page and the feeds show, in a fixed number of
    queries however many sessions there are: planned and cancelled sessions alike (cancelled ones carry their
    reason), each with its confirmed and waiting registrations counted and its places left (None: no limit)."""
    confirmed = _registration_count(Registration.Status.CONFIRMED)
    return (
        Session.objects.select_related("activity__house__neighbourhood__district", "activity__place", "room")
        .prefetch_related(Prefetch("activity__target_groups", queryset=ActivityTargetGroup.objects.order_by("group")))
        .annotate(
            confirmed_count=confirmed,
            waiting_count=_registration_count(Registration.Status.WAITING),
            places_left=Case(
                When(activity__capacity__isnull=True, then=Value(None)),
                default=Greatest(F("activity__capacity") - confirmed, Value(0)),
                output_field=IntegerField(),
            ),
        )
        .order_by("start", "activity__title", "pk")
    )


def agenda_sessions_between(*, start: dt.datetime, end: dt.datetime) -> QuerySet[Session]:
    """Sessions starting from `start` until (not including) `end`, for the iCalendar feeds: in the agenda's
    order, with what an event shows (activity, house, place, room) and nothing else (no registration counts,
    which a feed never shows and which cost a subquery per session). One query."""
    return (
        Session.objects.filter(start__gte=start, start__lt=end)
        .select_related("activity__house", "activity__place", "room")
        .order_by("start", "activity__title", "pk")
    )


def _with_waiting_position(registrations: QuerySet[Registration]) -> QuerySet[Registration]:
    """Annotate `waiting_position`: 1 for the first in line. Only meaningful for registrations that wait; the
    order is the one in which `services.registration_cancel` moves people up (created_at, then pk)."""
    ahead = (
        Registration.objects.filter(session=OuterRef("session"), status=Registration.Status.WAITING)
        .filter(Q(created_at__lt=OuterRef("created_at")) | Q(created_at=OuterRef("created_at"), pk__lt=OuterRef("pk")))
        .order_by()
        .values("session")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return registrations.annotate(waiting_position=Coalesce(Subquery(ahead, output_field=IntegerField()), 0) + 1)


def agenda_registrations_of(user) -> QuerySet[Registration]:
    """Every registration of `user` (the fetch-or-404 of a resident's own registrations), with its place in
    the waiting line."""
    if not getattr(user, "is_authenticated", False):
        return Registration.objects.none()
    return _with_waiting_position(
        Registration.objects.filter(user=user).select_related("session__activity__house", "session__activity__place")
    )


def agenda_active_registration(*, session: Session, user) -> Registration | None:
    """The registration of `user` for `session` that is not cancelled, if any."""
    return agenda_registrations_of(user).filter(session=session).exclude(status=Registration.Status.CANCELLED).first()


def agenda_upcoming_registrations(user, *, now: dt.datetime | None = None) -> QuerySet[Registration]:
    """A resident's registrations (registered or waiting) for sessions that have not ended, soonest first."""
    now = now or timezone.now()
    return (
        agenda_registrations_of(user)
        .exclude(status=Registration.Status.CANCELLED)
        .filter(session__end__gt=now)
        .order_by("session__start", "pk")
    )


# --- door: the host's door screen ---------------------------------------------------------------------------


def door_houses() -> QuerySet[House]:
    """Houses with their places, for choosing where to stand at the door (filter it through the policy)."""
    return House.objects.order_by("name").prefetch_related(
        Prefetch("places", queryset=Place.objects.order_by("name", "pk"))
    )


def door_sessions(place: Place, *, start: dt.datetime, end: dt.datetime) -> QuerySet[Session]:
    """The sessions at `place` starting from `start` until (not including) `end`, cancelled ones too, each with
    its confirmed registrations (and their users) in `door_registrations`."""
    registrations = (
        Registration.objects.filter(status=Registration.Status.CONFIRMED)
        .select_related("user")
        .order_by("user__first_name", "user__last_name", "pk")
    )
    return (
        Session.objects.filter(activity__place=place, start__gte=start, start__lt=end)
        .select_related("activity", "room")
        .prefetch_related(Prefetch("registrations", queryset=registrations, to_attr="door_registrations"))
        .order_by("start", "activity__title", "pk")
    )


def door_totals(place: Place, *, start: dt.datetime, end: dt.datetime) -> dict[str, dict[str, int]]:
    """Visitors counted at `place` from `start` until `end` (the door screen's day; undone taps left out) and of
    whom new, per block of the door screen: the key "inloop" for walk-in taps, the session id (as text) for taps
    of a session. One query, bounded by the day on the (place, recorded_at) index, so it costs the same after
    years of taps; blocks without taps are missing."""
    rows = (
        DoorTally.objects.filter(place=place, recorded_at__gte=start, recorded_at__lt=end, undone_at__isnull=True)
        .order_by()
        .values("session_id")
        .annotate(visitors=Sum("count"), new_visitors=Sum("count", filter=Q(is_new=True), default=0))
    )
    return {
        "inloop" if row["session_id"] is None else str(row["session_id"]): {
            "count": row["visitors"],
            "new": row["new_visitors"],
        }
        for row in rows
    }
