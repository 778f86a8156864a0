"""The report as a workbook: an overview, a sheet per indicator (per place or house, the breakdowns by place,
category, target group and organiser, and the months with year-to-date running totals), a sheet per house, the
explanations and data completeness. Figures are numbers; a suppressed count is the text "<5"; every text is
written as a string, never a formula (cells starting with = + - @ carry Excel's quote prefix, as bookings.export)."""

import io
import re

import xlsxwriter
from django.utils.translation import gettext as _

from huizen.spreadsheets import needs_escaping
from reporting.indicators import UNIT_LABELS

from . import Cell, headline, number_text, shown_table, shown_tables, suppression_legend, table_title
from .pdf import completeness_rows, cover_lines

FORBIDDEN = re.compile(r"[\[\]:*?/\\]")


class _Book:
    def __init__(self, buffer):
        self.workbook = xlsxwriter.Workbook(
            buffer, {"in_memory": True, "strings_to_formulas": False, "strings_to_urls": False}
        )
        self.bold = self.workbook.add_format({"bold": True})
        self.heading = self.workbook.add_format({"bold": True, "font_size": 14})
        self.quoted = self.workbook.add_format({"quote_prefix": True})
        self.number = self.workbook.add_format({"num_format": "0"})
        self.decimal = self.workbook.add_format({"num_format": "0.0"})
        self.money = self.workbook.add_format({"num_format": "#,##0.00"})
        self.wrap = self.workbook.add_format({"text_wrap": True, "valign": "top"})
        self.names: set[str] = set()

    def sheet(self, name: str):
        base = FORBIDDEN.sub(" ", name).strip().strip("'")[:31] or "Blad"
        candidate, number = base, 2
        while candidate.lower() in self.names:
            suffix = f" {number}"
            candidate, number = base[: 31 - len(suffix)] + suffix, number + 1
        self.names.add(candidate.lower())
        return self.workbook.add_worksheet(candidate)

    def text(self, sheet, row: int, column: int, value, style=None) -> None:
        value = str(value)
        if needs_escaping(value):
            sheet.write_string(row, column, value, self.quoted)
        else:
            sheet.write_string(row, column, value, style) if style else sheet.write_string(row, column, value)

    def figure(self, sheet, row: int, column: int, cell: Cell | None, unit: str) -> None:
        if cell is None:
            return
        if cell.hidden or cell.value is None:
            self.text(sheet, row, column, cell.text(unit))
            return
        style = {"count": self.number, "euros": self.money}.get(unit, self.decimal)
        sheet.write_number(row, column, float(cell.value), style)


def _summary_sheet(book: _Book, figures: dict) -> None:
    sheet = book.sheet(_("Overview"))
    row = 0
    for number, line in enumerate(cover_lines(figures)):
        book.text(sheet, row, 0, line, book.heading if number == 0 else None)
        row += 1
    book.text(sheet, row, 0, suppression_legend())
    row += 2
    headers = [
        _("Indicator"),
        _("Unit"),
        _("Realised this quarter"),
        _("Target for the quarter"),
        _("Status"),
        _("Year to date"),
        _("Target for the year"),
        _("Expected by the end of the quarter"),
        _("Status of the year"),
    ]
    for column, header in enumerate(headers):
        book.text(sheet, row, column, header, book.bold)
    for indicator in figures["indicators"]:
        row += 1
        unit = indicator["unit"]
        quarter, ytd = headline(indicator)
        book.text(sheet, row, 0, indicator["name"])
        book.text(sheet, row, 1, str(UNIT_LABELS.get(unit, unit)))  # in words, as the CSV has it
        book.figure(sheet, row, 2, quarter, unit)
        book.figure(sheet, row, 3, Cell(_dec(indicator["target_quarter"])), unit)
        book.text(sheet, row, 4, indicator["status_label"])
        book.figure(sheet, row, 5, ytd, unit)
        book.figure(sheet, row, 6, Cell(_dec(indicator["target_year"])), unit)
        book.figure(sheet, row, 7, Cell(_dec(indicator["expected_year"])), unit)
        book.text(sheet, row, 8, indicator["status_year_label"])
    sheet.set_column(0, 0, 42)
    sheet.set_column(1, 8, 16)


def _dec(value):
    from . import to_decimal

    return to_decimal(value)


def _indicator_sheet(book: _Book, figures: dict, indicator: dict) -> None:
    sheet = book.sheet(indicator["name"])
    unit = indicator["unit"]
    book.text(sheet, 0, 0, indicator["name"], book.heading)
    book.text(sheet, 1, 0, indicator["definition"])
    row = 3
    for table in shown_tables(indicator):
        book.text(sheet, row, 0, table_title(table.name, figures), book.bold)
        row += 1
        book.text(sheet, row, 0, "", book.bold)
        columns = [label for _key, label in table.columns]
        if table.row_totals:
            columns.append(_("Total"))
        if table.rows and table.rows[0].cumulative is not None:
            columns.append(_("Year to date (running total)"))
        for column, label in enumerate(columns, start=1):
            book.text(sheet, row, column, label, book.bold)
        for shown in table.rows:
            row += 1
            book.text(sheet, row, 0, shown.label)
            column = 1
            for cell in shown.cells:
                book.figure(sheet, row, column, cell, unit)
                column += 1
            if table.row_totals:
                book.figure(sheet, row, column, shown.total, unit)
                column += 1
            if shown.cumulative is not None:
                book.figure(sheet, row, column, shown.cumulative, unit)
        if table.column_totals is not None:
            row += 1
            book.text(sheet, row, 0, _("Total"), book.bold)
            for column, cell in enumerate(table.column_totals, start=1):
                book.figure(sheet, row, column, cell, unit)
            if table.row_totals:
                book.figure(sheet, row, len(table.column_totals) + 1, table.total, unit)
        row += 2
    if indicator["explanations"]:
        book.text(sheet, row, 0, _("Explanation"), book.bold)
        for explanation in indicator["explanations"]:
            row += 1
            book.text(sheet, row, 0, explanation["house"])
            book.text(sheet, row, 1, explanation["text"], book.wrap)
    sheet.set_column(0, 0, 36)
    sheet.set_column(1, 20, 14)


def _house_sheets(book: _Book, figures: dict) -> None:
    """A sheet per house: the network report's row of that house per indicator; the house report's places."""
    scope = figures["scope"]
    for house in scope["houses"]:
        sheet = book.sheet(house["name"])
        book.text(sheet, 0, 0, house["name"], book.heading)
        key = str(house["id"])
        if scope["network"]:
            book.text(sheet, 2, 0, _("Indicator"), book.bold)
            book.text(sheet, 2, 1, _("Realised this quarter"), book.bold)
            for row, indicator in enumerate(figures["indicators"], start=3):
                table = shown_table("total", indicator["tables"]["total"])
                cell = next((shown.cells[0] for shown in table.rows if shown.key == key), None)
                book.text(sheet, row, 0, indicator["name"])
                book.figure(sheet, row, 1, cell, indicator["unit"])
        else:
            first = shown_table("total", figures["indicators"][0]["tables"]["total"]) if figures["indicators"] else None
            places = [(shown.key, shown.label) for shown in first.rows] if first else []
            book.text(sheet, 2, 0, _("Indicator"), book.bold)
            for column, (_key, label) in enumerate(places, start=1):
                book.text(sheet, 2, column, label, book.bold)
            book.text(sheet, 2, len(places) + 1, _("Total"), book.bold)
            for row, indicator in enumerate(figures["indicators"], start=3):
                table = shown_table("total", indicator["tables"]["total"])
                book.text(sheet, row, 0, indicator["name"])
                for column, shown in enumerate(table.rows, start=1):
                    book.figure(sheet, row, column, shown.cells[0], indicator["unit"])
                book.figure(sheet, row, len(table.rows) + 1, table.total, indicator["unit"])
        sheet.set_column(0, 0, 42)
        sheet.set_column(1, 30, 16)


def _completeness_sheet(book: _Book, figures: dict) -> None:
    sheet = book.sheet(_("Data completeness"))
    headers, rows = completeness_rows(figures)
    for column, header in enumerate(headers):
        book.text(sheet, 0, column, header, book.bold)
    for number, values in enumerate(rows, start=1):
        book.text(sheet, number, 0, values[0])
        for column, value in enumerate(values[1:], start=1):
            sheet.write_number(number, column, value, book.number)
    sheet.set_column(0, 0, 40)
    sheet.set_column(1, len(headers), 22)


def render(figures: dict) -> bytes:
    buffer = io.BytesIO()
    book = _Book(buffer)
    _summary_sheet(book, figures)
    for indicator in figures["indicators"]:
        _indicator_sheet(book, figures, indicator)
    _house_sheets(book, figures)
    _completeness_sheet(book, figures)
    book.workbook.close()
    return buffer.getvalue()


__all__ = ["render", "number_text"]
