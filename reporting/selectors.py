"""Reads for the results pages and the reports: periods, indicator values from the daily rollups, data completeness
and progress against targets.

Every figure is read from `DayFigure` (a few rows per house and day), so its cost grows with houses × days in the
period, never with the taps, sessions or bookings behind it. The one exception is the DISTINCT indicators (unique
registered participants, active volunteers, informal carers supported): different people over a quarter are not a
sum of days, so each is counted by its counter in `PEOPLE` from the rows of the period (registrations of the
sessions held, approved volunteer hours, support contacts), one grouped query bounded by the period's index.
`house_ids` is anything `__in` accepts: a list of ids or a queryset of ids (such as `policy.houses_for(...)`), so
the scope of the policy stays one subquery whatever its size.
"""

import datetime as dt
import re
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from enum import StrEnum
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db.models import Count, Exists, F, OuterRef, Q, QuerySet, Sum
from django.db.models.functions import TruncMonth
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from activities.models import Registration, Session
from huizen.dates import day_start
from locations.models import OpeningHours, Place
from volunteers.models import HoursEntry, SupportContact

from .indicators import INDICATORS, Aggregation, Indicator, Unit
from .models import DayFigure, Target

FIRST_YEAR, LAST_YEAR = 2000, 2099
GROUPS = ("house", "place", "month", "member")
_PERIOD = re.compile(r"^(?P<year>\d{4})(?:(?:Q|-?K)(?P<quarter>[1-4])|-(?P<month>0[1-9]|1[0-2]))?$", re.IGNORECASE)


# --- Periods --------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Period:
    """A reporting period: a year, a quarter or a month, as inclusive Amsterdam dates."""

    start: dt.date
    end: dt.date
    kind: str  # "year", "quarter" or "month"

    @classmethod
    def year(cls, year: int) -> "Period":
        _check_year(year)
        return cls(dt.date(year, 1, 1), dt.date(year, 12, 31), "year")

    @classmethod
    def quarter(cls, year: int, quarter: int) -> "Period":
        _check_year(year)
        if quarter not in (1, 2, 3, 4):
            raise ValueError(f"no quarter {quarter}")
        start = dt.date(year, 3 * quarter - 2, 1)
        end = dt.date(year, 12, 31) if quarter == 4 else dt.date(year, 3 * quarter + 1, 1) - dt.timedelta(days=1)
        return cls(start, end, "quarter")

    @classmethod
    def month(cls, year: int, month: int) -> "Period":
        _check_year(year)
        start = dt.date(year, month, 1)
        end = dt.date(year + (month == 12), month % 12 + 1, 1) - dt.timedelta(days=1)
        return cls(start, end, "month")

    @classmethod
    def parse(cls, text: str) -> "Period":
        """ "2026" (a year), "2026Q3" or "2026-K3" (a quarter), "2026-07" (a month); ValueError otherwise."""
        match = _PERIOD.match((text or "").strip())
        if not match:
            raise ValueError(f"not a period: {text[:40]!r}")
        year = int(match["year"])
        if match["quarter"]:
            return cls.quarter(year, int(match["quarter"]))
        if match["month"]:
            return cls.month(year, int(match["month"]))
        return cls.year(year)

    @classmethod
    def current_quarter(cls, today: dt.date | None = None) -> "Period":
        today = today or timezone.localdate()
        return cls.quarter(*quarter_of(today))

    @property
    def key(self) -> str:
        """The period as it is written in addresses and file names: 2026, 2026Q3, 2026-07."""
        if self.kind == "year":
            return str(self.start.year)
        if self.kind == "quarter":
            return f"{self.start.year}Q{quarter_of(self.start)[1]}"
        return f"{self.start:%Y-%m}"

    @property
    def label(self) -> str:
        if self.kind == "year":
            return str(self.start.year)
        if self.kind == "quarter":
            return _("Q%(quarter)s %(year)s") % {"quarter": quarter_of(self.start)[1], "year": self.start.year}
        return date_format(self.start, "F Y")

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1

    def months(self) -> list[dt.date]:
        """The first day of every month in the period."""
        months, month = [], self.start.replace(day=1)
        while month <= self.end:
            months.append(month)
            month = (month + dt.timedelta(days=32)).replace(day=1)
        return months

    def elapsed_days(self, today: dt.date) -> int:
        """Days of the period up to and including `today` (0 before it starts, all of them after it ended)."""
        if today < self.start:
            return 0
        return (min(today, self.end) - self.start).days + 1

    def previous(self) -> "Period":
        if self.kind == "year":
            return Period.year(self.start.year - 1)
        if self.kind == "quarter":
            year, quarter = quarter_of(self.start - dt.timedelta(days=1))
            return Period.quarter(year, quarter)
        before = self.start - dt.timedelta(days=1)
        return Period.month(before.year, before.month)


def _check_year(year: int) -> None:
    if not FIRST_YEAR <= year <= LAST_YEAR:
        raise ValueError(f"year {year} outside {FIRST_YEAR}-{LAST_YEAR}")


def quarter_of(day: dt.date) -> tuple[int, int]:
    return day.year, (day.month - 1) // 3 + 1


# --- Sums of measures and indicator values ----------------------------------------------------------------------


def _group_fields(group_by: Iterable[str]) -> list[str]:
    unknown = set(group_by) - set(GROUPS)
    if unknown:
        raise ValueError(f"cannot group by {sorted(unknown)}")
    return [name for name in GROUPS if name in group_by]


def measure_sums(
    *, house_ids, start: dt.date, end: dt.date, group_by: Iterable[str] = (), dimension: str = ""
) -> dict[tuple, dict[str, Decimal]]:
    """The sum of every measure over the days start..end (inclusive), per group: {(house, place, month, member)
    in that order, only the ones asked for: {measure: sum}}. `dimension` picks a breakdown ("category"); by default
    the totals. A month is the date of its first day."""
    groups = _group_fields(group_by)
    columns = {"house": "house_id", "place": "place_id", "month": "month", "member": "member"}
    queryset = DayFigure.objects.filter(house_id__in=house_ids, day__gte=start, day__lte=end, dimension=dimension)
    if "month" in groups:
        queryset = queryset.annotate(month=TruncMonth("day"))
    rows = queryset.values(*[columns[g] for g in groups], "measure").annotate(total=Sum("value")).order_by()
    result: dict[tuple, dict[str, Decimal]] = defaultdict(dict)
    for row in rows:
        result[_key(row, groups, columns)][row["measure"]] = Decimal(row["total"])
    return dict(result)


def _key(row: dict, groups: list[str], columns: dict[str, str]) -> tuple:
    return tuple(_as_date(row[columns[g]]) if g == "month" else row[columns[g]] for g in groups)


def _as_date(value) -> dt.date:
    return value.date() if isinstance(value, dt.datetime) else value


QUANTUM = {
    Unit.COUNT: Decimal(1),
    Unit.PERCENT: Decimal("0.1"),
    Unit.HOURS: Decimal("0.1"),
    Unit.EUROS: Decimal("0.01"),
}


def compute(indicator: Indicator, sums: dict[str, Decimal]) -> Decimal | None:
    """An indicator's value from the sums of its measures over a period (and group). No data is 0 for a sum and
    None (no value) for a ratio without a denominator."""
    numerator = sum((sums.get(measure, Decimal(0)) for measure in indicator.numerator), Decimal(0))
    if indicator.aggregation == Aggregation.RATIO:
        denominator = sum((sums.get(measure, Decimal(0)) for measure in indicator.denominator), Decimal(0))
        if not denominator:
            return None
        value = numerator / denominator * indicator.scale
    else:
        value = numerator * indicator.scale
    if indicator.cap is not None:
        value = min(value, indicator.cap)
    return value.quantize(QUANTUM[indicator.unit], rounding=ROUND_HALF_UP)


def indicator_values(
    *,
    house_ids,
    start: dt.date,
    end: dt.date,
    group_by: Iterable[str] = (),
    dimension: str = "",
    indicators: Iterable[Indicator] = INDICATORS,
) -> dict[tuple, dict[str, Decimal | None]]:
    """The value of each indicator over start..end per group (see `measure_sums`). With a `dimension`, only the
    indicators broken down by it. Groups without any data are absent: use `compute(indicator, {})` for them."""
    indicators = [i for i in indicators if not dimension or dimension in i.breakdowns]
    groups = _group_fields(group_by)
    distinct = [i for i in indicators if i.aggregation == Aggregation.DISTINCT]
    sums = (
        measure_sums(house_ids=house_ids, start=start, end=end, group_by=groups, dimension=dimension)
        if len(distinct) < len(indicators)  # only people to count: no rollups to read
        else {}
    )
    counted = {
        i.code: _distinct_people(i, house_ids=house_ids, start=start, end=end, groups=groups, dimension=dimension)
        for i in distinct
    }
    keys = set(sums) | {key for values in counted.values() for key in values}
    result = {}
    for key in keys:
        values = {}
        for indicator in indicators:
            if indicator.aggregation == Aggregation.DISTINCT:
                values[indicator.code] = Decimal(counted[indicator.code].get(key, 0))
            else:
                values[indicator.code] = compute(indicator, sums.get(key, {}))
        result[key] = values
    return result


@dataclass(frozen=True)
class People:
    """How a DISTINCT indicator counts different people: the rows of the period (`rows(house_ids, start, end)`), the
    field that names the person, and the columns of each group. `place` None: the rows belong to no place, so a
    grouping by place puts them all under None ("the house as a whole"). `months` is an expression giving the
    first day of the Amsterdam month; `members` the column of each breakdown it has."""

    rows: Callable[[object, dt.date, dt.date], QuerySet]
    person: str
    house: str
    place: str | None
    months: Callable[[], object]
    members: dict[str, str]


def _registrations(house_ids, start: dt.date, end: dt.date) -> QuerySet:
    """Confirmed registrations for sessions held (planned, started up to now) between start and end."""
    return Registration.objects.filter(
        status=Registration.Status.CONFIRMED,
        session__status=Session.Status.PLANNED,
        session__activity__house_id__in=house_ids,
        session__start__gte=day_start(start),
        session__start__lt=min(day_start(end + dt.timedelta(days=1)), timezone.now()),
    )


def _approved_hours(house_ids, start: dt.date, end: dt.date) -> QuerySet:
    """Approved hours of the houses' volunteers given between start and end (index on status and date)."""
    return HoursEntry.objects.filter(
        status=HoursEntry.Status.APPROVED, volunteer__house_id__in=house_ids, date__gte=start, date__lte=end
    )


def _support_contacts(house_ids, start: dt.date, end: dt.date) -> QuerySet:
    """Support contacts with the houses' informal carers between start and end (index on date)."""
    return SupportContact.objects.filter(carer__house_id__in=house_ids, date__gte=start, date__lte=end)


PEOPLE: dict[str, People] = {
    "registrations": People(
        rows=_registrations,
        person="user",
        house="session__activity__house_id",
        place="session__activity__place_id",
        months=lambda: TruncMonth("session__start", tzinfo=ZoneInfo(settings.TIME_ZONE)),
        members={"category": "session__activity__category"},
    ),
    "volunteers": People(
        rows=_approved_hours,
        person="volunteer",
        house="volunteer__house_id",
        place=None,
        months=lambda: TruncMonth("date"),
        members={},
    ),
    "carers": People(
        rows=_support_contacts,
        person="carer",
        house="carer__house_id",
        place=None,
        months=lambda: TruncMonth("date"),
        members={},
    ),
}


def _distinct_people(indicator: Indicator, *, house_ids, start, end, groups, dimension) -> dict[tuple, int]:
    """Different people of a DISTINCT indicator between start and end, per group: one grouped query."""
    counter = PEOPLE[indicator.people]
    if "member" in groups and dimension not in counter.members:
        return {}
    queryset = counter.rows(house_ids, start, end)
    columns = {"house": counter.house, "place": counter.place, "month": "month", "member": "member"}
    if "month" in groups:
        queryset = queryset.annotate(month=counter.months())
    if "member" in groups:
        queryset = queryset.annotate(member=F(counter.members[dimension]))
    selected = [columns[g] for g in groups if columns[g] is not None]
    if not selected:  # `.values()` without fields would group by every column: one count over all rows instead
        people = queryset.aggregate(people=Count(counter.person, distinct=True))["people"]
        return {tuple(None for _g in groups): people} if people else {}
    rows = queryset.values(*selected).annotate(people=Count(counter.person, distinct=True)).order_by()
    return {
        tuple(
            None if columns[g] is None else _as_date(row[columns[g]]) if g == "month" else row[columns[g]]
            for g in groups
        ): row["people"]
        for row in rows
    }


# --- Data completeness ------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Completeness:
    """How far to trust a house's figures for a period."""

    sessions_held: int
    sessions_not_closed: int
    open_days: int  # place-days a place was open
    open_days_without_count: int
    places: int
    places_without_hours: int

    @property
    def closed_share(self) -> Decimal | None:
        """Percentage of the sessions held that were closed out (None without sessions)."""
        if not self.sessions_held:
            return None
        closed = self.sessions_held - self.sessions_not_closed
        return (Decimal(100) * closed / self.sessions_held).quantize(Decimal(1), rounding=ROUND_HALF_UP)

    @property
    def counted_share(self) -> Decimal | None:
        """Percentage of the open days with at least one door count (None without open days)."""
        if not self.open_days:
            return None
        counted = self.open_days - self.open_days_without_count
        return (Decimal(100) * counted / self.open_days).quantize(Decimal(1), rounding=ROUND_HALF_UP)

    @property
    def is_complete(self) -> bool:
        return not (self.sessions_not_closed or self.open_days_without_count or self.places_without_hours)


def completeness(*, house_ids, start: dt.date, end: dt.date) -> dict[int, Completeness]:
    """Data completeness per house over start..end, in two queries whatever the number of houses."""
    measures = ("sessions_held", "sessions_not_closed", "open_days_without_count")
    rows = (
        DayFigure.objects.filter(house_id__in=house_ids, day__gte=start, day__lte=end, dimension="")
        .filter(Q(measure__in=measures) | Q(measure="opening_minutes", value__gt=0))
        .values("house_id", "measure")
        .annotate(total=Sum("value"), days=Count("id"))
        .order_by()
    )
    figures: dict[int, dict[str, int]] = defaultdict(dict)
    for row in rows:
        figures[row["house_id"]][row["measure"]] = int(
            row["days"] if row["measure"] == "opening_minutes" else row["total"]
        )
    places = (
        Place.objects.filter(house_id__in=house_ids)
        .annotate(has_hours=Exists(OpeningHours.objects.filter(place=OuterRef("pk"))))
        .values("house_id")
        .annotate(places=Count("id"), without=Count("id", filter=Q(has_hours=False)))
        .order_by()
    )
    place_counts = {row["house_id"]: (row["places"], row["without"]) for row in places}
    result = {}
    for house_id in set(figures) | set(place_counts):
        numbers = figures.get(house_id, {})
        total_places, without = place_counts.get(house_id, (0, 0))
        result[house_id] = Completeness(
            sessions_held=numbers.get("sessions_held", 0),
            sessions_not_closed=numbers.get("sessions_not_closed", 0),
            open_days=numbers.get("opening_minutes", 0),
            open_days_without_count=numbers.get("open_days_without_count", 0),
            places=total_places,
            places_without_hours=without,
        )
    return result


EMPTY_COMPLETENESS = Completeness(0, 0, 0, 0, 0, 0)


# --- Targets and progress ---------------------------------------------------------------------------------------


class Status(StrEnum):
    AHEAD = "ahead"
    ON_TRACK = "on_track"
    BEHIND = "behind"
    NO_TARGET = "no_target"
    NO_DATA = "no_data"


STATUS_LABELS = {
    Status.AHEAD: _("ahead"),
    Status.ON_TRACK: _("on track"),
    Status.BEHIND: _("behind"),
    Status.NO_TARGET: _("no target"),
    Status.NO_DATA: _("no figures yet"),
}
# A sign beside the word, so the status reads without colour (and the word reads without the sign).
STATUS_SIGNS = {Status.AHEAD: "▲", Status.ON_TRACK: "●", Status.BEHIND: "▼", Status.NO_TARGET: "–", Status.NO_DATA: "–"}
MARGIN = Decimal("0.05")  # within 5% of the expected value is "on track"


@dataclass(frozen=True)
class Progress:
    realised: Decimal | None
    target: Decimal | None
    expected: Decimal | None  # what the target asks for by today (pro rata for sums; the target for ratios)
    status: Status

    @property
    def label(self):
        return STATUS_LABELS[self.status]

    @property
    def sign(self) -> str:
        return STATUS_SIGNS[self.status]


def target_progress(
    *, indicator: Indicator, target_value: Decimal | None, realised: Decimal | None, period: Period, today: dt.date
) -> Progress:
    """Realised against the target, and against what the target asks for at `today`: for a sum, the share of the
    period's days gone by (a quarter half gone expects half the target); for a ratio, the target itself."""
    if target_value is None:
        return Progress(realised, None, None, Status.NO_TARGET)
    if indicator.aggregation == Aggregation.RATIO:
        expected = Decimal(target_value)
    else:
        expected = Decimal(target_value) * period.elapsed_days(today) / period.days
    expected = expected.quantize(QUANTUM[indicator.unit], rounding=ROUND_HALF_UP)
    if realised is None or period.elapsed_days(today) == 0:
        return Progress(realised, Decimal(target_value), expected, Status.NO_DATA)
    if realised >= expected * (1 + MARGIN) and realised > expected:
        status = Status.AHEAD
    elif realised >= expected * (1 - MARGIN):
        status = Status.ON_TRACK
    else:
        status = Status.BEHIND
    return Progress(realised, Decimal(target_value), expected, status)


def period_target(target: Target, indicator: Indicator, period: Period) -> Decimal | None:
    """What a year's target asks for one period: the year's value, a quarter's own value, or for a month a third
    of its quarter (a ratio: the quarter's value itself). None for a period not within the target's year."""
    if period.start.year != target.year or period.end.year != target.year:
        return None
    if period.kind == "year":
        return target.value
    quarter = target.for_quarter(quarter_of(period.start)[1])
    if period.kind == "quarter" or indicator.aggregation == Aggregation.RATIO:
        return quarter
    return (quarter / 3).quantize(QUANTUM[indicator.unit], rounding=ROUND_HALF_UP)


def targets_of(*, house_ids, year: int, network: bool = False) -> dict[tuple[int | None, str], Target]:
    """The targets of a year, keyed (house id, indicator); with `network`, also the network's (house id None)."""
    condition = Q(house_id__in=house_ids)
    if network:
        condition |= Q(house__isnull=True)
    return {(t.house_id, t.indicator): t for t in Target.objects.filter(condition, year=year)}


def scope_target(
    indicator: Indicator, targets: dict[tuple[int | None, str], Target], house_ids: Iterable[int], period: Period
) -> Decimal | None:
    """The target of a group of houses: the sum of their targets for a sum; for a ratio the average of the houses'
    targets. None unless every house of the group has one: the realised figure counts every house, so a target of
    only some of them would make the group look ahead."""
    house_ids = list(house_ids)
    values = [
        value
        for house_id in house_ids
        if (target := targets.get((house_id, indicator.code))) is not None
        and (value := period_target(target, indicator, period)) is not None
    ]
    if not values or len(values) < len(house_ids):
        return None
    if indicator.aggregation == Aggregation.RATIO:
        return (sum(values) / len(values)).quantize(QUANTUM[indicator.unit], rounding=ROUND_HALF_UP)
    return sum(values)
