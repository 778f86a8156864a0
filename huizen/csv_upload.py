"""Reading an uploaded CSV file as people make them: saved from Excel (Dutch Excel separates with a semicolon and
writes decimal commas, English Excel with a comma), UTF-8 with or without a byte-order mark.

`read_csv` reads the whole file or refuses it: it returns the rows with their line numbers, or raises `CsvRefused`
with every problem it found, each with its line number, in words a person can act on. An importer checks the
values of each row itself and collects its own `LineError`s, so a person sees all mistakes of a file at once and
nothing is saved until every line is right.
"""

import csv
import io
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from huizen.text import CONTROL_CHARACTERS

MAX_BYTES = 1024 * 1024  # 1 MB: some 20,000 lines, far more than a city's targets or wijken
SEPARATORS = (";", ",", "\t")


@dataclass(frozen=True)
class LineError:
    """One problem in an uploaded file: on line `line` (None: the file as a whole), in column `column` (or none)."""

    line: int | None
    message: str
    column: str = ""


@dataclass
class ImportResult:
    """What an import did: the problems it found (then nothing was saved), or how many lines it read and how many
    records it created, changed and left as they were."""

    errors: list[LineError] = field(default_factory=list)
    lines: int = 0
    created: int = 0
    changed: int = 0
    unchanged: int = 0
    years: list[int] = field(default_factory=list)  # the years the lines were about

    @property
    def ok(self) -> bool:
        return not self.errors


class CsvRefused(Exception):
    def __init__(self, errors: list[LineError]):
        super().__init__(errors)
        self.errors = errors


@dataclass(frozen=True)
class CsvTable:
    columns: list[str]
    rows: list[tuple[int, dict[str, str]]]  # (line number, {column: value stripped})
    separator: str


def _file_problem(data: bytes) -> LineError | None:
    """What makes `data` something other than a text file in UTF-8, if anything."""
    if not data.strip(b" \t\r\n\xef\xbb\xbf"):
        return LineError(None, _("The file is empty."))
    if data.startswith(b"PK\x03\x04") or data.startswith(b"\xd0\xcf\x11\xe0"):
        return LineError(
            None,
            _(
                "This is an Excel file (or another kind of file), not a CSV file. In Excel choose "
                "'Save as' and then 'CSV UTF-8 (comma delimited)'."
            ),
        )
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return LineError(
            None,
            _("This file is saved as Unicode text (UTF-16). Save it as 'CSV UTF-8 (comma delimited)' instead."),
        )
    if b"\x00" in data:
        line = data[: data.index(b"\x00")].count(b"\n") + 1
        return LineError(line, _("This line holds invisible NUL characters: this is not a CSV text file."))
    try:
        data.decode("utf-8")
    except UnicodeDecodeError as error:
        line = data[: error.start].count(b"\n") + 1
        return LineError(
            line,
            _(
                "This line has characters that are not in UTF-8. Save the file as 'CSV UTF-8 (comma delimited)' "
                "and upload it again."
            ),
        )
    return None


def _separator(header_line: str) -> str:
    counts = {separator: header_line.count(separator) for separator in SEPARATORS}
    best = max(SEPARATORS, key=lambda separator: counts[separator])
    return best if counts[best] else ","


def read_csv(
    file,
    *,
    required: Sequence[str],
    optional: Sequence[str] = (),
    unknown_column: Callable[[str], str | None] | None = None,
) -> CsvTable:
    """The rows of the uploaded `file` (a Django UploadedFile or any binary file object), or CsvRefused.

    Column names are matched without regard to case or surrounding spaces; the `required` ones must all be there,
    the `optional` ones may be, any other is refused (`unknown_column(name)` may give a more helpful message than
    the general one). Lines with nothing in them are skipped; values are stripped of surrounding spaces."""
    size = getattr(file, "size", None)
    if size is not None and size > MAX_BYTES:
        raise CsvRefused([LineError(None, _("The file is larger than 1 MB. Split it into smaller files."))])
    data = file.read(MAX_BYTES + 1)
    if len(data) > MAX_BYTES:
        raise CsvRefused([LineError(None, _("The file is larger than 1 MB. Split it into smaller files."))])
    if problem := _file_problem(data):
        raise CsvRefused([problem])
    text = data.decode("utf-8-sig")
    lines = re.split(r"\r\n|\r|\n", text)  # as the csv reader counts lines
    first = next((number for number, line in enumerate(lines) if line.strip()), 0)
    separator = _separator(lines[first])
    errors: list[LineError] = []
    for number, line in enumerate(lines, start=1):
        if CONTROL_CHARACTERS.search(line):
            errors.append(LineError(number, _("This line holds invisible control characters. Remove them.")))
    if errors:
        raise CsvRefused(errors)

    reader = csv.reader(io.StringIO(text, newline=""), delimiter=separator, strict=True)
    rows: list[tuple[int, list[str]]] = []
    line_number = 1
    try:
        for values in reader:
            rows.append((line_number, values))
            line_number = reader.line_num + 1
    except csv.Error:
        raise CsvRefused(
            [LineError(line_number, _('This line cannot be read as CSV: check the quotation marks (").'))]
        ) from None
    rows = [(number, values) for number, values in rows if any(value.strip() for value in values)]
    if not rows:
        raise CsvRefused([LineError(None, _("The file is empty."))])

    header_line, header = rows[0]
    columns = [name.strip().lower() for name in header]
    while columns and not columns[-1]:  # Excel writes a separator after the last column now and then
        columns.pop()
    known = [*required, *optional]
    for position, name in enumerate(columns, start=1):
        if not name:
            errors.append(LineError(header_line, _("Column %(number)d has no name.") % {"number": position}))
        elif columns.index(name) != position - 1:
            errors.append(LineError(header_line, _("The column “%(name)s” appears twice.") % {"name": name}))
        elif name not in known:
            message = unknown_column(name) if unknown_column else None
            errors.append(
                LineError(
                    header_line,
                    message
                    or _("Unknown column “%(name)s”. The columns are: %(columns)s.")
                    % {"name": name, "columns": ", ".join(known)},
                )
            )
    missing = [name for name in required if name not in columns]
    if missing:
        errors.append(
            LineError(
                header_line,
                _("Missing column(s): %(missing)s. The first line names the columns: %(columns)s.")
                % {"missing": ", ".join(missing), "columns": separator.join(required)},
            )
        )
    if errors:
        raise CsvRefused(errors)

    table: list[tuple[int, dict[str, str]]] = []
    for number, values in rows[1:]:
        extra = [value for value in values[len(columns) :] if value.strip()]
        if extra:
            errors.append(
                LineError(
                    number,
                    _("This line has more values than there are columns (%(found)d instead of %(expected)d).")
                    % {"found": len(values), "expected": len(columns)},
                )
            )
            continue
        values = [*values, *[""] * (len(columns) - len(values))]
        table.append((number, {name: value.strip() for name, value in zip(columns, values, strict=False)}))
    if errors:
        raise CsvRefused(errors)
    if not table:
        raise CsvRefused([LineError(None, _("The file has column names but no lines below them."))])
    return CsvTable(columns=columns, rows=table, separator=separator)


def parse_number(text: str, *, decimals: int) -> Decimal:
    """A number as people type it in a spreadsheet: 1500, -3, 12,5 or 12.5 (a decimal comma or point, at most
    `decimals` decimals, no thousands separators). ValueError when it is not one."""
    digits = r"\d{1,15}" + (rf"(?:[.,]\d{{1,{decimals}}})?" if decimals else "")
    if not re.fullmatch(rf"[+-]?{digits}", text):
        raise ValueError(text)
    try:
        return Decimal(text.replace(",", "."))
    except InvalidOperation:  # pragma: no cover - the pattern lets only numbers through
        raise ValueError(text) from None


def not_a_number(text: str, *, decimals: int) -> str:
    """The message for a value that `parse_number` refused."""
    if decimals:
        return ngettext(
            "“%(value)s” is not a number. Write it like 1500 or 12,5: at most %(decimals)d decimal, "
            "without thousands separators.",
            "“%(value)s” is not a number. Write it like 1500 or 12,5: at most %(decimals)d decimals, "
            "without thousands separators.",
            decimals,
        ) % {"value": text[:40], "decimals": decimals}
    return _("“%(value)s” is not a whole number. Write it like 1500, without thousands separators.") % {
        "value": text[:40]
    }
