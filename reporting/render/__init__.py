"""The three files of a report version (PDF, XLSX, CSV), rendered from its figures snapshot only.

What a reader sees of each figure is decided once, here (`shown_tables`, `cell_text`): a suppressed count reads
"<5" in every format, and the same tables, rows and totals are published in each. The renderers only lay it out.
"""

from dataclasses import dataclass, field
from decimal import Decimal

from django.utils.translation import gettext as _

SUPPRESSED = "<5"
NO_VALUE = "–"
TOTAL = "total"


def suppression_legend() -> str:
    return _(
        "<5: fewer than 5, or hidden so that a total cannot give a count below 5 away. Counts of people below 5 "
        "are never published."
    )


@dataclass(frozen=True)
class Cell:
    value: Decimal | None  # None: no value, or hidden
    hidden: bool = False

    def text(self, unit: str) -> str:
        if self.hidden:
            return SUPPRESSED
        return number_text(self.value, unit)


@dataclass
class ShownRow:
    key: str
    label: str
    cells: list[Cell]
    total: Cell | None = None
    cumulative: Cell | None = None


@dataclass
class ShownTable:
    name: str
    columns: list[tuple[str, str]]
    rows: list[ShownRow]
    column_totals: list[Cell] | None = None
    total: Cell | None = None
    row_totals: bool = False
    extra: dict = field(default_factory=dict)


def to_decimal(value) -> Decimal | None:
    return None if value is None else Decimal(value)


def number_text(value, unit: str) -> str:
    """A figure as Dutch readers write it: a decimal comma; counts whole."""
    value = to_decimal(value)
    if value is None:
        return NO_VALUE
    if unit == "count":
        return str(int(value.to_integral_value()))
    return f"{value:.1f}".replace(".", ",") if unit in ("percent", "hours") else f"{value:.2f}".replace(".", ",")


def _hidden(items: set, *candidates) -> bool:
    return any(candidate in items for candidate in candidates)


def shown_table(name: str, table: dict) -> ShownTable:
    """A stored table with its suppression applied: which cells and totals a reader sees."""
    items = {tuple(item) for item in table.get("suppressed", [])}
    columns = [(key, label) for key, label in table["columns"]]
    single = len(columns) == 1
    additive = table.get("additive", False)
    rows = []
    for key, label in table["rows"]:
        cells = []
        for column, _label in columns:
            hidden = _hidden(items, ("cell", key, column)) or (single and _hidden(items, ("row", key)))
            cells.append(Cell(None if hidden else to_decimal(table["cells"].get(f"{key}|{column}")), hidden))
        total = None
        if additive and not single:
            hidden = _hidden(items, ("row", key))
            total = Cell(None if hidden else to_decimal(table["row_totals"].get(key)), hidden)
        rows.append(ShownRow(key, label, cells, total))
    column_totals, grand = None, None
    if single:
        hidden = _hidden(items, ("col", columns[0][0]), ("total",))
        grand = Cell(None if hidden else to_decimal(table.get("total")), hidden)
        column_totals = [grand]
    elif additive:
        column_totals = []
        for column, _label in columns:
            hidden = _hidden(items, ("col", column))
            column_totals.append(Cell(None if hidden else to_decimal(table["column_totals"].get(column)), hidden))
        hidden = _hidden(items, ("total",))
        grand = Cell(None if hidden else to_decimal(table.get("total")), hidden)
    shown = ShownTable(name, columns, rows, column_totals, grand, row_totals=additive and not single)
    if "cumulative" in table:
        # A running total is published only while every month up to it is: otherwise two running totals would
        # give a hidden month away. The last one is the year to date, published when that total is.
        hidden_so_far = False
        for position, row in enumerate(rows):
            hidden_so_far = hidden_so_far or row.cells[0].hidden
            last = position == len(rows) - 1
            hidden = (grand.hidden if grand else False) if last else hidden_so_far
            row.cumulative = Cell(None if hidden else to_decimal(table["cumulative"].get(row.key)), hidden)
    return shown


TABLE_TITLES = {
    "total": lambda scope: _("Per place") if scope == "house" else _("Per house"),
    "months": lambda scope: _("Per month, year to date"),
    "category": lambda scope: _("By category"),
    "organiser": lambda scope: _("By organiser"),
    "target_group": lambda scope: _("By target group"),
    "destination": lambda scope: _("By destination"),
    "age_band": lambda scope: _("By age"),
    "hours_source": lambda scope: _("By where the hours come from"),
    "support_kind": lambda scope: _("By kind of support"),
}


def table_title(name: str, figures: dict) -> str:
    scope = "network" if figures["scope"]["network"] else "house"
    title = TABLE_TITLES.get(name)
    return str(title(scope)) if title else name


def shown_tables(indicator: dict) -> list[ShownTable]:
    """The tables of one indicator, in reading order: per place or house, the breakdowns, the months."""
    order = ["total", *[name for name in indicator["tables"] if name not in ("total", "months")], "months"]
    return [shown_table(name, indicator["tables"][name]) for name in order if name in indicator["tables"]]


def headline(indicator: dict) -> tuple[Cell, Cell]:
    """The quarter's figure and the year to date of an indicator, as published."""
    total = shown_table("total", indicator["tables"]["total"]).total
    ytd = shown_table("months", indicator["tables"]["months"]).total
    return total, ytd


def file_name(figures: dict, extension: str) -> str:
    scope = figures["scope"]["house"]["slug"] if figures["scope"]["house"] else "netwerk"
    kind = {"provisional": "voorlopig", "final": "definitief"}.get(figures["version"]["kind"], "")
    return f"rapportage-{scope}-{figures['period']['label']}-v{figures['version']['number']}-{kind}.{extension}"
