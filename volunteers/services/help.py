"""Writes of burenhulp: a request is posted (by the resident, or on their behalf), offered to a volunteer of the
house with the neighbour-help role, accepted or declined, and closed after the day with the time it took (hours
for the volunteer) or cancelled. Only the coordinators and the matched volunteer ever see the requester's contact;
it is wiped a retention period after the request closed (category "help_contacts" in privacy.retention).

Every function owns its transaction, checks the rules, records an audit event with the actor and queues its
e-mails through the outbox.
"""

import datetime as dt

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import Role, RoleAssignment
from audit.services import event_record, user_of
from huizen import outbox
from huizen.text import plain_text, single_line
from locations.services import days_changed

from ..models import HelpKind, HelpOffer, HelpRequest, HoursEntry, Volunteer, VolunteerRole
from ..selectors.people import is_qualified

MAX_DAYS_AHEAD = 60
ADDRESS_KINDS = (HelpKind.GROCERIES, HelpKind.LIFT, HelpKind.SMALL_JOB)
MAX_MINUTES = 24 * 60
CLOSED_STATES = (HelpRequest.Status.DONE, HelpRequest.Status.NOT_HAPPENED, HelpRequest.Status.CANCELLED)


def _text(errors: dict, field: str, value: str, *, max_length: int, required: bool, multi_line: bool = False) -> str:
    value = (value or "").strip()
    if required and not value:
        errors[field] = _("Fill this in.")
    elif len(value) > max_length:
        errors[field] = _("Write at most %(count)d characters.") % {"count": max_length}
    else:
        try:
            (plain_text if multi_line else single_line)(value)
        except ValidationError as error:
            errors[field] = error.messages
    return value


def _label(request: HelpRequest) -> str:
    """How the request is named in the history: kind and day, never the requester's name."""
    return f"{request.get_kind_display()} {request.wanted_on:%Y-%m-%d}"


@transaction.atomic
def help_request_post(
    *,
    house,
    requester,
    requester_name: str,
    phone: str,
    email: str = "",
    address: str = "",
    kind: str,
    description: str,
    wanted_on: dt.date,
    wanted_time: str = "",
    posted_by,
    on_behalf: bool,
    requester_language: str = "nl",
    by,
) -> HelpRequest:
    """A request for help at `house`: by the resident `requester` themselves, or (`on_behalf`) by a professional
    or coordinator for someone without an account (`requester` None, their name and contact given, and the
    language of the e-mails to them; a resident's is their account's)."""
    errors: dict = {}
    if requester is not None:
        requester_language = getattr(requester, "language", "") or "nl"
    if requester_language not in dict(settings.LANGUAGES):
        errors["requester_language"] = _("Choose a language from the list.")
    if kind not in HelpKind.values:
        errors["kind"] = _("Choose what kind of help you need.")
    description = _text(errors, "description", description, max_length=1000, required=True, multi_line=True)
    wanted_time = _text(errors, "wanted_time", wanted_time, max_length=100, required=False)
    requester_name = _text(errors, "requester_name", requester_name, max_length=150, required=True)
    phone = _text(errors, "phone", phone, max_length=20, required=False)
    email = _text(errors, "email", email, max_length=254, required=False)
    address = _text(errors, "address", address, max_length=200, required=False)
    today = timezone.localdate()
    if wanted_on is None or not today <= wanted_on <= today + dt.timedelta(days=MAX_DAYS_AHEAD):
        errors["wanted_on"] = _("Choose a day from today up to %(days)d days ahead.") % {"days": MAX_DAYS_AHEAD}
    if kind in ADDRESS_KINDS and not address and "address" not in errors:
        errors["address"] = _("Give the address where the help is needed.")
    if kind not in ADDRESS_KINDS:
        address = ""
    if not phone and not email and requester is None and "phone" not in errors:
        errors["phone"] = _("Give a phone number or an e-mail address, so the volunteer can get in touch.")
    if errors:
        raise ValidationError(errors)
    request = HelpRequest(
        house=house,
        kind=kind,
        description=description,
        wanted_on=wanted_on,
        wanted_time=wanted_time,
        requester=requester,
        requester_name=requester_name,
        requester_phone=phone,
        requester_email=email,
        requester_address=address,
        requester_language=requester_language,
        posted_by=user_of(posted_by),
        on_behalf=on_behalf,
    )
    request.full_clean()
    request.save()
    event_record(
        by=by,
        action="help_request.post",
        obj=request,
        house=house,
        changes={"kind": kind, "wanted_on": wanted_on, "on_behalf": on_behalf},
        label=_label(request),
    )
    recipients = (
        RoleAssignment.objects.filter(role=Role.COORDINATOR, house=house, user__is_active=True)
        .order_by("user_id")
        .values_list("user_id", flat=True)
        .distinct()
    )
    from ..tasks import help as tasks

    for user_id in recipients:
        outbox.enqueue(tasks.send_help_email, request.pk, "posted", user_id)
    return request


def _locked(request: HelpRequest) -> HelpRequest:
    return HelpRequest.objects.select_for_update().select_related("house").get(pk=request.pk)


@transaction.atomic
def help_request_offer(*, request: HelpRequest, volunteer: Volunteer, by) -> HelpOffer:
    """Ask `volunteer` (of the house, with the neighbour-help role, qualified on the wanted day) to take an open
    request. One open question at a time (also a constraint)."""
    request = _locked(request)
    if request.status != HelpRequest.Status.OPEN:
        raise ValidationError(_("This request is not waiting for a volunteer any more."))
    if volunteer.house_id != request.house_id or not is_qualified(
        volunteer, role=VolunteerRole.NEIGHBOUR_HELP, day=request.wanted_on
    ):
        raise ValidationError(
            {"volunteer": _("Choose a volunteer of this house who does burenhulp and can help on that day.")}
        )
    try:
        with transaction.atomic():
            offer = HelpOffer.objects.create(request=request, volunteer=volunteer, offered_by=user_of(by))
    except IntegrityError:  # another coordinator asked someone at the same moment (SQLite takes no row lock)
        raise ValidationError(_("This request is not waiting for a volunteer any more.")) from None
    request.status = HelpRequest.Status.OFFERED
    request.volunteer = volunteer
    request.save(update_fields=["status", "volunteer"])
    event_record(
        by=by,
        action="help_request.offer",
        obj=request,
        house=request.house,
        changes={"volunteer": volunteer.pk},
        label=_label(request),
    )
    from ..tasks import help as tasks

    outbox.enqueue(tasks.send_help_email, request.pk, "offered", None)
    return offer


@transaction.atomic
def help_offer_answer(*, offer: HelpOffer, accept: bool, by) -> HelpOffer:
    """The volunteer accepts (the request is matched with them; the requester is told a volunteer will help) or
    declines (the request waits for a volunteer again; the coordinator sees the declined offer)."""
    request = _locked(offer.request)
    offer = HelpOffer.objects.select_for_update().get(pk=offer.pk)
    if offer.status != HelpOffer.Status.OFFERED or request.status != HelpRequest.Status.OFFERED:
        raise ValidationError(_("This question has been answered or withdrawn already."))
    now = timezone.now()
    offer.status = HelpOffer.Status.ACCEPTED if accept else HelpOffer.Status.DECLINED
    offer.answered_at = now
    offer.save(update_fields=["status", "answered_at"])
    if accept:
        request.status, request.volunteer, request.matched_at = HelpRequest.Status.MATCHED, offer.volunteer, now
    else:
        request.status, request.volunteer = HelpRequest.Status.OPEN, None
    request.save(update_fields=["status", "volunteer", "matched_at"])
    event_record(
        by=by,
        action="help_request.answer",
        obj=request,
        house=request.house,
        changes={"accepted": accept, "volunteer": offer.volunteer_id},
        label=_label(request),
    )
    if accept:  # matched requests are counted on the day they were matched
        days_changed(house_id=request.house_id, days=[timezone.localdate(now)])
    from ..tasks import help as tasks

    if accept:
        outbox.enqueue(tasks.send_help_email, request.pk, "matched", None)
    return offer


@transaction.atomic
def help_request_close(*, request: HelpRequest, happened: bool, minutes: int | None, by) -> HelpRequest:
    """After the day: it happened (done, with the minutes it took, booked as approved hours of the volunteer) or
    it did not."""
    request = _locked(request)
    if request.status != HelpRequest.Status.MATCHED:
        raise ValidationError(_("Only a request a volunteer took on can be closed."))
    if request.wanted_on > timezone.localdate():
        raise ValidationError(_("You can say whether it happened from the day itself on."))
    if happened:
        if minutes is None or not 1 <= minutes <= MAX_MINUTES:
            raise ValidationError({"minutes": _("Give the time it took: at least 1 minute, at most 24 hours.")})
    else:
        minutes = None
    now = timezone.now()
    request.status = HelpRequest.Status.DONE if happened else HelpRequest.Status.NOT_HAPPENED
    request.minutes_spent = minutes
    request.closed_at = now
    request.save(update_fields=["status", "minutes_spent", "closed_at"])
    if happened:
        HoursEntry.objects.create(
            volunteer=request.volunteer,
            date=request.wanted_on,
            minutes=minutes,
            source=HoursEntry.Source.NEIGHBOUR_HELP,
            description=str(request.get_kind_display())[:300],
            help_request=request,
            status=HoursEntry.Status.APPROVED,
            created_by=user_of(by),
            decided_at=now,
            decided_by=user_of(by),
        )
    event_record(
        by=by,
        action="help_request.close",
        obj=request,
        house=request.house,
        changes={"happened": happened, "minutes": minutes},
        label=_label(request),
    )
    days_changed(house_id=request.house_id, days=[request.wanted_on, timezone.localdate(now)])
    return request


@transaction.atomic
def help_request_cancel(*, request: HelpRequest, by) -> HelpRequest:
    """The requester (or whoever posted it, or the coordinator) cancels a request that is still open, offered or
    matched; an open question to a volunteer is withdrawn and a matched volunteer is told."""
    request = _locked(request)
    if request.status not in HelpRequest.OPEN_STATES:
        raise ValidationError(_("This request is closed already."))
    previous = request.status
    HelpOffer.objects.filter(request=request, status=HelpOffer.Status.OFFERED).update(
        status=HelpOffer.Status.WITHDRAWN, answered_at=timezone.now()
    )
    request.status = HelpRequest.Status.CANCELLED
    request.closed_at = timezone.now()
    request.save(update_fields=["status", "closed_at"])
    event_record(
        by=by,
        action="help_request.cancel",
        obj=request,
        house=request.house,
        changes={"status": [previous, request.status]},
        label=_label(request),
    )
    if previous == HelpRequest.Status.MATCHED:
        days_changed(house_id=request.house_id, days=[request.wanted_on])
    if previous in (HelpRequest.Status.MATCHED, HelpRequest.Status.OFFERED) and request.volunteer_id:
        from ..tasks import help as tasks

        outbox.enqueue(tasks.send_help_email, request.pk, "cancelled", None)
    return request


def help_requests_follow_up(*, today: dt.date | None = None) -> list[int]:
    """Matched requests whose day is past and whose volunteer was not asked yet: claim each with one conditional
    UPDATE (so a second run, or a run beside this one, asks nobody twice) and queue the "did it happen?" e-mail.
    Returns the ids claimed."""
    today = today or timezone.localdate()
    candidates = list(
        HelpRequest.objects.filter(
            status=HelpRequest.Status.MATCHED, wanted_on__lt=today, followed_up_at__isnull=True
        ).values_list("pk", flat=True)
    )
    claimed = []
    from ..tasks import help as tasks

    for pk in candidates:
        with transaction.atomic():
            won = HelpRequest.objects.filter(
                pk=pk, status=HelpRequest.Status.MATCHED, followed_up_at__isnull=True
            ).update(followed_up_at=timezone.now())
            if won:
                outbox.enqueue(tasks.send_help_email, pk, "follow_up", None)
                claimed.append(pk)
    return claimed


@transaction.atomic
def help_contacts_prune(*, by, now: dt.datetime, days: int) -> int:
    """Wipe the requester's contact details (and the description) of requests closed or cancelled `days` or more
    before `now`; the kind, days and status stay for the figures. Safe to run twice. Retention category
    "help_contacts" (privacy.retention), applied daily by privacy.services.retention.retention_apply."""
    cutoff = now - dt.timedelta(days=days)
    wiped = (
        HelpRequest.objects.filter(status__in=CLOSED_STATES, closed_at__lte=cutoff)
        .exclude(requester_name="", requester_phone="", requester_email="", requester_address="")
        .update(requester_name="", requester_phone="", requester_email="", requester_address="", description="")
    )
    if wiped:
        event_record(by=by, action="help.contacts_prune", changes={"wiped": wiped, "closed_before": cutoff})
    return wiped


# --- Erasure of an account (issue 11, "My data": privacy.services.mydata.user_erase) -----------------------------


def user_data_scrub(*, user, by) -> dict[str, int]:
    """Part of erasing `user`'s account, inside its transaction. Each burenhulp request the account asked stays
    as it is (kind, day, status and the volunteer's time count), wiped of the requester's name, contact details
    and description, as the contact retention does after closing. A request still open keeps its status (a figure
    may count it); without contact details the coordinator closes it."""
    wiped = HelpRequest.objects.filter(requester=user).update(
        requester_name="", requester_phone="", requester_email="", requester_address="", description=""
    )
    return {"help_requests_wiped": wiped}


# --- End of erasure ------------------------------------------------------------------------------------------------
