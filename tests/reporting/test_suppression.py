"""Statistical disclosure control: small counts suppressed, and nothing published gives them back.

The attacker is written out here on its own (`attacker_range`), from the cells alone, with scipy's linprog: it knows
every published cell and total, knows that counts are whole and non-negative and that the totals add up, and works
out the smallest and largest value each suppressed figure can have. It does not use reporting.suppression.
"""

import itertools
import math
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy.optimize import linprog

from reporting.suppression import Table, feasible_range, is_protected, primary, protect

THRESHOLD = 5


def true_values(rows, columns, cells):
    """Every cell and total of the table, by item, summed here."""
    values = {("cell", r, c): cells.get((r, c), 0) for r in rows for c in columns}
    for r in rows:
        values[("row", r)] = sum(cells.get((r, c), 0) for c in columns)
    for c in columns:
        values[("col", c)] = sum(cells.get((r, c), 0) for r in rows)
    values[("total",)] = sum(cells.get((r, c), 0) for r in rows for c in columns)
    return values


def attacker_range(rows, columns, cells, suppressed, item):
    """(min, max) of `item` over all non-negative tables that agree with every published figure; inf if unbounded."""
    values = true_values(rows, columns, cells)
    if item not in suppressed:
        return values[item], values[item]
    unknowns = sorted(suppressed, key=repr)
    column_of = {u: i for i, u in enumerate(unknowns)}
    # Each relation as {item: coefficient} = 0: a row's cells minus its total, a column's cells minus its total,
    # the row totals minus the grand total, the column totals minus the grand total.
    relations = [{("cell", r, c): 1 for c in columns} | {("row", r): -1} for r in rows]
    relations += [{("cell", r, c): 1 for r in rows} | {("col", c): -1} for c in columns]
    relations.append({("row", r): 1 for r in rows} | {("total",): -1})
    relations.append({("col", c): 1 for c in columns} | {("total",): -1})
    a_eq, b_eq = [], []
    for relation in relations:
        line = [0.0] * len(unknowns)
        known = 0
        for member, coefficient in relation.items():
            if member in column_of:
                line[column_of[member]] += coefficient
            else:
                known += coefficient * values[member]
        if any(line):
            a_eq.append(line)
            b_eq.append(-known)
    ends = []
    for direction in (1, -1):
        objective = [0.0] * len(unknowns)
        objective[column_of[item]] = direction
        result = linprog(objective, A_eq=a_eq or None, b_eq=b_eq or None, bounds=(0, None), method="highs")
        assert result.status in (0, 3), result.message
        ends.append(-math.inf * direction if result.status == 3 else direction * result.fun)
    return ends[0], ends[1]


def assert_safe(rows, columns, cells, suppressed, threshold=THRESHOLD):
    """Every suppressed figure keeps at least `threshold` possible values, and the true one is among them."""
    values = true_values(rows, columns, cells)
    for item in suppressed:
        low, high = attacker_range(rows, columns, cells, suppressed, item)
        assert high - low >= threshold - 1 - 1e-6, (item, low, high, sorted(suppressed))
        assert low - 1e-6 <= values[item] <= high + 1e-6


def small_cells(cells, threshold=THRESHOLD):
    return {("cell", r, c) for (r, c), v in cells.items() if 0 < v < threshold}


def all_figures(rows, columns, cells):
    """Every cell and total of a table with its value, worked out here (not by the module)."""
    figures = {("cell", r, c): cells.get((r, c), 0) for r in rows for c in columns}
    figures |= {("row", r): sum(cells.get((r, c), 0) for c in columns) for r in rows}
    figures |= {("col", c): sum(cells.get((r, c), 0) for r in rows) for c in columns}
    figures[("total",)] = sum(cells.values())
    return figures


def small_figures(rows, columns, cells, threshold=THRESHOLD):
    return {item for item, v in all_figures(rows, columns, cells).items() if 0 < v < threshold}


# --- by hand -------------------------------------------------------------------------------------------------------


def test_nothing_small_nothing_suppressed():
    table = Table(rows=("Noord", "Zuid"), columns=("jeugd", "ouderen"), cells={("Noord", "jeugd"): 12})
    # zeros are published: a 0 is not a small count
    assert protect(table) == frozenset()


def test_rectangle_of_small_cells_leaks_and_is_widened():
    """Three small cells in a rectangle with a large fourth: suppressing just those four leaks.

        a:  1   1  20 | 22
        b:  2  30  40 | 72
        c: 25  35  45 | 105
           28  66 105 | 199
    With a/x, a/y, b/x and b/y suppressed, row a gives a/x + a/y = 2, so a/x is 0, 1 or 2: three values.
    """
    rows, columns = ("a", "b", "c"), ("x", "y", "z")
    cells = {
        ("a", "x"): 1,
        ("a", "y"): 1,
        ("a", "z"): 20,
        ("b", "x"): 2,
        ("b", "y"): 30,
        ("b", "z"): 40,
        ("c", "x"): 25,
        ("c", "y"): 35,
        ("c", "z"): 45,
    }
    naive = {("cell", "a", "x"), ("cell", "a", "y"), ("cell", "b", "x"), ("cell", "b", "y")}
    assert attacker_range(rows, columns, cells, naive, ("cell", "a", "x")) == (0, 2)

    suppressed = protect(Table(rows=rows, columns=columns, cells=cells))

    assert_safe(rows, columns, cells, suppressed)
    assert small_cells(cells) <= suppressed
    # Row a can only be protected by hiding all three of its cells (two hidden cells would sum to 2), column x
    # likewise (a/x + b/x = 3); then rows b and c and columns y and z each need a second hidden cell: seven in all,
    # no totals.
    assert suppressed == {
        ("cell", "a", "x"),
        ("cell", "a", "y"),
        ("cell", "a", "z"),
        ("cell", "b", "x"),
        ("cell", "c", "x"),
        ("cell", "b", "y"),
        ("cell", "c", "z"),
    }


def test_two_by_two_with_small_complements_suppresses_a_total():
    """1 1 / 2 50: with every cell hidden a/x is still 0..2 from the totals (row a is 2): totals must go too."""
    rows, columns = ("a", "b"), ("x", "y")
    cells = {("a", "x"): 1, ("a", "y"): 1, ("b", "x"): 2, ("b", "y"): 50}
    all_cells = {("cell", r, c) for r in rows for c in columns}
    assert attacker_range(rows, columns, cells, all_cells, ("cell", "a", "x")) == (0, 2)

    suppressed = protect(Table(rows=rows, columns=columns, cells=cells))

    assert_safe(rows, columns, cells, suppressed)
    assert small_cells(cells) <= suppressed
    # the row total of a (2) and the column total of x (3) are small themselves: both must go
    assert {("row", "a"), ("col", "x")} <= suppressed


def test_one_column_table_one_small_house_forces_a_second():
    """Houses with a network total: a house with 3 is hidden, so is its row total (the same number), and one other
    house must go too, else the network total minus the others gives it back. The smallest house with at least 4
    (C, 7) is chosen, not the largest."""
    rows, columns = ("A", "B", "C", "D"), ("bezoeken",)
    cells = {("A", "bezoeken"): 3, ("B", "bezoeken"): 10, ("C", "bezoeken"): 7, ("D", "bezoeken"): 40}

    suppressed = protect(Table(rows=rows, columns=columns, cells=cells))

    assert suppressed == {("cell", "A", "bezoeken"), ("row", "A"), ("cell", "C", "bezoeken"), ("row", "C")}
    assert_safe(rows, columns, cells, suppressed)
    # A + C = 60 - 10 - 40 = 10: A can be anything from 0 to 10
    assert attacker_range(rows, columns, cells, suppressed, ("cell", "A", "bezoeken")) == (0, 10)


def test_one_by_one_small_total_is_suppressed():
    rows, columns = ("Noord",), ("bezoeken",)
    cells = {("Noord", "bezoeken"): 3}

    suppressed = protect(Table(rows=rows, columns=columns, cells=cells))

    assert suppressed == {("cell", "Noord", "bezoeken"), ("row", "Noord"), ("col", "bezoeken"), ("total",)}
    assert attacker_range(rows, columns, cells, suppressed, ("total",)) == (0, math.inf)


def test_small_row_total_is_suppressed_with_its_cells():
    """A row 2 + 1 = 3: the total 3 would bound both small cells to 0..3, four values."""
    rows, columns = ("a", "b", "c"), ("x", "y")
    cells = {("a", "x"): 2, ("a", "y"): 1, ("b", "x"): 20, ("b", "y"): 30, ("c", "x"): 25, ("c", "y"): 35}

    suppressed = protect(Table(rows=rows, columns=columns, cells=cells))

    assert ("row", "a") in suppressed
    assert_safe(rows, columns, cells, suppressed)


def test_zero_is_published_when_hiding_it_does_not_help():
    """Row a: 1, 0, 30, 40. Hiding the 0 with the 1 protects nothing (a cell cannot go below 0), so the 0 stays."""
    rows, columns = ("a", "b", "c"), ("w", "x", "y", "z")
    cells = {("a", "w"): 1, ("a", "x"): 0, ("a", "y"): 30, ("a", "z"): 40}
    cells |= {("b", c): 20 + i for i, c in enumerate(columns)} | {("c", c): 50 + i for i, c in enumerate(columns)}

    suppressed = protect(Table(rows=rows, columns=columns, cells=cells))

    assert ("cell", "a", "x") not in suppressed
    # the rectangle a/w, a/y, b/w, b/y: a/w can be 0 or 1 (its own value) plus up to 20 (b/w) more
    assert suppressed == {("cell", "a", "w"), ("cell", "a", "y"), ("cell", "b", "w"), ("cell", "b", "y")}
    assert attacker_range(rows, columns, cells, suppressed, ("cell", "a", "w")) == (0, 21)
    assert_safe(rows, columns, cells, suppressed)


def test_keep_stays_suppressed_and_protected():
    """Version 1 hid a/x (it was 3). In version 2 it is 12, and it stays hidden, and protected."""
    rows, columns = ("a", "b", "c"), ("x", "y", "z")
    first = {(r, c): 20 + 3 * i + j for i, r in enumerate(rows) for j, c in enumerate(columns)} | {("a", "x"): 3}
    before = protect(Table(rows=rows, columns=columns, cells=first))
    assert ("cell", "a", "x") in before

    second = first | {("a", "x"): 12}
    assert protect(Table(rows=rows, columns=columns, cells=second)) == frozenset()  # nothing small any more
    after = protect(Table(rows=rows, columns=columns, cells=second), keep=before)

    assert before <= after
    assert_safe(rows, columns, second, after)
    # a house gone from the table: what was kept for it is ignored
    assert protect(Table(rows=rows, columns=columns, cells=second), keep=before | {("row", "d")}) == after


def test_forced_margin_is_protected():
    """Another table hides the column total of y: here it must be hidden and not be worked out from the cells."""
    rows, columns = ("a", "b", "c"), ("x", "y", "z")
    cells = {(r, c): 10 + 7 * i + j for i, r in enumerate(rows) for j, c in enumerate(columns)}

    suppressed = protect(Table(rows=rows, columns=columns, cells=cells), forced=frozenset({("col", "y")}))

    assert ("col", "y") in suppressed
    assert_safe(rows, columns, cells, suppressed)
    assert any(item[0] == "cell" and item[2] == "y" for item in suppressed)  # else the cells would add up to it


def test_deterministic_in_any_order():
    rows, columns = ("Noord", "Oost", "Zuid", "West"), ("jeugd", "ouderen", "gezinnen")
    cells = {
        ("Noord", "jeugd"): 2,
        ("Noord", "ouderen"): 14,
        ("Noord", "gezinnen"): 9,
        ("Oost", "jeugd"): 11,
        ("Oost", "ouderen"): 1,
        ("Oost", "gezinnen"): 13,
        ("Zuid", "jeugd"): 8,
        ("Zuid", "ouderen"): 8,
        ("Zuid", "gezinnen"): 8,
        ("West", "jeugd"): 30,
        ("West", "ouderen"): 4,
        ("West", "gezinnen"): 0,
    }
    first = protect(Table(rows=rows, columns=columns, cells=cells))
    assert_safe(rows, columns, cells, first)
    for row_order, column_order in itertools.islice(
        zip(itertools.permutations(rows), itertools.cycle(itertools.permutations(columns))), 8
    ):
        shuffled = dict(reversed(list(cells.items())))
        assert protect(Table(rows=row_order, columns=column_order, cells=shuffled)) == first


def test_feasible_range_and_is_protected_agree_with_the_attacker():
    rows, columns = ("A", "B", "C", "D"), ("n",)
    cells = {("A", "n"): 3, ("B", "n"): 10, ("C", "n"): 7, ("D", "n"): 40}
    table = Table(rows=rows, columns=columns, cells=cells)
    hidden = {("cell", "A", "n"), ("row", "A"), ("cell", "C", "n"), ("row", "C")}
    assert feasible_range(table, hidden, ("cell", "A", "n")) == (0, 10)
    assert feasible_range(table, hidden, ("cell", "B", "n")) == (10, 10)  # published
    assert is_protected(table, hidden, ("row", "C"))
    assert not is_protected(table, {("cell", "A", "n"), ("row", "A")}, ("cell", "A", "n"))
    assert primary(table) == {("cell", "A", "n"), ("row", "A")}  # a row total of 3 is as small as its cell


def test_small_totals_are_suppressed_and_protected():
    """The reviewer's place with eating 3 and movement 1: the row total 4 may not be published either."""
    rows, columns = ("Zaal", "Tuin"), ("eating", "movement")
    cells = {("Zaal", "eating"): 3, ("Zaal", "movement"): 1, ("Tuin", "eating"): 20, ("Tuin", "movement"): 30}
    table = Table(rows=rows, columns=columns, cells=cells)

    assert primary(table) == {("cell", "Zaal", "eating"), ("cell", "Zaal", "movement"), ("row", "Zaal")}
    suppressed = protect(table)
    assert ("row", "Zaal") in suppressed
    assert_safe(rows, columns, cells, suppressed)
    # a small column total and a small grand total too
    cells = {("Zaal", "eating"): 2, ("Tuin", "eating"): 1}
    suppressed = protect(Table(rows=rows, columns=columns, cells=cells))
    assert {("col", "eating"), ("total",)} <= suppressed
    assert_safe(rows, columns, cells, suppressed)


def test_fixed_figures_are_never_complements_and_free_ones_come_first():
    """The months of two quarters: Q1's figure was published in its own report (fixed), the sums of every first
    month of a quarter are published nowhere (free). January (3) and February stay hidden from Q1's report."""
    rows, columns = ("Q1", "Q2"), ("1", "2", "3")
    cells = {("Q1", "1"): 3, ("Q1", "2"): 40, ("Q1", "3"): 50, ("Q2", "1"): 10, ("Q2", "2"): 20, ("Q2", "3"): 30}
    table = Table(rows=rows, columns=columns, cells=cells)
    free = frozenset({("col", "1"), ("col", "2"), ("col", "3")})

    suppressed = protect(
        table, keep=frozenset({("cell", "Q1", "1"), ("cell", "Q1", "2")}), free=free, fixed={("row", "Q1")}
    )

    assert ("row", "Q1") not in suppressed
    assert {("cell", "Q1", "1"), ("cell", "Q1", "2")} <= suppressed
    assert not {("cell", "Q2", "1"), ("cell", "Q2", "2"), ("cell", "Q2", "3")} & suppressed  # the free sums do it
    assert_safe(rows, columns, cells, suppressed)


def test_other_threshold():
    """With threshold 3, a 3 is published and a 2 needs a range of three values."""
    rows, columns = ("a", "b"), ("x", "y")
    cells = {("a", "x"): 2, ("a", "y"): 3, ("b", "x"): 3, ("b", "y"): 40}
    suppressed = protect(Table(rows=rows, columns=columns, cells=cells), threshold=3)
    assert ("cell", "a", "x") in suppressed
    assert_safe(rows, columns, cells, suppressed, threshold=3)


def test_threshold_one_suppresses_nothing():
    table = Table(rows=("a",), columns=("x",), cells={("a", "x"): 1})
    assert protect(table, threshold=1) == frozenset()


@pytest.mark.parametrize(
    "kwargs",
    [
        {"rows": (), "columns": ("x",)},
        {"rows": ("a", "a"), "columns": ("x",)},
        {"rows": ("a",), "columns": ("x",), "cells": {("a", "x"): -1}},
        {"rows": ("a",), "columns": ("x",), "cells": {("a", "x"): 1.5}},
        {"rows": ("a",), "columns": ("x",), "cells": {("a", "x"): Decimal("2.5")}},
        {"rows": ("a",), "columns": ("x",), "cells": {("a", "x"): float("nan")}},
        {"rows": ("a",), "columns": ("x",), "cells": {("a", "x"): True}},
        {"rows": ("a",), "columns": ("x",), "cells": {("a", "x"): "3"}},
        {"rows": ("a",), "columns": ("x",), "cells": {("b", "x"): 1}},
    ],
)
def test_bad_tables_are_refused(kwargs):
    with pytest.raises(ValueError):
        Table(**kwargs)


def test_counts_from_the_rollups_are_taken_as_whole_numbers():
    table = Table(rows=("a",), columns=("x", "y"), cells={("a", "x"): Decimal("3"), ("a", "y"): 12.0})
    assert table.cells == {("a", "x"): 3, ("a", "y"): 12}
    assert protect(table) == {("cell", "a", "x"), ("cell", "a", "y"), ("col", "x"), ("col", "y")}


def test_bad_items_and_threshold_are_refused():
    table = Table(rows=("a",), columns=("x",), cells={("a", "x"): 7})
    with pytest.raises(ValueError):
        protect(table, forced=frozenset({("row", "b")}))
    with pytest.raises(ValueError):
        protect(table, forced=frozenset({("cel", "a", "x")}))
    with pytest.raises(ValueError):
        protect(table, threshold=0)


def test_sixty_by_fifteen_is_quick():
    """A network table: 60 rows, 15 columns, a quarter of the cells small. Timed loosely (shared CI machines)."""
    import random
    import time

    generator = random.Random(8)
    rows = tuple(f"huis-{i:02}" for i in range(60))
    columns = tuple(f"categorie-{j:02}" for j in range(15))
    cells = {
        (r, c): generator.randint(1, 4) if generator.random() < 0.25 else generator.randint(0, 80)
        for r in rows
        for c in columns
    }
    table = Table(rows=rows, columns=columns, cells=cells)
    started = time.perf_counter()
    suppressed = protect(table)
    assert time.perf_counter() - started < 10
    assert small_cells(cells) <= suppressed
    for item in sorted(suppressed, key=repr)[:: max(1, len(suppressed) // 15)]:  # a sample, by the independent LP
        low, high = attacker_range(rows, columns, cells, suppressed, item)
        assert high - low >= THRESHOLD - 1


# --- property -----------------------------------------------------------------------------------------------------


@st.composite
def tables(draw):
    rows = tuple(f"r{i}" for i in range(draw(st.integers(1, 6))))
    columns = tuple(f"k{j}" for j in range(draw(st.integers(1, 5))))
    value = st.one_of(st.integers(0, 4), st.integers(0, 60))
    cells = {(r, c): draw(value) for r in rows for c in columns}
    margins = [("row", r) for r in rows] + [("col", c) for c in columns] + [("total",)]
    forced = draw(st.sets(st.sampled_from(margins), max_size=2)) if draw(st.booleans()) else set()
    cell_items = [("cell", r, c) for r in rows for c in columns]
    keep = draw(st.sets(st.sampled_from(cell_items), max_size=2)) if draw(st.booleans()) else set()
    return rows, columns, cells, frozenset(forced), frozenset(keep)


@settings(max_examples=60, deadline=None)
@given(tables())
def test_no_suppressed_figure_can_be_narrowed_below_five_values(drawn):
    rows, columns, cells, forced, keep = drawn

    suppressed = protect(Table(rows=rows, columns=columns, cells=cells), forced=forced, keep=keep)

    # nothing that must be hidden is published
    assert small_cells(cells) | forced | keep <= suppressed
    # every published figure, cell or total, is 0 or at least five
    for item, value in all_figures(rows, columns, cells).items():
        assert item in suppressed or value == 0 or value >= THRESHOLD, (item, value)
    # and every hidden figure (the small ones and the complements) keeps at least five possible values
    assert_safe(rows, columns, cells, suppressed)


@settings(max_examples=25, deadline=None)
@given(tables())
def test_every_complement_is_needed(drawn):
    """Publishing any one secondary suppression again would expose some suppressed figure."""
    rows, columns, cells, forced, keep = drawn
    required = small_figures(rows, columns, cells) | forced | keep

    suppressed = protect(Table(rows=rows, columns=columns, cells=cells), forced=forced, keep=keep)

    for secondary in sorted(suppressed - required, key=repr):
        fewer = suppressed - {secondary}
        assert any(
            (lambda r: r[1] - r[0])(attacker_range(rows, columns, cells, fewer, item)) < THRESHOLD - 1 - 1e-6
            for item in fewer
        ), secondary
