"""Views of volunteering: informal carers (mantelzorgers), their support contacts, the mantelzorgwaardering and its
payment lists.

Carers' pages need SUPPORT_CARERS (the house's coordinator or professional): the house is fetched through the
policy and carers through `policy.get_carer_or_404` within it, so a manager, the municipality, a host or another
house's staff get 404. The payment lists need PAY_WAARDERING and hold only reference, payee, IBAN, amount and year.
"""

import csv
import io

import xlsxwriter
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from accounts import policy
from accounts.policy import Action
from huizen.forms import add_service_errors
from huizen.spreadsheets import download, escape_cell, needs_escaping
from privacy.models import AccessRecord
from privacy.services.access import access_record_for_request, subject, subjects_of

from ..forms.carers import (
    CarerForm,
    EndForm,
    SearchForm,
    SupportContactForm,
    WaarderingApplyForm,
    WaarderingDecideForm,
)
from ..models import WaarderingApplication
from ..selectors import carers as selectors
from ..services import carers as services

LIST_LIMIT = 200
EXTENSIONS = ("csv", "xlsx")


def _house(request, house_slug, action=Action.SUPPORT_CARERS):
    return policy.get_house_or_404(request.user, action, slug=house_slug)


def _carer(request, house, carer_id):
    return policy.get_carer_or_404(
        request.user, Action.SUPPORT_CARERS, queryset=house.carers.select_related("consent_recorded_by"), pk=carer_id
    )


def _record(request, house, carers, what=AccessRecord.What.CARER):
    """The access log: the carers this page shows (carers have no account: the record is their carer file)."""
    access_record_for_request(request, what=what, subjects=subjects_of(carers, user_field=None), house=house)


def _detail_url(carer) -> str:
    return reverse("volunteers:carer_detail", kwargs={"house_slug": carer.house.slug, "carer_id": carer.pk})


@login_required
@require_GET
def carers(request, house_slug):
    """The carers the house supports, with their hours band, since when, last contact, contacts and waardering
    this year; search by name."""
    house = _house(request, house_slug)
    year = timezone.localdate().year
    form = SearchForm(request.GET or None)
    search = form.cleaned_data["zoek"] if form.is_bound and form.is_valid() else ""
    ended = request.GET.get("beeindigd") == "1"
    rows = list(selectors.house_carers(house, year=year, search=search, ended=ended)[: LIST_LIMIT + 1])
    _record(request, house, rows[:LIST_LIMIT])
    context = {
        "house": house,
        "form": form,
        "carers": rows[:LIST_LIMIT],
        "more": len(rows) > LIST_LIMIT,
        "year": year,
        "ended": ended,
        "search": search,
        "may_pay": policy.may(request.user, Action.PAY_WAARDERING, house),
        "rules": services.waardering_rules_for(year),
    }
    return render(request, "volunteers/carers/carer_list.html", context, status=400 if form.errors else 200)


@login_required
@require_http_methods(["GET", "POST"])
def carer_new(request, house_slug):
    house = _house(request, house_slug)
    form = CarerForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            carer = services.carer_register(house=house, **form.service_arguments(), by=request.user)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The carer is registered."))
            return redirect(_detail_url(carer))
    return render(request, "volunteers/carers/carer_form.html", {"house": house, "form": form, "carer": None})


@login_required
@require_http_methods(["GET", "POST"])
def carer_edit(request, house_slug, carer_id):
    house = _house(request, house_slug)
    carer = _carer(request, house, carer_id)
    initial = {name: getattr(carer, name) for name in services.CARER_FIELDS}
    form = CarerForm(request.POST or None, initial=initial, with_consent=False)
    if request.method == "POST" and form.is_valid():
        try:
            services.carer_update(carer=carer, **form.service_arguments(), by=request.user)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The details are saved."))
            return redirect(_detail_url(carer))
    _record(request, house, [carer])
    return render(request, "volunteers/carers/carer_form.html", {"house": house, "form": form, "carer": carer})


@login_required
@require_http_methods(["GET", "POST"])
def carer_end(request, house_slug, carer_id):
    house = _house(request, house_slug)
    carer = _carer(request, house, carer_id)
    form = EndForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.carer_end(carer=carer, ended_on=form.cleaned_data["ended_on"], by=request.user)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The support of this carer has ended."))
            return redirect(_detail_url(carer))
    _record(request, house, [carer])
    return render(request, "volunteers/carers/carer_end.html", {"house": house, "carer": carer, "form": form})


def _detail_context(request, house, carer, contact_form=None):
    _record(request, house, [carer])
    year = timezone.localdate().year
    applications = list(selectors.carer_applications(carer))
    for application in applications:
        application.reference = selectors.payment_reference(application.pk, application.year)
    return {
        "house": house,
        "carer": carer,
        "contacts": list(selectors.carer_contacts(carer)[:100]),
        "applications": applications,
        "applied_this_year": any(application.year == year for application in applications),
        "rules": services.waardering_rules_for(year),
        "year": year,
        "contact_form": contact_form or SupportContactForm(),
    }


@login_required
@require_GET
def carer_detail(request, house_slug, carer_id):
    """The carer's details and consent (what, when, by whom), their contacts and waardering applications."""
    house = _house(request, house_slug)
    carer = _carer(request, house, carer_id)
    return render(request, "volunteers/carers/carer_detail.html", _detail_context(request, house, carer))


@login_required
@require_http_methods(["GET", "POST"])
def support_contact_new(request, house_slug, carer_id):
    """Log a support contact: the form sits on the carer's page (today and a kind chosen: one click to save)."""
    house = _house(request, house_slug)
    carer = _carer(request, house, carer_id)
    form = SupportContactForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.support_contact_record(carer=carer, **form.cleaned_data, by=request.user)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The contact is logged."))
            return redirect(_detail_url(carer))
    status = 400 if form.errors else 200
    _record(request, house, [carer])
    return render(
        request, "volunteers/carers/contact_form.html", {"house": house, "carer": carer, "form": form}, status=status
    )


@login_required
@require_http_methods(["GET", "POST"])
def waardering_apply(request, house_slug, carer_id):
    """Take an application for this year's waardering at the desk: whether the carer qualifies shows first."""
    house = _house(request, house_slug)
    carer = _carer(request, house, carer_id)
    today = timezone.localdate()
    rules = services.waardering_rules_for(today.year)
    refusals = services.waardering_refusals(carer, rules, today) if rules else []
    in_kind = bool(rules and rules.description)  # paid in kind: no account, so no IBAN to ask for
    form = WaarderingApplyForm(request.POST or None, initial={"payee_name": str(carer)}, in_kind=in_kind)
    if request.method == "POST" and form.is_valid():
        data = {"payee_name": str(carer), "iban": "", **form.cleaned_data}
        try:
            services.waardering_apply(carer=carer, year=today.year, **data, by=request.user)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The application is saved."))
            return redirect(_detail_url(carer))
    context = {
        "house": house,
        "carer": carer,
        "form": form,
        "rules": rules,
        "refusals": refusals,
        "in_kind": in_kind,
        "open": bool(rules and rules.opens_on <= today <= rules.closes_on),
        "year": today.year,
    }
    _record(request, house, [carer], AccessRecord.What.WAARDERING)
    return render(request, "volunteers/carers/waardering_apply.html", context, status=400 if form.errors else 200)


@login_required
@require_http_methods(["GET", "POST"])
def waardering_decide(request, house_slug, application_id):
    house = _house(request, house_slug)
    application = policy.get_waardering_application_or_404(
        request.user,
        Action.SUPPORT_CARERS,
        queryset=WaarderingApplication.objects.filter(carer__house=house).select_related("carer", "rules"),
        pk=application_id,
    )
    carer = application.carer
    form = WaarderingDecideForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.waardering_decide(
                application=application,
                award=data["decision"] == WaarderingDecideForm.AWARD,
                reason=data["reason"],
                by=request.user,
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The decision is saved."))
            return redirect(_detail_url(carer))
    context = {"house": house, "carer": carer, "application": application, "form": form}
    _record(request, house, [carer], AccessRecord.What.WAARDERING)
    return render(request, "volunteers/carers/waardering_decide.html", context, status=400 if form.errors else 200)


# --- payment lists ------------------------------------------------------------------------------------------------


def _headers() -> list[str]:
    return [_("Reference"), _("Name of the account holder"), _("IBAN"), _("Amount"), _("Year")]


def _csv(rows) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";", lineterminator="\r\n")
    writer.writerow(_headers())
    for reference, payee, iban, amount, year in rows:
        writer.writerow([reference, escape_cell(payee), escape_cell(iban), f"{amount:.2f}".replace(".", ","), year])
    return buffer.getvalue().encode("utf-8-sig")


def _xlsx(rows) -> bytes:
    buffer = io.BytesIO()
    workbook = xlsxwriter.Workbook(buffer, {"in_memory": True, "strings_to_formulas": False, "strings_to_urls": False})
    sheet = workbook.add_worksheet(_("Payment list")[:31])
    bold = workbook.add_format({"bold": True})
    money = workbook.add_format({"num_format": "#,##0.00"})
    quoted = workbook.add_format({"quote_prefix": True})
    for column, header in enumerate(_headers()):
        sheet.write_string(0, column, header, bold)
    for number, (reference, payee, iban, amount, year) in enumerate(rows, start=1):
        sheet.write_string(number, 0, reference)
        for column, value in ((1, payee), (2, iban)):
            if needs_escaping(value):
                sheet.write_string(number, column, value, quoted)
            else:
                sheet.write_string(number, column, value)
        sheet.write_number(number, 3, float(amount), money)
        sheet.write_number(number, 4, year)
    for column, width in enumerate([17, 32, 26, 11, 7]):
        sheet.set_column(column, column, width)
    sheet.freeze_panes(1, 0)
    workbook.close()
    return buffer.getvalue()


def _payment_download(request, *, applications, year, extension, house, name):
    if extension not in EXTENSIONS or not 2000 <= year <= 2099:
        raise Http404
    rows = selectors.payment_rows(applications)
    # the access log: the carers on the list (one row each, under the house they belong to)
    shown = selectors.awarded(applications).values_list("carer_id", "carer__house_id")
    access_record_for_request(
        request,
        what=AccessRecord.What.WAARDERING,
        subjects=[subject("volunteers.carer", carer_id, house_id=house_id) for carer_id, house_id in shown],
        house=house,
        export=True,
    )
    services.waardering_export_record(by=request.user, year=year, house=house, count=len(rows), extension=extension)
    content = _xlsx(rows) if extension == "xlsx" else _csv(rows)
    return download(content, name=name, extension=extension)


@login_required
@require_GET
def waardering_payments(request, house_slug, year, extension):
    """The house's payment list of `year`: only awarded applications, only what payment needs."""
    house = _house(request, house_slug, Action.PAY_WAARDERING)
    applications = selectors.house_applications(house, year=year)
    name = f"mantelzorgwaardering-{house.slug}-{year}"
    return _payment_download(request, applications=applications, year=year, extension=extension, house=house, name=name)


def _network_houses(request):
    if not policy.may_network(request.user, Action.PAY_WAARDERING):
        raise Http404
    return policy.houses_for(request.user, Action.PAY_WAARDERING)


@login_required
@require_GET
def waardering_network(request):
    """For the municipality: per year the number and total of awarded waarderingen per house, with the lists."""
    houses = _network_houses(request)
    years: dict[int, dict] = {}
    for row in selectors.network_years(houses):
        year = years.setdefault(row["year"], {"year": row["year"], "houses": [], "count": 0, "total": 0})
        year["houses"].append(row)
        year["count"] += row["count"]
        year["total"] += row["total"]
    return render(request, "volunteers/carers/waardering_network.html", {"years": list(years.values())})


@login_required
@require_GET
def waardering_network_payments(request, year, extension):
    houses = _network_houses(request)
    applications = WaarderingApplication.objects.filter(carer__house__in=houses, year=year)
    return _payment_download(
        request,
        applications=applications,
        year=year,
        extension=extension,
        house=None,
        name=f"mantelzorgwaardering-{year}",
    )


PREFIX = "beheer/huizen/<slug:house_slug>/mantelzorgers/"

urlpatterns = [
    path(PREFIX, carers, name="carers"),
    path(f"{PREFIX}nieuw/", carer_new, name="carer_new"),
    path(f"{PREFIX}<int:carer_id>/", carer_detail, name="carer_detail"),
    path(f"{PREFIX}<int:carer_id>/wijzigen/", carer_edit, name="carer_edit"),
    path(f"{PREFIX}<int:carer_id>/beeindigen/", carer_end, name="carer_end"),
    path(f"{PREFIX}<int:carer_id>/contact/", support_contact_new, name="support_contact_new"),
    path(f"{PREFIX}<int:carer_id>/waardering/", waardering_apply, name="waardering_apply"),
    path(f"{PREFIX}waarderingen/<int:application_id>/besluit/", waardering_decide, name="waardering_decide"),
    path(
        f"{PREFIX}waarderingen/<int:year>/betaallijst.<str:extension>",
        waardering_payments,
        name="waardering_payments",
    ),
    path("mantelzorgwaardering/", waardering_network, name="waardering_network"),
    path(
        "mantelzorgwaardering/<int:year>/betaallijst.<str:extension>",
        waardering_network_payments,
        name="waardering_network_payments",
    ),
]
