"""Every write of the programme, the door and signals. Views, the door's endpoint, commands and tasks call these."""

import datetime as dt
import math
import uuid
from dataclasses import dataclass
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, models, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from audit.services import diff, event_record, events_forget_actors, snapshot, user_of
from huizen import outbox
from huizen.dates import day_start
from huizen.text import checked_reason, plain_text
from locations.models import Closure, House, Place, Room, RoomOccupancy
from locations.services import days_changed, room_claim_move, room_claim_series, room_release

from . import tasks
from .models import Activity, ActivityTargetGroup, AgeBand, DoorTally, Registration, Session, Signal
from .privacy import validate_no_personal_data
from .recurrence import HORIZON_DAYS, occurrence_dates, public_holidays, session_bounds

UNDO_WINDOW = dt.timedelta(minutes=10)
# Taps sent late after a dropped connection are accepted for this long; later ones are refused.
TAP_MAX_AGE = dt.timedelta(days=7)
TAP_CLOCK_SKEW = dt.timedelta(minutes=5)
# An activity's first day lies at most a year back (the demo plans three months of history) and at most two years
# ahead; a series runs at most a year from its first day. Anything else is a typing error (such as 0001-01-01).
PLAN_BACK_DAYS = 366
PLAN_AHEAD_DAYS = 2 * 366
# A close-out counts at most the room's (or else the activity's) capacity plus half, and at most this many when
# neither has a capacity: more people than that is a typing error.
CLOSE_OUT_MARGIN = 0.5
CLOSE_OUT_MAX_WITHOUT_CAPACITY = 500


def session_label(session: Session) -> str:
    """How the history names a session: its activity and local start."""
    return f"{session.activity.title} {timezone.localtime(session.start):%d-%m-%Y %H:%M}"


def _closed_days(place: Place, first: dt.date, last: dt.date) -> set[dt.date]:
    days: set[dt.date] = set()
    for closure in Closure.objects.filter(place=place, start_date__lte=last, end_date__gte=first):
        day = max(closure.start_date, first)
        while day <= min(closure.end_date, last):
            days.add(day)
            day += dt.timedelta(days=1)
    return days


@transaction.atomic
def activity_create(
    *,
    house: House,
    place: Place,
    room: Room | None,
    title: str,
    category: str,
    organiser: str,
    first_date: dt.date,
    start_time: dt.time,
    end_time: dt.time,
    target_groups: list[str] = (),
    description: str = "",
    partner_name: str = "",
    capacity: int | None = None,
    price: Decimal = Decimal("0"),
    registration_required: bool = False,
    weekdays: list[int] = (),
    interval_weeks: int = 1,
    until: dt.date | None = None,
    skip_holidays: bool = True,
    by,
) -> Activity:
    """Plan an activity and its sessions. Days on public holidays (if asked) and closures of the place are
    skipped; if the room is taken on any of the other days, nothing is saved and the error names those days."""
    if place.house_id != house.pk or (room is not None and room.place_id != place.pk):
        raise ValidationError(_("Choose a place and room of this house."))
    _check_dates(first_date=first_date, until=until)
    activity = Activity(
        house=house,
        place=place,
        room=room,
        title=title,
        description=description,
        category=category,
        organiser=organiser,
        partner_name=partner_name,
        capacity=capacity,
        price=price,
        registration_required=registration_required,
        first_date=first_date,
        start_time=start_time,
        end_time=end_time,
        weekdays=sorted(set(weekdays)),
        interval_weeks=interval_weeks,
        until=until,
        skip_holidays=skip_holidays,
        created_by=user_of(by),
    )
    activity.full_clean()
    activity.save()
    ActivityTargetGroup.objects.bulk_create(
        [ActivityTargetGroup(activity=activity, group=group) for group in sorted(set(target_groups))]
    )
    sessions = _sessions_generate(activity)
    # Sessions planned in the past (an activity entered afterwards) count as held: their days' figures change.
    now = timezone.now()
    days_changed(house_id=house.pk, days=[_day_of(session.start) for session in sessions if session.start <= now])
    event_record(
        by=by,
        action="activity.create",
        obj=activity,
        house=house,
        changes={
            "title": activity.title,
            "place": place.name,
            "room": room.name if room is not None else None,
            "first_date": activity.first_date,
            "until": activity.until,
            "start_time": activity.start_time,
            "end_time": activity.end_time,
            "capacity": activity.capacity,
            "sessions": len(sessions),
        },
    )
    return activity


def _day_of(moment: dt.datetime) -> dt.date:
    """The Amsterdam day of a moment: the day whose figures (`locations.services.days_changed`) it belongs to."""
    return timezone.localtime(moment).date()


def _check_dates(*, first_date: dt.date, until: dt.date | None) -> None:
    """Dates that cannot be meant are refused (an activity on 0001-01-01 once was stored)."""
    today = timezone.localdate()
    if not today - dt.timedelta(days=PLAN_BACK_DAYS) <= first_date <= today + dt.timedelta(days=PLAN_AHEAD_DAYS):
        raise ValidationError({"first_date": _("Choose a first day from a year ago up to two years ahead.")})
    if until is not None and not first_date <= until <= first_date + dt.timedelta(days=HORIZON_DAYS):
        raise ValidationError({"until": _("Choose a last day from the first day up to a year later.")})


def _sessions_generate(activity: Activity) -> list[Session]:
    last = activity.until or activity.first_date
    skip = _closed_days(activity.place, activity.first_date, last)
    if activity.skip_holidays:
        skip |= public_holidays(range(activity.first_date.year, last.year + 1))
    days = occurrence_dates(
        first_date=activity.first_date,
        weekdays=activity.weekdays,
        interval_weeks=activity.interval_weeks,
        until=activity.until,
        skip=skip,
    )
    if not days:
        raise ValidationError(_("No session falls on an open day in this period. Check the days and dates."))
    bounds = [session_bounds(day, activity.start_time, activity.end_time) for day in days]
    claims_by_start: dict = {}
    if activity.room is not None:
        claims, clashes = room_claim_series(room=activity.room, ranges=bounds, kind=RoomOccupancy.Kind.SESSION)
        if clashes:
            listed = ", ".join(f"{timezone.localtime(start):%d-%m-%Y}" for start, _end in clashes[:10])
            raise ValidationError(
                _("The room is already in use on %(days)s. Choose another room or time.") % {"days": listed},
                code="room_taken",
            )
        claims_by_start = {claim.start: claim for claim in claims}
    sessions = [
        Session(activity=activity, room=activity.room, occupancy=claims_by_start.get(start), start=start, end=end)
        for start, end in bounds
    ]
    return Session.objects.bulk_create(sessions)


def _session_reason(reason: str | None) -> str:
    """Why a session is cancelled or moved: residents read it, and it fits the session's `change_reason`."""
    return checked_reason(
        reason,
        max_length=Session._meta.get_field("change_reason").max_length,
        missing=_("Give a reason; residents will see it."),
    )


@transaction.atomic
def session_cancel(*, session: Session, reason: str, by) -> Session:
    """Cancel one session; the reason is shown to residents and the room is free again."""
    reason = _session_reason(reason)
    if session.status == Session.Status.CANCELLED:
        raise ValidationError(_("This session is already cancelled."))
    if session.start <= timezone.now():
        raise ValidationError(_("Only a session still to come can be cancelled."))
    old_status = session.status
    session.status = Session.Status.CANCELLED
    session.change_reason = reason
    occupancy = session.occupancy
    session.occupancy = None
    session.save(update_fields=["status", "change_reason", "occupancy"])
    if occupancy is not None:
        room_release(occupancy=occupancy)
    days_changed(house_id=session.activity.house_id, days=[_day_of(session.start)])
    event_record(
        by=by,
        action="session.cancel",
        obj=session,
        house=session.activity.house,
        label=session_label(session),
        changes={"status": [old_status, session.status], "reason": reason},
    )
    _tell_registered(session, "cancelled")
    return session


def _tell_registered(session: Session, change: str) -> None:
    """After commit, one e-mail task per registered (or waiting) resident, so a retry never mails anyone twice."""
    for registration_id in session.registrations.exclude(status=Registration.Status.CANCELLED).values_list(
        "pk", flat=True
    ):
        outbox.enqueue(tasks.send_session_change_email, registration_id, change)


@transaction.atomic
def registrations_prune(*, by, now: dt.datetime, days: int) -> int:
    """Delete registrations (named data) of sessions that ended more than `days` before `now`, and blank the
    actor of their events (mostly the resident themselves), so the history keeps no names longer than the
    registrations. Counts at the door and close-outs stay: they hold no names. Retention category
    "registrations" (privacy.retention), applied daily by privacy.services.retention.retention_apply."""
    cutoff = now - dt.timedelta(days=days)
    old = Registration.objects.filter(session__end__lt=cutoff)
    events_forget_actors(objects=old)
    deleted, _by_model = old.delete()
    if deleted:
        event_record(by=by, action="registration.prune", changes={"deleted": deleted, "sessions_ended_before": cutoff})
    return deleted


@transaction.atomic
def session_move(*, session: Session, start: dt.datetime, end: dt.datetime, reason: str, by) -> Session:
    """Move one session to another time on any day; the room must be free then."""
    reason = _session_reason(reason)
    if end <= start:
        raise ValidationError({"end": _("The end must be after the start.")})
    if session.status == Session.Status.CANCELLED:
        raise ValidationError(_("A cancelled session cannot be moved."))
    now = timezone.now()
    if session.start <= now:
        raise ValidationError(_("Only a session still to come can be moved."))
    if start <= now:
        raise ValidationError({"start": _("Choose a new time in the future.")})
    if start.date() > timezone.localdate(now) + dt.timedelta(days=PLAN_AHEAD_DAYS):
        raise ValidationError({"start": _("Choose a new day at most two years ahead.")})
    if session.occupancy is not None:
        room_claim_move(occupancy=session.occupancy, room=session.room, start=start, end=end)
    before = snapshot(session, ["start", "end"])
    if session.moved_from is None:
        session.moved_from = session.start
    session.start, session.end, session.change_reason = start, end, reason
    try:
        with transaction.atomic():
            session.save(update_fields=["start", "end", "moved_from", "change_reason"])
    except IntegrityError:
        raise ValidationError(_("This activity already has a session at that time.")) from None
    days_changed(house_id=session.activity.house_id, days=[_day_of(before["start"]), _day_of(start)])
    event_record(
        by=by,
        action="session.move",
        obj=session,
        house=session.activity.house,
        label=session_label(session),
        changes={**diff(before, snapshot(session, ["start", "end"])), "reason": reason},
    )
    _tell_registered(session, "moved")
    return session


def _confirmed_count(session: Session) -> int:
    return session.registrations.filter(status=Registration.Status.CONFIRMED).count()


@transaction.atomic
def registration_register(*, session: Session, user, by) -> Registration:
    """Register `user` (`by` is who does it: the resident themselves); beyond capacity they join the waiting
    list. Capacity is never exceeded: the session row is locked while places are counted (SQLite serialises
    writers at the start of the transaction)."""
    session = Session.objects.select_for_update().select_related("activity").get(pk=session.pk)
    activity = session.activity
    if not activity.registration_required:
        raise ValidationError(_("This activity needs no registration: just come along."))
    if session.status == Session.Status.CANCELLED:
        raise ValidationError(_("This session is cancelled."))
    if session.start <= timezone.now():
        raise ValidationError(_("This session has already started."))
    if session.registrations.filter(user=user).exclude(status=Registration.Status.CANCELLED).exists():
        raise ValidationError(_("You are already registered for this session."))
    full = activity.capacity is not None and _confirmed_count(session) >= activity.capacity
    registration = Registration.objects.create(
        session=session,
        user=user,
        status=Registration.Status.WAITING if full else Registration.Status.CONFIRMED,
    )
    _record_registration(by, "registration.register", registration, {"status": [None, registration.status]})
    outbox.enqueue(tasks.send_registration_email, registration.pk)
    return registration


@transaction.atomic
def registration_cancel(*, registration: Registration, by) -> Registration | None:
    """Cancel a registration. When a place comes free, the first on the waiting list moves up (and hears so).
    Returns the registration that moved up, if any."""
    session = Session.objects.select_for_update().select_related("activity").get(pk=registration.session_id)
    registration = Registration.objects.get(pk=registration.pk)
    if registration.status == Registration.Status.CANCELLED:
        return None
    if session.start <= timezone.now():
        raise ValidationError(_("This session has already started; cancelling is no longer possible."))
    was_confirmed = registration.status == Registration.Status.CONFIRMED
    old_status = registration.status
    registration.status = Registration.Status.CANCELLED
    registration.save(update_fields=["status"])
    registration.session = session
    _record_registration(by, "registration.cancel", registration, {"status": [old_status, registration.status]})
    capacity = session.activity.capacity
    if session.status == Session.Status.CANCELLED:
        return None  # nobody moves up for a session that does not take place
    if not was_confirmed or (capacity is not None and _confirmed_count(session) >= capacity):
        return None
    promoted = session.registrations.filter(status=Registration.Status.WAITING).order_by("created_at", "pk").first()
    if promoted is not None:
        _promote(promoted, session=session, by=by)
    return promoted


def _promote(registration: Registration, *, session: Session, by) -> None:
    """Move one person up from the waiting list of `session`, in the history and with an e-mail after commit."""
    registration.status = Registration.Status.CONFIRMED
    registration.save(update_fields=["status"])
    registration.session = session
    _record_registration(
        by, "registration.promote", registration, {"status": [Registration.Status.WAITING, registration.status]}
    )
    outbox.enqueue(tasks.send_registration_email, registration.pk)


def _record_registration(by, action: str, registration: Registration, changes: dict) -> None:
    """Registrations name a resident: the history names the session and the registration's number, not the
    person, so it keeps no names after the registration itself is deleted."""
    session = registration.session
    event_record(
        by=by,
        action=action,
        obj=registration,
        house=session.activity.house,
        label=f"{session_label(session)} #{registration.pk}",
        changes=changes,
    )


@transaction.atomic
def registration_mark_attended(*, registration: Registration, attended: bool, by) -> Registration:
    old = registration.attended
    registration.attended = attended
    registration.save(update_fields=["attended"])
    _record_registration(by, "registration.mark_attended", registration, {"attended": [old, attended]})
    return registration


@dataclass(frozen=True)
class Tap:
    """One tap from a door device, as sent: ids, not objects, so a batch costs no lookups."""

    tap_id: uuid.UUID
    place_id: int
    recorded_at: dt.datetime
    session_id: int | None = None
    count: int = 1
    is_new: bool = False
    age_band: str = ""


def _tap_problem(tap: Tap, place_ids, session_places, now: dt.datetime) -> str | None:
    if tap.place_id not in place_ids:
        return _("This place is not a place of this house.")
    if tap.session_id is not None:
        if tap.session_id not in session_places:
            return _("This session is not a session of this house.")
        if session_places[tap.session_id] != tap.place_id:
            return _("This session is not held at this place.")
    if not 1 <= tap.count <= 100:
        return _("Count between 1 and 100 visitors at a time.")
    if tap.age_band and tap.age_band not in AgeBand.values:
        return _("Choose an age band from the list.")
    if timezone.is_naive(tap.recorded_at):
        return _("The time of the tap has no time zone.")
    if tap.recorded_at > now + TAP_CLOCK_SKEW or tap.recorded_at < now - TAP_MAX_AGE:
        return _("The time of the tap is not plausible. Check the tablet's clock.")
    return None


def tallies_record(
    *, house_id: int, place_ids, session_places: dict[int, int], taps: list[Tap], by_id: int | None
) -> dict[uuid.UUID, str]:
    """Store door taps, each exactly once however often it arrives. Returns the refused taps with the reason;
    every other tap is stored (now, or by an earlier request).

    `place_ids` are the house's places and `session_places` maps the sessions the taps may name to their place;
    the caller has taken both from the house the policy let the user log at. The fastest write path of the
    app: all checks in memory, then one INSERT .. ON CONFLICT (tap_id) DO NOTHING for the whole batch."""
    now = timezone.now()
    refused: dict[uuid.UUID, str] = {}
    accepted: list[Tap] = []
    for tap in taps:
        problem = _tap_problem(tap, place_ids, session_places, now)
        if problem:
            refused[tap.tap_id] = problem
        else:
            accepted.append(tap)
    if accepted:
        _insert_taps(house_id=house_id, taps=accepted, by_id=by_id, now=now)
    return refused


def _insert_taps(*, house_id: int, taps: list[Tap], by_id: int | None, now: dt.datetime) -> None:
    """One statement, no transaction round trips: ON CONFLICT makes a repeated tap id a no-op (PostgreSQL and
    SQLite both speak it). Values go through each field's own conversion, as the ORM would."""
    meta = DoorTally._meta
    names = [
        "house",
        "place",
        "session",
        "tap_id",
        "recorded_at",
        "received_at",
        "count",
        "is_new",
        "age_band",
        "recorded_by",
        "undone_at",
    ]
    fields = [meta.get_field(name) for name in names]
    rows = []
    for tap in taps:
        values = [house_id, tap.place_id, tap.session_id, tap.tap_id, tap.recorded_at, now, tap.count]
        values += [tap.is_new, tap.age_band, by_id, None]
        rows.append([field.get_db_prep_save(value, connection) for field, value in zip(fields, values, strict=True)])
    columns = ", ".join(connection.ops.quote_name(field.column) for field in fields)
    placeholders = ", ".join(["(" + ", ".join(["%s"] * len(fields)) + ")"] * len(rows))
    sql = (
        f"INSERT INTO {connection.ops.quote_name(meta.db_table)} ({columns}) VALUES {placeholders} "
        f"ON CONFLICT ({connection.ops.quote_name(meta.get_field('tap_id').column)}) DO NOTHING"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [value for row in rows for value in row])


@transaction.atomic
def tally_undo(*, house: House, tap_id: uuid.UUID, by) -> DoorTally:
    """Take back a tap within ten minutes of recording it."""
    tally = DoorTally.objects.filter(house=house, tap_id=tap_id).first()
    if tally is None:
        raise ValidationError(_("This tap was not found."))
    if tally.undone_at is not None:
        return tally
    if timezone.now() - tally.recorded_at > UNDO_WINDOW:
        raise ValidationError(_("A tap can only be undone within 10 minutes."))
    tally.undone_at = timezone.now()
    tally.save(update_fields=["undone_at"])
    days_changed(house_id=house.pk, days=[_day_of(tally.recorded_at)])
    event_record(
        by=by,
        action="tally.undo",
        obj=tally,
        house=house,
        label=f"{timezone.localtime(tally.recorded_at):%d-%m-%Y %H:%M} +{tally.count}",
        changes={"undone_at": [None, tally.undone_at], "count": tally.count},
    )
    return tally


def close_out_limit(session: Session) -> int:
    """The most participants (and volunteers) a close-out may count: the room's capacity, or else the activity's,
    plus `CLOSE_OUT_MARGIN`; `CLOSE_OUT_MAX_WITHOUT_CAPACITY` when neither is known."""
    capacity = session.room.capacity if session.room_id else session.activity.capacity
    if not capacity:
        return CLOSE_OUT_MAX_WITHOUT_CAPACITY
    return math.ceil(capacity * (1 + CLOSE_OUT_MARGIN))


@transaction.atomic
def session_close(*, session: Session, participants: int, volunteers: int, remark: str = "", by) -> Session:
    """The host closes a session with the real numbers present and a remark without personal data, once it has
    started (at its start, not a moment before)."""
    if session.status == Session.Status.CANCELLED:
        raise ValidationError(_("A cancelled session cannot be closed."))
    if session.start > timezone.now():
        raise ValidationError(_("This session has not started yet: close it once it has begun."))
    errors = {}
    if participants is None or participants < 0:
        errors["participants"] = _("Enter 0 or more participants.")
    if volunteers is None or volunteers < 0:
        errors["volunteers"] = _("Enter 0 or more volunteers.")
    try:
        validate_no_personal_data(remark)
    except ValidationError as error:
        errors["remark"] = error.messages
    limit = close_out_limit(session)
    if "participants" not in errors and participants > limit:
        errors["participants"] = _("Enter at most %(limit)s participants; more would not fit in the room.") % {
            "limit": limit
        }
    if "volunteers" not in errors and volunteers > limit:
        errors["volunteers"] = _("Enter at most %(limit)s volunteers; more would not fit in the room.") % {
            "limit": limit
        }
    if errors:
        raise ValidationError(errors)
    closed = ["participants_count", "volunteers_count", "close_remark"]
    before = snapshot(session, closed)
    session.participants_count, session.volunteers_count = participants, volunteers
    session.close_remark = remark.strip()
    session.closed_at, session.closed_by = timezone.now(), user_of(by)
    session.save(update_fields=["participants_count", "volunteers_count", "close_remark", "closed_at", "closed_by"])
    days_changed(house_id=session.activity.house_id, days=[_day_of(session.start)])
    event_record(
        by=by,
        action="session.close",
        obj=session,
        house=session.activity.house,
        label=session_label(session),
        changes=diff(before, snapshot(session, closed)),
    )
    return session


def signal_record(
    *,
    house: House,
    date: dt.date,
    theme: str,
    referred_to: str = "",
    consent: bool = False,
    follow_up: str = Signal.FollowUp.OPEN,
    remark: str = "",
    by,
) -> Signal:
    """Record a signal: a theme and where it went, never who it is about."""
    signal = Signal(
        house=house,
        date=date,
        theme=theme,
        referred_to=referred_to or "",
        consent=consent,
        follow_up=follow_up,
        remark=(remark or "").strip(),
        created_by=user_of(by),
    )
    errors: dict = {}
    try:
        signal.full_clean(validate_constraints=False)
    except ValidationError as error:
        errors.update(error.message_dict)
    if signal.referred_to and not signal.consent:
        errors["consent"] = [
            _("Only pass a signal on when the person agrees. Tick the box, or choose 'not passed on'.")
        ]
    if signal.date and signal.date > timezone.localdate():
        errors["date"] = [_("The date cannot be in the future.")]
    elif signal.date and signal.date < timezone.localdate() - dt.timedelta(days=PLAN_BACK_DAYS):
        errors["date"] = [_("Choose a date in the past year.")]
    try:
        validate_no_personal_data(signal.remark)
    except ValidationError as error:
        errors["remark"] = error.messages
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        signal.save()
        if signal.referred_to:  # only signals passed on are counted
            days_changed(house_id=house.pk, days=[signal.date])
        _record_signal(by, "signal.record", signal, {"follow_up": [None, signal.follow_up]})
    return signal


def _record_signal(by, action: str, signal: Signal, changes: dict) -> None:
    """Signals stay with the house's coordinators: the history names a signal by its number and date and keeps
    its follow-up, never its theme, destination or remark."""
    event_record(
        by=by, action=action, obj=signal, house=signal.house, label=f"#{signal.pk} ({signal.date})", changes=changes
    )


@transaction.atomic
def signal_follow_up(*, signal: Signal, follow_up: str, by) -> Signal:
    if follow_up not in Signal.FollowUp.values:
        raise ValidationError({"follow_up": _("Choose a follow-up status from the list.")})
    old = signal.follow_up
    signal.follow_up = follow_up
    signal.save(update_fields=["follow_up"])
    _record_signal(by, "signal.follow_up", signal, {"follow_up": [old, follow_up]})
    return signal


# --- editing an activity and ending a series (the coordinator) ----------------------------------------------

DESCRIPTION_MAX_LENGTH = 10_000  # as many as a description on the create form has always been allowed


def _coming_sessions(activity: Activity, *, since: dt.datetime) -> list[Session]:
    """The planned sessions of `activity` that start after `since`: the ones an edit may still change."""
    return list(
        activity.sessions.filter(status=Session.Status.PLANNED, start__gt=since)
        .select_related("occupancy", "room")
        .order_by("start")
    )


def _rehouse_sessions(*, activity: Activity, sessions: list[Session], room: Room | None) -> None:
    """Give the coming `sessions` another room (or none): their claims are released and `room` is claimed for
    all of them at once. When the room is taken for any of them, nothing changes and the error names the days."""
    old_claims = [session.occupancy_id for session in sessions if session.occupancy_id is not None]
    if old_claims:
        RoomOccupancy.objects.filter(pk__in=old_claims).delete()
    claims_by_start: dict = {}
    if room is not None:
        ranges = [(session.start, session.end) for session in sessions]
        claims, clashes = room_claim_series(room=room, ranges=ranges, kind=RoomOccupancy.Kind.SESSION)
        if clashes:
            listed = ", ".join(f"{timezone.localtime(start):%d-%m-%Y %H:%M}" for start, _end in clashes[:10])
            raise ValidationError(
                {
                    "room": _(
                        "%(room)s is already in use on %(days)s. Choose another room, or move or cancel those "
                        "sessions first."
                    )
                    % {"room": room.name, "days": listed}
                },
                code="room_taken",
            )
        claims_by_start = {claim.start: claim for claim in claims}
    for session in sessions:
        session.room = room
        session.occupancy = claims_by_start.get(session.start)
    Session.objects.bulk_update(sessions, ["room", "occupancy"])


def _promote_waiting(*, activity: Activity, sessions: list[Session], by) -> int:
    """After the number of places went up, move people up from the waiting lists of `sessions` (oldest first),
    as far as the new capacity allows, and tell each of them. The sessions are locked first, as a registration
    locks its session, so a place is never given twice."""
    list(Session.objects.select_for_update().filter(pk__in=[session.pk for session in sessions]).values_list("pk"))
    promoted = 0
    for session in sessions:
        confirmed = _confirmed_count(session)
        waiting = session.registrations.filter(status=Registration.Status.WAITING).order_by("created_at", "pk")
        free = None if activity.capacity is None else max(activity.capacity - confirmed, 0)
        if free == 0:
            continue
        for registration in waiting if free is None else waiting[:free]:
            _promote(registration, session=session, by=by)
            promoted += 1
    return promoted


def _tell_activity_changed(*, activity: Activity, sessions: list[Session], changes: dict) -> None:
    """One e-mail per resident registered (or waiting) for any of `sessions`, after commit, naming what changed."""
    user_ids = (
        Registration.objects.filter(session__in=sessions)
        .exclude(status=Registration.Status.CANCELLED)
        .values_list("user_id", flat=True)
        .distinct()
        .order_by("user_id")
    )
    for user_id in user_ids:
        outbox.enqueue(tasks.send_activity_change_email, activity.pk, user_id, changes)


@dataclass(frozen=True)
class ActivityUpdate:
    """What an edit did: the changes as the history shows them, and what follows for the residents."""

    changes: dict
    sessions_changed: int
    over_capacity: int  # coming sessions with more registered than the new number of places
    promoted: int  # people moved up from a waiting list because there are more places now


@transaction.atomic
def activity_update(
    *,
    activity: Activity,
    title: str,
    description: str,
    capacity: int | None,
    target_groups: list[str],
    room: Room | None,
    by,
) -> ActivityUpdate:
    """Change an activity's title, description, number of places and target groups, and the room of its coming
    sessions (sessions that have started or are cancelled keep theirs). Residents registered for a coming session
    hear of a new title, description or room by e-mail.

    Fewer places than people already registered: nobody loses their place. New registrations go to the waiting
    list until enough people cancel (the registration rule counts the confirmed against the capacity). More places:
    people on the waiting lists move up, as far as the new places allow."""
    from .models import TargetGroup

    activity = Activity.objects.select_for_update(of=("self",)).select_related("place", "room").get(pk=activity.pk)
    title, description = (title or "").strip(), (description or "").strip()
    errors: dict = {}
    if room is not None and room.place_id != activity.place_id:
        errors["room"] = [_("Choose a room of %(place)s.") % {"place": activity.place.name}]
    if len(description) > DESCRIPTION_MAX_LENGTH:
        errors["description"] = [
            _("Keep the description to %(limit)d characters at most.") % {"limit": DESCRIPTION_MAX_LENGTH}
        ]
    else:
        try:
            plain_text(description)
        except ValidationError as error:
            errors["description"] = error.messages
    if capacity is not None and capacity < 1:
        errors["capacity"] = [_("Enter at least 1 place, or leave it empty when there is no limit.")]
    groups = sorted(set(target_groups or []))
    if any(group not in TargetGroup.values for group in groups):
        errors["target_groups"] = [_("Choose target groups from the list.")]
    before = snapshot(activity, ["title", "description", "capacity", "room"])
    before["target_groups"] = sorted(activity.target_groups.values_list("group", flat=True))
    old_room = activity.room
    activity.title, activity.description, activity.capacity, activity.room = title, description, capacity, room
    try:
        activity.full_clean(exclude=["house", "place", "created_by"])
    except ValidationError as error:
        for field, messages in error.message_dict.items():
            errors.setdefault(field, messages)
    if errors:
        raise ValidationError(errors)
    now = timezone.now()
    coming = _coming_sessions(activity, since=now)
    if room != old_room:
        _rehouse_sessions(activity=activity, sessions=coming, room=room)
    activity.save(update_fields=["title", "description", "capacity", "room"])
    if groups != before["target_groups"]:
        activity.target_groups.all().delete()
        ActivityTargetGroup.objects.bulk_create([ActivityTargetGroup(activity=activity, group=g) for g in groups])
    after = snapshot(activity, ["title", "description", "capacity", "room"])
    after["target_groups"] = groups
    changes = diff(before, after)
    if "room" in changes:  # the history shows names, not ids
        changes["room"] = [old_room.name if old_room else None, room.name if room else None]
    if not changes:
        return ActivityUpdate(changes={}, sessions_changed=0, over_capacity=0, promoted=0)
    promoted = 0
    old_capacity = before["capacity"]
    if "capacity" in changes and (capacity is None or (old_capacity is not None and capacity > old_capacity)):
        promoted = _promote_waiting(activity=activity, sessions=coming, by=by)
    over_capacity = 0
    if capacity is not None and coming:
        over_capacity = (
            Session.objects.filter(pk__in=[session.pk for session in coming])
            .annotate(
                confirmed=models.Count("registrations", filter=Q(registrations__status=Registration.Status.CONFIRMED))
            )
            .filter(confirmed__gt=capacity)
            .count()
        )
    if "room" in changes and coming:
        days_changed(house_id=activity.house_id, days=[_day_of(session.start) for session in coming])
    event_record(
        by=by,
        action="activity.update",
        obj=activity,
        house=activity.house,
        changes={**changes, "sessions_changed": len(coming) if "room" in changes else 0},
    )
    told = {field: changes[field] for field in ("title", "description", "room") if field in changes}
    if told and coming:
        _tell_activity_changed(activity=activity, sessions=coming, changes=told)
    return ActivityUpdate(
        changes=changes,
        sessions_changed=len(coming) if "room" in changes else 0,
        over_capacity=over_capacity,
        promoted=promoted,
    )


@transaction.atomic
def activity_end_series(*, activity: Activity, from_date: dt.date, reason: str, by) -> list[Session]:
    """End a weekly series from `from_date`: its planned sessions on and after that day that have not started are
    cancelled one by one through `session_cancel` (registrants hear why), and the series repeats until the day
    before. Sessions that have started or lie before `from_date` stay as they are. Returns the cancelled sessions."""
    activity = Activity.objects.select_for_update().get(pk=activity.pk)
    reason = _session_reason(reason)
    if not activity.weekdays or activity.until is None:
        raise ValidationError(_("This activity does not repeat. Cancel its session instead."))
    today = timezone.localdate()
    if from_date < today:
        raise ValidationError({"from_date": _("Choose today or a later day: past sessions stay as they were.")})
    if from_date > activity.until:
        raise ValidationError(
            {
                "from_date": _("The series already ends on %(day)s. Choose a day up to then.")
                % {"day": activity.until.strftime("%d-%m-%Y")}
            }
        )
    now = timezone.now()
    ending = list(
        activity.sessions.filter(status=Session.Status.PLANNED, start__gte=day_start(from_date), start__gt=now)
        .select_related("activity__house", "occupancy")
        .order_by("start")
    )
    if not ending:
        raise ValidationError(
            {"from_date": _("No planned session still to come from this day on: there is nothing to end.")}
        )
    for session in ending:
        session_cancel(session=session, reason=reason, by=by)
    old_until = activity.until
    new_until = max(from_date - dt.timedelta(days=1), activity.first_date)
    activity.until = new_until
    activity.save(update_fields=["until"])
    event_record(
        by=by,
        action="activity.end_series",
        obj=activity,
        house=activity.house,
        changes={"until": [old_until, new_until], "from_date": from_date, "cancelled": len(ending), "reason": reason},
    )
    return ending


# --- Erasure of an account (issue 11, "My data": privacy.services.mydata.user_erase) -----------------------------


def user_data_scrub(*, user, by) -> dict[str, int]:
    """Part of erasing `user`'s account, inside its transaction. A registration holds no named data of its own
    (only the link to the account, which stays, now nameless): every registration stays, so attendance and unique
    participants count as before. Door tallies and signals hold no names. Nothing to wipe; returns the count kept."""
    return {"registrations_kept": Registration.objects.filter(user=user).count()}


# --- End of erasure ------------------------------------------------------------------------------------------------
