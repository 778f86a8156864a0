"""The quarterly reports: one per house and one for the network, as PDF, XLSX and CSV, in numbered versions.

`report_build` is the one way a report is made: the schedule's task, the "build now" button and the command all
call it. A run is named by its `run_key` (the schedule's run of a quarter, or one person's request), so a repeated
or retried run finds its version instead of making another: a ready version is returned as it is, a version left
half-built by a worker that died is built on. A version is made in two steps: its row (status "building", the next
number, committed at once so the page can show its progress), then its figures and files, stored together with
their checksums in one transaction that also marks it ready. A ready version never changes again; building again
makes a new version and keeps the old one.

The figures are read from the daily rollups (`reporting.selectors`) and kept in the version as JSON: the files are
rendered from that snapshot only (`reporting.render`), so all three formats show the same numbers. Counts of
people below 5 are suppressed with `reporting.suppression.protect`, also in the tables whose totals would give them
away; the pattern is kept in the figures, and later versions of the same report suppress at least the same cells.
"""

import calendar
import datetime as dt
import hashlib
import re
import uuid
from collections import defaultdict
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q, QuerySet
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts import policy
from accounts.policy import Action
from activities.models import AgeBand, Category, Organiser, Signal, TargetGroup
from audit.services import NamedActor, event_record, user_of
from huizen import outbox
from locations.models import House, Place
from volunteers.models import HoursEntry, SupportKind

from .indicators import INDICATORS, Aggregation, Indicator, Unit
from .models import Explanation, ReportFile, ReportVersion, Target
from .selectors import Period, completeness, compute, indicator_values, measure_sums, target_progress
from .suppression import Table, protect

THRESHOLD = 5
TOTAL = "total"  # the key of the one column of a table of totals
NO_STATUS = "–"  # the status of a hidden figure: none
QUARTER_PATTERN = re.compile(r"(\d{4})Q([1-4])")
FIRST_YEAR, LAST_YEAR = 2000, 2099

# The members of each breakdown, in the order the models list them, with their labels.
MEMBER_CHOICES = {
    "category": Category.choices,
    "organiser": Organiser.choices,
    "target_group": TargetGroup.choices,
    "destination": [choice for choice in Signal.Referral.choices if choice[0]],
    "age_band": AgeBand.choices,
    "hours_source": HoursEntry.Source.choices,
    "support_kind": SupportKind.choices,
}
# Members that overlap (a session counts for each of its target groups): their sum is no total, so such a
# table shows no totals (and publishes none).
OVERLAPPING = frozenset({"target_group"})


class ReportError(Exception):
    """A request the service refuses (an unknown quarter, changing a ready version)."""


# --- Quarters ---------------------------------------------------------------------------------------------


def parse_quarter(text: str) -> tuple[int, int]:
    """'2026Q3' → (2026, 3); ValueError with a Dutch message for anything else (years 2000 to 2099)."""
    match = QUARTER_PATTERN.fullmatch((text or "").strip().upper())
    if not match or not FIRST_YEAR <= int(match[1]) <= LAST_YEAR:
        raise ValueError(_("Give a quarter as year and quarter, such as 2026Q3 (years 2000 to 2099)."))
    return int(match[1]), int(match[2])


def quarter_label(year: int, quarter: int) -> str:
    return f"{year}Q{quarter}"


def previous_quarter(day: dt.date) -> tuple[int, int]:
    """The last quarter that ended before `day`."""
    quarter = (day.month - 1) // 3 + 1
    return (day.year - 1, 4) if quarter == 1 else (day.year, quarter - 1)


def schedule_run_key(year: int, quarter: int, kind: str, house: House | None) -> str:
    """The schedule's run of one report: `schedule:2026Q3:provisional:het-klooster` (the house's id instead of a
    slug too long for the key)."""
    key = f"schedule:{year}Q{quarter}:{kind}:{house.slug if house else 'network'}"
    run_key_length = ReportVersion._meta.get_field("run_key").max_length
    return key if len(key) <= run_key_length else f"schedule:{year}Q{quarter}:{kind}:house-{house.pk}"


def request_run_key() -> str:
    return f"request:{uuid.uuid4()}"


# --- Versions: who may see them ---------------------------------------------------------------------------


def versions_for(user, queryset: QuerySet | None = None) -> QuerySet:
    """The report versions `user` may see: those of the houses they see results of, and the network's for the
    roles that see the whole network."""
    queryset = ReportVersion.objects.all() if queryset is None else queryset
    condition = Q(house__in=policy.houses_for(user, Action.VIEW_RESULTS))
    if policy.may_network(user, Action.VIEW_RESULTS):
        condition |= Q(house__isnull=True)
    return queryset.filter(condition)


def get_version_or_404(user, queryset: QuerySet | None = None, **lookup) -> ReportVersion:
    """Fetch a report version and check access in one step: one 404 for "does not exist" and "not yours"."""
    try:
        return versions_for(user, queryset).get(**lookup)
    except (ReportVersion.DoesNotExist, ValueError):
        raise Http404 from None


# --- The service ------------------------------------------------------------------------------------------


def _actor_fields(by) -> dict:
    if isinstance(by, NamedActor):
        from audit.services import SCHEDULE

        return {"created_by": None, "by_schedule": by == SCHEDULE}
    return {"created_by": user_of(by), "by_schedule": False}


def _lock_numbering(house: House | None, year: int, quarter: int) -> None:
    """Serialise numbering within one report: the house's row, or the network's latest version of the quarter
    (the very first network version is guarded by the unique number constraint and a retry)."""
    if house is not None:
        House.objects.select_for_update().filter(pk=house.pk).first()
    else:
        list(
            ReportVersion.objects.select_for_update()
            .filter(house__isnull=True, year=year, quarter=quarter)
            .order_by("-number")
            .values_list("pk", flat=True)[:1]
        )


def report_version_start(*, house: House | None, year: int, quarter: int, kind: str, by, run_key: str) -> ReportVersion:
    """The version of a run: the one with `run_key` if it exists, else a new one with the next number, status
    building. Commits (or joins the caller's transaction)."""
    if kind not in ReportVersion.Kind.values or not 1 <= quarter <= 4 or not FIRST_YEAR <= year <= LAST_YEAR:
        raise ReportError(f"Unknown report {year}Q{quarter} {kind}")
    for _attempt in range(5):
        existing = ReportVersion.objects.filter(run_key=run_key).first()
        if existing is not None:
            return existing
        try:
            with transaction.atomic():
                _lock_numbering(house, year, quarter)
                latest = (
                    ReportVersion.objects.filter(house=house, year=year, quarter=quarter)
                    .order_by("-number")
                    .values_list("number", flat=True)
                    .first()
                )
                return ReportVersion.objects.create(
                    house=house,
                    year=year,
                    quarter=quarter,
                    number=(latest or 0) + 1,
                    kind=kind,
                    status=ReportVersion.Status.BUILDING,
                    run_key=run_key,
                    created_at=timezone.now(),
                    **_actor_fields(by),
                )
        except IntegrityError:  # another run took this number (or this run_key) at the same moment
            continue
    raise ReportError(f"Could not number a new version of {house or 'network'} {year}Q{quarter}")


def report_request(*, house: House | None, year: int, quarter: int, kind: str, by) -> ReportVersion:
    """A person asks for a new version now: its row, and the task that builds it (sent after the commit through
    the outbox, so a broker outage delays the build instead of losing it).

    Only for a quarter that has ended (a report of a running quarter would be outdated tomorrow, and what it
    suppresses would bind every later version), one build of a report at a time, and a final version only by those
    who agree the targets (the municipality, administrators); the schedule makes the final one anyway."""
    from .report_tasks import build_report

    if Period.quarter(year, quarter).end >= timezone.localdate():
        raise ValidationError(_("This quarter has not ended yet. Its figures are on the dashboard until then."))
    if kind == ReportVersion.Kind.FINAL and not policy.may_network(by, Action.SET_TARGETS):
        raise ValidationError(_("Only the municipality makes a final version; the schedule makes one anyway."))
    final_ready = ReportVersion.objects.filter(
        house=house, year=year, quarter=quarter, kind=ReportVersion.Kind.FINAL, status=ReportVersion.Status.READY
    )
    if kind == ReportVersion.Kind.PROVISIONAL and final_ready.exists():
        raise ValidationError(
            _("The final version of this quarter is ready. A new version is a final one, made by the municipality.")
        )
    with transaction.atomic():
        (House.objects.select_for_update().filter(pk=house.pk) if house else House.objects.none()).first()
        busy = ReportVersion.objects.filter(
            house=house, year=year, quarter=quarter, status=ReportVersion.Status.BUILDING
        ).exists()
        if busy:
            raise ValidationError(_("A version of this report is being built already. Wait until it is ready."))
        version = report_version_start(
            house=house, year=year, quarter=quarter, kind=kind, by=by, run_key=request_run_key()
        )
        event_record(
            by=by,
            action="report.request",
            obj=version,
            house=house,
            changes={"quarter": quarter_label(year, quarter), "kind": kind, "version": version.number},
            label=f"{house.name if house else _('the whole network')} {quarter_label(year, quarter)}",
        )
        outbox.enqueue(build_report, version.pk)
    return version


def _set_progress(version: ReportVersion, percent: int) -> None:
    """Committed at once (outside the build's transactions), so the page polling it sees it move."""
    version.progress = percent
    ReportVersion.objects.filter(pk=version.pk, status=ReportVersion.Status.BUILDING).update(progress=percent)


def report_build(*, house: House | None, year: int, quarter: int, kind: str, by, run_key: str) -> ReportVersion:
    """Build the report of `house` (None: the network) for a quarter, once per `run_key`; see the module."""
    version = report_version_start(house=house, year=year, quarter=quarter, kind=kind, by=by, run_key=run_key)
    if version.status == ReportVersion.Status.READY:
        return version
    if version.status == ReportVersion.Status.FAILED:
        ReportVersion.objects.filter(pk=version.pk, status=ReportVersion.Status.FAILED).update(
            status=ReportVersion.Status.BUILDING, progress=0
        )
        version.status = ReportVersion.Status.BUILDING
    try:
        return _build_into(version, by=by)
    except Exception:
        ReportVersion.objects.filter(pk=version.pk, status=ReportVersion.Status.BUILDING).update(
            status=ReportVersion.Status.FAILED
        )
        raise


def report_version_build(*, version_id: int) -> ReportVersion | None:
    """Build a version whose row exists (the "build now" button made it), as whoever asked for it."""
    from audit.services import SCHEDULE, SYSTEM

    version = ReportVersion.objects.select_related("house", "created_by").filter(pk=version_id).first()
    if version is None:
        return None
    by = version.created_by or (SCHEDULE if version.by_schedule else SYSTEM)
    return report_build(
        house=version.house,
        year=version.year,
        quarter=version.quarter,
        kind=version.kind,
        by=by,
        run_key=version.run_key,
    )


def _build_into(version: ReportVersion, *, by) -> ReportVersion:
    from . import rollups
    from .render import csv as render_csv
    from .render import pdf as render_pdf
    from .render import xlsx as render_xlsx

    _set_progress(version, 5)
    rollups.refresh_stale()  # the days changed since the last pass (taps, close-outs, bookings) derived first
    _set_progress(version, 15)
    figures = report_figures(
        house=version.house,
        year=version.year,
        quarter=version.quarter,
        kind=version.kind,
        number=version.number,
        by=by,
        progress=lambda percent: _set_progress(version, percent),
    )
    contents = {}
    for percent, (fmt, renderer) in zip(
        (75, 85, 95),
        (
            (ReportFile.Format.CSV, render_csv.render),
            (ReportFile.Format.XLSX, render_xlsx.render),
            (ReportFile.Format.PDF, render_pdf.render),
        ),
        strict=True,
    ):
        contents[fmt] = renderer(figures)
        _set_progress(version, percent)
    return _finish(version, figures=figures, contents=contents, by=by)


def _finish(version: ReportVersion, *, figures: dict, contents: dict[str, bytes], by) -> ReportVersion:
    """Store the files and mark the version ready, in one transaction; a version someone else finished first
    is left as it is (the work of this run is dropped)."""
    with transaction.atomic():
        locked = ReportVersion.objects.select_for_update().get(pk=version.pk)
        if locked.status == ReportVersion.Status.READY:
            return locked
        ReportFile.objects.filter(version=locked).delete()  # never any: files are stored only here
        ReportFile.objects.bulk_create(
            ReportFile(
                version=locked,
                format=fmt,
                content=content,
                checksum=hashlib.sha256(content).hexdigest(),
                size=len(content),
            )
            for fmt, content in contents.items()
        )
        locked.figures = figures
        locked.status = ReportVersion.Status.READY
        locked.progress = 100
        locked.finished_at = timezone.now()
        locked.save(update_fields=["figures", "status", "progress", "finished_at"])
        event_record(
            by=by,
            action="report.build",
            obj=locked,
            house=locked.house,
            label=f"{quarter_label(locked.year, locked.quarter)} v{locked.number}",
            changes={
                "version": locked.number,
                "kind": locked.kind,
                "quarter": quarter_label(locked.year, locked.quarter),
            },
        )
    return locked


def report_version_refuse_change(version: ReportVersion) -> None:
    """A ready version is immutable: anything that would change one calls this first."""
    if version.status == ReportVersion.Status.READY:
        raise ReportError(_("A finished report version is never changed; build a new version instead."))


# --- The figures ------------------------------------------------------------------------------------------


def _num(value) -> str | None:
    """A figure as JSON: a decimal string with two places, or None (no value, e.g. a ratio over nothing)."""
    if value is None:
        return None
    return str(Decimal(value).quantize(Decimal("0.01")))


def _month_number(key) -> int:
    """The month of a `month` group key, whatever shape the selector gives it (a date, 'YYYY-MM', an int)."""
    if isinstance(key, dt.date):
        return key.month
    if isinstance(key, int):
        return key
    return int(str(key)[5:7])


def _label(dimension: str, member: str) -> str:
    return str(dict(MEMBER_CHOICES.get(dimension, ())).get(member, member))


def _members(dimension: str, seen: set[str]) -> list[str]:
    ordered = [value for value, _label in MEMBER_CHOICES.get(dimension, ()) if value in seen]
    return ordered + sorted(seen - set(ordered))


def _table(rows, columns, cells: dict, *, additive: bool, row_totals=None, column_totals=None, total=None):
    """A table as stored in the figures: rows and columns as [key, label] pairs; cells, margins as strings."""
    return {
        "rows": [[str(key), str(label)] for key, label in rows],
        "columns": [[str(key), str(label)] for key, label in columns],
        "cells": {f"{row}|{column}": _num(value) for (row, column), value in cells.items()},
        "row_totals": {str(key): _num(value) for key, value in (row_totals or {}).items()},
        "column_totals": {str(key): _num(value) for key, value in (column_totals or {}).items()},
        "total": _num(total),
        "additive": additive,
        "suppressed": [],
    }


def _items_from_json(items) -> frozenset:
    return frozenset(tuple(item) for item in items)


def _earlier_patterns(house: House | None, year: int, quarter: int) -> dict:
    """{indicator: {table: set of items}} suppressed in any earlier ready version of this report."""
    patterns: dict = {}
    earlier = ReportVersion.objects.filter(
        house=house, year=year, quarter=quarter, status=ReportVersion.Status.READY
    ).values_list("figures", flat=True)
    for figures in earlier:
        for code, tables in (figures or {}).get("suppression", {}).items():
            for name, items in tables.items():
                patterns.setdefault(code, {}).setdefault(name, set()).update(_items_from_json(items))
    return patterns


def _protect(table: dict, *, forced=frozenset(), keep=frozenset()) -> frozenset:
    """Suppress the small counts of a stored table (and what would give them away): the items, as tuples."""
    rows = [key for key, _label in table["rows"]]
    columns = [key for key, _label in table["columns"]]
    cells = {}
    for row in rows:
        for column in columns:
            value = table["cells"].get(f"{row}|{column}")
            cells[(row, column)] = int(Decimal(value)) if value is not None else 0
    valid = {("total",)} | {("row", r) for r in rows} | {("col", c) for c in columns}
    valid |= {("cell", r, c) for r in rows for c in columns}
    wanted_keep = frozenset(item for item in keep if item in valid)
    wanted_forced = frozenset(item for item in forced if item in valid)
    if not rows or not columns:
        return frozenset()
    return frozenset(protect(Table(rows, columns, cells), threshold=THRESHOLD, forced=wanted_forced, keep=wanted_keep))


def _primary_only(table: dict, *, forced=frozenset(), keep=frozenset()) -> frozenset:
    """A table whose figures do not add up (different people, overlapping groups): no total is the sum of its cells,
    so nothing can be worked out from the others; each figure from 1 to 4 is left out on its own. A one-column
    table also shows its total (from the selector, not a sum): left out the same way."""
    rows = [key for key, _label in table["rows"]]
    columns = [key for key, _label in table["columns"]]
    items = set()
    for row in rows:
        for column in columns:
            value = table["cells"].get(f"{row}|{column}")
            if value is not None and 0 < Decimal(value) < THRESHOLD:
                items |= {("cell", row, column)} | ({("row", row)} if len(columns) == 1 else set())
    total = table.get("total")
    if len(columns) == 1 and total is not None and 0 < Decimal(total) < THRESHOLD:
        items |= {("total",), ("col", columns[0])}
    valid = {("total",)} | {("row", r) for r in rows} | {("col", c) for c in columns}
    valid |= {("cell", r, c) for r in rows for c in columns}
    items |= {item for item in forced | keep if item in valid}
    if len(columns) == 1:  # a cell and its row total are one figure, the column total and the total too
        items |= {("row", item[1]) for item in items if item[0] == "cell"}
        items |= {("cell", item[1], columns[0]) for item in items if item[0] == "row"}
        if items & {("total",), ("col", columns[0])}:
            items |= {("total",), ("col", columns[0])}
    return frozenset(items)


def _additive(indicator: Indicator) -> bool:
    """Whether an indicator's figures add up: a sum of counts. Different people (DISTINCT) do not: the people of
    two places or two categories are not the people of both together."""
    return indicator.aggregation == Aggregation.SUM and indicator.unit == Unit.COUNT


def _mask(entry: dict) -> None:
    """Take the hidden figures out of an indicator's JSON (in place), so nothing rendered from it can show them:
    the hidden cells and totals, the running totals the renderer hides, and the headline figures with their
    expected values and status words ("ahead" next to "<5" gives the count away)."""
    quarter_hidden = year_hidden = False
    for name, table in entry["tables"].items():
        items = {tuple(item) for item in table.get("suppressed", [])}
        columns = [key for key, _label in table["columns"]]
        single = len(columns) == 1
        for row, _label in table["rows"]:
            for column in columns:
                if ("cell", row, column) in items or (single and ("row", row) in items):
                    table["cells"][f"{row}|{column}"] = None
            if ("row", row) in items and row in table["row_totals"]:
                table["row_totals"][row] = None
        for column in columns:
            if ("col", column) in items or (single and ("total",) in items):
                table["column_totals"][column] = None
        hidden_total = ("total",) in items or (single and ("col", columns[0]) in items if columns else False)
        if hidden_total:
            table["total"] = None
        if name == "total":
            quarter_hidden = hidden_total
        if name == "months":
            year_hidden = hidden_total
            cumulative = table.get("cumulative", {})
            hidden_so_far = False
            for position, (row, _label) in enumerate(table["rows"]):
                hidden_so_far = hidden_so_far or ("cell", row, TOTAL) in items or ("row", row) in items
                last = position == len(table["rows"]) - 1
                if (hidden_total if last else hidden_so_far) and row in cumulative:
                    cumulative[row] = None
    if quarter_hidden:
        entry.update(quarter=None, expected_quarter=None, status="", status_label=NO_STATUS)
    if year_hidden:
        entry.update(year_to_date=None, expected_year=None, status_year="", status_year_label=NO_STATUS)


def _month_grid(table: dict, quarter: int) -> tuple[Table, dict]:
    """The months of the year to date as a grid of quarters × month of the quarter: its row totals are the
    quarters' figures (each published as the headline of its quarter's report), its total the year to date. The
    column totals (every first month of a quarter…) are published nowhere. Returns the table and, per month (as
    a string), its cell."""
    rows = [f"Q{k}" for k in range(1, quarter + 1)]
    columns = ["1", "2", "3"]
    cells, where = {}, {}
    for key, _label in table["rows"]:
        month = int(key)
        cell = (f"Q{(month - 1) // 3 + 1}", str((month - 1) % 3 + 1))
        where[key] = cell
        value = table["cells"].get(f"{key}|{TOTAL}")
        cells[cell] = int(Decimal(value)) if value is not None else 0
    return Table(rows, columns, cells), where


def _suppress(
    tables: dict,
    *,
    network: dict,
    earlier: dict,
    quarter_months: list[str],
    quarter: int | None = None,
    previous: dict | None = None,
    network_months: frozenset = frozenset(),
) -> dict:
    """Protect the tables of one indicator (in place), together, and return their patterns as JSON lists.

    The tables share figures: each row of "total" (a place or a house) is the row total of every breakdown that adds
    up, the quarter's figure (the total of "total") is the total of each of them and the sum of the quarter's
    months. A figure hidden in one table and published in another gives it away, so the tables are protected in
    turns, each told (`forced`) what the others hide of the shared figures, until none of them changes.

    The months are protected as a grid of quarters × months (`_month_grid`), so that the quarters' figures are in
    it: the earlier quarters' figures were published in their own reports (`previous["quarters"]` lists those
    hidden there), and the months hidden in earlier quarters' reports (`previous["months"]`) stay hidden, with
    their complements. `network_months`: months a house report of this quarter hides (for the network report).

    Tables that do not add up (`additive` false: different people, overlapping groups) only leave out their small
    figures (`_primary_only`).
    """
    previous = previous or {}
    if quarter is None:
        quarter = (int(quarter_months[0]) - 1) // 3 + 1 if quarter_months else 1
    patterns: dict = {}
    linked = [name for name, table in tables.items() if name != "months" and table.get("additive")]
    if "total" not in linked:
        linked = []
    found: dict[str, frozenset] = {}
    for name, table in tables.items():
        if name not in linked and not (name == "months" and table.get("additive")):
            found[name] = _primary_only(
                table, forced=frozenset(network.get(name, ())), keep=frozenset(earlier.get(name, ()))
            )

    months = tables.get("months")
    grid = where = None
    grid_forced, grid_keep, grid_fixed = set(), set(), set()
    if months is not None and months.get("additive") and months["rows"]:
        grid, where = _month_grid(months, quarter)
        for item in earlier.get("months", ()):
            if item[0] in ("cell", "row") and item[1] in where:
                grid_keep.add(("cell", *where[item[1]]))
            elif item[0] in ("total", "col"):
                grid_keep.add(("total",))
        for month in set(previous.get("months", ())) | set(network_months):
            if str(month) in where:
                grid_forced.add(("cell", *where[str(month)]))
        for k in range(1, quarter):
            if k in previous.get("quarters", ()):
                grid_forced.add(("row", f"Q{k}"))
            else:
                grid_fixed.add(("row", f"Q{k}"))

    shared_rows: set[str] = set()
    grand = False
    for _round in range(20):
        seen_rows: set[str] = set()
        seen_grand = False
        for name in linked:
            table = tables[name]
            forced = set(network.get(name, ())) | {("row", row) for row in shared_rows}
            if name == "total":
                forced |= {("cell", row, TOTAL) for row in shared_rows}
            if grand:
                forced |= {("total",)} | ({("col", TOTAL)} if name == "total" else set())
            items = _protect(table, forced=frozenset(forced), keep=frozenset(earlier.get(name, ())))
            found[name] = items
            seen_rows |= {item[1] for item in items if item[0] == "row" or (name == "total" and item[0] == "cell")}
            seen_grand = seen_grand or ("total",) in items or (name == "total" and ("col", TOTAL) in items)
        if grid is not None:
            forced = grid_forced | ({("row", f"Q{quarter}")} if grand else set())
            items = protect(
                grid,
                threshold=THRESHOLD,
                forced=frozenset(forced),
                keep=frozenset(grid_keep),
                free=frozenset(("col", column) for column in grid.columns),
                fixed=frozenset(grid_fixed),
            )
            found["months"] = items
            seen_grand = seen_grand or ("row", f"Q{quarter}") in items
        if seen_rows <= shared_rows and seen_grand == grand:
            break
        shared_rows |= seen_rows
        grand = grand or seen_grand

    if grid is not None:
        items = found["months"]
        shown = set()
        for month, cell in where.items():
            if ("cell", *cell) in items:
                shown |= {("cell", month, TOTAL), ("row", month)}
        if ("total",) in items:
            shown |= {("total",), ("col", TOTAL)}
        found["months"] = frozenset(shown)
    for name, table in tables.items():
        items = found.get(name, frozenset())
        table["suppressed"] = sorted([list(item) for item in items])
        patterns[name] = table["suppressed"]
    return patterns


def _previous_quarters(house: House | None, year: int, quarter: int) -> dict:
    """What the ready reports of the earlier quarters of the same year (and scope) hide, per indicator: the months
    (numbers) and the quarters whose figure is hidden ({indicator: {"months": set, "quarters": set}})."""
    found: dict = {}
    versions = ReportVersion.objects.filter(
        house=house, year=year, quarter__lt=quarter, status=ReportVersion.Status.READY
    ).values_list("quarter", "figures")
    for earlier_quarter, figures in versions:
        for code, tables in (figures or {}).get("suppression", {}).items():
            entry = found.setdefault(code, {"months": set(), "quarters": set()})
            months = _items_from_json(tables.get("months", ()))
            entry["months"] |= {int(item[1]) for item in months if item[0] in ("cell", "row")}
            totals = _items_from_json(tables.get("total", ()))
            if ("total",) in totals or ("col", TOTAL) in totals:
                entry["quarters"].add(earlier_quarter)
            if earlier_quarter == 1 and (("total",) in months or ("col", TOTAL) in months):
                entry["quarters"].add(1)
    return found


def _house_months(year: int, quarter: int) -> dict:
    """For the network report: the months the ready house reports of this quarter hide, per indicator. A network
    month is the sum of the houses' months: one published there and hidden in a house report, next to the other
    houses' months, would give it away, so the network hides it too."""
    found: dict = {}
    versions = ReportVersion.objects.filter(
        house__isnull=False, year=year, quarter=quarter, status=ReportVersion.Status.READY
    ).values_list("figures", flat=True)
    for figures in versions:
        for code, tables in (figures or {}).get("suppression", {}).items():
            months = _items_from_json(tables.get("months", ()))
            found.setdefault(code, set()).update(str(item[1]) for item in months if item[0] in ("cell", "row"))
    return found


def _running_totals(house_ids, year: int, months: list[int]) -> dict[int, dict]:
    """Each indicator from January to the end of each month: sums and ratios from the months' sums of measures
    added up (one query); different people are not a sum of months, so they are counted per running period."""
    if not months:
        return {}
    start = dt.date(year, 1, 1)
    last = dt.date(year, months[-1], calendar.monthrange(year, months[-1])[1])
    monthly = measure_sums(house_ids=house_ids, start=start, end=last, group_by=("month",))
    distinct = [indicator for indicator in INDICATORS if indicator.aggregation == Aggregation.DISTINCT]
    running: dict[str, Decimal] = defaultdict(Decimal)
    result = {}
    for month in months:
        for measure, value in monthly.get((dt.date(year, month, 1),), {}).items():
            running[measure] += value
        values = {i.code: compute(i, running) for i in INDICATORS if i.aggregation != Aggregation.DISTINCT}
        if distinct:
            end = dt.date(year, month, calendar.monthrange(year, month)[1])
            people = indicator_values(house_ids=house_ids, start=start, end=end, indicators=distinct).get((), {})
            values.update({i.code: people.get(i.code, Decimal(0)) for i in distinct})
        result[month] = values
    return result


def report_figures(
    *,
    house: House | None,
    year: int,
    quarter: int,
    kind: str = "",
    number: int = 0,
    by=None,
    progress=None,
    patterns_only: bool = False,
) -> dict:
    """Everything a report shows, as JSON: per indicator the quarter and year to date, per month with running
    totals, target and status, per place (house) or per house (network), the breakdowns, the explanations,
    data completeness, and the suppression pattern. Reads rollups only."""
    progress = progress or (lambda percent: None)
    period = Period.quarter(year, quarter)
    year_to_date = Period(dt.date(year, 1, 1), period.end, "year_to_date")
    today = timezone.localdate()
    as_of = min(today, period.end)
    if house is not None:
        houses = [house]
    else:
        houses = list(House.objects.order_by("name"))
    house_ids = [item.pk for item in houses]
    places = list(Place.objects.filter(house=house).order_by("name")) if house is not None else []
    # Rows of the main tables: places of the house, or the houses of the network.
    if house is not None:
        row_group, row_labels = "place", {str(place.pk): place.name for place in places}
    else:
        row_group, row_labels = "house", {str(item.pk): item.name for item in houses}

    quarter_values = indicator_values(house_ids=house_ids, start=period.start, end=period.end).get((), {})
    ytd_values = indicator_values(house_ids=house_ids, start=year_to_date.start, end=year_to_date.end).get((), {})
    # Only the tables per house and breakdown when the network's pattern is all a house report needs.
    months = [] if patterns_only else list(range(1, period.end.month + 1))
    monthly = (
        {
            _month_number(key[0]): row
            for key, row in indicator_values(
                house_ids=house_ids, start=year_to_date.start, end=year_to_date.end, group_by=("month",)
            ).items()
        }
        if months
        else {}
    )
    cumulative = _running_totals(house_ids, year, months)
    progress(30)
    per_row = indicator_values(house_ids=house_ids, start=period.start, end=period.end, group_by=(row_group,))
    dimensions = sorted({dimension for indicator in INDICATORS for dimension in indicator.breakdowns})
    breakdowns = {
        dimension: indicator_values(
            house_ids=house_ids, start=period.start, end=period.end, group_by=(row_group, "member"), dimension=dimension
        )
        for dimension in dimensions
    }
    # The network's tables of this quarter, for the house report: its margins are the network's cells.
    network_patterns = _network_patterns(year, quarter, house) if house is not None else {}
    progress(45)

    targets = {target.indicator: target for target in Target.objects.filter(house=house, year=year)}
    explanations: dict[str, list] = {}
    explained = Explanation.objects.filter(year=year, quarter=quarter, house_id__in=house_ids).select_related("house")
    for explanation in explained.order_by("house__name"):
        explanations.setdefault(explanation.indicator, []).append(
            {"house": explanation.house.name, "text": explanation.text}
        )
    earlier = _earlier_patterns(house, year, quarter)
    previous = _previous_quarters(house, year, quarter)
    house_months = _house_months(year, quarter) if house is None and not patterns_only else {}

    indicators = []
    suppression: dict = {}
    for indicator in INDICATORS:
        code = indicator.code
        seen_rows = {str(key[0]) for key in per_row if key[0] is not None}
        rows = [(key, label) for key, label in row_labels.items()]
        rows += [(key, key) for key in sorted(seen_rows - set(row_labels))]
        if any(key[0] is None for key in per_row):
            rows.append(("none", _("the house as a whole")))
        empty = compute(indicator, {})  # no data: 0 for a sum, no value for a ratio
        row_values = {("none" if key[0] is None else str(key[0])): values.get(code) for key, values in per_row.items()}
        tables = {
            "total": _table(
                rows,
                [(TOTAL, _("Total"))],
                {(row, TOTAL): row_values.get(row, empty) for row, _label in rows},
                additive=_additive(indicator),
                column_totals={TOTAL: quarter_values.get(code, empty)},
                total=quarter_values.get(code, empty),
            )
        }
        for dimension in indicator.breakdowns:
            found = breakdowns[dimension]
            members = _members(dimension, {key[1] for key in found if key[1]})
            cells = {}
            for key, values in found.items():
                if not key[1]:
                    continue
                row = "none" if key[0] is None else str(key[0])
                cells[(row, key[1])] = values.get(code)
            additive = _additive(indicator) and dimension not in OVERLAPPING
            row_totals, column_totals, grand = {}, {}, None
            if additive:
                for (row, member), value in cells.items():
                    if value is not None:
                        row_totals[row] = row_totals.get(row, Decimal(0)) + value
                        column_totals[member] = column_totals.get(member, Decimal(0)) + value
                grand = sum(row_totals.values(), Decimal(0)) if row_totals else None
            tables[dimension] = _table(
                rows,
                [(member, _label(dimension, member)) for member in members],
                cells,
                additive=additive,
                row_totals=row_totals,
                column_totals=column_totals,
                total=grand,
            )
        month_rows = [(str(month), _month_name(month)) for month in months]
        tables["months"] = _table(
            month_rows,
            [(TOTAL, _("Total"))],
            {(str(month), TOTAL): monthly.get(month, {}).get(code, empty) for month in months},
            additive=_additive(indicator),
            column_totals={TOTAL: ytd_values.get(code, empty)},
            total=ytd_values.get(code, empty),
        )
        tables["months"]["cumulative"] = {str(month): _num(cumulative[month].get(code, empty)) for month in months}

        if indicator.suppressed:
            suppression[code] = _suppress(
                tables,
                network=network_patterns.get(code, {}),
                earlier=earlier.get(code, {}),
                quarter_months=[str(month) for month in months if month > 3 * (quarter - 1)],
                quarter=quarter,
                previous=previous.get(code, {}),
                network_months=frozenset(house_months.get(code, ())),
            )

        target = targets.get(code)
        quarter_target = target.for_quarter(quarter) if target else None
        realised = quarter_values.get(code, empty)
        quarter_progress = target_progress(
            indicator=indicator, target_value=quarter_target, realised=realised, period=period, today=as_of
        )
        year_progress = target_progress(
            indicator=indicator,
            target_value=target.value if target else None,
            realised=ytd_values.get(code, empty),
            period=Period.year(year),
            today=as_of,
        )
        entry = {
            "code": code,
            "name": str(indicator.name),
            "definition": str(indicator.definition),
            "unit": str(indicator.unit),
            "source": str(indicator.source),
            "suppressed": indicator.suppressed,
            "quarter": _num(realised),
            "year_to_date": _num(ytd_values.get(code, empty)),
            "target_quarter": _num(quarter_target),
            "target_year": _num(target.value if target else None),
            "expected_quarter": _num(getattr(quarter_progress, "expected", None)),
            "expected_year": _num(getattr(year_progress, "expected", None)),
            "status": str(quarter_progress.status),
            "status_label": str(quarter_progress.label),
            "status_year": str(year_progress.status),
            "status_year_label": str(year_progress.label),
            "explanations": explanations.get(code, []),
            "tables": tables,
        }
        if indicator.suppressed:
            _mask(entry)
        indicators.append(entry)
    progress(60)

    found_completeness = completeness(house_ids=house_ids, start=period.start, end=period.end)
    complete_rows = []
    for item in houses:
        figure = found_completeness.get(item.pk)
        complete_rows.append(
            {
                "house": item.name,
                "sessions_not_closed": getattr(figure, "sessions_not_closed", 0),
                "open_days_without_count": getattr(figure, "open_days_without_count", 0),
                "places_without_hours": getattr(figure, "places_without_hours", 0),
                "open_days": getattr(figure, "open_days", 0),
            }
        )
    built_by = _("the schedule") if getattr(by, "kind", None) == "schedule" else _by_label(by)
    return {
        "scope": {
            "network": house is None,
            "house": {"id": house.pk, "name": house.name, "slug": house.slug} if house is not None else None,
            "houses": [{"id": item.pk, "name": item.name, "slug": item.slug} for item in houses],
            "places": [{"id": place.pk, "name": place.name} for place in places],
        },
        "period": {
            "year": year,
            "quarter": quarter,
            "label": quarter_label(year, quarter),
            "start": period.start.isoformat(),
            "end": period.end.isoformat(),
        },
        "version": {"number": number, "kind": kind},
        "built_at": timezone.localtime(timezone.now()).isoformat(timespec="minutes"),
        "built_by": built_by,
        "threshold": THRESHOLD,
        "indicators": indicators,
        "completeness": complete_rows,
        "suppression": suppression,
    }


def _by_label(by) -> str:
    if by is None:
        return ""
    if isinstance(by, NamedActor):
        return _("the system")
    return by.get_full_name() or by.email


def _month_name(month: int) -> str:
    from django.utils.dates import MONTHS

    return str(MONTHS[month])


def _network_patterns(year: int, quarter: int, house: House) -> dict:
    """For a house report: what the network's tables of this quarter suppress for this house, as the margins
    the house's own tables must suppress too ({indicator: {table: items}}). The network's figures are worked out
    the way its own report does (same tables, same order, the same earlier versions kept), so both agree."""
    network = report_figures(house=None, year=year, quarter=quarter, patterns_only=True)
    house_key = str(house.pk)
    forced: dict = {}
    for indicator in network["indicators"]:
        if not indicator["suppressed"]:
            continue
        result = {}
        for name, table in indicator["tables"].items():
            if name == "months":
                continue  # the network's months are sums over every house, not this house's
            items = _items_from_json(table["suppressed"])
            columns = [key for key, _label in table["columns"]]
            margins = {("col", column) for column in columns if ("cell", house_key, column) in items}
            if ("row", house_key) in items or (len(columns) == 1 and margins):
                margins |= {("total",)} | {("col", column) for column in columns if len(columns) == 1}
            if margins:
                result[name] = frozenset(margins)
        if result:
            forced[indicator["code"]] = result
    return forced


def indicator_of(code: str) -> Indicator:
    from .indicators import BY_CODE

    return BY_CODE[code]
