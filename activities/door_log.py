"""The door log over a period (a day, a week or a month): totals per place and day, and their export.

The totals come from three grouped queries (walk-in taps, taps at sessions, sessions with their close-outs), each
grouped by place and Amsterdam day, so the cost follows the days and places shown, not the taps behind them. The
export is safe against formula injection like the bookings export: text that a spreadsheet would read as a formula
gets a leading apostrophe in CSV, and is written as a quoted string in XLSX.
"""

import calendar
import csv
import datetime as dt
import io
from dataclasses import dataclass, field

import xlsxwriter
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from huizen.dates import days_between
from huizen.spreadsheets import escape_cell, needs_escaping

from . import selectors
from .models import AgeBand

__all__ = ["Period", "Totals", "period_of", "place_totals", "to_csv"]

DAY, WEEK, MONTH = "dag", "week", "maand"


@dataclass(frozen=True)
class Period:
    kind: str
    first: dt.date
    last: dt.date

    @property
    def days(self) -> list[dt.date]:
        return [self.first + dt.timedelta(days=n) for n in range((self.last - self.first).days + 1)]

    def previous(self) -> "Period":
        return period_of(self.kind, self.first - dt.timedelta(days=1))

    def next(self) -> "Period":
        return period_of(self.kind, self.last + dt.timedelta(days=1))

    def contains(self, day: dt.date) -> bool:
        return self.first <= day <= self.last

    @property
    def label(self) -> str:
        if self.kind == WEEK:
            return _("week %(number)s, %(first)s to %(last)s") % {
                "number": self.first.isocalendar().week,
                "first": date_format(self.first, "j F"),
                "last": date_format(self.last, "j F Y"),
            }
        if self.kind == MONTH:
            return date_format(self.first, "F Y")
        return date_format(self.first, "l j F Y")

    @property
    def slug(self) -> str:
        """How the export's file name names the period."""
        if self.kind == WEEK:
            year, week, _day = self.first.isocalendar()
            return f"{year}-w{week:02d}"
        if self.kind == MONTH:
            return f"{self.first:%Y-%m}"
        return self.first.isoformat()


def period_of(kind: str, day: dt.date) -> Period:
    """The day itself, the week (Monday to Sunday) or the calendar month around `day`."""
    if kind == WEEK:
        monday = day - dt.timedelta(days=day.weekday())
        return Period(WEEK, monday, monday + dt.timedelta(days=6))
    if kind == MONTH:
        return Period(MONTH, day.replace(day=1), day.replace(day=calendar.monthrange(day.year, day.month)[1]))
    return Period(DAY, day, day)


BAND_KEYS = [selectors.AGE_BAND_KEYS[band] for band in AgeBand.values]
SUMMED = ["walk_in", "at_sessions", "new_visitors", *BAND_KEYS, "held", "cancelled", "participants", "volunteers"]


@dataclass
class Totals:
    """The counts of one place on one day (or added up over a period)."""

    day: dt.date | None = None
    values: dict = field(default_factory=lambda: dict.fromkeys(SUMMED, 0))

    @property
    def visitors(self) -> int:
        return self.values["walk_in"] + self.values["at_sessions"]

    @property
    def bands(self) -> list[int]:
        return [self.values[key] for key in BAND_KEYS]

    @property
    def unknown_age(self) -> int:
        return self.visitors - sum(self.bands)

    def __getattr__(self, name):
        if name != "values" and name in SUMMED:
            return self.values[name]
        raise AttributeError(name)

    def add(self, other: "Totals") -> None:
        for key in SUMMED:
            self.values[key] += other.values[key]


def place_totals(house, places, period: Period) -> tuple[list[dict], Totals]:
    """For each place: its totals per day of `period` and over the period; and the totals of all places."""
    start, end = days_between(period.first, period.last)
    cells: dict[tuple[int, dt.date], Totals] = {}

    def cell(row) -> Totals:
        key = (row["place_id"], row["day"])
        if key not in cells:
            cells[key] = Totals(day=row["day"])
        return cells[key]

    for row in selectors.programme_door_log_walk_in_per_day(house, start=start, end=end):
        values = cell(row).values
        values["walk_in"] += row["visitors"]
        values["new_visitors"] += row["new_visitors"]
        for key in BAND_KEYS:
            values[key] += row[key]
    for row in selectors.programme_door_log_session_visitors_per_day(house, start=start, end=end):
        values = cell(row).values
        values["at_sessions"] += row["visitors"]
        values["new_visitors"] += row["new_visitors"]
        for key in BAND_KEYS:
            values[key] += row[key]
    for row in selectors.programme_door_log_sessions_per_day(house, start=start, end=end):
        values = cell(row).values
        for key in ("held", "cancelled", "participants", "volunteers"):
            values[key] += row[key] or 0
    result, everything = [], Totals()
    for place in places:
        days = [cells.get((place.pk, day)) or Totals(day=day) for day in period.days]
        total = Totals()
        for totals in days:
            total.add(totals)
        everything.add(total)
        result.append({"place": place, "days": days, "total": total})
    return result, everything


def headers() -> list[str]:
    return [
        pgettext("door log column", "Place"),
        _("Date"),
        _("Walk-in visitors"),
        _("Visitors at sessions"),
        _("Visitors"),
        _("Of which new"),
        *[_("Age %(band)s") % {"band": label} for _band, label in AgeBand.choices],
        _("Age not given"),
        _("Sessions held"),
        _("Sessions cancelled"),
        _("Participants (close-out)"),
        _("Volunteers (close-out)"),
    ]


def _numbers(totals: Totals) -> list[int]:
    values = totals.values
    return [
        values["walk_in"],
        values["at_sessions"],
        totals.visitors,
        values["new_visitors"],
        *totals.bands,
        totals.unknown_age,
        values["held"],
        values["cancelled"],
        values["participants"],
        values["volunteers"],
    ]


def rows(places: list[dict], everything: Totals) -> list[tuple[str, dt.date | str, list[int]]]:
    """(place, day or the word for the total, numbers): each place per day and its total; then all places."""
    result = []
    for item in places:
        name = item["place"].name
        result += [(name, totals.day, _numbers(totals)) for totals in item["days"]]
        result.append((name, _("Total"), _numbers(item["total"])))
    result.append((_("All places"), _("Total"), _numbers(everything)))
    return result


def to_csv(items) -> bytes:
    """`;`-separated UTF-8 with a byte order mark, as Dutch Excel opens it."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";", lineterminator="\r\n")
    writer.writerow([escape_cell(header) for header in headers()])
    for place, day, numbers in items:
        when = day.isoformat() if isinstance(day, dt.date) else escape_cell(day)
        writer.writerow([escape_cell(place), when, *numbers])
    return buffer.getvalue().encode("utf-8-sig")


def to_xlsx(items) -> bytes:
    """A workbook with a header row, real dates and numbers; text is always written as text."""
    buffer = io.BytesIO()
    workbook = xlsxwriter.Workbook(buffer, {"in_memory": True, "strings_to_formulas": False, "strings_to_urls": False})
    sheet = workbook.add_worksheet(str(_("Door log"))[:31])
    bold = workbook.add_format({"bold": True})
    date_cell = workbook.add_format({"num_format": "dd-mm-yyyy"})
    quoted = workbook.add_format({"quote_prefix": True})

    def text(row_number: int, column: int, value: str, style=None) -> None:
        sheet.write_string(row_number, column, value, quoted if needs_escaping(value) else style)

    for column, header in enumerate(headers()):
        text(0, column, header, bold)
    for number, (place, day, numbers) in enumerate(items, start=1):
        text(number, 0, place)
        if isinstance(day, dt.date):
            sheet.write_datetime(number, 1, day, date_cell)
        else:
            text(number, 1, day, bold)
        for column, value in enumerate(numbers, start=2):
            sheet.write_number(number, column, value)
    sheet.set_column(0, 0, 24)
    sheet.set_column(1, 1, 11)
    sheet.set_column(2, len(headers()) - 1, 12)
    sheet.freeze_panes(1, 0)
    workbook.close()
    return buffer.getvalue()
