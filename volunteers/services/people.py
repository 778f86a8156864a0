"""Services of volunteering: people and certificates.

Signing up online, registering someone at the desk, the coordinator's decisions (accept, decline, hold, stop),
editing a volunteer, recording certificates, a house's volunteer settings and the daily certificate reminders.
Each function owns its transaction, checks the rules (a Dutch ValidationError), records an audit event with the
actor and queues its e-mails through the outbox."""

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import Role, RoleAssignment
from audit.services import event_record, user_of
from huizen.forms import FIRST_DAY
from huizen.outbox import enqueue
from locations.services import days_changed
from privacy.services.mydata import ANONYMOUS_NAME

from ..models import (
    Certificate,
    CertificateKind,
    CertificateReminder,
    HelpOffer,
    HelpRequest,
    HouseVolunteering,
    ShiftAssignment,
    Volunteer,
    VolunteerRole,
    VolunteerRoleChoice,
)
from ..tasks import people as tasks
from ..tasks import rosters as roster_tasks

# The history keeps that a name, a personal detail or free text changed, never its value (erasure leaves no trace).
HIDDEN = "…"
PRIVATE_FIELDS = frozenset(
    {"first_name", "last_name", "email", "phone", "date_of_birth", "skills", "availability_note", "motivation"}
)


def hidden(text: str) -> str:
    """Free text for the history: "…" when there was some, never the words."""
    return HIDDEN if text else ""


REMINDER_STEPS = (7, 30, 60)  # days before a certificate expires; the smallest step that is due is sent


class Decision:
    ACCEPT = "accept"
    DECLINE = "decline"
    HOLD = "on_hold"
    ALL = (ACCEPT, DECLINE, HOLD)


def house_settings(house) -> HouseVolunteering:
    """The house's volunteer settings (defaults when the house has no row yet; not saved)."""
    try:
        return house.volunteering
    except HouseVolunteering.DoesNotExist:
        return HouseVolunteering(house=house)


def valid_until_for(issued_on: dt.date, years: int) -> dt.date:
    """The last valid day of a certificate issued on `issued_on` and renewed after `years`: the day before its
    anniversary (29 February + 3 years: the anniversary is 1 March, so valid until 28 February)."""
    try:
        anniversary = issued_on.replace(year=issued_on.year + years)
    except ValueError:  # 29 February in a year without one
        anniversary = dt.date(issued_on.year + years, 3, 1)
    return anniversary - dt.timedelta(days=1)


# A change that reaches back far (a certificate recorded late, new roles of a volunteer of many years) marks at most
# this many past days for the report figures; older days are derived again with `manage.py rebuild_rollups`.
MARK_DAYS_BACK = 366


def _mark_days(house_id: int, first: dt.date | None, last: dt.date | None = None) -> None:
    """Mark the days `first` to `last` (default today), never after today nor more than MARK_DAYS_BACK ago, as
    changed for the report figures (certificates valid and needed are counted per day)."""
    today = timezone.localdate()
    last = min(last or today, today)
    first = max(first or today, today - dt.timedelta(days=MARK_DAYS_BACK))
    if first <= last:
        days_changed(house_id=house_id, days=[first + dt.timedelta(days=n) for n in range((last - first).days + 1)])


def _clean_roles(roles) -> list[str]:
    roles = sorted(set(roles or ()))
    if not roles:
        raise ValidationError({"roles": _("Choose at least one thing you would like to do.")})
    unknown = [role for role in roles if role not in VolunteerRole.values]
    if unknown:
        raise ValidationError({"roles": _("Choose the roles from the list.")})
    return roles


def _set_roles(volunteer: Volunteer, roles: list[str]) -> tuple[list[str], list[str]]:
    old = sorted(volunteer.roles.values_list("role", flat=True))
    VolunteerRoleChoice.objects.filter(volunteer=volunteer).exclude(role__in=roles).delete()
    VolunteerRoleChoice.objects.bulk_create(
        [VolunteerRoleChoice(volunteer=volunteer, role=role) for role in roles if role not in old]
    )
    return old, roles


def _full_clean(volunteer: Volunteer, exclude=()) -> None:
    volunteer.full_clean(exclude=["house", "user", "created_by", "decided_by", *exclude], validate_constraints=False)


def _coordinators(house):
    return RoleAssignment.objects.filter(house=house, role=Role.COORDINATOR, user__is_active=True).values_list(
        "user_id", flat=True
    )


def has_address(volunteer: Volunteer) -> bool:
    """Whether an e-mail about `volunteer` reaches them: their account's address, else the one on file."""
    return bool((volunteer.user.email if volunteer.user_id else "") or volunteer.email)


@transaction.atomic
def volunteer_sign_up(
    *,
    house,
    user,
    roles,
    skills: str = "",
    availability=(),
    availability_note: str = "",
    motivation: str = "",
    phone: str = "",
    date_of_birth: dt.date | None = None,
    by,
) -> Volunteer:
    """A resident offers to volunteer at `house`: status signed up, their roles as wishes. Name, e-mail and
    language come from the account. One per house per account. The volunteer gets a confirmation, each of the
    house's coordinators a notice."""
    roles = _clean_roles(roles)
    if Volunteer.objects.filter(house=house, user=user).exists():
        raise ValidationError(_already_signed_up())
    volunteer = Volunteer(
        house=house,
        user=user,
        first_name=user.first_name or user.email.split("@")[0],
        last_name=user.last_name,
        email=user.email,
        phone=phone,
        language=getattr(user, "language", "") or "nl",
        date_of_birth=date_of_birth,
        skills=skills,
        availability=sorted(set(availability or ())),
        availability_note=availability_note,
        motivation=motivation,
        status=Volunteer.Status.APPLIED,
        created_by=user_of(by),
    )
    _check_birth(date_of_birth)
    _full_clean(volunteer)
    try:
        with transaction.atomic():
            volunteer.save()
    except IntegrityError:
        raise ValidationError(_already_signed_up()) from None
    _set_roles(volunteer, roles)
    event_record(
        by=by,
        action="volunteer.sign_up",
        obj=volunteer,
        house=house,
        label=f"#{volunteer.pk}",
        changes={"roles": roles},
    )
    enqueue(tasks.send_volunteer_email, volunteer.pk, "signed_up")
    for user_id in _coordinators(house):
        enqueue(tasks.send_sign_up_notice, volunteer.pk, user_id)
    return volunteer


def _already_signed_up() -> str:
    return _("You already signed up at this house. You can see how it stands under 'My volunteering'.")


def _check_birth(date_of_birth) -> None:
    if date_of_birth is not None and not dt.date(1900, 1, 1) <= date_of_birth <= timezone.localdate():
        raise ValidationError({"date_of_birth": _("Fill in a date of birth in the past, after 1900.")})


@transaction.atomic
def volunteer_register(
    *,
    house,
    first_name: str,
    last_name: str = "",
    email: str = "",
    phone: str = "",
    language: str = "nl",
    roles,
    skills: str = "",
    availability=(),
    availability_note: str = "",
    motivation: str = "",
    date_of_birth: dt.date | None = None,
    accept: bool = False,
    start_date: dt.date | None = None,
    by,
) -> Volunteer:
    """The house registers someone (from the paper form, at the desk): no account or e-mail needed. With `accept`
    they are accepted at once, from `start_date` (default today)."""
    roles = _clean_roles(roles)
    today = timezone.localdate()
    if accept:
        start_date = start_date or today
        _check_start(start_date)
    volunteer = Volunteer(
        house=house,
        first_name=first_name,
        last_name=last_name,
        email=email,
        phone=phone,
        language=language,
        date_of_birth=date_of_birth,
        skills=skills,
        availability=sorted(set(availability or ())),
        availability_note=availability_note,
        motivation=motivation,
        status=Volunteer.Status.ACCEPTED if accept else Volunteer.Status.APPLIED,
        start_date=start_date if accept else None,
        decided_at=timezone.now() if accept else None,
        decided_by=user_of(by) if accept else None,
        created_by=user_of(by),
    )
    _check_birth(date_of_birth)
    _full_clean(volunteer)
    volunteer.save()
    _set_roles(volunteer, roles)
    event_record(
        by=by,
        action="volunteer.register",
        obj=volunteer,
        house=house,
        label=f"#{volunteer.pk}",
        changes={"roles": roles, "status": volunteer.status, "start_date": volunteer.start_date},
    )
    if accept:
        days_changed(house_id=house.pk, days=[start_date])
    return volunteer


def _check_start(start_date: dt.date) -> None:
    if not FIRST_DAY <= start_date <= timezone.localdate() + dt.timedelta(days=366):
        raise ValidationError({"start_date": _("Choose a start date from 2000 up to a year from now.")})


def _give_back(volunteer: Volunteer, *, last_day: dt.date | None = None) -> dict:
    """A volunteer leaves (stops, or an accepted volunteer is declined or put on hold): give back what they
    promised for after `last_day` (None: from now on). Call it inside the decision's transaction.
    - shifts still to come go back on the roster as gaps (CANCELLED; the volunteer gets the roster's e-mail);
    - burenhulp they were asked for is withdrawn, burenhulp they took on for a day from today on is reopened: both
      wait for another volunteer on the coordinator's list.
    Returns what was given back, for the decision's audit event."""
    now = timezone.now()
    today = timezone.localdate()
    first_day = max(today, last_day + dt.timedelta(days=1)) if last_day else today
    assignments = ShiftAssignment.objects.filter(
        volunteer=volunteer, status__in=ShiftAssignment.ACTIVE, shift__date__gte=first_day, shift__start__gt=now
    )
    cancelled = list(assignments.values_list("pk", flat=True))
    ShiftAssignment.objects.filter(pk__in=cancelled).update(status=ShiftAssignment.Status.CANCELLED)
    for assignment_id in cancelled:
        enqueue(roster_tasks.send_shift_email, assignment_id, "shift_cancelled")
    # Questions still unanswered are withdrawn (also for a day gone by: they can no longer say yes); a day before
    # the last one stays theirs.
    requests = list(
        HelpRequest.objects.select_for_update()
        .filter(
            Q(status=HelpRequest.Status.MATCHED, wanted_on__gte=first_day)
            | (Q(status=HelpRequest.Status.OFFERED) & ~Q(wanted_on__gte=today, wanted_on__lt=first_day)),
            volunteer=volunteer,
        )
        .order_by("pk")
    )
    offered = [request.pk for request in requests if request.status == HelpRequest.Status.OFFERED]
    matched = [request for request in requests if request.status == HelpRequest.Status.MATCHED]
    HelpOffer.objects.filter(volunteer=volunteer, request_id__in=offered, status=HelpOffer.Status.OFFERED).update(
        status=HelpOffer.Status.WITHDRAWN, answered_at=now
    )
    HelpRequest.objects.filter(pk__in=[request.pk for request in requests]).update(
        status=HelpRequest.Status.OPEN, volunteer=None, matched_at=None
    )
    # A match undone is no longer counted on the day it was made.
    for request in matched:
        if request.matched_at:
            days_changed(house_id=request.house_id, days=[timezone.localdate(request.matched_at)])
    return {
        "shifts_given_back": len(cancelled),
        "help_offers_withdrawn": offered,
        "help_requests_reopened": [request.pk for request in matched],
    }


@transaction.atomic
def volunteer_decide(
    *, volunteer: Volunteer, decision: str, reason: str = "", start_date: dt.date | None = None, by
) -> Volunteer:
    """Accept (from `start_date`, default today), decline or put on hold (with a reason) a volunteer. The volunteer
    hears of it by e-mail in their own language when there is an address."""
    volunteer = Volunteer.objects.select_for_update().get(pk=volunteer.pk)
    if decision not in Decision.ALL:
        raise ValidationError(_("Choose accept, decline or put on hold."))
    if volunteer.status == Volunteer.Status.STOPPED:
        raise ValidationError(_("This volunteer has stopped. Register them again if they come back."))
    old = {"status": volunteer.status, "start_date": volunteer.start_date}
    reason = (reason or "").strip()
    changed_days = []
    given_back = {}
    if decision == Decision.ACCEPT:
        start_date = start_date or timezone.localdate()
        _check_start(start_date)
        if volunteer.status == Volunteer.Status.ACCEPTED and volunteer.start_date == start_date:
            raise ValidationError(_("This volunteer is already accepted from that date."))
        changed_days = [day for day in (volunteer.start_date, start_date) if day]
        volunteer.status = Volunteer.Status.ACCEPTED
        volunteer.start_date = start_date
        volunteer.status_reason = ""
    else:
        if decision == Decision.HOLD and not reason:
            raise ValidationError({"reason": _("Say why the application is on hold.")})
        if volunteer.status == Volunteer.Status.ACCEPTED and volunteer.start_date:
            changed_days = [volunteer.start_date]
        volunteer.status = Volunteer.Status.DECLINED if decision == Decision.DECLINE else Volunteer.Status.ON_HOLD
        volunteer.start_date = None
        volunteer.status_reason = reason
    if len(reason) > 300:
        raise ValidationError({"reason": _("Keep the reason under 300 characters.")})
    volunteer.decided_at = timezone.now()
    volunteer.decided_by = user_of(by)
    volunteer.save(update_fields=["status", "start_date", "status_reason", "decided_at", "decided_by"])
    if old["status"] == Volunteer.Status.ACCEPTED and volunteer.status != Volunteer.Status.ACCEPTED:
        given_back = _give_back(volunteer)
    event_record(
        by=by,
        action="volunteer.decide",
        obj=volunteer,
        house=volunteer.house,
        label=f"#{volunteer.pk}",
        changes={
            "status": [old["status"], volunteer.status],
            "start_date": [old["start_date"], volunteer.start_date],
            "reason": hidden(reason),
            **given_back,
        },
    )
    days_changed(house_id=volunteer.house_id, days=changed_days)
    enqueue(tasks.send_volunteer_email, volunteer.pk, volunteer.status)
    return volunteer


@transaction.atomic
def volunteer_stop(*, volunteer: Volunteer, end_date: dt.date | None = None, reason: str = "", by) -> Volunteer:
    """An accepted volunteer stops on `end_date` (default today; their last day)."""
    volunteer = Volunteer.objects.select_for_update().get(pk=volunteer.pk)
    if volunteer.status != Volunteer.Status.ACCEPTED:
        raise ValidationError(_("Only an accepted volunteer can stop."))
    end_date = end_date or timezone.localdate()
    if end_date < volunteer.start_date:
        raise ValidationError({"end_date": _("The last day cannot be before the start date.")})
    if end_date > timezone.localdate() + dt.timedelta(days=366):
        raise ValidationError({"end_date": _("Choose a last day within a year from now.")})
    reason = (reason or "").strip()
    if len(reason) > 300:
        raise ValidationError({"reason": _("Keep the reason under 300 characters.")})
    volunteer.status = Volunteer.Status.STOPPED
    volunteer.end_date = end_date
    volunteer.status_reason = reason
    volunteer.decided_at = timezone.now()
    volunteer.decided_by = user_of(by)
    volunteer.save(update_fields=["status", "end_date", "status_reason", "decided_at", "decided_by"])
    # Their shifts and burenhulp after the last day go back (the coordinator sees them as gaps and open requests).
    given_back = _give_back(volunteer, last_day=end_date)
    event_record(
        by=by,
        action="volunteer.stop",
        obj=volunteer,
        house=volunteer.house,
        label=f"#{volunteer.pk}",
        changes={"end_date": end_date, "reason": hidden(reason), **given_back},
    )
    days_changed(house_id=volunteer.house_id, days=[end_date])
    enqueue(tasks.send_volunteer_email, volunteer.pk, "stopped")
    return volunteer


UPDATE_FIELDS = (
    "first_name",
    "last_name",
    "email",
    "phone",
    "language",
    "agreement_signed_on",
    "date_of_birth",
    "skills",
    "availability",
    "availability_note",
)


@transaction.atomic
def volunteer_update(*, volunteer: Volunteer, roles=None, by, **values) -> Volunteer:
    """Change a volunteer's roles, contact details, the date the agreement was signed, date of birth."""
    unknown = set(values) - set(UPDATE_FIELDS)
    if unknown:
        raise TypeError(f"volunteer_update cannot change {sorted(unknown)}")
    volunteer = Volunteer.objects.select_for_update().get(pk=volunteer.pk)
    changes = {}
    for field, value in values.items():
        if field == "availability":
            value = sorted(set(value or ()))
        old = getattr(volunteer, field)
        if old != value:
            changes[field] = [old, value]
            setattr(volunteer, field, value)
    _check_birth(volunteer.date_of_birth)
    signed = volunteer.agreement_signed_on
    if signed is not None and not FIRST_DAY <= signed <= timezone.localdate():
        raise ValidationError({"agreement_signed_on": _("The agreement cannot be signed in the future.")})
    _full_clean(volunteer)
    if roles is not None:
        old_roles, new_roles = _set_roles(volunteer, _clean_roles(roles))
        if old_roles != new_roles:
            changes["roles"] = [old_roles, new_roles]
            _mark_days(volunteer.house_id, volunteer.start_date)
    if not changes:
        return volunteer
    fields = [field for field in changes if field != "roles"]
    if fields:
        volunteer.save(update_fields=fields)
    # The history names what changed; names, personal details and free text without their values.
    event_record(
        by=by,
        action="volunteer.update",
        obj=volunteer,
        house=volunteer.house,
        label=f"#{volunteer.pk}",
        changes={field: ([HIDDEN, HIDDEN] if field in PRIVATE_FIELDS else change) for field, change in changes.items()},
    )
    return volunteer


@transaction.atomic
def certificate_record(*, volunteer: Volunteer, kind: str, issued_on: dt.date, by) -> Certificate:
    """Record a certificate the volunteer showed: valid until the day before the house's renewal period has
    passed (`HouseVolunteering.certificate_renewal_years`, default three years)."""
    if kind not in CertificateKind.values:
        raise ValidationError({"kind": _("Choose the kind of certificate.")})
    if issued_on > timezone.localdate():
        raise ValidationError({"issued_on": _("The date issued cannot be in the future.")})
    if issued_on < FIRST_DAY:
        raise ValidationError({"issued_on": _("Choose a date issued from 2000 on.")})
    already = {"issued_on": _("This certificate is already recorded.")}
    if Certificate.objects.filter(volunteer=volunteer, kind=kind, issued_on=issued_on).exists():
        raise ValidationError(already)
    years = house_settings(volunteer.house).certificate_renewal_years
    try:
        with transaction.atomic():  # the same certificate recorded twice at once (two tabs, a double click)
            certificate = Certificate.objects.create(
                volunteer=volunteer,
                kind=kind,
                issued_on=issued_on,
                valid_until=valid_until_for(issued_on, years),
                recorded_by=user_of(by),
            )
    except IntegrityError:
        raise ValidationError(already) from None
    event_record(
        by=by,
        action="certificate.record",
        obj=certificate,
        house=volunteer.house,
        changes={"kind": kind, "issued_on": issued_on, "valid_until": certificate.valid_until},
        label=f"{certificate.get_kind_display()} #{volunteer.pk}",
    )
    _mark_days(volunteer.house_id, issued_on, certificate.valid_until)
    return certificate


@transaction.atomic
def house_volunteering_update(*, house, certificate_renewal_years: int, idle_after_days: int, by) -> HouseVolunteering:
    """Change the house's volunteer settings; a new renewal period recomputes the validity of the house's
    certificates."""
    settings_row, _created = HouseVolunteering.objects.select_for_update().get_or_create(house=house)
    old = {
        "certificate_renewal_years": settings_row.certificate_renewal_years,
        "idle_after_days": settings_row.idle_after_days,
    }
    settings_row.certificate_renewal_years = certificate_renewal_years
    settings_row.idle_after_days = idle_after_days
    settings_row.full_clean(exclude=["house"])
    new = {"certificate_renewal_years": certificate_renewal_years, "idle_after_days": idle_after_days}
    if old == new:
        return settings_row
    settings_row.save(update_fields=list(new))
    if old["certificate_renewal_years"] != certificate_renewal_years:
        certificates_revalidate(house=house, years=certificate_renewal_years)
        _mark_days(house.pk, timezone.localdate() - dt.timedelta(days=MARK_DAYS_BACK))
    event_record(
        by=by,
        action="house_volunteering.update",
        obj=settings_row,
        house=house,
        changes={field: [old[field], new[field]] for field in new if old[field] != new[field]},
    )
    return settings_row


def certificates_revalidate(*, house, years: int) -> int:
    """Set `valid_until` of every certificate of the house's volunteers from a renewal period of `years` (call it
    inside the transaction that changed the period). The reminders already sent for a certificate whose date moved
    are forgotten, so the steps before its new date are sent again. Returns how many certificates there are."""
    certificates = list(Certificate.objects.filter(volunteer__house=house))
    moved = []
    for certificate in certificates:
        valid_until = valid_until_for(certificate.issued_on, years)
        if certificate.valid_until != valid_until:
            certificate.valid_until = valid_until
            moved.append(certificate)
    Certificate.objects.bulk_update(moved, ["valid_until"], batch_size=500)
    for start in range(0, len(moved), 500):
        CertificateReminder.objects.filter(certificate__in=moved[start : start + 500]).delete()
    return len(certificates)


def reminder_step(days_left: int) -> int | None:
    """The reminder due `days_left` days before expiry (0: it expires today): the smallest step it is within."""
    if days_left < 0:
        return None
    return next((step for step in REMINDER_STEPS if days_left <= step), None)


def certificates_to_remind(today: dt.date):
    """Certificates of accepted volunteers, the newest of their kind, that expire within the largest step."""
    newer = Certificate.objects.filter(
        volunteer=OuterRef("volunteer"), kind=OuterRef("kind"), issued_on__gt=OuterRef("issued_on")
    )
    return (
        Certificate.objects.filter(
            volunteer__status=Volunteer.Status.ACCEPTED,
            valid_until__gte=today,
            valid_until__lte=today + dt.timedelta(days=max(REMINDER_STEPS)),
        )
        .exclude(Exists(newer))
        .select_related("volunteer")
    )


def certificate_reminders_send(*, today: dt.date | None = None, by) -> int:
    """The daily reminders: per certificate the step now due (60, 30 or 7 days before it expires, or on the day
    itself), once; a day missed sends the step due now, not the larger ones skipped. Returns how many were sent."""
    today = today or timezone.localdate()
    sent = 0
    for certificate in certificates_to_remind(today):
        step = reminder_step((certificate.valid_until - today).days)
        if step is None:
            continue
        with transaction.atomic():
            reminder, created = CertificateReminder.objects.get_or_create(certificate=certificate, days_before=step)
            if not created:
                continue
            # A later step sent makes the earlier ones moot (a new certificate restarts them).
            enqueue(tasks.send_certificate_reminder, certificate.pk, step)
            sent += 1
    return sent


# --- Retention (issue 11, retention): applied daily by privacy.services.retention.retention_apply ----------------


def _left_before(cutoff: dt.datetime) -> Q:
    """Volunteers who stopped (their last day) or were not accepted (the decision) on or before `cutoff`'s day."""
    day = timezone.localdate(cutoff)
    return Q(status=Volunteer.Status.STOPPED, end_date__lte=day) | Q(
        status=Volunteer.Status.DECLINED, decided_at__lte=cutoff
    )


FILE_WIPED = {
    "email": "",
    "phone": "",
    "date_of_birth": None,
    "skills": "",
    "availability": [],
    "availability_note": "",
    "motivation": "",
    "status_reason": "",
}


def _file_not_wiped() -> Q:
    return (
        ~Q(email="")
        | ~Q(phone="")
        | Q(date_of_birth__isnull=False)
        | ~Q(skills="")
        | ~Q(availability=[])
        | ~Q(availability_note="")
        | ~Q(motivation="")
        | ~Q(status_reason="")
    )


@transaction.atomic
def volunteer_files_prune(*, by, now: dt.datetime, days: int) -> int:
    """Wipe the contact details, date of birth, skills, availability, motivation and reason of volunteers who
    stopped (or were not accepted) `days` or more before `now`. The name stays, with the hours and allowances
    paid (category "volunteer_allowances"). Retention category "volunteer_files"; safe to run twice."""
    cutoff = now - dt.timedelta(days=days)
    wiped = Volunteer.objects.filter(_left_before(cutoff)).filter(_file_not_wiped()).update(**FILE_WIPED)
    if wiped:
        event_record(by=by, action="volunteer.files_prune", changes={"wiped": wiped, "left_before": cutoff})
    return wiped


@transaction.atomic
def volunteer_names_prune(*, by, now: dt.datetime, days: int) -> int:
    """Remove the name (and the link to an account) of volunteers who stopped, and were last paid or last gave
    hours, `days` or more before `now`: the tax rules (article 52 AWR) no longer need the records behind the
    allowance. Hours and payments stay as numbers without a name, so every figure stays the same. Retention
    category "volunteer_allowances"; safe to run twice."""
    from ..models import AllowancePayment, HoursEntry

    cutoff = now - dt.timedelta(days=days)
    day = timezone.localdate(cutoff)
    later_payment = AllowancePayment.objects.filter(volunteer=OuterRef("pk"), paid_on__gt=day)
    later_hours = HoursEntry.objects.filter(volunteer=OuterRef("pk"), date__gt=day)
    due = (
        Volunteer.objects.filter(_left_before(cutoff))
        .exclude(Exists(later_payment) | Exists(later_hours))
        .filter(~Q(first_name=ANONYMOUS_NAME) | ~Q(last_name="") | Q(user__isnull=False) | _file_not_wiped())
    )
    ids = list(due.values_list("pk", flat=True))
    if not ids:
        return 0
    Volunteer.objects.filter(pk__in=ids).update(first_name=ANONYMOUS_NAME, last_name="", user=None, **FILE_WIPED)
    HoursEntry.objects.filter(volunteer_id__in=ids).exclude(description="", decision_reason="").update(
        description="", decision_reason=""
    )
    event_record(by=by, action="volunteer.names_prune", changes={"anonymised": len(ids), "left_before": cutoff})
    return len(ids)


@transaction.atomic
def certificates_prune(*, by, now: dt.datetime, days: int) -> int:
    """Delete the certificates (VOG, IVA) that expired, or whose volunteer stopped or was not accepted, `days` or
    more before `now` (their reminders go with them). Retention category "certificates"."""
    cutoff = now - dt.timedelta(days=days)
    day = timezone.localdate(cutoff)
    left = Volunteer.objects.filter(_left_before(cutoff)).values("pk")
    _deleted, by_model = Certificate.objects.filter(Q(valid_until__lte=day) | Q(volunteer__in=left)).delete()
    count = by_model.get(Certificate._meta.label, 0)
    if count:
        event_record(by=by, action="certificate.prune", changes={"deleted": count, "before": day})
    return count


# --- End of retention ----------------------------------------------------------------------------------------------
# --- Erasure of an account (issue 11, "My data": privacy.services.mydata.user_erase) -----------------------------


def user_data_scrub(*, user, by) -> dict[str, int]:
    """Part of erasing `user`'s account, inside its transaction. Each volunteer file of the account stays (its
    shifts, hours and allowance payments count, and the payments are fiscal records), wiped like a retention wipe
    (`FILE_WIPED`: contact details, date of birth, skills, availability, motivation, the coordinator's reason); the
    descriptions and reasons of its hours go, and so do its certificates. The name stays only on a file with
    allowance payments (who was paid, for the tax statement, until `volunteer_names_prune`); otherwise the first
    name becomes `ANONYMOUS_NAME` and the surname goes."""
    from ..models import AllowancePayment, HoursEntry

    files = Volunteer.objects.filter(user=user)
    paid = Exists(AllowancePayment.objects.filter(volunteer=OuterRef("pk")))
    unpaid = files.exclude(paid).update(first_name=ANONYMOUS_NAME, last_name="", **FILE_WIPED)
    kept_name = files.filter(paid).update(**FILE_WIPED)
    hours = (
        HoursEntry.objects.filter(volunteer__user=user)
        .exclude(description="", decision_reason="")
        .update(description="", decision_reason="")
    )
    return {
        "volunteer_files_wiped": unpaid + kept_name,
        "volunteer_files_name_kept_for_payments": kept_name,
        "volunteer_hours_texts_wiped": hours,
    }


# --- End of erasure ------------------------------------------------------------------------------------------------
