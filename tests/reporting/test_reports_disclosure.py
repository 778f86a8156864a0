"""What the published reports give away when read together: small totals (B1), tables that share figures (B2),
the months of earlier quarters (B2), status words next to a hidden figure (B4), and counts of different people
that do not add up (B5). Each test reads the figures the way someone with every published file would: the
ranges of the hidden figures are worked out here with an independent linear programme over every equation
between the published tables."""

import csv
import datetime as dt
import io
import json
from decimal import Decimal

import numpy as np
import openpyxl
import pytest
from django.utils import translation
from scipy.optimize import linprog

from audit.services import SYSTEM
from reporting.models import ReportFile, Target
from reporting.render import csv as render_csv
from reporting.reports import TOTAL, _suppress, _table, report_build, report_figures
from tests.factories import HouseFactory, PlaceFactory

from .report_fixtures import figure

pytestmark = pytest.mark.django_db

THRESHOLD = 5


def attacker_ranges(values: dict[str, int], equations: list[tuple[list[str], str]], hidden: set[str]) -> dict:
    """For each hidden figure, the smallest and largest value it can have given every published figure and the
    equations (the parts add up to the whole), all figures >= 0."""
    unknowns = sorted(hidden)
    index = {name: i for i, name in enumerate(unknowns)}
    rows, rhs = [], []
    for parts, whole in equations:
        row = np.zeros(len(unknowns))
        constant = 0.0
        for name, sign in [(part, 1.0) for part in parts] + [(whole, -1.0)]:
            if name in index:
                row[index[name]] += sign
            else:
                constant -= sign * values[name]
        if row.any():
            rows.append(row)
            rhs.append(constant)
    found = {}
    for name in unknowns:
        bounds = []
        for sign in (1.0, -1.0):
            objective = np.zeros(len(unknowns))
            objective[index[name]] = sign
            result = linprog(objective, A_eq=np.array(rows) if rows else None, b_eq=rhs or None, bounds=(0, None))
            assert result.status in (0, 3)
            bounds.append(-np.inf * sign if result.status == 3 else sign * result.fun)
        found[name] = (bounds[0], bounds[1])
    return found


def assert_nothing_narrowed(values, equations, hidden):
    """Every figure from 1 to 4 is hidden, and every hidden figure keeps at least five possible values."""
    for name, value in values.items():
        assert name in hidden or value == 0 or value >= THRESHOLD, f"{name} = {value} is published"
    for name, (low, high) in attacker_ranges(values, equations, hidden).items():
        assert high - low >= THRESHOLD - 1 - 1e-6, f"{name} = {values[name]} narrowed to {low}..{high}"


def indicator(figures, code):
    return next(item for item in figures["indicators"] if item["code"] == code)


def items(table) -> set:
    return {tuple(item) for item in table["suppressed"]}


# --- B1: small totals -------------------------------------------------------------------------------------------


def test_a_row_total_of_four_is_not_published_anywhere(house):
    """One place with an eating activity of 3 visitors and a movement activity of 1: the place's 4 is a count of
    people below 5, in the table per place and as the row total of the table by category."""
    zaal = PlaceFactory(house=house, name="Zaal")
    day = dt.date(2026, 8, 3)
    figure(house, zaal, day, "visits_activity", 4)
    figure(house, zaal, day, "visits_activity", 3, "category", "eating")
    figure(house, zaal, day, "visits_activity", 1, "category", "movement")

    with translation.override("en"):
        figures = report_figures(house=house, year=2026, quarter=3, kind="final", number=1)
        text = render_csv.render(figures).decode("utf-8-sig")

    rows = list(csv.DictReader(io.StringIO(text), delimiter=";"))
    for code in ("visits", "visits_activity"):
        published = [row["Value"] for row in rows if row["Indicator code"] == code]
        assert published, code
        assert not {"1", "2", "3", "4"} & set(published), (code, published)
    category = indicator(figures, "visits_activity")["tables"]["category"]
    assert {("row", str(zaal.pk)), ("total",)} <= items(category)


# --- B2: tables that share figures ------------------------------------------------------------------------------

REVIEWER_NETWORK = {"H0": (4, 40), "H1": (3, 1), "H2": (40, 4), "H4": (8, 40)}  # (eating, movement)


def network_of(values):
    houses = {}
    for name, (eating, movement) in values.items():
        home = HouseFactory(name=f"Huis {name}", slug=f"huis-{name.lower()}")
        place = PlaceFactory(house=home, name="Zaal")
        day = dt.date(2026, 8, 3)
        figure(home, place, day, "visits_activity", eating + movement)
        for member, value in (("eating", eating), ("movement", movement)):
            if value:
                figure(home, place, day, "visits_activity", value, "category", member)
        houses[name] = home
    return houses


def linked_equations(values, houses):
    """The figures of the table per house, the table by category and the months, and how they add up: a house's
    figure is its row of the category table, the network's quarter is the total of both and the sum of its
    months (July and September are 0 here)."""
    figures, equations = {}, []
    for name, (eating, movement) in values.items():
        key = str(houses[name].pk)
        figures[f"eating|{key}"], figures[f"movement|{key}"] = eating, movement
        figures[f"row|{key}"] = eating + movement
        equations.append(([f"eating|{key}", f"movement|{key}"], f"row|{key}"))
    for member in ("eating", "movement"):
        keys = [str(home.pk) for home in houses.values()]
        figures[f"col|{member}"] = sum(figures[f"{member}|{key}"] for key in keys)
        equations.append(([f"{member}|{key}" for key in keys], f"col|{member}"))
    figures["total"] = sum(figures[f"col|{member}"] for member in ("eating", "movement"))
    equations.append(([f"row|{home.pk}" for home in houses.values()], "total"))
    equations.append((["col|eating", "col|movement"], "total"))
    figures["month|8"] = figures["total"]
    equations.append((["month|8"], "total"))
    return figures, equations


def hidden_everywhere(code_figures, houses):
    """The figures hidden in every table that shows them (published once is published)."""
    tables = code_figures["tables"]
    total, category, months = items(tables["total"]), items(tables["category"]), items(tables["months"])
    hidden = set()
    for home in houses.values():
        key = str(home.pk)
        for member in ("eating", "movement"):
            if ("cell", key, member) in category:
                hidden.add(f"{member}|{key}")
        if (("cell", key, TOTAL) in total or ("row", key) in total) and ("row", key) in category:
            hidden.add(f"row|{key}")
    for member in ("eating", "movement"):
        if ("col", member) in category:
            hidden.add(f"col|{member}")
    if ("total",) in total and ("total",) in category and ("cell", "8", TOTAL) in months:
        hidden.add("total")
    if ("cell", "8", TOTAL) in months and "total" in hidden:
        hidden.add("month|8")
    return hidden


def test_the_reviewers_network_gives_no_house_away_across_its_tables():
    """Protected one table at a time, H2's total (44) was published in the category table but hidden in the
    table per house: then H1 = the network total minus the others. Together, a row hidden in one is hidden in
    both, and nothing can be narrowed below five values from every table of the indicator together."""
    houses = network_of(REVIEWER_NETWORK)

    figures = report_figures(house=None, year=2026, quarter=3)

    visits = indicator(figures, "visits_activity")
    total, category = items(visits["tables"]["total"]), items(visits["tables"]["category"])
    for home in houses.values():
        key = str(home.pk)
        assert (("cell", key, TOTAL) in total) == (("row", key) in category), home.name
        assert (("row", key) in total) == (("row", key) in category), home.name
    assert (("total",) in total) == (("total",) in category)
    values, equations = linked_equations(REVIEWER_NETWORK, houses)
    assert_nothing_narrowed(values, equations, hidden_everywhere(visits, houses))
    assert f"row|{houses['H1'].pk}" in hidden_everywhere(visits, houses)  # 3 + 1


@pytest.mark.parametrize(
    "values",
    [
        {"A": (3, 0), "B": (5, 5), "C": (2, 9), "D": (40, 35), "E": (30, 33)},  # the reviewer's linked.py
        {"A": (1, 20), "B": (20, 1), "C": (6, 6), "D": (12, 40)},
        {"A": (2, 2), "B": (0, 3), "C": (8, 40), "D": (40, 8), "E": (6, 0)},
    ],
)
def test_linked_tables_agree_on_what_they_hide(values):
    houses = network_of(values)

    visits = indicator(report_figures(house=None, year=2026, quarter=3), "visits_activity")

    figures, equations = linked_equations(values, houses)
    assert_nothing_narrowed(figures, equations, hidden_everywhere(visits, houses))


def test_suppress_forces_a_shared_row_hidden_in_every_additive_table():
    """The same through `_suppress` on tables built by hand, as the reviewer's script did."""
    rows = [(name, name) for name in REVIEWER_NETWORK]
    sums = {name: Decimal(a + b) for name, (a, b) in REVIEWER_NETWORK.items()}
    grand = sum(sums.values())
    total = _table(
        rows,
        [(TOTAL, "Total")],
        {(name, TOTAL): value for name, value in sums.items()},
        additive=True,
        column_totals={TOTAL: grand},
        total=grand,
    )
    cells = {
        (name, member): Decimal(v)
        for name, pair in REVIEWER_NETWORK.items()
        for member, v in zip("ab", pair, strict=True)
    }
    column_totals = {m: sum(v for (_n, mm), v in cells.items() if mm == m) for m in "ab"}
    category = _table(
        rows, [("a", "a"), ("b", "b")], cells, additive=True, row_totals=sums, column_totals=column_totals, total=grand
    )
    tables = {"total": total, "category": category}

    _suppress(tables, network={}, earlier={}, quarter_months=[])

    hidden_total = {item[1] for item in items(tables["total"]) if item[0] in ("cell", "row")}
    hidden_category = {item[1] for item in items(tables["category"]) if item[0] == "row"}
    assert "H1" in hidden_total
    assert hidden_total == hidden_category
    assert len(hidden_total) >= 2


# --- B2: the months of the quarters of one year -----------------------------------------------------------------


def build(house, quarter, run_key):
    with translation.override("en"):
        return report_build(house=house, year=2026, quarter=quarter, kind="final", by=SYSTEM, run_key=run_key)


@pytest.mark.parametrize("months", [(3, 40, 50, 10, 20, 30), (3, 40, 50, 2, 20, 30), (40, 3, 6, 12, 1, 50)])
def test_a_month_hidden_in_an_earlier_quarter_stays_hidden_with_its_complement(house, months):
    """The reviewer's year: Q1 hides January (3) and February; Q2, protected afresh, hid January and April and
    published February and March, so January = February - (Q1's 93 - March - ...). Read together, the Q1 and Q2
    reports give no month away."""
    place = PlaceFactory(house=house, name="Zaal")
    for month, value in enumerate(months, start=1):
        figure(house, place, dt.date(2026, month, 10), "visits_walk_in", value)

    first = build(house, 1, "q1")
    second = build(house, 2, "q2")

    hidden_first = items(indicator(first.figures, "visits")["tables"]["months"])
    hidden_second = items(indicator(second.figures, "visits")["tables"]["months"])
    assert {item for item in hidden_first if item[0] == "cell"} <= hidden_second
    # every published figure of both reports: the months, Q1's year to date (its quarter), Q2's quarter and year
    values = {f"m{month}": value for month, value in enumerate(months, start=1)}
    values |= {"q1": sum(months[:3]), "q2": sum(months[3:]), "ytd2": sum(months)}
    equations = [(["m1", "m2", "m3"], "q1"), (["m4", "m5", "m6"], "q2"), (["q1", "q2"], "ytd2")]
    hidden = set()
    for month in range(1, 7):
        in_first = month > 3 or ("cell", str(month), TOTAL) in hidden_first
        if in_first and ("cell", str(month), TOTAL) in hidden_second:
            hidden.add(f"m{month}")
    first_total = items(indicator(first.figures, "visits")["tables"]["total"])
    if ("total",) in first_total and ("total",) in hidden_first:
        hidden.add("q1")
    second_total = items(indicator(second.figures, "visits")["tables"]["total"])
    if ("total",) in second_total:
        hidden.add("q2")
    if ("total",) in hidden_second:
        hidden.add("ytd2")
    assert_nothing_narrowed(values, equations, hidden)


def test_the_network_hides_a_month_a_house_report_hides(house, other_house):
    """A network month is the sum of the houses' months: the network report hides a month the house report of
    that quarter hides (the other houses' months are published in their own reports)."""
    zaal = PlaceFactory(house=house, name="Zaal")
    figure(house, zaal, dt.date(2026, 7, 6), "visits_walk_in", 3)
    figure(house, zaal, dt.date(2026, 8, 6), "visits_walk_in", 40)
    figure(house, zaal, dt.date(2026, 9, 6), "visits_walk_in", 50)
    larenkamp = PlaceFactory(house=other_house, name="Larenkamp")
    for month in (7, 8, 9):
        figure(other_house, larenkamp, dt.date(2026, month, 6), "visits_walk_in", 30)

    house_report = build(house, 3, "house")
    assert ("cell", "7", TOTAL) in items(indicator(house_report.figures, "visits")["tables"]["months"])
    network = build(None, 3, "network")

    assert ("cell", "7", TOTAL) in items(indicator(network.figures, "visits")["tables"]["months"])


# --- B4: no status next to a hidden figure ----------------------------------------------------------------------


def test_a_hidden_quarter_has_no_status_no_expected_value_and_no_real_value_in_the_figures(house):
    place = PlaceFactory(house=house, name="Zaal")
    figure(house, place, dt.date(2026, 8, 3), "visits_walk_in", 3)
    Target.objects.create(
        house=house,
        indicator="visits",
        year=2026,
        value=Decimal(4),
        q1=Decimal(1),
        q2=Decimal(1),
        q3=Decimal(1),
        q4=Decimal(1),
        updated_at=dt.datetime(2026, 1, 5, 9, tzinfo=dt.UTC),
    )

    version = build(house, 3, "b4")

    visits = indicator(version.figures, "visits")
    assert visits["quarter"] is None and visits["year_to_date"] is None
    assert visits["status_label"] == "–" and visits["status_year_label"] == "–"
    assert visits["expected_quarter"] is None and visits["expected_year"] is None
    assert '"3.00"' not in json.dumps(visits)  # the 3 is nowhere in what the files are rendered from
    from .test_reports import pdf_text

    text = pdf_text(bytes(ReportFile.objects.get(version=version, format="pdf").content))
    for label in ("ahead", "on track", "behind"):  # 3 of a target of 1 would read "ahead"
        assert f"status: {label}" not in text
    assert "status: –" in text
    book = openpyxl.load_workbook(io.BytesIO(bytes(ReportFile.objects.get(version=version, format="xlsx").content)))
    words = {value for sheet in book for row in sheet.iter_rows(values_only=True) for value in row}
    assert not {"ahead", "on track", "behind"} & words


# --- B5: different people do not add up -------------------------------------------------------------------------


def test_counts_of_different_people_publish_no_summed_totals(house):
    PlaceFactory(house=house, name="Zaal")

    figures = report_figures(house=house, year=2026, quarter=3)

    people = indicator(figures, "unique_participants")
    for name, table in people["tables"].items():
        assert table["additive"] is False, name
        assert table["row_totals"] == {} or name in ("total", "months"), name
    assert people["tables"]["category"]["column_totals"] == {}
    assert people["tables"]["category"]["total"] is None
    assert indicator(figures, "visits_activity")["tables"]["category"]["additive"] is True


def test_different_people_only_hide_their_small_figures():
    """Places of 3 and 6 people, 7 different people in all (two came to both): the 3 is hidden, nothing else is
    (no total adds up, so the 6 gives nothing away); with 4 people in all, the total is hidden too."""
    rows = [("zaal", "Zaal"), ("hoek", "Hoek")]
    for true_total, hidden_total in ((7, False), (4, True)):
        people = _table(
            rows,
            [(TOTAL, "Total")],
            {("zaal", TOTAL): Decimal(6), ("hoek", TOTAL): Decimal(3 if true_total == 7 else 2)},
            additive=False,
            column_totals={TOTAL: Decimal(true_total)},
            total=Decimal(true_total),
        )
        by_category = _table(
            rows,
            [("eating", "eating"), ("movement", "movement")],
            {("zaal", "eating"): Decimal(6), ("zaal", "movement"): Decimal(5), ("hoek", "eating"): Decimal(2)},
            additive=False,
        )
        tables = {"total": people, "category": by_category}

        _suppress(tables, network={}, earlier={}, quarter_months=[])

        assert items(tables["category"]) == {("cell", "hoek", "eating")}
        expected = {("cell", "hoek", TOTAL), ("row", "hoek")}
        if hidden_total:
            expected |= {("total",), ("col", TOTAL)}
        assert items(tables["total"]) == expected
