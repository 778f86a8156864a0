"""Every write of room rental. Views, the coordinator's screens, commands and tasks call these functions.

One room is never given twice: a booking that is requested or approved claims its room through
`locations.services.room_claim` (a lock first, so people get a clear message; on PostgreSQL an exclusion
constraint as the last line of defence), the same path activity sessions take.
"""

import datetime as dt
import math
from dataclasses import dataclass
from decimal import Decimal
from typing import NamedTuple

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import Role, RoleAssignment
from audit.services import event_record, user_of
from huizen import outbox
from huizen.text import checked_reason
from locations.models import Closure, OpeningHours, RenterTier, Room, RoomOccupancy, RoomRate
from locations.selectors import claims_overlapping
from locations.services import RoomTaken, days_changed, room_claim, room_release
from privacy.services.mydata import ANONYMOUS_NAME

from . import tasks
from .models import Booking, BookingFeed, BookingSeries, new_feed_token

DAY_PART_HOURS = 4
MAX_SERIES_WEEKS = 26


@dataclass(frozen=True)
class Price:
    amount: Decimal
    deposit: Decimal
    per_hour: Decimal
    per_day_part: Decimal


def booking_price(*, room: Room, tier: str, start: dt.datetime, end: dt.datetime) -> Price:
    """The one price function. Whole day parts (4 hours) at the day-part rate, the rest by the hour (started
    half hours count), but never more for the rest than a day part costs. Free tiers pay nothing; private
    renters pay the house's party deposit on top."""
    rate = RoomRate.objects.filter(room=room, tier=tier).first()
    if rate is None:
        raise ValidationError({"tier": _("This room cannot be rented by this kind of renter. Ask the house.")})
    hours = Decimal(math.ceil((end - start).total_seconds() / 1800)) / 2
    day_parts = int(hours // DAY_PART_HOURS)
    rest = hours - day_parts * DAY_PART_HOURS
    rest_price = min(rest * rate.per_hour, rate.per_day_part) if rest else Decimal("0")
    amount = (day_parts * rate.per_day_part + rest_price).quantize(Decimal("0.01"))
    house = room.place.house
    deposit = house.party_deposit if tier == RenterTier.RESIDENT and amount > 0 else Decimal("0")
    return Price(amount=amount, deposit=deposit, per_hour=rate.per_hour, per_day_part=rate.per_day_part)


def booking_problems(
    *, room: Room, start: dt.datetime, end: dt.datetime, people: int, now: dt.datetime | None = None
) -> dict[str, list[str]]:
    """The room's rules for this time and group, as field errors (empty: fine). Overlaps are checked when the
    room is claimed."""
    now = now or timezone.now()
    errors: dict[str, list[str]] = {}

    def add(field, message):
        errors.setdefault(field, []).append(message)

    if not room.bookable:
        add("__all__", _("This room is not for rent."))
    if end <= start:
        add("end", _("The end must be after the start."))
        return errors
    for field, moment in (("start", start), ("end", end)):
        local = timezone.localtime(moment)
        if local.minute % 15 or local.second or local.microsecond:
            add(field, _("Choose a time on the quarter hour, such as 10:00, 10:15, 10:30 or 10:45."))
    minutes = (end - start).total_seconds() / 60
    if minutes < room.min_booking_minutes:
        add("end", _("Book at least %(minutes)s minutes.") % {"minutes": room.min_booking_minutes})
    if minutes > room.max_booking_minutes:
        add("end", _("Book at most %(hours)s hours.") % {"hours": f"{room.max_booking_minutes / 60:g}"})
    if start <= now:
        add("start", _("Choose a time in the future."))
    elif start > now + dt.timedelta(days=room.book_ahead_days):
        add("start", _("This room can be booked at most %(days)s days ahead.") % {"days": room.book_ahead_days})
    if people is None or people < 1:
        add("people", _("Enter the number of people: at least 1."))
    elif people > room.capacity:
        add("people", _("At most %(capacity)s people fit in this room.") % {"capacity": room.capacity})
    local_start, local_end = timezone.localtime(start), timezone.localtime(end)
    closure = (
        Closure.objects.filter(
            place_id=room.place_id, start_date__lte=local_end.date(), end_date__gte=local_start.date()
        )
        .order_by("start_date")
        .first()
    )
    if closure is not None:
        add("start", _("The place is closed then (%(reason)s).") % {"reason": closure.reason})
    elif not room.evening_use and not _within_opening_hours(room, local_start, local_end):
        add("start", _("Book within the opening hours of the place. This room is not rented outside them."))
    return errors


def _within_opening_hours(room: Room, local_start: dt.datetime, local_end: dt.datetime) -> bool:
    if local_start.date() != local_end.date():  # opening hours end before midnight, so this never fits
        return False
    return OpeningHours.objects.filter(
        place_id=room.place_id,
        weekday=local_start.weekday(),
        opens__lte=local_start.time(),
        closes__gte=local_end.time(),
    ).exists()


def renter_may_book(user) -> bool:
    """Residents book with a verified e-mail address, so the house can reach them about the booking."""
    from allauth.account.models import EmailAddress

    return EmailAddress.objects.filter(user=user, verified=True).exists()


def _check_renter(renter):
    if not renter_may_book(renter):
        raise ValidationError(_("Confirm your e-mail address first; the house sends news about your booking there."))


def _check(*, room, start, end, people, tier, rules_accepted):
    errors = booking_quote(room=room, start=start, end=end, tier=tier, people=people, availability=False).problems
    if not rules_accepted:
        errors.setdefault("rules_accepted", []).append(_("Accept the house rules to book."))
    if errors:
        raise ValidationError(errors)


def booking_label(booking: Booking) -> str:
    """How the history names a booking: room and local time, never the renter."""
    start, end = timezone.localtime(booking.start), timezone.localtime(booking.end)
    return f"{booking.room.name} {start:%d-%m-%Y %H:%M}-{end:%H:%M}"


def _days_changed(booking: Booking) -> None:
    """The booking's figures (minutes, revenue, room occupancy) are counted on the day it starts (and a booking
    past midnight also uses the next day's room time): mark those days for the rollups, in this transaction."""
    first, last = timezone.localtime(booking.start).date(), timezone.localtime(booking.end).date()
    days = [first + dt.timedelta(days=offset) for offset in range((last - first).days + 1)]
    days_changed(house_id=booking.room.place.house_id, days=days)


def _record(by, action: str, booking: Booking, changes: dict) -> None:
    event_record(
        by=by,
        action=action,
        obj=booking,
        house=booking.room.place.house,
        label=booking_label(booking),
        changes=changes,
    )


def _create(*, room, start, end, tier, purpose, people, renter, approve, by, series=None, contact=None) -> Booking:
    """Claim the room and save the booking, inside the caller's transaction."""
    price = booking_price(room=room, tier=tier, start=start, end=end)
    occupancy = room_claim(room=room, start=start, end=end, kind=RoomOccupancy.Kind.BOOKING)
    now = timezone.now()
    booking = Booking(
        room=room,
        occupancy=occupancy,
        series=series,
        start=start,
        end=end,
        renter=renter,
        tier=tier,
        purpose=purpose.strip(),
        people=people,
        price=price.amount,
        deposit=price.deposit,
        status=Booking.Status.APPROVED if approve else Booking.Status.REQUESTED,
        rules_accepted_at=now,
        created_by=user_of(by) or renter,
        decided_at=now if approve else None,
        decided_by=user_of(by) if approve else None,
        **(contact or {}),
    )
    booking.full_clean(exclude=["occupancy", "series", "renter", "created_by", "decided_by"])
    booking.save()
    _days_changed(booking)
    _record(
        by,
        "booking.book_on_behalf" if contact else "booking.request",
        booking,
        {
            "status": [None, booking.status],
            "tier": booking.tier,
            "people": booking.people,
            "price": booking.price,
            "series": series.pk if series is not None else None,
        },
    )
    return booking


def _purpose_error(purpose: str):
    if not (purpose or "").strip():
        raise ValidationError({"purpose": _("Say what the room is for.")})


@transaction.atomic
def booking_request(
    *,
    room: Room,
    start: dt.datetime,
    end: dt.datetime,
    tier: str,
    purpose: str,
    people: int,
    renter,
    rules_accepted: bool,
    by,
) -> Booking:
    """A resident asks for a room (`by`: the resident, or whoever acts for them). It is confirmed at once when
    the room needs no approval."""
    _check_renter(renter)
    _purpose_error(purpose)
    _check(room=room, start=start, end=end, people=people, tier=tier, rules_accepted=rules_accepted)
    booking = _create(
        room=room,
        start=start,
        end=end,
        tier=tier,
        purpose=purpose,
        people=people,
        renter=renter,
        approve=not room.requires_approval,
        by=by,
    )
    outbox.enqueue(tasks.send_booking_email, booking.pk, "created")
    _tell_coordinators([booking])
    return booking


def weekly_dates(start: dt.datetime, end: dt.datetime, weeks: int) -> list[tuple[dt.datetime, dt.datetime]]:
    """The same wall-clock time every week (summer time included), `weeks` times."""
    zone = timezone.get_default_timezone()
    local_start, local_end = timezone.localtime(start, zone), timezone.localtime(end, zone)
    result = []
    for week in range(weeks):
        try:
            day = local_start.date() + dt.timedelta(weeks=week)
            end_day = local_end.date() + dt.timedelta(weeks=week)
        except OverflowError:
            raise ValidationError({"date": _("Choose a date in the coming months.")}) from None
        result.append(
            (
                dt.datetime.combine(day, local_start.time(), tzinfo=zone),
                dt.datetime.combine(end_day, local_end.time(), tzinfo=zone),
            )
        )
    return result


class Week(NamedTuple):
    """One week of a (weekly) booking and what stands in its way ('' when it can be booked)."""

    start: dt.datetime
    end: dt.datetime
    problem: str


def _is_taken(room: Room, start: dt.datetime, end: dt.datetime) -> bool:
    """Read without a lock: `room_claim` decides for real when the booking is saved."""
    return claims_overlapping(RoomOccupancy.objects.filter(room=room), start=start, end=end).exists()


def booking_series_preview(
    *, room: Room, start: dt.datetime, end: dt.datetime, weeks: int, people: int, now: dt.datetime | None = None
) -> list[Week]:
    """Each week of a series with what stands in its way ('' when the room is free then). Writes nothing."""
    if not 1 <= weeks <= MAX_SERIES_WEEKS:
        raise ValidationError({"weeks": _("Book 1 to %(max)s weeks at a time.") % {"max": MAX_SERIES_WEEKS}})
    result = []
    for week_start, week_end in weekly_dates(start, end, weeks):
        errors = booking_problems(room=room, start=week_start, end=week_end, people=people, now=now)
        problem = " ".join(message for messages in errors.values() for message in messages)
        if not problem and _is_taken(room, week_start, week_end):
            problem = _("The room is already in use then.")
        result.append(Week(week_start, week_end, problem))
    return result


@dataclass(frozen=True)
class Quote:
    """What a booking (or a weekly series) would be, read without writing: the price of one booking, what stops
    it as field errors (empty: it can be booked), and each week of the series with what stands in its way."""

    start: dt.datetime
    end: dt.datetime
    price: Price | None  # None when the room has no rate for this renter
    problems: dict[str, list[str]]
    weeks: list[Week]  # empty when a problem stops the whole request

    @property
    def free_weeks(self) -> list[Week]:
        return [week for week in self.weeks if not week.problem]

    @property
    def free_count(self) -> int:
        return len(self.free_weeks)

    @property
    def total(self) -> Decimal:
        """What the renter pays for every free week: each booking its price and its deposit."""
        if self.price is None:
            return Decimal("0")
        return (self.price.amount + self.price.deposit) * self.free_count

    @property
    def ok(self) -> bool:
        return not self.problems


def booking_quote(
    *,
    room: Room,
    start: dt.datetime,
    end: dt.datetime,
    tier: str,
    people: int,
    weeks: int = 1,
    now: dt.datetime | None = None,
    availability: bool = True,
) -> Quote:
    """The one quote of a booking, for the resident's preview, the house's preview and the services that book:
    the room's rules, the price and whether the room is free, week by week for a series. Writes nothing.

    In a series a date-bound problem (closed, in the past, taken) belongs to one week and is listed with it;
    the request as a whole fails only when no week is left. Without `availability` a single booking is not
    checked against the room's claims (the service that books leaves that to `room_claim`, under its lock)."""
    now = now or timezone.now()
    problems = booking_problems(room=room, start=start, end=end, people=people, now=now)
    if weeks != 1:
        problems.pop("start", None)
    if not 1 <= weeks <= MAX_SERIES_WEEKS:
        problems.setdefault("weeks", []).append(_("Book 1 to %(max)s weeks at a time.") % {"max": MAX_SERIES_WEEKS})
    price = None
    if tier not in RenterTier.values:
        problems.setdefault("tier", []).append(_("Choose who rents the room."))
    else:
        try:
            price = booking_price(room=room, tier=tier, start=start, end=end)
        except ValidationError as error:
            for field, messages in error.message_dict.items():
                problems.setdefault(field, []).extend(messages)
    if problems:
        return Quote(start=start, end=end, price=price, problems=problems, weeks=[])
    if weeks == 1:
        if availability and _is_taken(room, start, end):
            problems["start"] = [_("%(room)s is already in use at that time.") % {"room": room.name}]
            series = [Week(start, end, _("The room is already in use then."))]
        else:
            series = [Week(start, end, "")]
    else:
        try:
            series = booking_series_preview(room=room, start=start, end=end, weeks=weeks, people=people, now=now)
        except ValidationError as error:  # a date beyond the calendar
            return Quote(start=start, end=end, price=price, problems=error.message_dict, weeks=[])
        if all(week.problem for week in series):
            problems["__all__"] = [_("None of these weeks is free. Choose another time or room.")]
    return Quote(start=start, end=end, price=price, problems=problems, weeks=series)


@transaction.atomic
def booking_request_series(
    *,
    room: Room,
    start: dt.datetime,
    end: dt.datetime,
    weeks: int,
    tier: str,
    purpose: str,
    people: int,
    renter,
    rules_accepted: bool,
    by,
) -> tuple[list[Booking], list[tuple[dt.datetime, dt.datetime, str]]]:
    """Book every free week of a weekly series; the weeks that clash are returned and not booked."""
    _check_renter(renter)
    _purpose_error(purpose)
    if not rules_accepted:
        raise ValidationError({"rules_accepted": _("Accept the house rules to book.")})
    quote = booking_quote(room=room, start=start, end=end, tier=tier, people=people, weeks=weeks)
    if quote.problems:
        raise ValidationError(quote.problems)
    free = quote.free_weeks
    series = BookingSeries.objects.create() if len(free) > 1 else None
    bookings, skipped = [], [week for week in quote.weeks if week.problem]
    for week_start, week_end, _free in free:
        try:
            with transaction.atomic():
                bookings.append(
                    _create(
                        room=room,
                        start=week_start,
                        end=week_end,
                        tier=tier,
                        purpose=purpose,
                        people=people,
                        renter=renter,
                        approve=not room.requires_approval,
                        by=by,
                        series=series,
                    )
                )
        except RoomTaken:  # taken between the preview and now
            skipped.append(Week(week_start, week_end, _("The room is already in use then.")))
    if not bookings:
        raise ValidationError(_("None of these weeks is free. Choose another time or room."))
    outbox.enqueue(tasks.send_series_created_email, [booking.pk for booking in bookings])  # one e-mail, every week
    _tell_coordinators(bookings)
    return bookings, skipped


@transaction.atomic
def booking_book_on_behalf(
    *,
    room: Room,
    start: dt.datetime,
    end: dt.datetime,
    tier: str,
    purpose: str,
    people: int,
    contact_name: str,
    contact_email: str = "",
    contact_phone: str = "",
    by,
) -> Booking:
    """The coordinator books for someone who phoned: confirmed at once, the same rules for the room."""
    if not (contact_name or "").strip():
        raise ValidationError({"contact_name": _("Enter the name of the person who rents the room.")})
    if not (contact_email or contact_phone):
        raise ValidationError({"contact_phone": _("Enter a phone number or an e-mail address to reach them.")})
    _purpose_error(purpose)
    _check(room=room, start=start, end=end, people=people, tier=tier, rules_accepted=True)
    booking = _create(
        room=room,
        start=start,
        end=end,
        tier=tier,
        purpose=purpose,
        people=people,
        renter=None,
        approve=True,
        by=by,
        contact={"contact_name": contact_name.strip(), "contact_email": contact_email, "contact_phone": contact_phone},
    )
    if contact_email:
        outbox.enqueue(tasks.send_booking_email, booking.pk, "created")
    return booking


def _lock(booking: Booking) -> Booking:
    return (
        Booking.objects.select_for_update(of=("self",))
        .select_related("room__place__house", "occupancy")
        .get(pk=booking.pk)
    )


@transaction.atomic
def booking_approve(*, booking: Booking, by) -> Booking:
    booking = _lock(booking)
    if booking.status != Booking.Status.REQUESTED:
        raise ValidationError(_("Only a request that is waiting can be approved."))
    if booking.start <= timezone.now():
        raise ValidationError(_("This request's time has passed; it can no longer be approved."))
    booking.status, booking.decided_at, booking.decided_by = Booking.Status.APPROVED, timezone.now(), user_of(by)
    booking.save(update_fields=["status", "decided_at", "decided_by"])
    _days_changed(booking)
    _record(by, "booking.approve", booking, {"status": [Booking.Status.REQUESTED, booking.status]})
    outbox.enqueue(tasks.send_booking_email, booking.pk, "approved")
    return booking


def _end(booking: Booking, status: str, reason: str, by, action: str, cost: Decimal = Decimal("0")) -> Booking:
    """End a booking (rejected or cancelled), give the room back and record it."""
    old_status = booking.status
    _close(booking, status, reason, by, cost)
    changes = {"status": [old_status, status], "reason": "…" if reason else ""}
    if cost:
        changes["cancellation_cost"] = cost
    _record(by, action, booking, changes)
    return booking


def _close(booking: Booking, status: str, reason: str, by, cost: Decimal = Decimal("0")) -> None:
    """End a booking and give the room back, without recording it (the caller records the event)."""
    occupancy = booking.occupancy
    booking.status, booking.decision_reason, booking.cancellation_cost = status, reason, cost
    booking.decided_at, booking.decided_by, booking.occupancy = timezone.now(), user_of(by), None
    booking.save(
        update_fields=["status", "decision_reason", "cancellation_cost", "decided_at", "decided_by", "occupancy"]
    )
    if occupancy is not None:
        room_release(occupancy=occupancy)
    _days_changed(booking)


def _checked_reason(reason: str | None) -> str:
    """The house's reason for the renter, within what `Booking.decision_reason` holds."""
    return checked_reason(
        reason,
        max_length=Booking._meta.get_field("decision_reason").max_length,
        missing=_("Give a reason; the renter will read it."),
    )


@transaction.atomic
def booking_reject(*, booking: Booking, reason: str, by) -> Booking:
    reason = _checked_reason(reason)
    booking = _lock(booking)
    if booking.status != Booking.Status.REQUESTED:
        raise ValidationError(_("Only a request that is waiting can be rejected."))
    _end(booking, Booking.Status.REJECTED, reason, by, "booking.reject")
    outbox.enqueue(tasks.send_booking_email, booking.pk, "rejected")
    return booking


@dataclass(frozen=True)
class CancellationTerms:
    allowed: bool
    cost: Decimal
    free_until: dt.datetime


def booking_cancellation_terms(booking: Booking, *, now: dt.datetime | None = None) -> CancellationTerms:
    """May the renter still cancel, what would it cost, and until when is it free. A request the house has not
    approved yet is always free to withdraw; an approved booking costs the price after the house's term."""
    now = now or timezone.now()
    free_until = booking.start - dt.timedelta(days=booking.room.place.house.cancellation_days)
    allowed = booking.status in Booking.ACTIVE and booking.start > now
    cost = booking.price if allowed and booking.status == Booking.Status.APPROVED and now > free_until else Decimal(0)
    return CancellationTerms(allowed=allowed, cost=cost, free_until=free_until)


def booking_cancellation_cost(booking: Booking, *, now: dt.datetime | None = None) -> Decimal:
    return booking_cancellation_terms(booking, now=now).cost


@transaction.atomic
def booking_cancel_by_renter(*, booking: Booking, by) -> Booking:
    """The renter (`by`) cancels their own booking; after the house's term it costs the price (shown before)."""
    booking = _lock(booking)
    if booking.renter_id is None or booking.renter_id != getattr(by, "pk", None):
        raise ValidationError(_("This is not your booking."))
    if booking.status not in Booking.ACTIVE:
        raise ValidationError(_("This booking is no longer active."))
    terms = booking_cancellation_terms(booking)
    if not terms.allowed:
        raise ValidationError(_("This booking has already started; call the house."))
    _end(booking, Booking.Status.CANCELLED, "", by, "booking.cancel_by_renter", terms.cost)
    outbox.enqueue(tasks.send_booking_email, booking.pk, "cancelled")
    return booking


@dataclass(frozen=True)
class SeriesWeek:
    """A week of a series the renter can still cancel, with what cancelling it costs now."""

    booking: Booking
    cost: Decimal


@dataclass(frozen=True)
class SeriesCancellation:
    """What cancelling the rest of a weekly series means: the weeks still to come that are active, each with
    its cost under the house's free-cancellation term, and the total. Past and ended weeks are left out."""

    weeks: list[SeriesWeek]

    @property
    def total(self) -> Decimal:
        return sum((week.cost for week in self.weeks), Decimal("0"))


def booking_series_cancellation_terms(bookings, *, renter, now: dt.datetime | None = None) -> SeriesCancellation:
    """The weeks of a series (`bookings`: its bookings, any order) that `renter` can still cancel, and the cost."""
    now = now or timezone.now()
    weeks = []
    for booking in sorted(bookings, key=lambda booking: booking.start):
        if booking.renter_id != getattr(renter, "pk", None):
            continue
        terms = booking_cancellation_terms(booking, now=now)
        if terms.allowed:
            weeks.append(SeriesWeek(booking=booking, cost=terms.cost))
    return SeriesCancellation(weeks=weeks)


def _series_bookings(series_id: int):
    return Booking.objects.filter(series_id=series_id).select_related("room__place__house", "occupancy")


@transaction.atomic
def booking_series_cancel_by_renter(*, series_id: int, by, shown_total: Decimal | None = None) -> SeriesCancellation:
    """The renter (`by`) cancels every week still to come of their weekly series in one step; each week costs
    what cancelling it alone would cost now (shown before). Past weeks and weeks already ended stay as they are.
    When the cost has gone up since the renter saw `shown_total` (a week's free term ended meanwhile), nothing is
    cancelled: they look again. One audit event for the whole series, one e-mail listing the cancelled weeks."""
    bookings = list(_series_bookings(series_id).select_for_update(of=("self",)).order_by("start"))
    if not bookings or any(booking.renter_id != getattr(by, "pk", None) for booking in bookings):
        raise ValidationError(_("This is not your booking."))
    cancellation = booking_series_cancellation_terms(bookings, renter=by)
    if not cancellation.weeks:
        raise ValidationError(_("This series has no weeks left to cancel."))
    if shown_total is not None and cancellation.total > shown_total:
        raise ValidationError(
            _("Cancelling now costs € %(cost)s, more than you saw. Look at the costs again before you confirm.")
            % {"cost": f"{cancellation.total:.2f}".replace(".", ",")},
            code="cost_changed",
        )
    statuses = {str(week.booking.pk): [week.booking.status, Booking.Status.CANCELLED] for week in cancellation.weeks}
    for week in cancellation.weeks:
        _close(week.booking, Booking.Status.CANCELLED, "", by, week.cost)
    first = cancellation.weeks[0].booking
    event_record(
        by=by,
        action="booking_series.cancel_by_renter",
        obj=first.series,
        house=first.room.place.house,
        label=_series_label(cancellation),
        changes={
            "status": statuses,
            "cancellation_cost": cancellation.total,
        },
    )
    outbox.enqueue(tasks.send_series_cancelled_email, [week.booking.pk for week in cancellation.weeks])
    return cancellation


def _series_label(cancellation: SeriesCancellation) -> str:
    """How the history names the cancelled weeks: room and first and last date, never the renter."""
    first, last = cancellation.weeks[0].booking, cancellation.weeks[-1].booking
    start, end = timezone.localtime(first.start), timezone.localtime(last.start)
    return f"{first.room.name} {start:%d-%m-%Y}-{end:%d-%m-%Y} {start:%H:%M}"


@transaction.atomic
def booking_cancel_by_house(*, booking: Booking, reason: str, by) -> Booking:
    """The house cancels a booking, with a reason for the renter; the renter pays nothing."""
    reason = _checked_reason(reason)
    booking = _lock(booking)
    if booking.status not in Booking.ACTIVE:
        raise ValidationError(_("This booking is no longer active."))
    if booking.end <= timezone.now():
        raise ValidationError(_("This booking is over; it can no longer be cancelled."))
    _end(booking, Booking.Status.CANCELLED, reason, by, "booking.cancel_by_house")
    outbox.enqueue(tasks.send_booking_email, booking.pk, "cancelled")
    return booking


def booking_feed_for(*, user) -> BookingFeed:
    feed, _created = BookingFeed.objects.get_or_create(user=user)
    return feed


@transaction.atomic
def booking_feed_renew(*, user, by) -> BookingFeed:
    """A new secret address; the old one stops working at once. The history records that, never the token."""
    feed = booking_feed_for(user=user)
    feed.token = new_feed_token()
    feed.save(update_fields=["token", "created_at"])
    event_record(by=by, action="booking_feed.renew", obj=feed, label=f"#{feed.pk}")
    return feed


def booking_requests_expire(*, by, now: dt.datetime | None = None) -> int:
    """Requests nobody decided on before their start are rejected: the room is given back and the renter told.
    Run hourly by the schedule (`by=SCHEDULE`)."""
    now = now or timezone.now()
    expired = 0
    for booking in Booking.objects.filter(status=Booking.Status.REQUESTED, start__lte=now).order_by("pk"):
        with transaction.atomic():
            booking = _lock(booking)
            if booking.status != Booking.Status.REQUESTED:
                continue
            _end(
                booking,
                Booking.Status.REJECTED,
                _("The house did not answer the request in time."),
                by,
                "booking.expire",
            )
            outbox.enqueue(tasks.send_booking_email, booking.pk, "rejected")
            expired += 1
    return expired


@transaction.atomic
def booking_contacts_prune(*, by, now: dt.datetime, days: int) -> int:
    """Phone bookings keep the caller's name and contact details only for `days` after the booking (long enough
    for invoicing and its records); then they are wiped. Retention category "booking_contacts"
    (privacy.retention), applied daily by privacy.services.retention.retention_apply."""
    cutoff = now - dt.timedelta(days=days)
    wiped = (
        Booking.objects.filter(end__lt=cutoff, renter__isnull=True)
        .exclude(contact_name=ANONYMOUS_NAME, contact_email="", contact_phone="")
        .update(contact_name=ANONYMOUS_NAME, contact_email="", contact_phone="")
    )
    if wiped:
        event_record(by=by, action="booking.contacts_prune", changes={"wiped": wiped, "bookings_ended_before": cutoff})
    return wiped


# --- Coordinators hear of new requests (issue 9, coordinators) ----------------------------------------------


def _tell_coordinators(bookings: list[Booking]) -> None:
    """Queue an e-mail about a new request (a weekly series: one e-mail) to each coordinator of the house who
    wants them, inside the caller's transaction, so the message exists exactly when the request does. Bookings
    confirmed at once need no decision and are not announced."""
    waiting = [booking.pk for booking in bookings if booking.status == Booking.Status.REQUESTED]
    if not waiting:
        return
    recipients = (
        RoleAssignment.objects.filter(
            role=Role.COORDINATOR,
            house_id=bookings[0].room.place.house_id,
            email_booking_requests=True,
            user__is_active=True,
        )
        .order_by("user_id")
        .values_list("user_id", flat=True)
        .distinct()
    )
    for user_id in recipients:
        outbox.enqueue(tasks.send_request_notice, waiting, user_id)


@transaction.atomic
def booking_request_emails_set(*, house, user, enabled: bool, by) -> RoleAssignment:
    """Switch the e-mail about each new booking request of `house` on or off for `user`, one of its coordinators."""
    assignment = (
        RoleAssignment.objects.select_for_update().filter(user=user, house=house, role=Role.COORDINATOR).first()
    )
    if assignment is None:
        raise ValidationError(_("Only a coordinator of this house can get e-mails about its requests."))
    if assignment.email_booking_requests != enabled:
        old = assignment.email_booking_requests
        assignment.email_booking_requests = enabled
        assignment.save(update_fields=["email_booking_requests"])
        event_record(
            by=by,
            action="role.email_booking_requests",
            obj=assignment,
            house=house,
            label=f"{assignment.get_role_display()} #{assignment.pk}",
            changes={"email_booking_requests": [old, enabled]},
        )
    return assignment


# --- Erasure of an account (issue 11, "My data": privacy.services.mydata.user_erase) -----------------------------


def user_data_scrub(*, user, by) -> dict[str, int]:
    """Part of erasing `user`'s account, inside its transaction. Each booking of the renter stays (its hours and
    price count), unlinked from the account. What an invoice needs is kept on the booking's own contact fields until
    the booking-contact retention wipes them (`booking_contacts_prune`, seven years after the booking): the name and
    e-mail address when there is something to pay: an approved booking with a price (also one still to come), a
    request with a price still to come, or a cancellation cost. Otherwise (free, rejected, cancelled free of charge)
    the name becomes "-" like a pruned booking. The phone number, the purpose and the house's reason
    always go."""
    from django.db.models import Q

    now = timezone.now()
    name = (user.get_full_name() or user.email)[:150]
    bookings = Booking.objects.filter(renter=user)
    invoiced = bookings.filter(
        Q(status=Booking.Status.APPROVED, price__gt=0)
        | Q(status=Booking.Status.REQUESTED, price__gt=0, end__gt=now)  # may still be approved and invoiced
        | Q(cancellation_cost__gt=0)
    )
    texts = {"purpose": ANONYMOUS_NAME, "decision_reason": ""}  # free text; an invoice needs neither
    kept = invoiced.update(renter=None, contact_name=name, contact_email=user.email, contact_phone="", **texts)
    wiped = bookings.update(renter=None, contact_name=ANONYMOUS_NAME, contact_email="", contact_phone="", **texts)
    return {"bookings_kept_for_invoice": kept, "bookings_wiped": wiped}


# --- End of erasure ------------------------------------------------------------------------------------------------
