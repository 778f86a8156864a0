"""What every export (bookings, the door log, the reports) shares: the content types, a download response, and
the defence against formula injection.

A spreadsheet reads a text cell that starts with `=`, `+`, `-` or `@` (or a tab or carriage return) as a formula, so a
resident who types `=HYPERLINK(...)` as a purpose or a title could make a coordinator's spreadsheet run it. In CSV
such a cell gets a leading apostrophe; in XLSX every text is written as a string (never a formula), and those cells
carry Excel's quote prefix too, so editing the cell later does not turn it into a formula either.
"""

from django.http import HttpResponse

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
CSV_CONTENT_TYPE = "text/csv; charset=utf-8"
XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
CONTENT_TYPES = {"csv": CSV_CONTENT_TYPE, "xlsx": XLSX_CONTENT_TYPE}


def needs_escaping(value: str) -> bool:
    """Would a spreadsheet read this text as a formula?"""
    return isinstance(value, str) and value.startswith(FORMULA_STARTS)


def escape_cell(value: str) -> str:
    """Text for a CSV cell: a leading apostrophe when a spreadsheet would read it as a formula."""
    return "'" + value if needs_escaping(value) else value


def download(content: bytes, *, name: str, extension: str) -> HttpResponse:
    """`content` as a file to save (`name`.`extension`, "csv" or "xlsx"), never kept by a cache: it holds the
    house's own figures or its renters' names."""
    response = HttpResponse(content, content_type=CONTENT_TYPES[extension])
    response["Content-Disposition"] = f'attachment; filename="{name}.{extension}"'
    response["Cache-Control"] = "private, no-store"
    return response
