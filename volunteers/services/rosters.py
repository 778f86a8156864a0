"""Every write of the rosters: weekly shifts and their dated shifts, signing up, stand-ins, the coordinator
assigning, reminders and confirming that a shift took place (which creates the volunteer's hours).

Times are Amsterdam wall-clock: a pattern "Monday 09:00-12:30" gives 09:00-12:30 local on every Monday, also
across the change to and from summer time. A weekly shift is only planned on a weekday its place has opening
hours; a day the place is closed (or has no opening hours that weekday any more) gets no shift.
"""

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from audit.services import event_record, user_of
from huizen import outbox
from locations.models import Closure, OpeningHours
from locations.services import days_changed

from ..models import HoursEntry, Shift, ShiftAssignment, ShiftFeed, ShiftPattern, Volunteer, new_feed_token
from ..selectors import people as people_selectors
from ..selectors import rosters as selectors
from ..selectors.rosters import active_count, closed_q
from ..tasks import rosters as tasks

WEEKS_AHEAD = 8


def local_moment(day: dt.date, time: dt.time) -> dt.datetime:
    """`time` on `day` as Amsterdam wall-clock, aware."""
    return dt.datetime.combine(day, time, tzinfo=timezone.get_default_timezone())


def _email(assignment_id: int, event: str) -> None:
    outbox.enqueue(tasks.send_shift_email, assignment_id, event)


def _assignment_label(assignment: ShiftAssignment) -> str:
    """How the history names a place on a shift: the shift and the volunteer's number, never their name."""
    return f"{assignment.shift} #{assignment.volunteer_id}"


def _check_times(start_time, end_time) -> None:
    if start_time is None or end_time is None or end_time <= start_time:
        raise ValidationError({"end_time": _("The end must be after the start.")})


def _check_place(house, place) -> None:
    if place.house_id != house.pk:
        raise ValidationError({"place": _("Choose a place of this house.")})


def _check_activity(house, activity) -> None:
    if activity is not None and activity.house_id != house.pk:
        raise ValidationError({"activity": _("Choose an activity of this house.")})


def _closed_days(place_id: int, first: dt.date, last: dt.date) -> set[dt.date]:
    days: set[dt.date] = set()
    for start, end in Closure.objects.filter(place_id=place_id, start_date__lte=last, end_date__gte=first).values_list(
        "start_date", "end_date"
    ):
        day = max(start, first)
        while day <= min(end, last):
            days.add(day)
            day += dt.timedelta(days=1)
    return days


def _check_open_weekday(place, weekday) -> None:
    if weekday is not None and not OpeningHours.objects.filter(place=place, weekday=weekday).exists():
        raise ValidationError(
            {
                "weekday": _("%(place)s is not open on this day of the week. Choose a day it is open.")
                % {"place": place.name}
            }
        )


# --- weekly patterns and the dated shifts ---------------------------------------------------------------------


def _make_for_pattern(pattern: ShiftPattern, today: dt.date, weeks: int = WEEKS_AHEAD) -> int:
    first = max(today, pattern.valid_from)
    last = today + dt.timedelta(weeks=weeks)
    if pattern.valid_until is not None:
        last = min(last, pattern.valid_until)
    if last < first:
        return 0
    existing = set(
        Shift.objects.filter(pattern=pattern, date__gte=first, date__lte=last).values_list("date", flat=True)
    )
    closed = _closed_days(pattern.place_id, first, last)
    if not OpeningHours.objects.filter(place_id=pattern.place_id, weekday=pattern.weekday).exists():
        return 0  # the place no longer opens on this weekday
    day = first + dt.timedelta(days=(pattern.weekday - first.weekday()) % 7)
    new = []
    while day <= last:
        if day not in existing and day not in closed:
            new.append(
                Shift(
                    house_id=pattern.house_id,
                    place_id=pattern.place_id,
                    pattern=pattern,
                    activity_id=pattern.activity_id,
                    title=pattern.title,
                    role=pattern.role,
                    date=day,
                    start=local_moment(day, pattern.start_time),
                    end=local_moment(day, pattern.end_time),
                    people_needed=pattern.people_needed,
                )
            )
        day += dt.timedelta(weeks=1)
    Shift.objects.bulk_create(new, ignore_conflicts=True)
    return len(new)


def make_shifts(*, today: dt.date | None = None, weeks: int = WEEKS_AHEAD) -> int:
    """Keep `weeks` of dated shifts made for every active pattern. Safe to run twice: one shift per pattern and
    day (a unique constraint), and a day already made is skipped. Returns how many shifts were made."""
    today = today or timezone.localdate()
    made = 0
    patterns = ShiftPattern.objects.filter(Q(valid_until__isnull=True) | Q(valid_until__gte=today))
    for pattern in patterns.iterator():
        with transaction.atomic():
            made += _make_for_pattern(pattern, today, weeks)
    return made


def shift_pattern_create(
    *,
    house,
    place,
    title: str,
    role: str,
    weekday: int,
    start_time: dt.time,
    end_time: dt.time,
    people_needed: int,
    valid_from: dt.date,
    valid_until: dt.date | None = None,
    activity=None,
    by,
) -> ShiftPattern:
    _check_place(house, place)
    _check_activity(house, activity)
    _check_times(start_time, end_time)
    _check_open_weekday(place, weekday)
    pattern = ShiftPattern(
        house=house,
        place=place,
        activity=activity,
        title=title,
        role=role,
        weekday=weekday,
        start_time=start_time,
        end_time=end_time,
        people_needed=people_needed,
        valid_from=valid_from,
        valid_until=valid_until,
        created_by=user_of(by),
    )
    pattern.full_clean()
    with transaction.atomic():
        pattern.save()
        event_record(
            by=by,
            action="shift_pattern.create",
            obj=pattern,
            house=house,
            changes={"title": title, "role": role, "weekday": weekday, "from": valid_from},
        )
        _make_for_pattern(pattern, timezone.localdate())
    return pattern


PATTERN_FIELDS = ("title", "place", "activity", "role", "weekday", "start_time", "end_time", "people_needed")


def _drop_future_shifts(pattern: ShiftPattern, *, after: dt.date, by) -> None:
    """Shifts of `pattern` from `after` on: those without volunteers go, those with volunteers are cancelled and
    the volunteers told."""
    shifts = Shift.objects.filter(pattern=pattern, date__gte=after, cancelled_at__isnull=True)
    taken = ShiftAssignment.objects.filter(shift__in=shifts, status__in=ShiftAssignment.ACTIVE)
    taken_ids = set(taken.values_list("shift_id", flat=True))
    shifts.exclude(pk__in=taken_ids).delete()
    for shift in Shift.objects.filter(pk__in=taken_ids).select_for_update():
        _cancel(shift, by=by)


def shift_pattern_update(*, pattern: ShiftPattern, by, **fields) -> ShiftPattern:
    """Change a weekly shift. Shifts still to come without volunteers are made again from the new pattern; shifts
    that already have volunteers keep their time (the volunteers said yes to it) and get the new name and number of
    people."""
    unknown = set(fields) - set(PATTERN_FIELDS) - {"valid_until"}
    if unknown:
        raise TypeError(f"Unknown fields {unknown}")
    _check_place(pattern.house, fields.get("place", pattern.place))
    _check_activity(pattern.house, fields.get("activity", pattern.activity))
    _check_times(fields.get("start_time", pattern.start_time), fields.get("end_time", pattern.end_time))
    if fields.get("place", pattern.place) != pattern.place or fields.get("weekday", pattern.weekday) != pattern.weekday:
        _check_open_weekday(fields.get("place", pattern.place), fields.get("weekday", pattern.weekday))
    changes = {}
    for name, value in fields.items():
        old = getattr(pattern, name)
        if old != value:
            changes[name] = [old, value]
            setattr(pattern, name, value)
    if not changes:
        return pattern
    pattern.full_clean()
    today = timezone.localdate()
    with transaction.atomic():
        pattern.save(update_fields=list(changes))
        future = Shift.objects.filter(pattern=pattern, date__gte=today, cancelled_at__isnull=True)
        taken_ids = set(
            ShiftAssignment.objects.filter(shift__in=future, status__in=ShiftAssignment.ACTIVE).values_list(
                "shift_id", flat=True
            )
        )
        future.exclude(pk__in=taken_ids).delete()
        Shift.objects.filter(pk__in=taken_ids).update(title=pattern.title, people_needed=pattern.people_needed)
        if pattern.valid_until is not None:
            _drop_future_shifts(pattern, after=pattern.valid_until + dt.timedelta(days=1), by=by)
        event_record(
            by=by, action="shift_pattern.update", obj=pattern, house=pattern.house, changes=_plain_changes(changes)
        )
        _make_for_pattern(pattern, today)
    return pattern


def _plain_changes(changes: dict) -> dict:
    return {
        name: [str(old) if old is not None else None, str(new) if new is not None else None]
        for name, (old, new) in changes.items()
    }


def shift_pattern_end(*, pattern: ShiftPattern, last_day: dt.date, by) -> ShiftPattern:
    """The weekly shift ends after `last_day`: later shifts without volunteers go, those with volunteers are
    cancelled and the volunteers get an e-mail."""
    if last_day < pattern.valid_from:
        raise ValidationError({"last_day": _("The last day cannot be before the first day of this shift.")})
    if last_day < timezone.localdate() - dt.timedelta(days=1):
        raise ValidationError({"last_day": _("Choose today or a later day as the last day.")})
    old = pattern.valid_until
    with transaction.atomic():
        pattern.valid_until = last_day
        pattern.save(update_fields=["valid_until"])
        _drop_future_shifts(pattern, after=last_day + dt.timedelta(days=1), by=by)
        event_record(
            by=by, action="shift_pattern.end", obj=pattern, house=pattern.house, changes={"last_day": [old, last_day]}
        )
    return pattern


def shift_create(
    *,
    house,
    place,
    title: str,
    role: str,
    date: dt.date,
    start_time: dt.time,
    end_time: dt.time,
    people_needed: int,
    activity=None,
    by,
) -> Shift:
    """A shift made once (not weekly)."""
    _check_place(house, place)
    _check_activity(house, activity)
    _check_times(start_time, end_time)
    if date < timezone.localdate():
        raise ValidationError({"date": _("Choose today or a later day.")})
    shift = Shift(
        house=house,
        place=place,
        activity=activity,
        title=title,
        role=role,
        date=date,
        start=local_moment(date, start_time),
        end=local_moment(date, end_time),
        people_needed=people_needed,
    )
    shift.full_clean()
    with transaction.atomic():
        shift.save()
        event_record(by=by, action="shift.create", obj=shift, house=house, changes={"title": title, "date": date})
    return shift


def _cancel(shift: Shift, *, by) -> None:
    shift.cancelled_at = timezone.now()
    shift.save(update_fields=["cancelled_at"])
    assignments = list(shift.assignments.filter(status__in=ShiftAssignment.ACTIVE))
    ShiftAssignment.objects.filter(pk__in=[a.pk for a in assignments]).update(status=ShiftAssignment.Status.CANCELLED)
    for assignment in assignments:
        _email(assignment.pk, "shift_cancelled")
    event_record(by=by, action="shift.cancel", obj=shift, house=shift.house)


def shift_cancel(*, shift: Shift, by) -> Shift:
    """Cancel a shift still to come; the volunteers on it get an e-mail."""
    with transaction.atomic():
        shift = Shift.objects.select_for_update().select_related("house").get(pk=shift.pk)
        if shift.cancelled_at is not None:
            raise ValidationError(_("This shift is already cancelled."))
        if shift.start <= timezone.now():
            raise ValidationError(_("This shift has already started."))
        _cancel(shift, by=by)
    return shift


# --- volunteers on shifts -------------------------------------------------------------------------------------


def qualification_problem(volunteer: Volunteer, *, role: str, day: dt.date) -> str | None:
    """Why `volunteer` may not take a shift of `role` on `day`, in plain Dutch; None when they may."""
    if people_selectors.is_qualified(volunteer, role=role, day=day):
        return None
    if not Volunteer.objects.filter(pk=volunteer.pk).filter(people_selectors.active_on_q(day)).exists():
        return _("You are not an active volunteer of this house on that day.")
    if not volunteer.roles.filter(role=role).exists():
        return _("This shift is for another role than yours.")
    for kind in people_selectors.certificates_needed(role):
        valid = volunteer.certificates.filter(kind=kind, issued_on__lte=day, valid_until__gte=day).exists()
        if not valid:
            if kind == "vog":
                return _("Your VOG is no longer valid on that day.")
            return _("Your IVA or Sociale Hygiëne certificate is not valid on that day.")
    return _("You cannot take this shift.")


def _locked_open_shift(shift: Shift) -> Shift:
    shift = Shift.objects.select_for_update().select_related("house").get(pk=shift.pk)
    if shift.cancelled_at is not None:
        raise ValidationError(_("This shift is cancelled."))
    if shift.start <= timezone.now():
        raise ValidationError(_("This shift has already started."))
    if Shift.objects.filter(pk=shift.pk).filter(closed_q()).exists():
        raise ValidationError(_("The place is closed on that day."))
    return shift


def overlap_problem(shift: Shift, volunteer: Volunteer, *, by) -> str | None:
    """Why `volunteer` cannot take `shift` because they are already on a shift overlapping it in time (at any
    house: the same person volunteers at several houses through one account); None when they are free."""
    clash = (
        selectors.overlapping_assignments(volunteer, start=shift.start, end=shift.end)
        .exclude(shift=shift)
        .select_related("shift")
        .order_by("shift__start")
        .first()
    )
    if clash is None:
        return None
    other = clash.shift
    values = {
        "title": other.title,
        "when": f"{timezone.localtime(other.start):%H:%M}–{timezone.localtime(other.end):%H:%M}",
        "name": volunteer.short_name,
    }
    if volunteer.user_id is not None and user_of(by) is not None and user_of(by).pk == volunteer.user_id:
        return _("You are already on the roster then for %(title)s (%(when)s).") % values
    return _("%(name)s is already on the roster then for %(title)s (%(when)s).") % values


def _put_on(shift: Shift, volunteer: Volunteer, *, by, stand_in_for=None, full_ok=False) -> ShiftAssignment:
    if volunteer.house_id != shift.house_id:
        raise ValidationError(_("This volunteer does not volunteer at this house."))
    problem = qualification_problem(volunteer, role=shift.role, day=shift.date)
    if problem:
        raise ValidationError(problem)
    if shift.assignments.filter(volunteer=volunteer, status__in=ShiftAssignment.ACTIVE).exists():
        raise ValidationError(_("%(name)s is already on this shift.") % {"name": volunteer.short_name})
    # Lock the person's volunteer rows (every house) so two sign-ups for overlapping shifts cannot both pass.
    same_person = Q(pk=volunteer.pk) | (Q(user_id=volunteer.user_id) if volunteer.user_id else Q(pk=volunteer.pk))
    list(Volunteer.objects.select_for_update().filter(same_person).order_by("pk").values_list("pk", flat=True))
    problem = overlap_problem(shift, volunteer, by=by)
    if problem:
        raise ValidationError(problem)
    if not full_ok and active_count(shift) >= shift.people_needed:
        raise ValidationError(_("This shift is full."))
    return ShiftAssignment.objects.create(
        shift=shift, volunteer=volunteer, assigned_by=user_of(by), stand_in_for=stand_in_for
    )


def shift_sign_up(*, shift: Shift, volunteer: Volunteer, by) -> ShiftAssignment:
    """A volunteer takes a place on a shift. The shift row is locked first, so two people cannot take the last
    place."""
    with transaction.atomic():
        shift = _locked_open_shift(shift)
        assignment = _put_on(shift, volunteer, by=by)
        event_record(
            by=by, action="shift.sign_up", obj=assignment, house=shift.house, label=_assignment_label(assignment)
        )
        _email(assignment.pk, "signed_up")
    return assignment


def shift_assign(*, shift: Shift, volunteer: Volunteer, by) -> ShiftAssignment:
    """The coordinator puts a volunteer on a shift; the volunteer gets an e-mail. A free place is filled first;
    when every place is taken but someone asked for a stand-in, the chosen volunteer takes that place over (the same
    handover as `stand_in_take`: both are told)."""
    with transaction.atomic():
        shift = _locked_open_shift(shift)
        if active_count(shift) >= shift.people_needed:
            wanted = (
                ShiftAssignment.objects.select_for_update()
                .filter(shift=shift, status=ShiftAssignment.Status.STAND_IN_WANTED)
                .order_by("created_at", "pk")
                .first()
            )
            if wanted is not None:
                return _hand_over(wanted, volunteer, shift=shift, by=by, event="assigned")
        assignment = _put_on(shift, volunteer, by=by)
        event_record(
            by=by, action="shift.assign", obj=assignment, house=shift.house, label=_assignment_label(assignment)
        )
        _email(assignment.pk, "assigned")
    return assignment


def _locked_assignment(assignment: ShiftAssignment) -> ShiftAssignment:
    return ShiftAssignment.objects.select_for_update().select_related("shift__house", "volunteer").get(pk=assignment.pk)


def assignment_cancel(*, assignment: ShiftAssignment, by) -> ShiftAssignment:
    """A volunteer steps off a shift (until it starts); the place is open again."""
    with transaction.atomic():
        assignment = _locked_assignment(assignment)
        if assignment.status not in ShiftAssignment.ACTIVE:
            raise ValidationError(_("You are no longer on this shift."))
        if assignment.shift.start <= timezone.now():
            raise ValidationError(_("This shift has already started."))
        assignment.status = ShiftAssignment.Status.CANCELLED
        assignment.save(update_fields=["status"])
        event_record(
            by=by,
            action="shift.cancel_assignment",
            obj=assignment,
            house=assignment.shift.house,
            label=_assignment_label(assignment),
        )
        _tell_coordinators_of_gap(assignment)
    return assignment


GAP_NOTICE_DAYS = 7


def _tell_coordinators_of_gap(assignment: ShiftAssignment) -> None:
    """Inside the transaction: when the cancelled place leaves a gap in a shift of the coming `GAP_NOTICE_DAYS`
    days, each coordinator of the house gets an e-mail (one task each, through the outbox)."""
    from accounts.models import Role, RoleAssignment

    shift = assignment.shift
    if shift.date > timezone.localdate() + dt.timedelta(days=GAP_NOTICE_DAYS):
        return
    if active_count(shift) >= shift.people_needed:
        return
    coordinators = RoleAssignment.objects.filter(
        house_id=shift.house_id, role=Role.COORDINATOR, user__is_active=True
    ).values_list("user_id", flat=True)
    for user_id in sorted(set(coordinators)):
        outbox.enqueue(tasks.send_gap_notice, assignment.pk, user_id)


def stand_in_candidates(assignment: ShiftAssignment):
    """The other volunteers of the house who may take this shift over: qualified on its day, not on it already."""
    shift = assignment.shift
    on_it = ShiftAssignment.objects.filter(shift=shift, status__in=ShiftAssignment.ACTIVE).values("volunteer_id")
    volunteers = Volunteer.objects.filter(house_id=shift.house_id).exclude(pk__in=on_it)
    return people_selectors.qualified_for(volunteers, role=shift.role, day=shift.date)


def stand_in_ask(*, assignment: ShiftAssignment, by) -> ShiftAssignment:
    """The volunteer cannot come and asks for someone to take over: they stay on the shift until someone does.
    Every other qualified volunteer of the house gets an e-mail (one task each)."""
    with transaction.atomic():
        assignment = _locked_assignment(assignment)
        if assignment.status != ShiftAssignment.Status.ASSIGNED:
            raise ValidationError(_("You can only ask for a stand-in for a shift you are on."))
        if assignment.shift.start <= timezone.now():
            raise ValidationError(_("This shift has already started."))
        assignment.status = ShiftAssignment.Status.STAND_IN_WANTED
        assignment.save(update_fields=["status"])
        event_record(
            by=by,
            action="shift.ask_stand_in",
            obj=assignment,
            house=assignment.shift.house,
            label=_assignment_label(assignment),
        )
        for volunteer_id in stand_in_candidates(assignment).values_list("pk", flat=True):
            outbox.enqueue(tasks.send_stand_in_wanted, assignment.pk, volunteer_id)
    return assignment


def stand_in_take(*, assignment: ShiftAssignment, volunteer: Volunteer, by) -> ShiftAssignment:
    """`volunteer` takes the shift over: the original assignment is handed over, a new one made; both are told."""
    with transaction.atomic():
        shift = _locked_open_shift(Shift(pk=assignment.shift_id))  # not cancelled, not started, the place open
        assignment = _locked_assignment(assignment)
        if assignment.status != ShiftAssignment.Status.STAND_IN_WANTED:
            raise ValidationError(_("Someone else has already taken this shift over."))
        if assignment.volunteer_id == volunteer.pk:
            raise ValidationError(_("You cannot take over your own shift."))
        return _hand_over(assignment, volunteer, shift=shift, by=by, event="took_over")


def _hand_over(assignment: ShiftAssignment, volunteer: Volunteer, *, shift: Shift, by, event: str) -> ShiftAssignment:
    """Inside the caller's transaction, with the shift and `assignment` (stand-in wanted) locked: `volunteer` takes
    the place over. The original is handed over, a new assignment made; both get an e-mail, one audit event."""
    if assignment.volunteer_id == volunteer.pk:
        raise ValidationError(_("You cannot take over your own shift."))
    assignment.status = ShiftAssignment.Status.HANDED_OVER
    assignment.save(update_fields=["status"])
    new = _put_on(shift, volunteer, by=by, stand_in_for=assignment, full_ok=True)
    event_record(
        by=by,
        action="shift.take_over",
        obj=new,
        house=shift.house,
        label=_assignment_label(new),
        changes={"from": assignment.volunteer_id, "to": volunteer.pk},
    )
    _email(assignment.pk, "handed_over")
    _email(new.pk, event)
    return new


# --- worked -------------------------------------------------------------------------------------------------------


def shift_confirm_worked(*, assignment: ShiftAssignment, by) -> HoursEntry:
    """The shift took place with this volunteer: their hours (the shift's length) are recorded, approved. Safe to
    do twice: the hours belong to the assignment (one-to-one)."""
    with transaction.atomic():
        assignment = _locked_assignment(assignment)
        shift = assignment.shift
        if assignment.status not in ShiftAssignment.ACTIVE:
            raise ValidationError(_("This volunteer is no longer on this shift."))
        if shift.cancelled_at is not None:
            raise ValidationError(_("This shift is cancelled."))
        if shift.start > timezone.now():
            raise ValidationError(_("This shift has not started yet."))
        existing = HoursEntry.objects.filter(assignment=assignment).first()
        if existing is not None:
            return existing
        now = timezone.now()
        assignment.worked_confirmed_at = now
        assignment.worked_confirmed_by = user_of(by)
        assignment.save(update_fields=["worked_confirmed_at", "worked_confirmed_by"])
        minutes = min(int((shift.end - shift.start).total_seconds() // 60), 24 * 60)
        entry = HoursEntry.objects.create(
            volunteer=assignment.volunteer,
            date=shift.date,
            minutes=minutes,
            source=HoursEntry.Source.SHIFT,
            description=shift.title[:300],
            assignment=assignment,
            status=HoursEntry.Status.APPROVED,
            created_by=user_of(by),
            decided_at=now,
            decided_by=user_of(by),
        )
        event_record(
            by=by,
            action="shift.confirm_worked",
            obj=assignment,
            house=shift.house,
            label=_assignment_label(assignment),
            changes={"minutes": minutes},
        )
        days_changed(house_id=shift.house_id, days=[shift.date])
    return entry


def shift_unconfirm_worked(*, assignment: ShiftAssignment, by, same_day_only: bool = False) -> ShiftAssignment:
    """Undo a confirmation made by mistake: the hours from it go. A host at the door may only undo today's."""
    with transaction.atomic():
        assignment = _locked_assignment(assignment)
        shift = assignment.shift
        if assignment.worked_confirmed_at is None:
            return assignment
        if same_day_only and shift.date != timezone.localdate():
            raise ValidationError(_("At the door you can only undo today's shifts. Ask the coordinator."))
        HoursEntry.objects.filter(assignment=assignment).delete()
        assignment.worked_confirmed_at = None
        assignment.worked_confirmed_by = None
        assignment.save(update_fields=["worked_confirmed_at", "worked_confirmed_by"])
        event_record(
            by=by,
            action="shift.unconfirm_worked",
            obj=assignment,
            house=shift.house,
            label=_assignment_label(assignment),
        )
        days_changed(house_id=shift.house_id, days=[shift.date])
    return assignment


# --- reminders and the calendar feed ------------------------------------------------------------------------------


def shift_reminders_claim(*, today: dt.date | None = None) -> list[int]:
    """Remind the volunteers of tomorrow's shifts: each active assignment not yet reminded is claimed with one
    UPDATE that sets `reminded_at` (so two runs never remind twice) and its e-mail queued in that transaction
    (through the outbox). Returns the ids reminded."""
    today = today or timezone.localdate()
    tomorrow = today + dt.timedelta(days=1)
    candidates = (
        ShiftAssignment.objects.filter(
            shift__date=tomorrow,
            shift__cancelled_at__isnull=True,
            status__in=ShiftAssignment.ACTIVE,
            reminded_at__isnull=True,
        )
        .exclude(closed_q("shift__"))
        .values_list("pk", flat=True)
    )
    claimed = []
    now = timezone.now()
    for pk in list(candidates):
        with transaction.atomic():
            if ShiftAssignment.objects.filter(pk=pk, reminded_at__isnull=True).update(reminded_at=now):
                _email(pk, "reminder")
                claimed.append(pk)
    return claimed


def shift_feed_renew(*, user, by) -> ShiftFeed:
    """A new secret address for one's shift calendar; the old one stops working."""
    with transaction.atomic():
        feed, created = ShiftFeed.objects.get_or_create(user=user)
        if not created:
            feed.token = new_feed_token()
            feed.save(update_fields=["token", "created_at"])
        event_record(by=by, action="shift_feed.renew", obj=feed, label=str(_("Shift calendar")))
    return feed


def shift_feed_of(user) -> ShiftFeed:
    feed = ShiftFeed.objects.filter(user=user).first()
    return feed or ShiftFeed.objects.get_or_create(user=user)[0]
