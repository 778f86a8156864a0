"""Views of volunteering: hours and allowance.

The volunteer's own (`/mijn/uren/`): hours this year per month, the allowance paid, entering hours, the yearly
statement as PDF. The coordinator's (`/beheer/huizen/<slug>/uren/`, `/vergoedingen/`): hours waiting for approval,
hours per volunteer of a period, the export, allowance payments. Houses, volunteers and entries are fetched through
the permission policy, so another house's id gives 404; writes go through `volunteers.services.hours`.
"""

import csv
import datetime as dt
import io
from decimal import Decimal

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from accounts import policy
from accounts.policy import Action, Reach
from huizen.forms import add_service_errors
from huizen.spreadsheets import download, escape_cell, needs_escaping
from privacy.models import AccessRecord
from privacy.services.access import access_record_for_request, subjects_of

from ..forms.hours import DecideForm, HoursForm, PaymentForm, PeriodForm, RecordHoursForm
from ..models import HoursEntry, Volunteer
from ..selectors import hours as selectors
from ..services import hours as services

# --- the volunteer's own -----------------------------------------------------------------------------------------


def _own_volunteers(request):
    return policy.volunteers_for(request.user, Reach.OWN).select_related("house").order_by("house__name", "pk")


def _year_of(request, default: int) -> int:
    try:
        year = int(request.GET.get("jaar", default))
    except (TypeError, ValueError):
        return default
    return year if 2000 <= year <= 2099 else default


def _my_hours_page(request, form=None, status=200):
    volunteering = list(_own_volunteers(request))
    accepted = [volunteer for volunteer in volunteering if volunteer.status == Volunteer.Status.ACCEPTED]
    today = timezone.localdate()
    year = _year_of(request, today.year)
    own = policy.volunteers_for(request.user, Reach.OWN)
    summary = selectors.year_summary(own, year)
    recent = list(selectors.entries(own).filter(date__year=year)[:50])
    if form is None and accepted:
        form = HoursForm(volunteers=Volunteer.objects.filter(pk__in=[v.pk for v in accepted]).select_related("house"))
    context = {
        "volunteering": volunteering,
        "accepted": accepted,
        "year": year,
        "years": list(range(today.year, max(today.year - 5, 1999), -1)),
        "summary": summary,
        "recent": recent,
        "form": form,
        "caps": selectors.caps_of(year),
    }
    return render(request, "volunteers/hours/my_hours.html", context, status=status)


@login_required
@require_GET
def my_hours(request):
    return _my_hours_page(request)


@login_required
@require_http_methods(["GET", "POST"])
def hours_submit(request):
    """The form to enter hours; on an error the page comes back with the error summary, nothing saved."""
    if request.method == "GET":
        return redirect(reverse("volunteers:my_hours") + "#enter-heading")
    accepted = _own_volunteers(request).filter(status=Volunteer.Status.ACCEPTED)
    if not accepted.exists():
        raise Http404
    form = HoursForm(request.POST, volunteers=accepted)
    if form.is_valid():
        try:
            services.hours_submit(
                volunteer=form.cleaned_data["huis"],
                date=form.cleaned_data["datum"],
                minutes=form.cleaned_data["minutes"],
                description=form.cleaned_data["omschrijving"],
                by=request.user,
            )
        except ValidationError as error:
            _service_errors(form, error, {"date": "datum", "minutes": "uren", "description": "omschrijving"})
        else:
            messages.success(request, _("Thank you! Your hours are saved. The coordinator will approve them."))
            return redirect("volunteers:my_hours")
    return _my_hours_page(request, form=form, status=400)


def _service_errors(form, error: ValidationError, names: dict) -> None:
    """A service's errors at the form's (Dutch-named) fields."""
    if hasattr(error, "error_dict"):
        error = ValidationError({names.get(key, key): value for key, value in error.error_dict.items()})
    add_service_errors(form, error)


def _statement_response(volunteers, year: int, name: str) -> HttpResponse:
    response = HttpResponse(render_statement(volunteers, year), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{name}.pdf"'
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
@require_GET
def hours_statement(request, year):
    if not 2000 <= year <= 2099:
        raise Http404
    volunteers = list(
        _own_volunteers(request).exclude(status__in=[Volunteer.Status.APPLIED, Volunteer.Status.DECLINED])
    )
    if not volunteers:
        raise Http404
    return _statement_response(volunteers, year, _("volunteer-statement-%(year)s") % {"year": year})


# --- the coordinator's ----------------------------------------------------------------------------------------


def _house(request, house_slug, action=Action.VIEW_VOLUNTEERS):
    return policy.get_house_or_404(request.user, action, slug=house_slug)


def _record(request, house, volunteers, *, export=False):
    """The access log: the volunteers whose hours or allowance this page, statement or export shows."""
    access_record_for_request(
        request,
        what=AccessRecord.What.VOLUNTEER_HOURS,
        subjects=subjects_of(volunteers),
        house=house,
        export=export,
    )


def _period_form(request) -> PeriodForm:
    today = timezone.localdate()
    data = request.GET.copy()
    data.setdefault("periode", PeriodForm.MONTH)
    data.setdefault("jaar", str(today.year))
    data.setdefault("maand", str(today.month))
    return PeriodForm(data)


@login_required
@require_GET
def house_hours(request, house_slug):
    return _house_hours_page(request, _house(request, house_slug))


def _house_hours_page(request, house, record_form=None, status=200):
    """Hours waiting, hours per volunteer of the period (from the query string), the form to record hours."""
    may_manage = policy.may(request.user, Action.MANAGE_VOLUNTEERS, house)
    form = _period_form(request)
    valid = form.is_valid()
    first, last = form.period() if valid else (None, None)
    waiting = list(selectors.house_waiting(house)) if may_manage else []
    totals = list(selectors.house_period_totals(house, first, last)) if valid else []
    _record(request, house, [*(entry.volunteer for entry in waiting), *totals])
    context = {
        "house": house,
        "may_manage": may_manage,
        "waiting": waiting,
        "form": form,
        "first": first,
        "last": last,
        "totals": totals,
        "query": request.GET.urlencode(),
        "year": first.year if valid else timezone.localdate().year,
        "record_form": (record_form or RecordHoursForm(volunteers=_accepted(house))) if may_manage else None,
    }
    return render(request, "volunteers/hours/house_hours.html", context, status=status if valid else 400)


def _accepted(house):
    return selectors.house_volunteers(house).filter(status=Volunteer.Status.ACCEPTED).select_related("house")


@login_required
@require_POST
def hours_record(request, house_slug):
    """The coordinator records hours for a volunteer (without an account, or on paper): approved at once."""
    house = _house(request, house_slug, Action.MANAGE_VOLUNTEERS)
    form = RecordHoursForm(request.POST, volunteers=_accepted(house))
    if form.is_valid():
        try:
            services.hours_record(
                volunteer=form.cleaned_data["huis"],
                date=form.cleaned_data["datum"],
                minutes=form.cleaned_data["minutes"],
                description=form.cleaned_data["omschrijving"],
                by=request.user,
            )
        except ValidationError as error:
            _service_errors(form, error, {"date": "datum", "minutes": "uren", "description": "omschrijving"})
        else:
            messages.success(request, _("The hours are recorded and approved."))
            return redirect("volunteers:house_hours", house.slug)
    return _house_hours_page(request, house, record_form=form, status=400)


def _house_entry(request, house, entry_id) -> HoursEntry:
    return policy.get_hours_or_404(
        request.user,
        Action.MANAGE_VOLUNTEERS,
        queryset=HoursEntry.objects.filter(volunteer__house=house).select_related("volunteer__house"),
        pk=entry_id,
    )


@login_required
@require_http_methods(["GET", "POST"])
def hours_decide(request, house_slug, entry_id):
    """Approve (a button) or reject with a reason. GET shows the entry with the form to reject it."""
    house = _house(request, house_slug, Action.MANAGE_VOLUNTEERS)
    entry = _house_entry(request, house, entry_id)
    back = reverse("volunteers:house_hours", args=[house.slug])
    approve = request.POST.get("besluit") == "goedkeuren"
    form = DecideForm(None if approve else (request.POST or None))
    status = 200
    if request.method == "POST":
        if approve or form.is_valid():
            try:
                reason = "" if approve else form.cleaned_data["reden"]
                services.hours_decide(entry=entry, approve=approve, reason=reason, by=request.user)
            except ValidationError as error:
                if approve:
                    messages.error(request, " ".join(error.messages))
                    return redirect(back)
                _service_errors(form, error, {"reason": "reden"})
            else:
                if approve:
                    messages.success(request, _("Hours approved."))
                else:
                    messages.success(request, _("Hours not approved. The volunteer gets an e-mail with your reason."))
                return redirect(back)
        status = 400
    _record(request, house, [entry.volunteer])
    context = {"house": house, "entry": entry, "form": form, "hours": services.hours_text(entry.minutes)}
    return render(request, "volunteers/hours/decide.html", context, status=status)


@login_required
@require_GET
def hours_export(request, house_slug):
    house = _house(request, house_slug)
    form = _period_form(request)
    if not form.is_valid():
        return redirect(reverse("volunteers:house_hours", args=[house.slug]) + "?" + request.GET.urlencode())
    first, last = form.period()
    entries = list(selectors.house_period_entries(house, first, last))
    _record(request, house, [entry.volunteer for entry in entries], export=True)
    rows = export_rows(entries)
    extension = form.cleaned_data.get("formaat") or PeriodForm.CSV
    content = export_xlsx(rows) if extension == PeriodForm.XLSX else export_csv(rows)
    name = _("volunteer-hours-%(house)s-%(first)s-%(last)s") % {"house": house.slug, "first": first, "last": last}
    return download(content, name=name, extension=extension)


@login_required
@require_GET
def house_hours_statement(request, house_slug, volunteer_id, year):
    house = _house(request, house_slug)
    if not 2000 <= year <= 2099:
        raise Http404
    volunteer = policy.get_volunteer_or_404(
        request.user,
        Action.VIEW_VOLUNTEERS,
        queryset=selectors.house_volunteers(house).select_related("house"),
        pk=volunteer_id,
    )
    name = _("volunteer-statement-%(year)s-%(name)s") % {"year": year, "name": volunteer.pk}
    _record(request, house, [volunteer], export=True)
    return _statement_response([volunteer], year, name)


@login_required
@require_http_methods(["GET", "POST"])
def allowances(request, house_slug):
    """The year's payments per volunteer, and (for the coordinator) the form to record a payment."""
    house = _house(request, house_slug)
    may_manage = policy.may(request.user, Action.MANAGE_VOLUNTEERS, house)
    if request.method == "POST" and not may_manage:
        raise Http404
    today = timezone.localdate()
    year = _year_of(request, today.year)
    volunteers = selectors.house_volunteers(house)
    form = None
    status = 200
    if may_manage:
        previous = today.replace(day=1) - dt.timedelta(days=1)
        initial = {"jaar": previous.year, "maand": previous.month, "betaald_op": today}
        form = PaymentForm(request.POST or None, volunteers=volunteers, initial=initial)
        if request.method == "POST":
            if form.is_valid() and _pay(request, form):
                messages.success(request, _("The payment is recorded."))
                return redirect(reverse("volunteers:allowances", args=[house.slug]) + f"?jaar={form.month().year}")
            status = 400
    payments = list(selectors.house_payments(house, year))
    per_volunteer: dict[int, dict] = {}
    for payment in payments:
        row = per_volunteer.setdefault(
            payment.volunteer_id,
            {"volunteer": payment.volunteer, "payments": [], "total": Decimal(0), "hours": Decimal(0)},
        )
        row["payments"].append(payment)
        row["total"] += payment.amount
        row["hours"] += payment.hours
    _record(request, house, [row["volunteer"] for row in per_volunteer.values()])
    caps = selectors.caps_of(year)
    for row in per_volunteer.values():
        row["left"] = max(caps.yearly - row["total"], 0) if caps else None
    context = {
        "house": house,
        "may_manage": may_manage,
        "form": form,
        "year": year,
        "years": list(range(today.year, max(today.year - 5, 1999), -1)),
        "rows": list(per_volunteer.values()),
        "caps": caps,
    }
    return render(request, "volunteers/hours/allowances.html", context, status=status)


def _pay(request, form: PaymentForm) -> bool:
    volunteer, month = form.cleaned_data["vrijwilliger"], form.month()
    hours = form.cleaned_data.get("uren")
    if hours is None:  # the approved hours of the month not paid yet
        minutes = selectors.approved_minutes(volunteer, month, services.month_last(month))
        if not minutes:
            form.add_error("uren", _("There are no approved hours in that month. Approve the hours first."))
            return False
        hours = (Decimal(minutes) / 60).quantize(services.CENT, rounding="ROUND_DOWN") - selectors.paid_hours(
            volunteer, month
        )
        if hours <= 0:
            form.add_error("uren", _("The approved hours of that month are all paid already."))
            return False
    try:
        services.allowance_pay(
            volunteer=volunteer,
            month=month,
            hours=hours,
            amount=form.cleaned_data["bedrag"],
            paid_on=form.cleaned_data["betaald_op"],
            by=request.user,
        )
    except ValidationError as error:
        _service_errors(
            form,
            error,
            {
                "volunteer": "vrijwilliger",
                "month": "maand",
                "hours": "uren",
                "amount": "bedrag",
                "paid_on": "betaald_op",
            },
        )
        return False
    return True


# --- the export: one row per entry ----------------------------------------------------------------------------


def export_headers() -> list[str]:
    return [_("Volunteer"), _("Date"), _("Hours given"), _("Source"), _("Status"), _("What was done")]


def export_rows(entries) -> list[tuple]:
    """(name, date, hours as a decimal, source, status, description) per entry; `volunteer` selected."""
    return [
        (
            str(entry.volunteer),
            entry.date,
            (Decimal(entry.minutes) / 60).quantize(Decimal("0.01")),
            str(entry.get_source_display()).capitalize(),
            str(entry.get_status_display()).capitalize(),
            entry.description,
        )
        for entry in entries
    ]


def export_csv(rows) -> bytes:
    """`;`-separated UTF-8 with a byte order mark and decimal commas, for Dutch Excel; formulas escaped."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";", lineterminator="\r\n")
    writer.writerow([escape_cell(header) for header in export_headers()])
    for name, date, hours, source, status, description in rows:
        writer.writerow(
            [
                escape_cell(name),
                date.isoformat(),
                f"{hours:.2f}".replace(".", ","),
                escape_cell(source),
                escape_cell(status),
                escape_cell(description),
            ]
        )
    return buffer.getvalue().encode("utf-8-sig")


def export_xlsx(rows) -> bytes:
    """A workbook with real dates and numbers; text is always written as text (quote prefix for formula starts)."""
    import xlsxwriter

    buffer = io.BytesIO()
    workbook = xlsxwriter.Workbook(buffer, {"in_memory": True, "strings_to_formulas": False, "strings_to_urls": False})
    sheet = workbook.add_worksheet(str(_("Volunteer hours"))[:31])
    bold = workbook.add_format({"bold": True})
    date_format = workbook.add_format({"num_format": "dd-mm-yyyy"})
    number = workbook.add_format({"num_format": "0.00"})
    quoted = workbook.add_format({"quote_prefix": True})

    def text(row: int, column: int, value: str) -> None:
        if needs_escaping(value):
            sheet.write_string(row, column, value, quoted)
        else:
            sheet.write_string(row, column, value)

    for column, header in enumerate(export_headers()):
        sheet.write_string(0, column, header, bold)
    for row, (name, date, hours, source, status, description) in enumerate(rows, start=1):
        text(row, 0, name)
        sheet.write_datetime(row, 1, dt.datetime.combine(date, dt.time()), date_format)
        sheet.write_number(row, 2, float(hours), number)
        text(row, 3, source)
        text(row, 4, status)
        text(row, 5, description)
    for column, width in enumerate([24, 11, 8, 22, 20, 48]):
        sheet.set_column(column, column, width)
    sheet.freeze_panes(1, 0)
    workbook.close()
    return buffer.getvalue()


# --- the yearly statement (PDF) -----------------------------------------------------------------------------------


def statement_html(volunteers: list[Volunteer], year: int) -> str:
    """The statement of `year` for one person (one section per house they volunteer at), in the volunteer's
    language: per month the approved hours and the allowance paid, the totals, the caps of that year."""
    from django.template.loader import render_to_string
    from django.utils import translation

    language = volunteers[0].user.language if volunteers[0].user_id else volunteers[0].language
    sections = []
    for volunteer in volunteers:
        summary = selectors.year_summary(Volunteer.objects.filter(pk=volunteer.pk), year)
        sections.append({"volunteer": volunteer, "place": selectors.main_place(volunteer.house), "summary": summary})
    with translation.override(language or "nl"):
        return render_to_string(
            "volunteers/hours/statement_pdf.html",
            {
                "year": year,
                "sections": sections,
                "caps": selectors.caps_of(year),
                "name": str(volunteers[0]),
                "made_on": timezone.localdate(),
            },
        )


def render_statement(volunteers: list[Volunteer], year: int) -> bytes:
    from weasyprint import HTML

    return HTML(string=statement_html(volunteers, year)).write_pdf()


urlpatterns = [
    path("mijn/uren/", my_hours, name="my_hours"),
    path("mijn/uren/doorgeven/", hours_submit, name="hours_submit"),
    path("mijn/uren/<int:year>/overzicht.pdf", hours_statement, name="hours_statement"),
    path("beheer/huizen/<slug:house_slug>/uren/", house_hours, name="house_hours"),
    path("beheer/huizen/<slug:house_slug>/uren/export/", hours_export, name="hours_export"),
    path("beheer/huizen/<slug:house_slug>/uren/invoeren/", hours_record, name="hours_record"),
    path("beheer/huizen/<slug:house_slug>/uren/<int:entry_id>/besluit/", hours_decide, name="hours_decide"),
    path(
        "beheer/huizen/<slug:house_slug>/uren/vrijwilligers/<int:volunteer_id>/<int:year>/overzicht.pdf",
        house_hours_statement,
        name="house_hours_statement",
    ),
    path("beheer/huizen/<slug:house_slug>/vergoedingen/", allowances, name="allowances"),
]
