"""The report as a readable PDF: a cover, per indicator its figure against the target with the status in words,
a bar chart (inline SVG) with its numbers in a table below it, the tables, the coordinators' explanations, and a
page on data completeness. An HTML template rendered by WeasyPrint; no fonts or images from outside."""

import datetime as dt
from xml.sax.saxutils import escape

from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

from . import headline, number_text, shown_table, shown_tables, suppression_legend, table_title, to_decimal

CHART_WIDTH, CHART_HEIGHT, LABEL_WIDTH = 460, 18, 150


def built_at_text(figures: dict) -> str:
    moment = timezone.localtime(dt.datetime.fromisoformat(figures["built_at"]))
    return date_format(moment, "j F Y H:i")


def cover_lines(figures: dict) -> list[str]:
    scope = figures["scope"]
    version = figures["version"]
    kind = {"provisional": _("provisional"), "final": _("final")}.get(version["kind"], version["kind"])
    title = (
        _("Quarterly report of %(name)s") % {"name": scope["house"]["name"]}
        if scope["house"]
        else _("Quarterly report of the network")
    )
    return [
        title,
        _("Quarter: %(quarter)s (%(start)s to %(end)s)")
        % {"quarter": figures["period"]["label"], "start": figures["period"]["start"], "end": figures["period"]["end"]},
        _("Version %(number)s, %(kind)s") % {"number": version["number"], "kind": kind},
        _("Built at %(when)s by %(who)s") % {"when": built_at_text(figures), "who": figures["built_by"]},
    ]


def completeness_rows(figures: dict) -> tuple[list[str], list[list]]:
    headers = [
        _("House"),
        _("Sessions not closed out"),
        _("Open days without a door count"),
        _("Places without opening hours"),
    ]
    rows = [
        [
            item["house"],
            int(item["sessions_not_closed"]),
            int(item["open_days_without_count"]),
            int(item["places_without_hours"]),
        ]
        for item in figures["completeness"]
    ]
    return headers, rows


def bar_chart(title: str, rows: list[tuple[str, object, str]]) -> str:
    """Horizontal bars as inline SVG: `rows` are (label, value or None, text shown beside the bar). The same
    numbers stand in the table below the chart; the SVG is a picture of them, with a title for screen readers."""
    values = [float(value) for _label, value, _text in rows if value is not None]
    top = max(values) if values and max(values) > 0 else 1.0
    height = CHART_HEIGHT * len(rows) + 4
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{CHART_WIDTH}" height="{height}" role="img" '
        f'viewBox="0 0 {CHART_WIDTH} {height}"><title>{escape(title)}</title>'
    ]
    room = CHART_WIDTH - LABEL_WIDTH - 60
    for position, (label, value, text) in enumerate(rows):
        y = position * CHART_HEIGHT + 2
        width = 0 if value is None else max(float(value) / top * room, 0)
        parts.append(
            f'<text x="{LABEL_WIDTH - 6}" y="{y + 12}" text-anchor="end" font-size="9">{escape(label[:28])}</text>'
            f'<rect x="{LABEL_WIDTH}" y="{y + 2}" width="{width:.1f}" height="{CHART_HEIGHT - 6}" fill="#1f4e79"/>'
            f'<text x="{LABEL_WIDTH + width + 4:.1f}" y="{y + 12}" font-size="9">{escape(text)}</text>'
        )
    parts.append("</svg>")
    return "".join(parts)


def _section(figures: dict, indicator: dict) -> dict:
    unit = indicator["unit"]
    quarter, ytd = headline(indicator)
    months = shown_table("months", indicator["tables"]["months"])
    chart_rows = [(row.label, row.cells[0].value, row.cells[0].text(unit)) for row in months.rows]
    tables = []
    # The months first, right below the chart drawn from them: the chart's numbers as a table.
    ordered = sorted(shown_tables(indicator), key=lambda table: table.name != "months")
    for table in ordered:
        if not table.rows:
            continue
        tables.append(
            {
                "title": table_title(table.name, figures),
                "columns": [label for _key, label in table.columns],
                "row_totals": table.row_totals,
                "cumulative": bool(table.rows and table.rows[0].cumulative is not None),
                "rows": [
                    {
                        "label": row.label,
                        "cells": [cell.text(unit) for cell in row.cells],
                        "total": row.total.text(unit) if row.total else "",
                        "cumulative": row.cumulative.text(unit) if row.cumulative else "",
                    }
                    for row in table.rows
                ],
                "column_totals": [cell.text(unit) for cell in table.column_totals or []],
                "total": table.total.text(unit) if table.total else "",
            }
        )
    return {
        "code": indicator["code"],
        "name": indicator["name"],
        "definition": indicator["definition"],
        "quarter": quarter.text(unit),
        "year_to_date": ytd.text(unit),
        "target_quarter": number_text(to_decimal(indicator["target_quarter"]), unit),
        "target_year": number_text(to_decimal(indicator["target_year"]), unit),
        "expected_year": number_text(to_decimal(indicator["expected_year"]), unit),
        "status": indicator["status_label"],
        "status_year": indicator["status_year_label"],
        "has_target": indicator["target_quarter"] is not None or indicator["target_year"] is not None,
        "chart": mark_safe(bar_chart(_("%(name)s per month") % {"name": indicator["name"]}, chart_rows)),  # noqa: S308 - escaped above
        "chart_title": _("%(name)s per month") % {"name": indicator["name"]},
        "tables": tables,
        "explanations": indicator["explanations"],
    }


def render_html(figures: dict) -> str:
    headers, rows = completeness_rows(figures)
    context = {
        "cover": cover_lines(figures),
        "figures": figures,
        "legend": suppression_legend(),
        "sections": [_section(figures, indicator) for indicator in figures["indicators"]],
        "completeness_headers": headers,
        "completeness_rows": rows,
        "network": figures["scope"]["network"],
    }
    return render_to_string("reporting/reports/report_pdf.html", context)


def render(figures: dict) -> bytes:
    from weasyprint import HTML

    return HTML(string=render_html(figures)).write_pdf()
