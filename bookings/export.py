"""Bookings of a period as CSV or XLSX, for invoicing. Local times (Europe/Amsterdam), safe against formula injection
(`huizen.spreadsheets`: a renter's `=HYPERLINK(...)` as the purpose stays text)."""

import csv
import datetime as dt
import io
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

import xlsxwriter
from django.utils import timezone
from django.utils.text import capfirst
from django.utils.translation import gettext as _

from huizen.spreadsheets import escape_cell, needs_escaping

from .models import Booking


@dataclass(frozen=True)
class Row:
    date: dt.date
    start: dt.time
    end: dt.time
    room: str
    place: str
    renter: str
    contact: str
    tier: str
    purpose: str
    people: int
    status: str
    price: Decimal
    deposit: Decimal
    cancellation_cost: Decimal


def headers() -> list[str]:
    return [
        _("Date"),
        _("Start"),
        _("End"),
        _("Room"),
        _("Place"),
        _("Renter"),
        _("E-mail or phone"),
        _("Renter tier"),
        _("Purpose"),
        _("People"),
        _("Status"),
        _("Price (EUR)"),
        _("Deposit (EUR)"),
        _("Cancellation cost (EUR)"),
    ]


def _contact(booking: Booking) -> str:
    if booking.renter_id:
        return booking.renter.email
    return ", ".join(value for value in (booking.contact_phone, booking.contact_email) if value)


def rows(bookings: Iterable[Booking]) -> list[Row]:
    """One row per booking, with times in Amsterdam. Expects `room__place` and `renter` selected."""
    zone = timezone.get_default_timezone()
    result = []
    for booking in bookings:
        start, end = timezone.localtime(booking.start, zone), timezone.localtime(booking.end, zone)
        result.append(
            Row(
                date=start.date(),
                start=start.time().replace(tzinfo=None),
                end=end.time().replace(tzinfo=None),
                room=booking.room.name,
                place=booking.room.place.name,
                renter=booking.renter_label,
                contact=_contact(booking),
                tier=capfirst(str(booking.get_tier_display())),
                purpose=booking.purpose,
                people=booking.people,
                status=capfirst(str(booking.get_status_display())),
                price=booking.price,
                deposit=booking.deposit,
                cancellation_cost=booking.cancellation_cost,
            )
        )
    return result


def _amount(value: Decimal) -> str:
    """A decimal comma, as Dutch Excel expects with `;` as the separator."""
    return f"{value:.2f}".replace(".", ",")


def to_csv(items: list[Row]) -> bytes:
    """`;`-separated UTF-8 with a byte order mark, so Dutch Excel opens it with the right characters and columns."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";", lineterminator="\r\n")
    writer.writerow([escape_cell(header) for header in headers()])
    for row in items:
        writer.writerow(
            [
                row.date.isoformat(),
                row.start.strftime("%H:%M"),
                row.end.strftime("%H:%M"),
                escape_cell(row.room),
                escape_cell(row.place),
                escape_cell(row.renter),
                escape_cell(row.contact),
                escape_cell(row.tier),
                escape_cell(row.purpose),
                row.people,
                escape_cell(row.status),
                _amount(row.price),
                _amount(row.deposit),
                _amount(row.cancellation_cost),
            ]
        )
    return buffer.getvalue().encode("utf-8-sig")


def to_xlsx(items: list[Row]) -> bytes:
    """A workbook with a header row, real dates, times and numbers; text is always written as text."""
    buffer = io.BytesIO()
    workbook = xlsxwriter.Workbook(buffer, {"in_memory": True, "strings_to_formulas": False, "strings_to_urls": False})
    sheet = workbook.add_worksheet(str(_("Bookings"))[:31])
    bold = workbook.add_format({"bold": True})
    date_format = workbook.add_format({"num_format": "dd-mm-yyyy"})
    time_format = workbook.add_format({"num_format": "hh:mm"})
    money = workbook.add_format({"num_format": "#,##0.00"})
    quoted = workbook.add_format({"quote_prefix": True})

    def text(row_number: int, column: int, value: str) -> None:
        if needs_escaping(value):
            sheet.write_string(row_number, column, value, quoted)
        else:
            sheet.write_string(row_number, column, value)

    for column, header in enumerate(headers()):
        sheet.write_string(0, column, header, bold)
    for number, row in enumerate(items, start=1):
        sheet.write_datetime(number, 0, row.date, date_format)
        sheet.write_datetime(number, 1, row.start, time_format)
        sheet.write_datetime(number, 2, row.end, time_format)
        for column, value in enumerate((row.room, row.place, row.renter, row.contact, row.tier, row.purpose), 3):
            text(number, column, value)
        sheet.write_number(number, 9, row.people)
        text(number, 10, row.status)
        sheet.write_number(number, 11, float(row.price), money)
        sheet.write_number(number, 12, float(row.deposit), money)
        sheet.write_number(number, 13, float(row.cancellation_cost), money)
    widths = [11, 7, 7, 18, 18, 24, 28, 22, 36, 8, 12, 11, 11, 14]
    for column, width in enumerate(widths):
        sheet.set_column(column, column, width)
    sheet.freeze_panes(1, 0)
    sheet.autofilter(0, 0, max(len(items), 1), len(widths) - 1)
    workbook.close()
    return buffer.getvalue()
