"""Views of privacy: retention. The privacy statement (public) and the register of processing activities
(verwerkingsregister, AVG article 30; administrators only), both generated from `privacy.retention.CATEGORIES`
and the periods in force, so neither can drift from what the daily task does."""

import csv
import io

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import render
from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.policy import is_administrator
from huizen.spreadsheets import download, escape_cell, needs_escaping

from ..selectors.retention import category_periods


def statement(request):
    """The privacy statement: per category what, why, on what basis, who sees it and how long; what is not kept;
    your rights and whom to ask."""
    return render(
        request,
        "privacy/statement.html",
        {
            "periods": category_periods(),
            "contact_email": settings.PRIVACY_CONTACT_EMAIL,
            "my_data_url": reverse("privacy:my_data"),
        },
    )


# --- The register of processing activities ---------------------------------------------------------------------


def register_headers() -> list[str]:
    return [
        _("Processing"),
        _("Purpose"),
        _("Categories of people"),
        _("Categories of personal data"),
        _("Recipients"),
        _("Retention period"),
        _("Legal basis"),
        _("Security measures"),
        _("Controller's contact"),
    ]


def register_rows() -> list[list[str]]:
    """One row per category of personal data, with the columns of AVG article 30(1)."""
    security = _(
        "Second factor (an authenticator app, TOTP, or a passkey, WebAuthn) for every staff member except hosts at "
        "the door; access log of who looked at whose data; encryption in transit (HTTPS, HSTS); role-based access "
        "per house; history of every change."
    )
    contact = _("%(name)s, %(email)s") % {"name": settings.SITE_NAME, "email": settings.PRIVACY_CONTACT_EMAIL}
    return [
        [
            str(period.category.name),
            str(period.category.purpose),
            str(period.category.people),
            str(period.category.data),
            str(period.category.recipients),
            period.in_words,
            str(period.category.legal_basis),
            security,
            contact,
        ]
        for period in category_periods()
    ]


def register_csv(rows: list[list[str]]) -> bytes:
    """`;`-separated UTF-8 with a byte order mark, for Dutch Excel; formulas escaped."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";", lineterminator="\r\n")
    writer.writerow([escape_cell(header) for header in register_headers()])
    for row in rows:
        writer.writerow([escape_cell(cell) for cell in row])
    return buffer.getvalue().encode("utf-8-sig")


def register_xlsx(rows: list[list[str]]) -> bytes:
    """A workbook, text always written as text (quote prefix for formula starts)."""
    import xlsxwriter

    buffer = io.BytesIO()
    workbook = xlsxwriter.Workbook(buffer, {"in_memory": True, "strings_to_formulas": False, "strings_to_urls": False})
    sheet = workbook.add_worksheet(str(_("Register of processing"))[:31])
    bold = workbook.add_format({"bold": True, "text_wrap": True, "valign": "top"})
    wrap = workbook.add_format({"text_wrap": True, "valign": "top"})
    quoted = workbook.add_format({"text_wrap": True, "valign": "top", "quote_prefix": True})
    for column, header in enumerate(register_headers()):
        sheet.write_string(0, column, header, bold)
    for row_number, row in enumerate(rows, start=1):
        for column, value in enumerate(row):
            sheet.write_string(row_number, column, value, quoted if needs_escaping(value) else wrap)
    for column, width in enumerate([28, 36, 28, 40, 32, 24, 36, 40, 28]):
        sheet.set_column(column, column, width)
    sheet.freeze_panes(1, 1)
    workbook.close()
    return buffer.getvalue()


@login_required
def register(request):
    """The register of processing activities as XLSX (default) or CSV (`?formaat=csv`); administrators only."""
    if not is_administrator(request.user):
        raise PermissionDenied
    extension = "csv" if request.GET.get("formaat") == "csv" else "xlsx"
    rows = register_rows()
    content = register_csv(rows) if extension == "csv" else register_xlsx(rows)
    name = f"verwerkingsregister-{timezone.localdate():%Y-%m-%d}"
    return download(content, name=name, extension=extension)


urlpatterns = [
    path("privacyverklaring/", statement, name="statement"),
    path("beheer/verwerkingsregister/", register, name="register"),
]
