"""Statistical disclosure control for published tables: which figures to leave out.

A published table is a grid of non-negative integer counts (rows × columns) with its row totals, column totals and
grand total. A count of 1 to `threshold - 1` could point at a person, so it is not published (*primary
suppression*), whether it is a cell or a total. Leaving out only those is not enough: a published total minus
the published cells gives the missing one back, so further figures are left out as well (*secondary
suppression*), until nobody who knows every published figure can narrow any left-out figure to fewer than
`threshold` possible values.

The attacker is modelled exactly: the unknowns are the left-out figures, they are non-negative, and every row,
column and the grand total add up. The smallest and largest value a left-out figure can take under those rules is a
linear programme (`feasible_range`). The rules form a totally unimodular system, so those bounds are whole numbers
and every whole number between them is possible: a range with `max - min >= threshold - 1` holds at least
`threshold` possible values.

How it goes (`protect`), figure by figure in name order:
1. Check whether the figure is protected by what is left out so far. The same question as the linear programme,
   asked as two maximum flows (`scipy.sparse.csgraph.maximum_flow`): much faster, and the same answer (the tests
   hold both against an independent linear programme).
2. If not, choose complements with a linear programme (after Fischetti and Salazar): two other tables that agree
   with everything published, one with the figure higher and one with it lower, so far apart that it is protected,
   changing as few and as small published figures as possible; those it changes are left out too. Totals cost
   far more than cells, so they are only left out when no choice of cells protects the figure (a one-column table,
   a small row total, a 1 × 1 table). A complement is itself protected in its turn.
3. Finally publish again every complement that turned out not to be needed, the costliest first, until each one
   left is needed.

Everything is ordered by name, so the same table gives the same pattern whatever the order of its rows and columns:
a report shows the same gaps in its PDF, its XLSX and its CSV. Figures left out in an earlier version of the report
are passed as `keep` and stay left out.

    pattern = protect(Table(rows=("Noord", "Zuid"), columns=("jeugd", "ouderen"), cells={...}))
    ("cell", "Noord", "jeugd") in pattern  # publish "–" instead of the number

Pure Python and SciPy; no Django.
"""

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from functools import cached_property
from math import inf
from numbers import Real

import numpy as np
from scipy import sparse
from scipy.optimize import linprog
from scipy.sparse.csgraph import maximum_flow

__all__ = ["Item", "Table", "feasible_range", "is_protected", "primary", "protect"]

Item = tuple  # ("cell", row, column) | ("row", row) | ("col", column) | ("total",)

DEFAULT_THRESHOLD = 5
TOTAL: Item = ("total",)

# Costs of leaving out one more figure, per figure. Cells first, by number and then by value; a row or column total
# only when nothing else will do, the grand total last of all.
_CELL_COST = 1.0
_MARGIN_COST = 1_000.0
_TOTAL_COST = 3_000.0
_EPS = 1e-7


@dataclass(frozen=True)
class Table:
    """A two-way table of counts. `cells` maps (row, column) to a non-negative whole number; missing is 0.

    The row totals, column totals and grand total are the sums of the cells; they are published alongside the cells
    unless suppressed. A one-column table (houses with the network total) is a table whose row totals equal its
    cells: a suppressed cell then always has its row total suppressed with it.
    """

    rows: tuple[str, ...]
    columns: tuple[str, ...]
    cells: Mapping[tuple[str, str], int] = field(default_factory=dict)

    def __post_init__(self):
        object.__setattr__(self, "rows", tuple(self.rows))
        object.__setattr__(self, "columns", tuple(self.columns))
        if not self.rows or not self.columns:
            raise ValueError("A table needs at least one row and one column.")
        if len(set(self.rows)) != len(self.rows) or len(set(self.columns)) != len(self.columns):
            raise ValueError("Row and column names must be unique.")
        rows, columns = set(self.rows), set(self.columns)
        cells = {}  # a copy, as ints: the table does not change under us
        for key, value in self.cells.items():
            if not (isinstance(key, tuple) and len(key) == 2 and key[0] in rows and key[1] in columns):
                raise ValueError(f"Cell {key!r} is not in the table.")
            cells[key] = _count(key, value)
        object.__setattr__(self, "cells", cells)

    def cell(self, row: str, column: str) -> int:
        return self.cells.get((row, column), 0)

    def row_total(self, row: str) -> int:
        return sum(self.cell(row, column) for column in self.columns)

    def column_total(self, column: str) -> int:
        return sum(self.cell(row, column) for row in self.rows)

    @property
    def total(self) -> int:
        return sum(self.cells.values())

    def value(self, item: Item) -> int:
        """The true value of a cell or total."""
        self._check(item)
        match item:
            case ("cell", row, column):
                return self.cell(row, column)
            case ("row", row):
                return self.row_total(row)
            case ("col", column):
                return self.column_total(column)
            case _:
                return self.total

    def items(self) -> tuple[Item, ...]:
        """Every cell and total, in a fixed order (by name, cells first)."""
        return self._layout.items

    def published(self, suppressed: Iterable[Item]) -> dict[Item, int | None]:
        """Every cell and total with its value, or None where it is suppressed."""
        hidden = frozenset(suppressed)
        for item in hidden:
            self._check(item)
        return {item: None if item in hidden else self.value(item) for item in self.items()}

    def has(self, item: Item) -> bool:
        """Whether `item` is a cell or total of this table."""
        match item:
            case ("cell", row, column):
                return row in self.rows and column in self.columns
            case ("row", row):
                return row in self.rows
            case ("col", column):
                return column in self.columns
            case ("total",):
                return True
        return False

    def _check(self, item: Item) -> None:
        if not self.has(item):
            raise ValueError(f"{item!r} is not a cell or total of this table.")

    @cached_property
    def _layout(self) -> "_Layout":
        return _Layout(self)


def _count(key, value) -> int:
    """A count as an int: 7, Decimal("7") and 7.0 are counts; -1, 1.5, True and "7" are not."""
    if not isinstance(value, bool) and isinstance(value, Real | Decimal):
        try:
            whole = int(value)
        except (ValueError, OverflowError):  # nan, inf
            whole = None
        if whole is not None and whole == value and whole >= 0:
            return whole
    raise ValueError(f"Cell {key!r} holds {value!r}, not a non-negative whole number.")


class _Layout:
    """The table as a linear system: one variable per item, one equation per row, column and the grand total."""

    def __init__(self, table: Table):
        rows = sorted(table.rows, key=str)
        columns = sorted(table.columns, key=str)
        cells = [("cell", row, column) for row in rows for column in columns]
        self.items: tuple[Item, ...] = (
            *cells,
            *(("row", row) for row in rows),
            *(("col", column) for column in columns),
            TOTAL,
        )
        self.index = {item: i for i, item in enumerate(self.items)}
        self.values = np.array([table.value(item) for item in self.items], dtype=float)
        n_rows, n_columns = len(rows), len(columns)
        # row r: sum of its cells - row total = 0; column c: sum of its cells - column total = 0;
        # grand total: sum of the row totals - grand total = 0 (the column totals then add up too).
        entries: list[tuple[int, int, float]] = []
        for r in range(n_rows):
            for c in range(n_columns):
                cell = r * n_columns + c
                entries.append((r, cell, 1.0))
                entries.append((n_rows + c, cell, 1.0))
        first_row_total = n_rows * n_columns
        first_column_total = first_row_total + n_rows
        total = first_column_total + n_columns
        for r in range(n_rows):
            entries.append((r, first_row_total + r, -1.0))
            entries.append((n_rows + n_columns, first_row_total + r, 1.0))
        for c in range(n_columns):
            entries.append((n_rows + c, first_column_total + c, -1.0))
        entries.append((n_rows + n_columns, total, -1.0))
        eq, var, coef = zip(*entries, strict=True)
        self.equations = sparse.csc_array(
            (coef, (eq, var)), shape=(n_rows + n_columns + 1, len(self.items)), dtype=float
        )
        top = max((table.value(item) for item in cells), default=0)
        self.weights = np.array(
            [
                (_CELL_COST if item[0] == "cell" else _TOTAL_COST if item == TOTAL else _MARGIN_COST)
                * (1 + value / (10 * (top + 1)))
                for item, value in zip(self.items, self.values, strict=True)
            ]
        )

        # The same table as a graph (for the fast check): the table with its totals as an extra row and column,
        # one node per row and per column of it, an item an edge between its row and its column. Any change that
        # keeps every sum right is a circulation on the suppressed edges (totals counted negatively).
        self.nodes = n_rows + 1 + n_columns + 1
        tail = [r for r in range(n_rows) for _ in range(n_columns)]
        head = [n_rows + 1 + c for _ in range(n_rows) for c in range(n_columns)]
        tail += list(range(n_rows)) + [n_rows] * n_columns + [n_rows]
        head += [self.nodes - 1] * n_rows + [n_rows + 1 + c for c in range(n_columns)] + [self.nodes - 1]
        self.tail, self.head = np.array(tail), np.array(head)
        self.sign = np.array([1 if item[0] in ("cell", "total") else -1 for item in self.items])
        self.edge_item = np.full((self.nodes, self.nodes), -1)
        self.edge_item[self.tail, self.head] = np.arange(len(self.items))

    def hidden_mask(self, suppressed: Iterable[Item]) -> np.ndarray:
        mask = np.zeros(len(self.items), dtype=bool)
        for item in suppressed:
            mask[self.index[item]] = True
        return mask


def primary(table: Table, *, threshold: int = DEFAULT_THRESHOLD, forced: Iterable[Item] = ()) -> frozenset[Item]:
    """The figures that may not be published themselves: every cell, row total, column total and grand total from
    1 to threshold - 1 (a total of 3 points at a person just as well as a cell of 3), and `forced`."""
    _check_threshold(threshold)
    forced = frozenset(forced)
    for item in forced:
        table._check(item)
    layout = table._layout
    small = {item for item, value in zip(layout.items, layout.values, strict=True) if 0 < value < threshold}
    return frozenset(small) | forced


def feasible_range(table: Table, suppressed: Iterable[Item], item: Item) -> tuple[float, float]:
    """The smallest and largest value `item` can have for someone who knows every figure not in `suppressed`.

    Bounds are whole numbers (as floats); an unbounded side is `inf`. A published item gives its own value twice.
    """
    table._check(item)
    layout = table._layout
    hidden = layout.hidden_mask(suppressed)
    target = layout.index[item]
    if not hidden[target]:
        value = float(layout.values[target])
        return value, value
    equations, rhs, unknowns = _attacker_system(layout, hidden)
    position = int(np.searchsorted(unknowns, target))
    bounds = []
    for sign in (1.0, -1.0):
        objective = np.zeros(len(unknowns))
        objective[position] = sign
        result = _solve(objective, A_eq=equations, b_eq=rhs, bounds=(0, None))
        if result.status == 3:
            bounds.append(sign * -inf)
        else:
            bounds.append(round(sign * result.fun, 6))
    low, high = bounds
    return float(low), float(high)


def is_protected(table: Table, suppressed: Iterable[Item], item: Item, *, threshold: int = DEFAULT_THRESHOLD) -> bool:
    """Whether someone who knows every published figure is left with at least `threshold` values for `item`."""
    low, high = feasible_range(table, suppressed, item)
    return high - low >= threshold - 1


def protect(
    table: Table,
    *,
    threshold: int = DEFAULT_THRESHOLD,
    forced: frozenset[Item] = frozenset(),
    keep: frozenset[Item] = frozenset(),
    free: frozenset[Item] = frozenset(),
    fixed: frozenset[Item] = frozenset(),
) -> frozenset[Item]:
    """The cells and totals to suppress.

    Primary: every cell and total from 1 to `threshold - 1`, and `forced` (say a total that another published table
    suppresses). `keep`: figures suppressed in an earlier version of the same report; they stay suppressed (those
    naming a row or column this table no longer has are ignored).
    Secondary: further cells (and totals, only where no cells will do) so that for every suppressed figure the
    range someone can work out from the published ones (`feasible_range`) holds at least `threshold` whole numbers,
    or is unbounded. A 0 is published unless suppressing it is what protects another figure.

    `free`: figures the attacker knows the equation of but that are not published anywhere (say the sum of every
    January and April of a grid of quarters × months): leaving them out costs next to nothing. `fixed`: figures
    published elsewhere already (an earlier quarter's total): never chosen as a complement.

    Deterministic: the same table, threshold, forced and keep give the same answer, in whatever order the rows and
    columns come.
    """
    _check_threshold(threshold)
    keep = frozenset(item for item in keep if table.has(item))
    layout = table._layout
    hidden = layout.hidden_mask(primary(table, threshold=threshold, forced=forced) | keep)
    need = threshold - 1
    if need == 0 or not hidden.any():
        return _items(layout, hidden)
    if free or fixed:
        layout = _Costed(layout, free=free, fixed=fixed)
    required = hidden.copy()
    proofs = _Proofs(need)
    _cover(layout, hidden, proofs)
    _prune(layout, hidden, required, proofs)
    return _items(layout, hidden)


class _Costed:
    """A layout with other costs: next to nothing for `free` items, never opened for `fixed` ones."""

    def __init__(self, layout: _Layout, *, free: Iterable[Item], fixed: Iterable[Item]):
        self._layout = layout
        self.weights = layout.weights.copy()
        self.openable = np.ones(len(layout.items))
        for item in free:
            if item in layout.index:
                self.weights[layout.index[item]] = _CELL_COST / 100
        for item in fixed:
            if item in layout.index:
                self.weights[layout.index[item]] = _TOTAL_COST * 10
                self.openable[layout.index[item]] = 0.0

    def __getattr__(self, name):
        return getattr(self._layout, name)


class _Proofs:
    """Per suppressed item known to be protected, the items that must stay suppressed for that to hold."""

    def __init__(self, need: int):
        self.need = need
        self.support: dict[int, np.ndarray] = {}

    def __contains__(self, item: int) -> bool:
        return item in self.support

    def drop(self, published: int) -> dict[int, np.ndarray]:
        """Forget the proofs that needed `published` suppressed; return them."""
        lost = {item: support for item, support in self.support.items() if support[published] or item == published}
        for item in lost:
            del self.support[item]
        return lost


def _cover(layout: _Layout, hidden: np.ndarray, proofs: _Proofs) -> None:
    """Suppress further items until every suppressed item is protected (in place), the first by name first."""
    while pending := [item for item in np.flatnonzero(hidden).tolist() if item not in proofs]:
        target = pending[0]
        while not _check(layout, hidden, target, proofs):
            opened = _complements(layout, hidden, target, proofs.need)
            if not len(opened):  # cannot happen (suppressing everything protects everything); stay safe anyway
                hidden[:] = True


def _prune(layout: _Layout, hidden: np.ndarray, required: np.ndarray, proofs: _Proofs) -> None:
    """Publish again what turned out not to be needed, the costliest first (totals, then the largest cells), until
    every secondary suppression left is needed: publishing any one of them would leave a suppressed item exposed."""
    changed = True
    while changed:
        changed = False
        candidates = sorted(np.flatnonzero(hidden & ~required).tolist(), key=lambda i: (-layout.weights[i], i))
        for candidate in candidates:
            hidden[candidate] = False
            lost = proofs.drop(candidate)
            for item in sorted(lost):
                if item != candidate and not _check(layout, hidden, item, proofs):
                    hidden[candidate] = True
                    for other, support in lost.items():
                        proofs.support.setdefault(other, support)
                    break
            else:
                changed = True


def _check_threshold(threshold: int) -> None:
    if isinstance(threshold, bool) or not isinstance(threshold, int) or threshold < 1:
        raise ValueError(f"The threshold must be a whole number of at least 1, not {threshold!r}.")


def _items(layout: _Layout, hidden: np.ndarray) -> frozenset[Item]:
    return frozenset(layout.items[i] for i in np.flatnonzero(hidden))


def _solve(objective, **kwargs):
    result = linprog(objective, method="highs", **kwargs)
    if result.status not in (0, 3):
        raise RuntimeError(f"Suppression check failed: {result.message}")
    return result


def _attacker_system(layout: _Layout, hidden: np.ndarray):
    """The equations someone who knows the published figures has for the suppressed ones (all >= 0)."""
    unknowns = np.flatnonzero(hidden)
    known = np.flatnonzero(~hidden)
    equations = layout.equations[:, unknowns]
    rhs = -(layout.equations[:, known] @ layout.values[known])
    involved = np.flatnonzero(np.abs(equations).sum(axis=1) > 0)
    return equations[involved, :], rhs[involved], unknowns


def _check(layout: _Layout, hidden: np.ndarray, target: int, proofs: _Proofs) -> bool:
    """Whether `target` is protected by what is suppressed now; if so, record which items that relies on.

    The attacker's feasible set is a flow problem: with the totals as an extra row and column, w = sign * value
    sums to zero along every row and column, and any other table that agrees with the published figures differs
    from the true one by a circulation on the edges of the suppressed items, within their non-negativity. How far
    the target can go up (down) is the maximum flow between its ends through the other suppressed edges, one way
    (the other way, and at most its own value). Capacities are capped at `need`: only "at least need" matters.
    This gives the same numbers as the linear programme in `feasible_range` (the system is totally unimodular),
    only much faster.
    """
    need = proofs.need
    others = np.flatnonzero(hidden)
    others = others[others != target]
    capacity = np.minimum(layout.values[others], need).astype(np.int32)
    # an edge row -> column carries an increase of w, column -> row a decrease; w may not take the value below 0
    plus = layout.sign[others] > 0
    forward = np.where(plus, need, capacity)
    backward = np.where(plus, capacity, need)
    tails = np.concatenate((layout.tail[others], layout.head[others]))
    heads = np.concatenate((layout.head[others], layout.tail[others]))
    capacities = np.concatenate((forward, backward)).astype(np.int32)
    keep = capacities > 0
    graph = sparse.csr_array(
        (capacities[keep], (tails[keep], heads[keep])), shape=(layout.nodes, layout.nodes), dtype=np.int32
    )
    row, column = int(layout.tail[target]), int(layout.head[target])
    around_up = maximum_flow(graph, column, row)  # w of the target up, back through the others
    around_down = maximum_flow(graph, row, column)  # w of the target down
    value = int(layout.values[target])
    if layout.sign[target] > 0:
        width = around_up.flow_value + min(value, around_down.flow_value)
    else:
        width = around_down.flow_value + min(value, around_up.flow_value)
    if width < need:
        return False
    support = np.zeros(len(layout.items), dtype=bool)
    support[target] = True
    for flow in (around_up.flow, around_down.flow):
        used = sparse.coo_array(flow)
        ends = used.data != 0
        items = layout.edge_item[used.row[ends], used.col[ends]]
        support[items[items >= 0]] = True
    proofs.support[target] = support
    return True


def _complements(layout: _Layout, hidden: np.ndarray, target: int, need: int) -> np.ndarray:
    """Suppress published items so that `target` gets a range of at least `need`; return them.

    Two tables that keep every sum right and every figure non-negative: one with the target raised (x + y), one
    with it lowered (x + z), apart by at least `need` in the target. A published item may change in them only as
    far as it is "opened" (0..1, at its weight: fewer and smaller figures first, totals last) times what it can
    carry (up to `need`, down to 0): the linear relaxation of "suppressing it costs its weight" (Fischetti and
    Salazar). One opening serves both tables. Whatever changes gets suppressed.
    """
    n = len(layout.items)
    values = layout.values
    published = np.flatnonzero(~hidden)
    m = len(published)
    nearly_free = 1 / (8 * n)  # suppressed items move freely; the tiny cost keeps the tables close to the truth
    # variables: y+ y- z+ z- (n each, >= 0; y = y+ - y-, z = z+ - z-), then one opening per published item
    objective = np.concatenate((np.full(4 * n, nearly_free), layout.weights[published]))
    system = sparse.hstack((layout.equations, -layout.equations))
    A_eq = sparse.hstack((sparse.block_diag((system, system)), sparse.csc_array((2 * system.shape[0], m))))
    apart = sparse.csr_array(
        ([-1.0, 1.0, 1.0, -1.0], ([0, 0, 0, 0], [target, n + target, 2 * n + target, 3 * n + target])),
        shape=(1, 4 * n + m),
    )  # z_t - y_t <= -need
    # y+ <= need * open, y- <= min(value, need) * open, the same for z+ and z-
    reach = np.concatenate(
        (
            np.full(m, float(need)),
            np.minimum(values[published], need),
            np.full(m, float(need)),
            np.minimum(values[published], need),
        )
    )
    moved = np.concatenate([published + k * n for k in range(4)])
    rows = np.arange(4 * m)
    limits = sparse.csr_array(
        (
            np.concatenate((np.ones(4 * m), -reach)),
            (np.concatenate((rows, rows)), np.concatenate((moved, 4 * n + np.tile(np.arange(m), 4)))),
        ),
        shape=(4 * m, 4 * n + m),
    )
    A_ub = sparse.vstack((apart, limits), format="csr")
    b_ub = np.concatenate(([-float(need)], np.zeros(4 * m)))
    openable = getattr(layout, "openable", None)
    opening = np.ones(m) if openable is None else openable[published]
    upper = np.concatenate((np.full(n, np.inf), values, np.full(n, np.inf), values, opening))
    bounds = np.column_stack((np.zeros(4 * n + m), upper))
    result = _solve(objective, A_ub=A_ub, b_ub=b_ub, A_eq=A_eq, b_eq=np.zeros(A_eq.shape[0]), bounds=bounds)
    if result.status != 0:
        return np.array([], dtype=int)
    changed = result.x[: 4 * n].reshape(4, n).sum(axis=0) > _EPS
    opened = np.flatnonzero(changed & ~hidden)
    hidden[opened] = True
    return opened
