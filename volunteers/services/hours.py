"""Every write of volunteer hours and the volunteer allowance (vrijwilligersvergoeding).

Hours: a volunteer enters hours they gave (`hours_submit`), the coordinator approves or rejects them
(`hours_decide`). Hours from shifts and burenhulp are created approved by the rosters and burenhulp services.

Allowance: `allowance_pay` records a payment for one month and refuses one that would exceed a cap of that year
(`AllowanceCaps`, data): the hourly cap for the volunteer's age, the monthly cap and the yearly cap. The choices:
- a payment covers hours the coordinator approved: the hours paid for a month (earlier payments plus this one) can
  not exceed the volunteer's approved hours of that month at this house, and the amount paid for the month (earlier
  payments plus this one) can not exceed those paid hours times the hourly cap. So two payments cannot each claim
  the same hours, and hours typed in cannot stand in for hours that were never approved;
- the hourly cap is that of the volunteer's age on the LAST day of the month paid for (someone who turns 21 in
  June gets the adult cap for June);
- without a date of birth a payment is refused: the hourly cap depends on the age;
- the caps count per volunteer per house (one `Volunteer` row): each house, like each organisation, answers for
  its own volunteer allowance, so someone who volunteers at two houses has the caps at each. They count the
  payments by the month paid for (not the day paid on), as the yearly statement does;
- the volunteer's row is locked while the caps are checked, so two payments at once cannot both fit.
"""

import calendar
import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q, Sum
from django.utils import timezone
from django.utils.formats import date_format, number_format
from django.utils.translation import gettext as _

from accounts import policy
from audit.services import event_record, user_of
from huizen import outbox
from huizen.forms import FIRST_DAY
from huizen.text import checked_reason, plain_text
from locations.services import days_changed

from ..models import AllowanceCaps, AllowancePayment, HoursEntry, Volunteer
from .people import hidden

MAX_MINUTES_A_DAY = 24 * 60
CENT = Decimal("0.01")


def _lock_volunteer(volunteer: Volunteer) -> Volunteer:
    return Volunteer.objects.select_for_update().select_related("house").get(pk=volunteer.pk)


def _lock_person(volunteer: Volunteer) -> Volunteer:
    """Lock this volunteer's row and the same person's rows at other houses (for the 24 hours a day) in ONE query,
    in pk order: two submissions of one person at two houses then wait for each other instead of deadlocking."""
    person = Q(pk=volunteer.pk)
    if volunteer.user_id:
        person |= Q(user_id=volunteer.user_id)
    rows = Volunteer.objects.select_for_update(of=("self",)).select_related("house").filter(person).order_by("pk")
    return next(row for row in rows if row.pk == volunteer.pk)


def _euro(value: Decimal) -> str:
    return "€ " + number_format(value.quantize(CENT), decimal_pos=2, use_l10n=True, force_grouping=True)


def _number(value: Decimal) -> str:
    """A number of hours such as "12,5" (at most two decimals, rounded down)."""
    value = value.quantize(CENT, rounding="ROUND_DOWN").normalize()
    return number_format(value.quantize(Decimal(1)) if value == value.to_integral() else value, use_l10n=True)


def hours_text(minutes: int) -> str:
    """Minutes as hours and minutes, such as "3:15"."""
    return f"{minutes // 60}:{minutes % 60:02d}"


# --- hours -----------------------------------------------------------------------------------------------------


def _minutes_on_day(volunteer: Volunteer, date: dt.date) -> int:
    """Minutes already entered (waiting or approved) for `date` by this person, at every house they volunteer."""
    people = Q(volunteer=volunteer)
    if volunteer.user_id:
        people |= Q(volunteer__user_id=volunteer.user_id)
    total = (
        HoursEntry.objects.filter(people, date=date)
        .exclude(status=HoursEntry.Status.REJECTED)
        .aggregate(total=Sum("minutes"))["total"]
    )
    return total or 0


@transaction.atomic
def hours_submit(*, volunteer: Volunteer, date: dt.date, minutes: int, description: str, by) -> HoursEntry:
    """The volunteer (`by`, or a coordinator of the house on their behalf) enters hours they gave on `date`; they
    wait for the coordinator's approval."""
    actor = user_of(by)
    if actor is None or (
        actor.pk != volunteer.user_id and not policy.may(actor, policy.Action.MANAGE_VOLUNTEERS, volunteer.house)
    ):
        raise ValidationError(_("You can only enter your own hours."))
    volunteer = _lock_person(volunteer)
    errors: dict[str, list[str]] = {}
    if volunteer.status != Volunteer.Status.ACCEPTED:
        raise ValidationError(_("Only an accepted volunteer of the house can enter hours."))
    today = timezone.localdate()
    if date is None or date < FIRST_DAY:
        errors["date"] = [_("Choose a date from 2000 on.")]
    elif date > today:
        errors["date"] = [_("Choose a date that has passed: today or earlier.")]
    elif volunteer.start_date and date < volunteer.start_date:
        errors["date"] = [
            _("You volunteer here since %(day)s. Choose that day or later.")
            % {"day": date_format(volunteer.start_date, "j F Y")}
        ]
    elif volunteer.end_date and date > volunteer.end_date:
        errors["date"] = [
            _("You stopped volunteering here on %(day)s. Choose that day or earlier.")
            % {"day": date_format(volunteer.end_date, "j F Y")}
        ]
    if not isinstance(minutes, int) or not 1 <= minutes <= MAX_MINUTES_A_DAY:
        errors["minutes"] = [_("Enter at least 1 minute and at most 24 hours.")]
    description = (description or "").strip()
    max_length = HoursEntry._meta.get_field("description").max_length
    if not description:
        errors["description"] = [_("Write what you did.")]
    elif len(description) > max_length:
        errors["description"] = [_("Keep it to %(limit)d characters at most.") % {"limit": max_length}]
    else:
        try:
            plain_text(description)
        except ValidationError as error:
            errors["description"] = error.messages
    if errors:
        raise ValidationError(errors)
    already = _minutes_on_day(volunteer, date)
    if already + minutes > MAX_MINUTES_A_DAY:
        left = MAX_MINUTES_A_DAY - already
        raise ValidationError(
            {
                "minutes": _(
                    "A day has 24 hours. For %(day)s you already entered %(already)s hours; at most %(left)s more."
                )
                % {"day": date_format(date, "j F Y"), "already": hours_text(already), "left": hours_text(left)}
            }
        )
    entry = HoursEntry(
        volunteer=volunteer,
        date=date,
        minutes=minutes,
        source=HoursEntry.Source.OWN,
        description=description,
        status=HoursEntry.Status.SUBMITTED,
        created_by=actor,
    )
    entry.full_clean()
    entry.save()
    event_record(
        by=by,
        action="hours.submit",
        obj=entry,
        house=volunteer.house,
        changes={"date": date, "minutes": minutes, "description": hidden(description)},
        label=f"#{volunteer.pk} {date:%Y-%m-%d}",
    )
    return entry


@transaction.atomic
def hours_decide(*, entry: HoursEntry, approve: bool, reason: str = "", by) -> HoursEntry:
    """The coordinator approves hours a volunteer entered, or rejects them with a reason (the volunteer gets an
    e-mail). Only hours that wait can be decided; the day's report figures are derived again."""
    entry = HoursEntry.objects.select_for_update(of=("self",)).select_related("volunteer__house").get(pk=entry.pk)
    if entry.status != HoursEntry.Status.SUBMITTED:
        raise ValidationError(_("These hours were already decided on."))
    if approve:
        reason = (reason or "").strip()[: HoursEntry._meta.get_field("decision_reason").max_length]
        if reason:
            plain_text(reason)
        status = HoursEntry.Status.APPROVED
    else:
        reason = checked_reason(
            reason,
            max_length=HoursEntry._meta.get_field("decision_reason").max_length,
            missing=_("Give a reason; the volunteer will read it."),
        )
        status = HoursEntry.Status.REJECTED
    old_status = entry.status
    entry.status, entry.decision_reason = status, reason
    entry.decided_at, entry.decided_by = timezone.now(), user_of(by)
    entry.save(update_fields=["status", "decision_reason", "decided_at", "decided_by"])
    house = entry.volunteer.house
    days_changed(house_id=house.pk, days=[entry.date])
    event_record(
        by=by,
        action="hours.decide",
        obj=entry,
        house=house,
        changes={"status": [old_status, status], "reason": hidden(reason)},
        label=f"#{entry.volunteer_id} {entry.date:%Y-%m-%d}",
    )
    if status == HoursEntry.Status.REJECTED:
        from ..tasks import hours as tasks

        outbox.enqueue(tasks.send_hours_rejected_email, entry.pk)
    return entry


@transaction.atomic
def hours_record(*, volunteer: Volunteer, date: dt.date, minutes: int, description: str, by) -> HoursEntry:
    """A coordinator records hours for a volunteer of their house (one without an account, or on paper): entered
    and approved at once, both in the history, with the same rules as `hours_submit`."""
    if user_of(by) is None or not policy.may(by, policy.Action.MANAGE_VOLUNTEERS, volunteer.house):
        raise ValidationError(_("Only a coordinator of the house can record hours for a volunteer."))
    entry = hours_submit(volunteer=volunteer, date=date, minutes=minutes, description=description, by=by)
    return hours_decide(entry=entry, approve=True, reason="", by=by)


# --- allowance ---------------------------------------------------------------------------------------------------


def month_first(day: dt.date) -> dt.date:
    return day.replace(day=1)


def month_last(day: dt.date) -> dt.date:
    return day.replace(day=calendar.monthrange(day.year, day.month)[1])


def age_on(date_of_birth: dt.date, day: dt.date) -> int:
    """Age in whole years on `day` (born on 29 February: a year older on 1 March in other years)."""
    return day.year - date_of_birth.year - ((day.month, day.day) < (date_of_birth.month, date_of_birth.day))


def hourly_cap(caps: AllowanceCaps, date_of_birth: dt.date, month: dt.date) -> Decimal:
    """The hourly cap for the volunteer's age on the last day of `month`."""
    young = age_on(date_of_birth, month_last(month)) < caps.adult_age
    return caps.hourly_young if young else caps.hourly_adult


@dataclass(frozen=True)
class Room:
    """What is left under the caps of a month for one volunteer."""

    caps: AllowanceCaps
    hourly: Decimal
    paid_month: Decimal
    paid_year: Decimal
    paid_month_hours: Decimal
    approved_minutes: int  # approved minutes of the month

    @property
    def hours_left(self) -> Decimal:
        """Approved hours of the month not paid yet, rounded down to hundredths (never more than approved)."""
        left = (Decimal(self.approved_minutes) / 60).quantize(CENT, rounding="ROUND_DOWN") - self.paid_month_hours
        return max(left, Decimal(0))

    @property
    def month_left(self) -> Decimal:
        return max(self.caps.monthly - self.paid_month, Decimal(0))

    @property
    def year_left(self) -> Decimal:
        return max(self.caps.yearly - self.paid_year, Decimal(0))


def allowance_room(volunteer: Volunteer, month: dt.date) -> Room | None:
    """The caps of `month`'s year and what this volunteer was paid already; None without caps for the year or
    without a date of birth."""
    caps = AllowanceCaps.objects.filter(year=month.year).first()
    if caps is None or volunteer.date_of_birth is None:
        return None
    first = month_first(month)
    payments = AllowancePayment.objects.filter(volunteer=volunteer, month__year=month.year)
    totals = payments.aggregate(  # one query for the three sums
        paid_year=Sum("amount"),
        paid_month=Sum("amount", filter=Q(month=first)),
        paid_month_hours=Sum("hours", filter=Q(month=first)),
    )
    approved = HoursEntry.objects.filter(
        volunteer=volunteer, status=HoursEntry.Status.APPROVED, date__gte=first, date__lte=month_last(first)
    ).aggregate(total=Sum("minutes"))["total"]
    return Room(
        caps=caps,
        hourly=hourly_cap(caps, volunteer.date_of_birth, month),
        paid_month=totals["paid_month"] or Decimal(0),
        paid_year=totals["paid_year"] or Decimal(0),
        paid_month_hours=totals["paid_month_hours"] or Decimal(0),
        approved_minutes=approved or 0,
    )


@transaction.atomic
def allowance_pay(
    *, volunteer: Volunteer, month: dt.date, hours: Decimal, amount: Decimal, paid_on: dt.date, by
) -> AllowancePayment:
    """Record an allowance paid to `volunteer` for `month` (any day of it) covering `hours` of their approved hours
    of that month. Refused, with the reason, when those hours are not approved or paid already, or when it would
    exceed the hourly, monthly or yearly cap of that year. Checked while the volunteer's row is locked."""
    volunteer = _lock_volunteer(volunteer)
    if month is None or not dt.date(2000, 1, 1) <= month <= dt.date(2099, 12, 31):
        raise ValidationError({"month": _("Choose a month between 2000 and 2099.")})
    month = month_first(month)
    if paid_on is None or not dt.date(2000, 1, 1) <= paid_on <= dt.date(2099, 12, 31):
        raise ValidationError({"paid_on": _("Choose a date between 2000 and 2099.")})
    if paid_on > timezone.localdate():
        raise ValidationError({"paid_on": _("Record a payment once it is paid: the date cannot be in the future.")})
    if volunteer.status not in (Volunteer.Status.ACCEPTED, Volunteer.Status.STOPPED):
        raise ValidationError({"volunteer": _("Only a volunteer of the house can be paid an allowance.")})
    hours, amount = Decimal(hours), Decimal(amount)
    errors = {}
    if not hours.is_finite() or hours <= 0 or hours > 744 or hours != hours.quantize(CENT):
        errors["hours"] = [_("Enter the hours as a number above 0, such as 12 or 12.5.")]
    if not amount.is_finite() or amount <= 0 or amount > 99999 or amount != amount.quantize(CENT):
        errors["amount"] = [_("Enter the amount in euros above 0, with at most two decimals.")]
    if errors:
        raise ValidationError(errors)
    caps = AllowanceCaps.objects.filter(year=month.year).first()
    if caps is None:
        raise ValidationError({"month": _("There are no caps for %(year)s yet.") % {"year": month.year}})
    if volunteer.date_of_birth is None:
        raise ValidationError(
            {
                "volunteer": _(
                    "Record %(name)s's date of birth first: under %(age)s the hourly cap is lower (%(young)s)."
                )
                % {"name": volunteer.short_name, "age": caps.adult_age, "young": _euro(caps.hourly_young)}
            }
        )
    room = allowance_room(volunteer, month)
    month_name = date_format(month, "F Y")
    if (room.paid_month_hours + hours) * 60 > room.approved_minutes:  # in minutes: exact
        if not room.approved_minutes:
            message = _(
                "%(name)s has no approved hours in %(month)s. An allowance covers approved hours: approve them first."
            ) % {"name": volunteer.short_name, "month": month_name}
        else:
            message = _(
                "%(name)s has %(approved)s approved hours in %(month)s and %(paid)s of them are paid already: "
                "at most %(left)s hours are left."
            ) % {
                "name": volunteer.short_name,
                "month": month_name,
                "approved": _number(Decimal(room.approved_minutes) / 60),
                "paid": _number(room.paid_month_hours),
                "left": _number(room.hours_left),
            }
        raise ValidationError({"hours": message})
    paid_hours = room.paid_month_hours + hours
    if room.paid_month + amount > paid_hours * room.hourly:
        most = (paid_hours * room.hourly).quantize(CENT, rounding="ROUND_DOWN")
        raise ValidationError(
            {
                "amount": _(
                    "Above the hourly cap of %(cap)s an hour for %(year)s: for %(hours)s hours paid for %(month)s "
                    "at most %(most)s, of which %(paid)s is paid already, so at most %(left)s is left."
                )
                % {
                    "cap": _euro(room.hourly),
                    "year": month.year,
                    "hours": _number(paid_hours),
                    "month": month_name,
                    "most": _euro(most),
                    "paid": _euro(room.paid_month),
                    "left": _euro(max(most - room.paid_month, Decimal(0))),
                }
            }
        )
    if room.paid_month + amount > caps.monthly:
        raise ValidationError(
            {
                "amount": _(
                    "Above the monthly cap of %(cap)s for %(year)s: %(paid)s was paid for %(month)s already, "
                    "so at most %(left)s is left."
                )
                % {
                    "cap": _euro(caps.monthly),
                    "year": month.year,
                    "paid": _euro(room.paid_month),
                    "month": date_format(month, "F Y"),
                    "left": _euro(room.month_left),
                }
            }
        )
    if room.paid_year + amount > caps.yearly:
        raise ValidationError(
            {
                "amount": _(
                    "Above the yearly cap of %(cap)s for %(year)s: %(paid)s was paid for %(year)s already, "
                    "so at most %(left)s is left."
                )
                % {
                    "cap": _euro(caps.yearly),
                    "year": month.year,
                    "paid": _euro(room.paid_year),
                    "left": _euro(room.year_left),
                }
            }
        )
    payment = AllowancePayment(
        volunteer=volunteer, month=month, hours=hours, amount=amount, paid_on=paid_on, recorded_by=user_of(by)
    )
    payment.full_clean()
    payment.save()
    event_record(
        by=by,
        action="allowance.pay",
        obj=payment,
        house=volunteer.house,
        changes={"month": month, "hours": str(hours), "amount": str(amount), "paid_on": paid_on},
        label=f"#{volunteer.pk} {month:%Y-%m}",
    )
    return payment
