"""The results dashboards: the network (or the user's houses), one house, and one figure one level down.

Who sees what comes from the policy: `houses_for(user, VIEW_RESULTS)` is the scope (the municipality and
administrators every house, a manager their organisation's houses, a coordinator their own house; a host or a
resident nothing, and gets a 404). Every figure is read from the daily rollups through `reporting.selectors`, with a
fixed number of queries whatever the number of houses: one call per grouping, never one per house or indicator.
Nothing here goes below aggregates: no names, no rows of taps or sessions.
"""

import datetime as dt
import re
from dataclasses import dataclass
from decimal import Decimal

from django.contrib.auth.decorators import login_required
from django.http import Http404, QueryDict
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, path, re_path, reverse
from django.utils import timezone
from django.utils.dates import MONTHS_3
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from accounts import policy
from accounts.policy import Action
from activities.models import AgeBand, Category, Organiser, Signal, TargetGroup
from locations.models import House, ManagementType, NeighbourhoodIndex, Place
from locations.selectors import with_current_management
from volunteers.models import HoursEntry, SupportKind

from .. import selectors
from ..filters import FILTER_PARAMETERS, HouseResultsFilter
from ..indicators import BY_CODE, INDICATORS, SOURCE_LABELS, UNIT_LABELS, Indicator, Unit
from ..models import Explanation

# --- The period -------------------------------------------------------------------------------------------------

PERIOD_PATTERN = re.compile(r"^(?P<year>\d{4})(?:[Qq](?P<quarter>[1-4]))?$")
MONTH_PATTERN = re.compile(r"^(?P<year>\d{4})-(?P<month>\d{2})$")
FIRST_YEAR = 2000
TREND_MONTHS = 12
INDEX_YEARS = 3  # how many years of a wijk's social index are shown beside a house
QUARTERS_OFFERED = 8
YEARS_OFFERED = 3


@dataclass(frozen=True)
class Chosen:
    """The period a page shows: a quarter ("2026Q4") or a year ("2026")."""

    year: int
    quarter: int | None

    @property
    def code(self) -> str:
        return f"{self.year}Q{self.quarter}" if self.quarter else str(self.year)

    @property
    def period(self):
        return selectors.Period.quarter(self.year, self.quarter) if self.quarter else selectors.Period.year(self.year)

    @property
    def label(self) -> str:
        return str(self.period.label)


def current_period(today: dt.date) -> Chosen:
    year, quarter = selectors.quarter_of(today)
    return Chosen(year, quarter)


def choose_period(raw: str | None, today: dt.date) -> tuple[Chosen, str]:
    """The period asked for in `?periode=`, or the current quarter with a message saying why it was not used."""
    default = current_period(today)
    if not raw:
        return default, ""
    match = PERIOD_PATTERN.match(raw)
    if match:
        year = int(match["year"])
        if FIRST_YEAR <= year <= today.year + 1:
            return Chosen(year, int(match["quarter"]) if match["quarter"] else None), ""
    return default, _(
        "The period you asked for does not exist here. Choose a quarter such as %(example)s or a year from "
        "%(first)s to %(last)s. You now see %(shown)s."
    ) % {"example": default.code, "first": FIRST_YEAR, "last": today.year + 1, "shown": default.label}


def choose_month(query: QueryDict, today: dt.date) -> tuple[tuple[int, int] | None, str]:
    """The month asked for in `?maand=2026-10` (removed from `query` when it is no month), with a notice if so."""
    if not query.get("maand"):
        return None, ""
    match = MONTH_PATTERN.match(query["maand"])
    if match and 1 <= int(match["month"]) <= 12 and FIRST_YEAR <= int(match["year"]) <= today.year + 1:
        return (int(match["year"]), int(match["month"])), ""
    query.pop("maand")
    return None, _("That month does not exist here; you see the whole period.")


def periods_offered(today: dt.date, chosen: Chosen) -> list[tuple[str, str]]:
    """The choices of the period chooser: the last quarters, then the last years (and the chosen one)."""
    year, quarter = selectors.quarter_of(today)
    options = []
    for _step in range(QUARTERS_OFFERED):
        options.append(Chosen(year, quarter))
        year, quarter = (year, quarter - 1) if quarter > 1 else (year - 1, 4)
    options += [Chosen(today.year - offset, None) for offset in range(YEARS_OFFERED)]
    if chosen not in options:
        options.append(chosen)
    return [(option.code, option.label) for option in options]


def trend_start(period) -> dt.date:
    """The first day of the 12 months that end with the period's last month."""
    month_index = period.end.year * 12 + period.end.month - 1 - (TREND_MONTHS - 1)
    return dt.date(month_index // 12, month_index % 12 + 1, 1)


def months_between(start: dt.date, end: dt.date) -> list[tuple[int, int]]:
    months, year, month = [], start.year, start.month
    while (year, month) <= (end.year, end.month):
        months.append((year, month))
        year, month = (year, month + 1) if month < 12 else (year + 1, 1)
    return months


def month_of(key: dt.date) -> tuple[int, int]:
    """A month as the selectors group it (the date of its first day) as (year, month)."""
    return key.year, key.month


def month_label(year: int, month: int) -> str:
    """ "okt 2026": short, for charts and table rows."""
    return f"{MONTHS_3[month]} {year}"


# --- Query parameters -------------------------------------------------------------------------------------------

PARAMETERS = ("periode", "sorteer", "richting", "trend", "plek", "maand", *FILTER_PARAMETERS)
MAX_VALUE = 100


def clean_query(request) -> tuple[QueryDict, bool]:
    """The query parameters a dashboard reads, without values nobody could have meant (too long, control
    characters such as NUL), which are dropped; the second value says whether any were."""
    query = QueryDict(mutable=True)
    dropped = False
    for name in PARAMETERS:
        value = request.GET.get(name)
        if value is None:
            continue
        if len(value) > MAX_VALUE or any(ord(char) < 32 for char in value):
            dropped = True
            continue
        query[name] = value
    return query, dropped  # parameters nobody reads are simply left out


def link(query: QueryDict, **changes) -> str:
    """The query string of `query` with `changes` (None removes a parameter), for a link that keeps the rest."""
    changed = query.copy()
    for name, value in changes.items():
        if value is None:
            changed.pop(name, None)
        else:
            changed[name] = value
    encoded = changed.urlencode()
    return f"?{encoded}" if encoded else "?"


# --- Figures ----------------------------------------------------------------------------------------------------

MAIN_INDICATORS = (
    "visits",
    "new_visitors",
    "sessions_held",
    "participants_closeout",
    "signals_passed_on",
    "room_occupancy",
    "opening_hours",
)

MEMBER_LABELS = {
    "category": dict(Category.choices),
    "organiser": dict(Organiser.choices),
    "target_group": dict(TargetGroup.choices),
    "destination": dict(Signal.Referral.choices),
    "age_band": dict(AgeBand.choices),
    "hours_source": dict(HoursEntry.Source.choices),
    "support_kind": dict(SupportKind.choices),
}


def dimension_label(dimension: str) -> str:
    return {
        "category": _("By category"),
        "organiser": _("By organiser"),
        "target_group": _("By target group"),
        "destination": _("By destination"),
        "age_band": _("By age"),
        "payment": _("Free or paid"),
        "hours_source": _("By where the hours come from"),
        "support_kind": _("By kind of support"),
    }.get(dimension, dimension)


def member_label(dimension: str, member: str) -> str:
    if dimension == "payment":
        return {"free": _("free"), "paid": _("paid")}.get(member, member)
    return str(MEMBER_LABELS.get(dimension, {}).get(member, member or _("not known")))


def natural(text: str) -> list:
    """A sort key that puts "Buurtplek 2" before "Buurtplek 10"."""
    return [int(part) if part.isdecimal() else part.lower() for part in re.split(r"(\d+)", text)]


def is_average(indicator: Indicator) -> bool:
    """A percentage is averaged over houses, never added up."""
    return indicator.unit == Unit.PERCENT


def mean(values) -> Decimal | None:
    present = [value for value in values if value is not None]
    return sum(present, Decimal(0)) / len(present) if present else None


def scope_targets(*, house_ids, house_id_list: list[int], period, network: bool) -> dict[str, Decimal | None]:
    """Per indicator the target of the houses for `period` (one query): the network's own target when `network`
    (the scope is the whole network) and one is set, else the houses' targets added up (averaged for a ratio);
    None when there is none."""
    targets = selectors.targets_of(house_ids=house_ids, year=period.start.year, network=network)
    result = {}
    for indicator in INDICATORS:
        network_target = targets.get((None, indicator.code)) if network else None
        if network_target is not None:
            result[indicator.code] = selectors.period_target(network_target, indicator, period)
        else:
            result[indicator.code] = selectors.scope_target(indicator, targets, house_id_list, period)
    return result


def value_of(rows: dict, key: tuple, indicator: Indicator) -> Decimal | None:
    """The value of `indicator` for the group `key`; a group without any figures has 0 for a sum and no value for a
    ratio (the selectors leave such groups out)."""
    if key in rows:
        return rows[key].get(indicator.code)
    return selectors.compute(indicator, {})


@dataclass
class Figure:
    """One indicator of a scope in a period: realised against target, as a row of a table."""

    indicator: Indicator
    realised: Decimal | None
    target: Decimal | None
    expected: Decimal | None
    progress: selectors.Progress
    url: str

    @property
    def source(self):
        return SOURCE_LABELS[self.indicator.source]

    @property
    def unit(self):
        return UNIT_LABELS[self.indicator.unit]


def figures(*, values: dict, targets: dict, period, today: dt.date, url_for) -> list[Figure]:
    rows = []
    for indicator in INDICATORS:
        realised = value_of(values, (), indicator)
        progress = selectors.target_progress(
            indicator=indicator,
            target_value=targets.get(indicator.code),
            realised=realised,
            period=period,
            today=today,
        )
        rows.append(
            Figure(
                indicator=indicator,
                realised=realised,
                target=targets.get(indicator.code),
                expected=progress.expected,
                progress=progress,
                url=url_for(indicator),
            )
        )
    return rows


def index_trends(neighbourhood_ids) -> dict[int, dict]:
    """Per wijk the last few years of its social index, oldest first, with the direction (one query)."""
    by_wijk: dict[int, list] = {}
    for index in NeighbourhoodIndex.objects.filter(neighbourhood__in=neighbourhood_ids).order_by(
        "neighbourhood_id", "year"
    ):
        by_wijk.setdefault(index.neighbourhood_id, []).append(index)
    trends = {}
    for wijk, indices in by_wijk.items():
        shown = indices[-INDEX_YEARS:]
        first, last = shown[0].social_index, shown[-1].social_index
        if len(shown) < 2:
            direction = ""
        elif last > first:
            direction = _("rising")
        elif last < first:
            direction = _("falling")
        else:
            direction = _("steady")
        trends[wijk] = {"indices": shown, "direction": direction, "first_year": shown[0].year, "year": shown[-1].year}
    return trends


def month_bars(rows: dict, indicator: Indicator, start: dt.date, end: dt.date, today: dt.date, url_for=None):
    """The months from `start` to `end` with the value of `indicator` (rows keyed by month, last in the key), for a
    chart and its table; a month that has not begun has no value yet."""
    by_month = {month_of(key[-1]): key for key in rows}
    bars = []
    for year, month in months_between(start, end):
        if dt.date(year, month, 1) > today:
            value = None
        else:
            value = value_of(rows, by_month.get((year, month), ("none",)), indicator)
        bars.append({"label": month_label(year, month), "value": value, "url": url_for(year, month) if url_for else ""})
    return bars


def houses_in_scope(user):
    """The houses whose results `user` may see, or a 404 for a user who may see no results at all."""
    scope = policy.houses_for(user, Action.VIEW_RESULTS)
    if not policy.may_network(user, Action.VIEW_RESULTS) and not scope.exists():
        raise Http404
    return scope


def filtered_houses(query: QueryDict, scope, today: dt.date):
    """The filter form and the houses of `scope` it leaves (all of them when it has errors), annotated with their
    current management."""
    annotated = with_current_management(scope.select_related("neighbourhood__district"), on=today)
    data = QueryDict(mutable=True)
    for name in FILTER_PARAMETERS:
        if query.get(name):
            data[name] = query[name]
    house_filter = HouseResultsFilter(data or None, queryset=annotated, scope=annotated)
    filtered = house_filter.is_bound and house_filter.is_valid()
    return house_filter, filtered, (house_filter.qs if filtered else annotated)


def drilldown_url(house, indicator: Indicator, query: QueryDict | None = None, **changes) -> str:
    url = reverse("reporting:drilldown", args=[house.slug, indicator.code])
    if query is None:
        return url
    return url + link(query, **changes)


def dashboard_url(chosen: Chosen) -> str:
    return reverse("reporting:dashboard") + link(period_query(chosen))


def period_query(chosen: Chosen) -> QueryDict:
    query = QueryDict(mutable=True)
    query["periode"] = chosen.code
    return query


def base_context(*, query, chosen, today, period_error, dropped) -> dict:
    notices = [period_error] if period_error else []
    if dropped:
        notices.append(_("Part of what you asked for could not be read and has been left out."))
    return {
        "chosen": chosen,
        "periods": periods_offered(today, chosen),
        "notices": notices,
        "query": query,
    }


# --- The dashboard ----------------------------------------------------------------------------------------------

SORT_DIRECTIONS = {"op": False, "af": True}


@login_required
@require_GET
def dashboard(request):
    """The houses in the user's scope: per indicator realised against target, the monthly trend, the houses side by
    side (sortable, filterable), sociaal beheer against zelfbeheer, and each house's wijk and data completeness.

    A fixed number of queries whatever the number of houses: the houses (1), the filter's choices (3), the figures
    (one call per grouping), completeness (2), targets (1) and the wijken's social indices (1)."""
    user = request.user
    scope = houses_in_scope(user)
    today = timezone.localdate()
    query, dropped = clean_query(request)
    chosen, period_error = choose_period(query.get("periode"), today)
    period = chosen.period
    grants = policy.grants_of(user)
    if not grants.network_roles and not grants.organisation_ids:
        # A coordinator's scope is their house (or houses): with one, its own page is the dashboard.
        own = list(scope.values_list("slug", flat=True)[:2])
        if len(own) == 1:
            return redirect(reverse("reporting:house", args=[own[0]]) + link(period_query(chosen)))
    house_filter, filtered, houses_qs = filtered_houses(query, scope, today)
    houses = list(houses_qs.order_by("name"))
    house_ids = houses_qs.values("pk")
    network = policy.may_network(user, Action.VIEW_RESULTS) and not filtered
    here = period_query(chosen)

    totals = selectors.indicator_values(house_ids=house_ids, start=period.start, end=period.end)
    per_house = selectors.indicator_values(house_ids=house_ids, start=period.start, end=period.end, group_by=("house",))
    targets = scope_targets(
        house_ids=house_ids, house_id_list=[house.pk for house in houses], period=period, network=network
    )
    summary = figures(
        values=totals,
        targets=targets,
        period=period,
        today=today,
        url_for=lambda indicator: (
            reverse("reporting:network_indicator", args=[indicator.code])
            + link(query, sorteer=None, richting=None, trend=None)
        ),
    )

    trend_code = query.get("trend") if query.get("trend") in BY_CODE else "visits"
    trend_indicator = BY_CODE[trend_code]
    first_month = trend_start(period)
    trend_rows = selectors.indicator_values(
        house_ids=house_ids, start=first_month, end=period.end, group_by=("month",), indicators=(trend_indicator,)
    )
    indicator_query = query.copy()
    for name in ("sorteer", "richting", "trend", "maand", "plek"):
        indicator_query.pop(name, None)
    trend = month_bars(
        trend_rows,
        trend_indicator,
        first_month,
        period.end,
        today,
        url_for=lambda year, month: (
            reverse("reporting:network_indicator", args=[trend_code])
            + link(indicator_query, maand=f"{year}-{month:02d}")
        ),
    )

    complete = selectors.completeness(house_ids=house_ids, start=period.start, end=period.end)
    trends = index_trends(houses_qs.values("neighbourhood_id"))

    # Sociaal beheer and zelfbeheer side by side: each group's own totals (one call per group, whatever its size).
    groups = []
    for management in ManagementType:
        members = [house for house in houses if house.current_management_type == management]
        group_totals = selectors.indicator_values(
            house_ids=houses_qs.filter(current_management_type=management).values("pk"),
            start=period.start,
            end=period.end,
        )
        rows = []
        for indicator in INDICATORS:
            total = value_of(group_totals, (), indicator) if members else None
            if is_average(indicator):
                average = mean(value_of(per_house, (house.pk,), indicator) for house in members)
            else:
                average = total / len(members) if members and total is not None else None
            url = reverse("reporting:network_indicator", args=[indicator.code]) + link(
                indicator_query, beheer=management.value
            )
            rows.append({"indicator": indicator, "total": total, "average": average, "url": url})
        groups.append({"management": management, "count": len(members), "rows": rows})
    comparison = [
        {"indicator": indicator, "groups": [group["rows"][position] for group in groups]}
        for position, indicator in enumerate(INDICATORS)
    ]

    # The houses side by side, sorted on the server.
    sort_key = query.get("sorteer") if query.get("sorteer") in (*BY_CODE, "naam") else "naam"
    descending = SORT_DIRECTIONS.get(query.get("richting"), False)
    house_rows = []
    for house in houses:
        values = {indicator.code: value_of(per_house, (house.pk,), indicator) for indicator in INDICATORS}
        house_rows.append(
            {
                "house": house,
                "values": [
                    {
                        "indicator": indicator,
                        "value": values[indicator.code],
                        "url": drilldown_url(house, indicator, here),
                    }
                    for indicator in INDICATORS
                ],
                "sort_values": values,
                "completeness": complete.get(house.pk, selectors.EMPTY_COMPLETENESS),
                "index": trends.get(house.neighbourhood_id),
                "url": reverse("reporting:house", args=[house.slug]) + link(here),
            }
        )
    if sort_key == "naam":
        house_rows.sort(key=lambda row: row["house"].name.lower(), reverse=descending)
    else:
        with_value = [row for row in house_rows if row["sort_values"][sort_key] is not None]
        without = [row for row in house_rows if row["sort_values"][sort_key] is None]
        with_value.sort(key=lambda row: (row["sort_values"][sort_key], row["house"].name), reverse=descending)
        house_rows = with_value + without  # houses without a figure last, in either direction

    columns = [{"key": "naam", "label": _("House"), "indicator": None}] + [
        {"key": indicator.code, "label": indicator.name, "indicator": indicator} for indicator in INDICATORS
    ]
    for column in columns:
        is_sorted = column["key"] == sort_key
        column["sorted"] = ("descending" if descending else "ascending") if is_sorted else ""
        if is_sorted:
            column["next"] = "op" if descending else "af"
        else:
            column["next"] = "op" if column["indicator"] is None else "af"  # names A to Z, figures high to low
        # Back at the table after sorting, not at the top of a long page.
        column["url"] = link(query, sorteer=column["key"], richting=column["next"]) + "#houses-heading"

    context = base_context(query=query, chosen=chosen, today=today, period_error=period_error, dropped=dropped)
    context |= {
        "filter": house_filter,
        "filter_errors": house_filter.is_bound and not filtered,
        "is_filtered": filtered,
        "network": network,
        "filtered": filtered,
        "scope_count": len(houses),
        "summary": summary,
        "trend": trend,
        "trend_indicator": trend_indicator,
        "trend_choices": [(indicator.code, indicator.name) for indicator in INDICATORS],
        "groups": groups,
        "comparison": comparison,
        "house_rows": house_rows,
        "columns": columns,
        "clear_url": link(here),
    }
    return render(request, "reporting/dashboard/dashboard.html", context)


# --- One indicator across the houses ----------------------------------------------------------------------------


@login_required
@require_GET
def network_indicator(request, code):
    """One indicator for every house in the user's scope (with the dashboard's filters), highest first."""
    indicator = BY_CODE[code]
    user = request.user
    scope = houses_in_scope(user)
    today = timezone.localdate()
    query, dropped = clean_query(request)
    chosen, period_error = choose_period(query.get("periode"), today)
    month, month_notice = choose_month(query, today)
    if month:
        chosen, period_error = Chosen(month[0], (month[1] - 1) // 3 + 1), ""
        query["periode"] = chosen.code
    period = selectors.Period.month(*month) if month else chosen.period
    grants = policy.grants_of(user)
    if not grants.network_roles and not grants.organisation_ids:
        # A coordinator's scope is their house (or houses): with one, its own page is the dashboard.
        own = list(scope.values_list("slug", flat=True)[:2])
        if len(own) == 1:
            return redirect(reverse("reporting:house", args=[own[0]]) + link(period_query(chosen)))
    house_filter, filtered, houses_qs = filtered_houses(query, scope, today)
    houses = list(houses_qs.order_by("name"))
    house_ids = houses_qs.values("pk")
    network = policy.may_network(user, Action.VIEW_RESULTS) and not filtered
    drill_query = period_query(chosen)
    if month:
        drill_query["maand"] = query["maand"]

    only = (indicator,)
    per_house = selectors.indicator_values(
        house_ids=house_ids, start=period.start, end=period.end, group_by=("house",), indicators=only
    )
    total = value_of(
        selectors.indicator_values(house_ids=house_ids, start=period.start, end=period.end, indicators=only),
        (),
        indicator,
    )
    target = scope_targets(
        house_ids=house_ids, house_id_list=[house.pk for house in houses], period=period, network=network
    )[code]
    progress = selectors.target_progress(
        indicator=indicator, target_value=target, realised=total, period=period, today=today
    )
    descending = query.get("richting") != "op"
    rows = [
        {
            "house": house,
            "value": value_of(per_house, (house.pk,), indicator),
            "url": drilldown_url(house, indicator, drill_query),
        }
        for house in houses
    ]
    present = sorted(
        (row for row in rows if row["value"] is not None),
        key=lambda row: (row["value"], row["house"].name),
        reverse=descending,
    )
    rows = present + [row for row in rows if row["value"] is None]

    context = base_context(query=query, chosen=chosen, today=today, period_error=period_error, dropped=dropped)
    if month_notice:
        context["notices"].append(month_notice)
    context |= {
        "period_label": month_label(*month) if month else chosen.label,
        "month": month,
        "indicator": indicator,
        "unit": UNIT_LABELS[indicator.unit],
        "source": SOURCE_LABELS[indicator.source],
        "total": total,
        "target": target,
        "progress": progress,
        "rows": rows,
        "sorted": "descending" if descending else "ascending",
        "sort_url": link(query, richting="op" if descending else "af"),
        "dashboard_url": reverse("reporting:dashboard") + link(query, richting=None, maand=None),
        "is_filtered": filtered,
    }
    return render(request, "reporting/dashboard/network_indicator.html", context)


# --- One house --------------------------------------------------------------------------------------------------


def explanations_url(house, chosen: Chosen) -> str:
    """The page where a coordinator explains a quarter's figures (the targets area); empty while that page does not
    exist."""
    try:
        return reverse("reporting:explanations", args=[house.slug, chosen.code])
    except NoReverseMatch:
        return ""


@login_required
@require_GET
def house(request, slug):
    """One house: its indicators against target, its places and months side by side, data completeness and the
    coordinators' explanations."""
    user = request.user
    today = timezone.localdate()
    house = policy.get_house_or_404(
        user,
        Action.VIEW_RESULTS,
        queryset=with_current_management(House.objects.select_related("neighbourhood__district"), on=today),
        slug=slug,
    )
    query, dropped = clean_query(request)
    chosen, period_error = choose_period(query.get("periode"), today)
    period = chosen.period
    ids = [house.pk]
    here = period_query(chosen)

    values = selectors.indicator_values(house_ids=ids, start=period.start, end=period.end)
    targets = scope_targets(house_ids=ids, house_id_list=ids, period=period, network=False)
    summary = figures(
        values=values,
        targets=targets,
        period=period,
        today=today,
        url_for=lambda indicator: drilldown_url(house, indicator, here),
    )
    main = [BY_CODE[code] for code in MAIN_INDICATORS]

    places = sorted(Place.objects.filter(house=house), key=lambda place: natural(place.name))
    by_place = selectors.indicator_values(
        house_ids=ids, start=period.start, end=period.end, group_by=("place",), indicators=main
    )
    place_rows = [
        {
            "label": place.name,
            "values": [
                {
                    "indicator": indicator,
                    "value": value_of(by_place, (place.pk,), indicator),
                    "url": drilldown_url(house, indicator, here, plek=str(place.pk)),
                }
                for indicator in main
            ],
        }
        for place in places
    ]
    if (None,) in by_place:
        place_rows.append(
            {
                "label": _("The house as a whole (not one place)"),
                "values": [
                    {"indicator": indicator, "value": value_of(by_place, (None,), indicator), "url": ""}
                    for indicator in main
                ],
            }
        )

    first_month = trend_start(period)
    by_month = selectors.indicator_values(
        house_ids=ids, start=first_month, end=period.end, group_by=("month",), indicators=main
    )
    month_columns = {
        indicator.code: month_bars(
            by_month,
            indicator,
            first_month,
            period.end,
            today,
            url_for=lambda year, month, indicator=indicator: drilldown_url(
                house, indicator, here, maand=f"{year}-{month:02d}"
            ),
        )
        for indicator in main
    }
    month_rows = [
        {
            "label": bar["label"],
            "values": [{"indicator": indicator, **month_columns[indicator.code][position]} for indicator in main],
        }
        for position, bar in enumerate(month_columns["visits"])
    ]

    complete = selectors.completeness(house_ids=ids, start=period.start, end=period.end).get(
        house.pk, selectors.EMPTY_COMPLETENESS
    )
    explanations = Explanation.objects.filter(house=house, year=chosen.year)
    if chosen.quarter:
        explanations = explanations.filter(quarter=chosen.quarter)
    order = [indicator.code for indicator in INDICATORS]
    explanations = sorted(
        explanations,
        key=lambda item: (item.quarter, order.index(item.indicator) if item.indicator in order else len(order)),
    )
    for explanation in explanations:
        explanation.indicator_name = BY_CODE[explanation.indicator].name if explanation.indicator in BY_CODE else ""
    explain_url = ""
    if policy.may(user, Action.EXPLAIN_RESULTS, house):
        explain_url = explanations_url(house, chosen if chosen.quarter else current_period(today))

    context = base_context(query=query, chosen=chosen, today=today, period_error=period_error, dropped=dropped)
    context |= {
        "house": house,
        "summary": summary,
        "main": main,
        "place_rows": place_rows,
        "month_rows": month_rows,
        "visits_trend": month_columns["visits"],
        "visits_indicator": BY_CODE["visits"],
        "completeness": complete,
        "explanations": explanations,
        "explain_url": explain_url,
        "index": index_trends([house.neighbourhood_id]).get(house.neighbourhood_id),
        "dashboard_url": dashboard_url(chosen),
    }
    return render(request, "reporting/dashboard/house.html", context)


# --- One figure one level down ----------------------------------------------------------------------------------


@login_required
@require_GET
def drilldown(request, slug, indicator):
    """One indicator of one house, one level down at a time: by place, by month and by its breakdowns; then for one
    place, one month, or one place in one month. Never below aggregates: no names, no single taps or sessions."""
    user = request.user
    today = timezone.localdate()
    house = policy.get_house_or_404(user, Action.VIEW_RESULTS, slug=slug)
    indicator = BY_CODE[indicator]
    query, dropped = clean_query(request)
    chosen, period_error = choose_period(query.get("periode"), today)
    notices = []

    places = sorted(Place.objects.filter(house=house), key=lambda place: natural(place.name))
    place = None
    if query.get("plek"):
        place = next((item for item in places if str(item.pk) == query["plek"]), None)
        if place is None:
            notices.append(_("This house has no such place; you see the whole house."))
            query.pop("plek")

    month, month_notice = choose_month(query, today)
    if month_notice:
        notices.append(month_notice)
    if month:
        chosen, period_error = Chosen(month[0], (month[1] - 1) // 3 + 1), ""
    period = selectors.Period.month(*month) if month else chosen.period
    query["periode"] = chosen.code
    ids = [house.pk]
    only = (indicator,)
    place_group = ("place",) if place else ()

    def pick(rows: dict) -> dict:
        """The rows for the chosen place (the first part of the key), keyed by the rest; all rows without one."""
        if place is None:
            return rows
        return {key[1:]: values for key, values in rows.items() if key[0] == place.pk}

    def values(group_by=(), dimension=""):
        return pick(
            selectors.indicator_values(
                house_ids=ids,
                start=period.start,
                end=period.end,
                group_by=(*place_group, *group_by),
                dimension=dimension,
                indicators=only,
            )
        )

    total = value_of(values(), (), indicator)

    by_place = []
    if place is None and len(places) > 1:
        rows = values(("place",))
        by_place = [
            {"label": item.name, "value": value_of(rows, (item.pk,), indicator), "url": link(query, plek=str(item.pk))}
            for item in places
        ]
        if (None,) in rows:
            by_place.append(
                {
                    "label": _("The house as a whole (not one place)"),
                    "value": value_of(rows, (None,), indicator),
                    "url": "",
                }
            )

    by_month = []
    if month is None:
        by_month = month_bars(
            values(("month",)),
            indicator,
            period.start,
            period.end,
            today,
            url_for=lambda year, number: link(query, maand=f"{year}-{number:02d}"),
        )

    breakdowns = []
    for dimension in indicator.breakdowns:
        rows = values(("member",), dimension)
        members = [
            {"label": member_label(dimension, key[-1]), "value": row.get(indicator.code), "url": ""}
            for key, row in rows.items()
            if key and key[-1] != ""
        ]
        members.sort(key=lambda item: (-(item["value"] or 0), item["label"]))
        breakdowns.append({"dimension": dimension, "label": dimension_label(dimension), "rows": members})

    level_label = f"{place.name}, {house.name}" if place else house.name
    period_label = month_label(*month) if month else chosen.label
    house_url = reverse("reporting:house", args=[house.slug]) + link(period_query(chosen))
    indicator_url = reverse("reporting:drilldown", args=[house.slug, indicator.code]) + link(period_query(chosen))
    trail = [(reverse("start"), _("My start page")), (dashboard_url(chosen), _("Results")), (house_url, house.name)]
    current = indicator.name
    if place or month:
        trail.append((indicator_url, indicator.name))
        current = place.name if place else month_label(*month)
    if place and month:
        trail.append((link(query, maand=None), place.name))
        current = month_label(*month)

    context = base_context(query=query, chosen=chosen, today=today, period_error=period_error, dropped=dropped)
    context["notices"] += notices
    context |= {
        "house": house,
        "indicator": indicator,
        "unit": UNIT_LABELS[indicator.unit],
        "source": SOURCE_LABELS[indicator.source],
        "place": place,
        "month": month,
        "level_label": level_label,
        "period_label": period_label,
        "total": total,
        "by_place": by_place,
        "by_month": by_month,
        "breakdowns": breakdowns,
        "trail": trail,
        "current": current,
        "hidden": [("plek", query["plek"])] if query.get("plek") else [],
    }
    return render(request, "reporting/dashboard/drilldown.html", context)


INDICATOR_PATTERN = "|".join(re.escape(code) for code in sorted(BY_CODE, key=len, reverse=True))

urlpatterns = [
    path("", dashboard, name="dashboard"),
    re_path(rf"^indicator/(?P<code>{INDICATOR_PATTERN})/$", network_indicator, name="network_indicator"),
    path("huizen/<slug:slug>/", house, name="house"),
    re_path(rf"^huizen/(?P<slug>[-\w]+)/(?P<indicator>{INDICATOR_PATTERN})/$", drilldown, name="drilldown"),
]
