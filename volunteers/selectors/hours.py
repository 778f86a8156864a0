"""Reads of volunteering: hours and allowance. QuerySets and small summaries; every list is a fixed number of
queries, however many rows."""

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Count, Q, QuerySet, Sum

from locations.models import House, Place

from ..models import AllowanceCaps, AllowancePayment, HoursEntry, Volunteer

APPROVED, SUBMITTED, REJECTED = HoursEntry.Status.APPROVED, HoursEntry.Status.SUBMITTED, HoursEntry.Status.REJECTED


def entries(volunteers: QuerySet[Volunteer]) -> QuerySet[HoursEntry]:
    """Hours entries of `volunteers`, with the volunteer and house loaded, newest first."""
    return (
        HoursEntry.objects.filter(volunteer__in=volunteers).select_related("volunteer__house").order_by("-date", "-pk")
    )


def house_volunteers(house: House) -> QuerySet[Volunteer]:
    """Everyone who volunteers or volunteered at `house` (accepted or stopped)."""
    return Volunteer.objects.filter(
        house=house, status__in=[Volunteer.Status.ACCEPTED, Volunteer.Status.STOPPED]
    ).order_by("first_name", "last_name", "pk")


def house_waiting(house: House) -> QuerySet[HoursEntry]:
    """Hours entered at `house` that wait for approval, oldest first."""
    return (
        HoursEntry.objects.filter(volunteer__house=house, status=SUBMITTED)
        .select_related("volunteer")
        .order_by("date", "pk")
    )


def house_period_entries(house: House, first: dt.date, last: dt.date) -> QuerySet[HoursEntry]:
    """Every entry of `house` in the period, for the export: by volunteer, then date."""
    return (
        HoursEntry.objects.filter(volunteer__house=house, date__gte=first, date__lte=last)
        .select_related("volunteer")
        .order_by("volunteer__first_name", "volunteer__last_name", "volunteer_id", "date", "pk")
    )


def house_period_totals(house: House, first: dt.date, last: dt.date) -> QuerySet[Volunteer]:
    """The house's volunteers with their minutes in the period: approved (per source), waiting, not approved. One
    query; volunteers without hours in the period are included with zeros."""
    in_period = Q(hours__date__gte=first, hours__date__lte=last)
    return house_volunteers(house).annotate(
        approved=Sum("hours__minutes", filter=in_period & Q(hours__status=APPROVED), default=0),
        approved_shift=Sum(
            "hours__minutes",
            filter=in_period & Q(hours__status=APPROVED, hours__source=HoursEntry.Source.SHIFT),
            default=0,
        ),
        approved_help=Sum(
            "hours__minutes",
            filter=in_period & Q(hours__status=APPROVED, hours__source=HoursEntry.Source.NEIGHBOUR_HELP),
            default=0,
        ),
        approved_own=Sum(
            "hours__minutes",
            filter=in_period & Q(hours__status=APPROVED, hours__source=HoursEntry.Source.OWN),
            default=0,
        ),
        waiting=Sum("hours__minutes", filter=in_period & Q(hours__status=SUBMITTED), default=0),
        rejected=Sum("hours__minutes", filter=in_period & Q(hours__status=REJECTED), default=0),
        entry_count=Count("hours", filter=in_period),
    )


def approved_minutes(volunteer: Volunteer, first: dt.date, last: dt.date) -> int:
    return (
        HoursEntry.objects.filter(volunteer=volunteer, status=APPROVED, date__gte=first, date__lte=last).aggregate(
            total=Sum("minutes")
        )["total"]
        or 0
    )


def paid_hours(volunteer: Volunteer, month: dt.date) -> Decimal:
    """The hours the payments for `month` (its first day) of this volunteer cover."""
    return AllowancePayment.objects.filter(volunteer=volunteer, month=month).aggregate(total=Sum("hours"))[
        "total"
    ] or Decimal(0)


def house_payments(house: House, year: int) -> QuerySet[AllowancePayment]:
    """The allowance payments of `house` for the months of `year`, by volunteer then month."""
    return (
        AllowancePayment.objects.filter(volunteer__house=house, month__year=year)
        .select_related("volunteer", "recorded_by")
        .order_by("volunteer__first_name", "volunteer__last_name", "volunteer_id", "month", "pk")
    )


def caps_of(year: int) -> AllowanceCaps | None:
    return AllowanceCaps.objects.filter(year=year).first()


def main_place(house: House) -> Place | None:
    """The place whose address stands on a statement: the main building, else the first place."""
    places = list(Place.objects.filter(house=house).order_by("name"))
    main = [place for place in places if place.kind == Place.Kind.MAIN]
    return (main or places or [None])[0]


# --- a year per month ---------------------------------------------------------------------------------------------


@dataclass
class Month:
    """The hours (minutes) and allowance of one month of one year."""

    month: dt.date
    approved: int = 0
    waiting: int = 0
    rejected: int = 0
    # approved minutes per source, every source present (the month table shows a column each)
    by_source: dict = field(default_factory=lambda: dict.fromkeys(HoursEntry.Source.values, 0))
    paid: Decimal = Decimal(0)
    paid_hours: Decimal = Decimal(0)


@dataclass
class Year:
    year: int
    months: list[Month]

    @property
    def approved(self) -> int:
        return sum(month.approved for month in self.months)

    @property
    def waiting(self) -> int:
        return sum(month.waiting for month in self.months)

    @property
    def rejected(self) -> int:
        return sum(month.rejected for month in self.months)

    @property
    def paid(self) -> Decimal:
        return sum((month.paid for month in self.months), Decimal(0))

    @property
    def paid_hours(self) -> Decimal:
        return sum((month.paid_hours for month in self.months), Decimal(0))

    @property
    def active_months(self) -> list[Month]:
        return [month for month in self.months if month.approved or month.waiting or month.rejected or month.paid]


def year_summary(volunteers: QuerySet[Volunteer], year: int) -> Year:
    """Per month of `year`: the minutes of `volunteers` by status (approved also by source) and the allowance
    paid for that month. Two queries."""
    months = {number: Month(month=dt.date(year, number, 1)) for number in range(1, 13)}
    rows = (
        HoursEntry.objects.filter(volunteer__in=volunteers, date__year=year)
        .values_list("date__month", "status", "source")
        .annotate(total=Sum("minutes"))
        .order_by()
    )
    for number, status, source, total in rows:
        month = months[number]
        if status == APPROVED:
            month.approved += total
            month.by_source[source] = month.by_source.get(source, 0) + total
        elif status == SUBMITTED:
            month.waiting += total
        else:
            month.rejected += total
    payments = (
        AllowancePayment.objects.filter(volunteer__in=volunteers, month__year=year)
        .values_list("month__month")
        .annotate(amount=Sum("amount"), hours=Sum("hours"))
        .order_by()
    )
    for number, amount, hours in payments:
        months[number].paid += amount
        months[number].paid_hours += hours
    return Year(year=year, months=list(months.values()))
