"""The report as open data: one CSV row per published figure (aggregates only), suppressed counts as "<5".

`;`-separated UTF-8 with a byte order mark and decimal commas, as the project's other CSV exports, so Dutch Excel
opens it with the right characters and columns; texts a spreadsheet would read as a formula get an apostrophe."""

import csv
import io

from django.utils.translation import gettext as _

from huizen.spreadsheets import escape_cell
from reporting.indicators import UNIT_LABELS

from . import shown_tables, table_title


def headers() -> list[str]:
    return [
        _("Report"),
        _("Quarter"),
        _("Version"),
        _("Indicator code"),
        _("Indicator"),
        _("Unit"),
        _("Table"),
        _("Row"),
        _("Column"),
        _("Value"),
    ]


def render(figures: dict) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";", lineterminator="\r\n")
    writer.writerow(headers())
    scope = figures["scope"]["house"]["name"] if figures["scope"]["house"] else _("Network")
    start = [escape_cell(scope), figures["period"]["label"], str(figures["version"]["number"])]
    total_label, cumulative_label = _("Total"), _("Year to date (running total)")
    for indicator in figures["indicators"]:
        unit = indicator["unit"]
        lead = [*start, indicator["code"], escape_cell(indicator["name"]), str(UNIT_LABELS.get(unit, unit))]
        for table in shown_tables(indicator):
            title = escape_cell(table_title(table.name, figures))
            for row in table.rows:
                for (_key, label), cell in zip(table.columns, row.cells, strict=True):
                    writer.writerow([*lead, title, escape_cell(row.label), escape_cell(label), cell.text(unit)])
                if table.row_totals and row.total is not None:
                    writer.writerow([*lead, title, escape_cell(row.label), total_label, row.total.text(unit)])
                if row.cumulative is not None:
                    writer.writerow([*lead, title, escape_cell(row.label), cumulative_label, row.cumulative.text(unit)])
            if table.column_totals is not None and len(table.columns) > 1:
                for (_key, label), cell in zip(table.columns, table.column_totals, strict=True):
                    writer.writerow([*lead, title, total_label, escape_cell(label), cell.text(unit)])
            if table.total is not None:
                writer.writerow([*lead, title, total_label, total_label, table.total.text(unit)])
    return buffer.getvalue().encode("utf-8-sig")
