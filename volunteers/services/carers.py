"""Services of volunteering: informal carers (mantelzorgers), their support contacts and the yearly
mantelzorgwaardering.

A carer is saved only with their explicit consent (what was agreed, when, and who recorded it); nothing is stored
about the person cared for. The waardering's rules are data per municipality and year (`WaarderingRules`); one
application per carer per year, which the database enforces too. Every write records an audit event with its actor
in its own transaction, without the carer's name in the event's label.
"""

import datetime as dt

from dateutil.relativedelta import relativedelta
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from audit.services import event_record
from huizen.outbox import enqueue
from huizen.text import plain_text, single_line
from locations.models import Organisation
from locations.services import days_changed
from privacy.services.mydata import ANONYMOUS_NAME

from ..models import Carer, SupportContact, SupportKind, WaarderingApplication, WaarderingRules

DEFAULT_CONSENT_TEXT = gettext_lazy(
    "The carer agrees that the house keeps their name, contact details, relation, hours of care and the support "
    "contacts, to support them and to apply for the mantelzorgwaardering. The house shares nothing with others "
    "without asking. The carer may ask at any time to see or delete these details."
)
ALREADY_APPLIED = gettext_lazy("An application for the waardering has already been made for this carer this year.")
NOTE_MAX = 500
# The least hours of care a week each band stands for: the band qualifies when this is at least the rules' minimum.
BAND_MIN_HOURS = {
    Carer.HoursBand.UNDER_8: 0,
    Carer.HoursBand.FROM_8: 8,
    Carer.HoursBand.FROM_16: 16,
    Carer.HoursBand.FROM_24: 24,
}
CARER_FIELDS = ("first_name", "last_name", "email", "phone", "language", "relation", "hours_band", "caring_since")
# Fields whose values may go into the history; names and contact details are only named as changed.
PLAIN_FIELDS = {"language", "relation", "hours_band", "caring_since"}


def _label(carer: Carer) -> str:
    return _("Carer #%(id)s") % {"id": carer.pk}


def _check_carer(carer: Carer, *, today: dt.date) -> None:
    errors: dict[str, list[str]] = {}
    for name in ("first_name", "last_name", "phone", "email"):
        try:
            single_line(getattr(carer, name) or "")
        except ValidationError as error:
            errors.setdefault(name, []).extend(error.messages)
    try:
        plain_text(carer.consent_text or "")
    except ValidationError as error:
        errors.setdefault("consent_text", []).extend(error.messages)
    if not carer.first_name.strip():
        errors.setdefault("first_name", []).append(_("Fill in the first name."))
    if not (carer.phone or "").strip() and not (carer.email or "").strip():
        errors.setdefault("phone", []).append(_("Fill in a phone number or an e-mail address, so we can reach them."))
    if carer.caring_since and carer.caring_since > today:
        errors.setdefault("caring_since", []).append(_("Caring since cannot be in the future."))
    if carer.consent_given_on and carer.consent_given_on > today:
        errors.setdefault("consent_given_on", []).append(_("The date of consent cannot be in the future."))
    if carer.ended_on and carer.ended_on > today:
        errors.setdefault("ended_on", []).append(_("The end date cannot be in the future."))
    if errors:
        raise ValidationError(errors)
    carer.full_clean(exclude=["consent_recorded_by"])


def carer_register(
    *,
    house,
    first_name: str,
    last_name: str = "",
    email: str = "",
    phone: str = "",
    language: str = "nl",
    relation: str,
    hours_band: str,
    caring_since: dt.date,
    consent_given_on: dt.date | None,
    consent_text: str,
    by,
) -> Carer:
    """Register an informal carer of `house` with their consent. Without consent (no date, or nothing said of
    what was agreed) nothing is saved."""
    consent_text = (consent_text or "").strip()
    if consent_given_on is None or not consent_text:
        raise ValidationError(
            {"consent": _("Record the carer's consent first: without it we may not keep their details.")}
        )
    carer = Carer(
        house=house,
        first_name=(first_name or "").strip(),
        last_name=(last_name or "").strip(),
        email=(email or "").strip(),
        phone=(phone or "").strip(),
        language=language,
        relation=relation,
        hours_band=hours_band,
        caring_since=caring_since,
        consent_given_on=consent_given_on,
        consent_text=consent_text,
        consent_recorded_by=by,
    )
    _check_carer(carer, today=timezone.localdate())
    with transaction.atomic():
        carer.save()
        event_record(
            by=by,
            action="carer.register",
            obj=carer,
            house=house,
            label=_label(carer),
            changes={"relation": carer.relation, "hours_band": carer.hours_band},
        )
    return carer


def carer_update(*, carer: Carer, by, **fields) -> Carer:
    """Change a carer's details (not the consent: that was given once, as recorded)."""
    unknown = set(fields) - set(CARER_FIELDS)
    if unknown:
        raise ValueError(f"Not a carer's detail: {sorted(unknown)}")
    changes = {}
    for name, value in fields.items():
        if isinstance(value, str):
            value = value.strip()
        old = getattr(carer, name)
        if old != value:
            changes[name] = [old, value] if name in PLAIN_FIELDS else ["…", "…"]
            setattr(carer, name, value)
    if not changes:
        return carer
    _check_carer(carer, today=timezone.localdate())
    with transaction.atomic():
        carer.save(update_fields=[name for name in fields if name in changes])
        event_record(by=by, action="carer.update", obj=carer, house=carer.house, label=_label(carer), changes=changes)
    return carer


def carer_end(*, carer: Carer, ended_on: dt.date, by) -> Carer:
    """End the house's support of a carer; their history stays."""
    if carer.ended_on:
        raise ValidationError(_("The support of this carer has already ended."))
    if ended_on > timezone.localdate():
        raise ValidationError({"ended_on": _("The end date cannot be in the future.")})
    if ended_on < carer.consent_given_on:
        raise ValidationError({"ended_on": _("The end date cannot be before the carer was registered.")})
    with transaction.atomic():
        carer.ended_on = ended_on
        carer.save(update_fields=["ended_on"])
        event_record(
            by=by,
            action="carer.end",
            obj=carer,
            house=carer.house,
            label=_label(carer),
            changes={"ended_on": [None, ended_on]},
        )
    return carer


def support_contact_record(*, carer: Carer, date: dt.date, kind: str, note: str = "", by) -> SupportContact:
    """Log one contact in which the house supported `carer`; the day's figures are derived again."""
    note = (note or "").strip()
    errors: dict[str, list[str]] = {}
    today = timezone.localdate()
    if date > today:
        errors["date"] = [_("The date cannot be in the future.")]
    elif date < carer.consent_given_on - dt.timedelta(days=366):
        errors["date"] = [_("This date lies long before the carer was registered. Check the date.")]
    if kind not in SupportKind.values:
        errors["kind"] = [_("Choose the kind of support.")]
    if len(note) > NOTE_MAX:
        errors["note"] = [_("Keep the note to %(limit)d characters at most.") % {"limit": NOTE_MAX}]
    else:
        try:
            plain_text(note)
        except ValidationError as error:
            errors["note"] = error.messages
    if carer.ended_on:
        errors["__all__"] = [_("The support of this carer has ended.")]
    if errors:
        raise ValidationError(errors)
    contact = SupportContact(carer=carer, date=date, kind=kind, note=note, recorded_by=by)
    with transaction.atomic():
        contact.save()
        event_record(
            by=by,
            action="support_contact.record",
            obj=contact,
            house=carer.house,
            label=_("Support contact of carer #%(id)s") % {"id": carer.pk},
            changes={"kind": kind, "date": date},
        )
        days_changed(house_id=carer.house_id, days=[date])
    return contact


# --- mantelzorgwaardering ----------------------------------------------------------------------------------------


def waardering_municipality() -> Organisation | None:
    """The municipality whose rules apply: the organisation named by the setting WAARDERING_MUNICIPALITY (a slug),
    else the only municipality organisation when there is exactly one."""
    municipalities = Organisation.objects.filter(kind=Organisation.Kind.MUNICIPALITY)
    slug = getattr(settings, "WAARDERING_MUNICIPALITY", "")
    if slug:
        return municipalities.filter(slug=slug).first()
    found = list(municipalities[:2])
    return found[0] if len(found) == 1 else None


def waardering_rules_for(year: int) -> WaarderingRules | None:
    municipality = waardering_municipality()
    if municipality is None:
        return None
    return WaarderingRules.objects.filter(municipality=municipality, year=year).first()


def waardering_rules_set(
    *,
    municipality: Organisation,
    year: int,
    amount,
    opens_on: dt.date,
    closes_on: dt.date,
    description: str = "",
    min_hours_per_week: int = 8,
    min_months: int = 3,
    by,
) -> WaarderingRules:
    """Set (or change) a municipality's rules for one year."""
    if municipality.kind != Organisation.Kind.MUNICIPALITY:
        raise ValidationError({"municipality": _("Choose a municipality.")})
    if opens_on and closes_on and closes_on < opens_on:
        raise ValidationError({"closes_on": _("The window closes before it opens.")})
    if opens_on and opens_on.year != year:
        raise ValidationError({"opens_on": _("The window opens in another year than the rules are for.")})
    with transaction.atomic():
        rules = WaarderingRules.objects.select_for_update().filter(municipality=municipality, year=year).first()
        created = rules is None
        rules = rules or WaarderingRules(municipality=municipality, year=year)
        new = {
            "amount": amount,
            "opens_on": opens_on,
            "closes_on": closes_on,
            "description": (description or "").strip(),
            "min_hours_per_week": min_hours_per_week,
            "min_months": min_months,
        }
        changes = {name: [None if created else getattr(rules, name), value] for name, value in new.items()}
        for name, value in new.items():
            setattr(rules, name, value)
        rules.full_clean()
        rules.save()
        event_record(by=by, action="waardering_rules.set", obj=rules, changes=changes)
    return rules


def waardering_refusals(carer: Carer, rules: WaarderingRules, on: dt.date) -> list[str]:
    """Why `carer` does not qualify by `rules` on `on` (empty: they qualify)."""
    reasons = []
    if BAND_MIN_HOURS[carer.hours_band] < rules.min_hours_per_week:
        reasons.append(
            _("The rules ask for at least %(hours)d hours of care a week; this carer gives %(band)s.")
            % {"hours": rules.min_hours_per_week, "band": carer.get_hours_band_display()}
        )
    if carer.caring_since > on - relativedelta(months=rules.min_months):
        reasons.append(
            _("The rules ask for care for at least %(months)d months; this carer has cared since %(since)s.")
            % {"months": rules.min_months, "since": carer.caring_since.strftime("%d-%m-%Y")}
        )
    return reasons


def iban_valid(iban: str) -> bool:
    """The IBAN's shape and its check digits (ISO 13616, mod 97)."""
    if not (15 <= len(iban) <= 34) or not iban[:2].isalpha() or not iban[2:4].isdigit() or not iban.isalnum():
        return False
    if not iban.isascii():
        return False
    rearranged = iban[4:] + iban[:4]
    return int("".join(str(int(char, 36)) for char in rearranged)) % 97 == 1


def normalise_iban(value: str) -> str:
    return "".join((value or "").split()).upper()


def waardering_apply(
    *, carer: Carer, year: int, taken_at_desk: bool = True, payee_name: str = "", iban: str = "", by
) -> WaarderingApplication:
    """Apply for the year's mantelzorgwaardering for `carer`: within the rules' window, if the carer qualifies.
    One application per carer per year: a second (also one sent at the same moment) is refused."""
    today = timezone.localdate()
    rules = waardering_rules_for(year)
    if rules is None:
        raise ValidationError(_("There are no mantelzorgwaardering rules for %(year)s yet.") % {"year": year})
    if not rules.opens_on <= today <= rules.closes_on:
        raise ValidationError(
            _("You can apply from %(opens)s to %(closes)s.")
            % {"opens": rules.opens_on.strftime("%d-%m-%Y"), "closes": rules.closes_on.strftime("%d-%m-%Y")}
        )
    if carer.ended_on:
        raise ValidationError(_("The support of this carer has ended."))
    reasons = waardering_refusals(carer, rules, today)
    if reasons:
        raise ValidationError(reasons)
    payee_name, iban = (payee_name or "").strip(), normalise_iban(iban)
    if rules.description:  # paid in kind: no account is paid into, so no IBAN is kept
        iban = ""
    errors: dict[str, list[str]] = {}
    if iban and not iban_valid(iban):
        errors["iban"] = [_("This IBAN is not right: check the letters and digits.")]
    if not iban and not rules.description:
        errors["iban"] = [_("Fill in the IBAN the waardering is paid to.")]
    if iban and not payee_name:
        errors["payee_name"] = [_("Fill in the name of the account holder.")]
    if len(payee_name) > 150:
        errors["payee_name"] = [_("Keep the name to 150 characters at most.")]
    else:
        try:
            single_line(payee_name)
        except ValidationError as error:
            errors["payee_name"] = error.messages
    if errors:
        raise ValidationError(errors)
    if WaarderingApplication.objects.filter(carer=carer, year=year).exists():
        raise ValidationError(str(ALREADY_APPLIED))
    application = WaarderingApplication(
        carer=carer,
        rules=rules,
        year=year,
        applied_on=today,
        taken_at_desk=taken_at_desk,
        payee_name=payee_name,
        iban=iban,
        created_by=by,
    )
    try:
        with transaction.atomic():
            application.save()
            event_record(
                by=by,
                action="waardering.apply",
                obj=application,
                house=carer.house,
                label=_("Waardering %(year)s of carer #%(id)s") % {"year": year, "id": carer.pk},
                changes={"year": year, "taken_at_desk": taken_at_desk},
            )
    except IntegrityError:
        raise ValidationError(str(ALREADY_APPLIED)) from None
    return application


def waardering_decide(
    *, application: WaarderingApplication, award: bool, reason: str = "", by
) -> WaarderingApplication:
    """Award (the amount of the rules) or refuse (with a reason) an application; the carer hears by e-mail when
    they gave an address."""
    reason = (reason or "").strip()
    if not award and not reason:
        raise ValidationError({"reason": _("Say why the application is refused.")})
    if len(reason) > 300:
        raise ValidationError({"reason": _("Keep the reason to %(limit)d characters at most.") % {"limit": 300}})
    try:
        single_line(reason)
    except ValidationError as error:
        raise ValidationError({"reason": error.messages}) from None
    now = timezone.now()
    with transaction.atomic():
        application = (
            WaarderingApplication.objects.select_for_update().select_related("carer", "rules").get(pk=application.pk)
        )
        if application.status != WaarderingApplication.Status.APPLIED:
            raise ValidationError(_("This application has already been decided."))
        application.status = WaarderingApplication.Status.AWARDED if award else WaarderingApplication.Status.REFUSED
        application.amount = application.rules.amount if award else None
        application.decision_reason = reason
        application.decided_at = now
        application.decided_by = by
        application.save(update_fields=["status", "amount", "decision_reason", "decided_at", "decided_by"])
        event_record(
            by=by,
            action="waardering.decide",
            obj=application,
            house=application.carer.house,
            label=_("Waardering %(year)s of carer #%(id)s") % {"year": application.year, "id": application.carer_id},
            changes={"status": ["applied", application.status], "amount": application.amount},
        )
        days_changed(house_id=application.carer.house_id, days=[timezone.localdate(now)])
        if application.carer.email:
            from ..tasks.carers import send_waardering_decision_email

            enqueue(send_waardering_decision_email, application.pk)
    return application


def waardering_export_record(*, by, year: int, house=None, count: int, extension: str) -> None:
    """Record that `by` downloaded the payment list of `year` (of `house`, or of the network)."""
    with transaction.atomic():
        event_record(
            by=by,
            action="waardering.export",
            house=house,
            label=_("Payment list %(year)s") % {"year": year},
            changes={"year": year, "rows": count, "format": extension},
        )


# --- Retention (issue 11, retention): applied daily by privacy.services.retention.retention_apply ----------------


@transaction.atomic
def carers_prune(*, by, now: dt.datetime, days: int) -> int:
    """Wipe the name, contact details and consent text of carers whose support ended `days` or more before `now`,
    and the notes of their support contacts. The carer's row (relation, hours band, dates) and the contacts (date,
    kind) stay, so the figures stay the same; waardering applications keep what the payment list needs (category
    "waardering"). Retention category "carers"; safe to run twice."""
    from django.db.models import Q

    day = timezone.localdate(now - dt.timedelta(days=days))
    due = Carer.objects.filter(ended_on__lte=day).filter(
        ~Q(first_name=ANONYMOUS_NAME) | ~Q(last_name="") | ~Q(email="") | ~Q(phone="") | ~Q(consent_text="-")
    )
    ids = list(due.values_list("pk", flat=True))
    if not ids:
        return 0
    Carer.objects.filter(pk__in=ids).update(
        first_name=ANONYMOUS_NAME, last_name="", email="", phone="", consent_text="-"
    )
    SupportContact.objects.filter(carer_id__in=ids).exclude(note="").update(note="")
    event_record(by=by, action="carer.prune", changes={"wiped": len(ids), "ended_before": day})
    return len(ids)


@transaction.atomic
def waardering_applications_prune(*, by, now: dt.datetime, days: int) -> int:
    """Wipe the payee's name, the IBAN and the reason of mantelzorgwaardering applications whose year ended `days`
    or more before `now` (31 December counts as the year's end); the year, status and amount stay for the
    figures. Retention category "waardering"; safe to run twice."""
    from django.db.models import Q

    day = timezone.localdate(now - dt.timedelta(days=days))
    last_year = day.year if (day.month, day.day) == (12, 31) else day.year - 1
    wiped = (
        WaarderingApplication.objects.filter(year__lte=last_year)
        .filter(~Q(payee_name="") | ~Q(iban="") | ~Q(decision_reason=""))
        .update(payee_name="", iban="", decision_reason="")
    )
    if wiped:
        event_record(by=by, action="waardering.prune", changes={"wiped": wiped, "years_until": last_year})
    return wiped


# --- End of retention ----------------------------------------------------------------------------------------------
