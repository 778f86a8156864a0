"""Quarterly reports: the versions per house and the network, downloads, and "build now" with its progress."""

import io
import zipfile

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import Prefetch
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from accounts import policy
from accounts.policy import Action
from huizen.spreadsheets import CSV_CONTENT_TYPE, XLSX_CONTENT_TYPE
from reporting.models import ReportFile, ReportVersion
from reporting.reports import (
    get_version_or_404,
    parse_quarter,
    previous_quarter,
    quarter_label,
    report_request,
    versions_for,
)
from reporting.selectors import Period

CONTENT_TYPES = {"pdf": "application/pdf", "xlsx": XLSX_CONTENT_TYPE, "csv": CSV_CONTENT_TYPE}
QUARTERS_LISTED = 8
NETWORK = "netwerk"


def _quarters(year: int, quarter: int, count: int) -> list[tuple[int, int]]:
    result = []
    for _step in range(count):
        result.append((year, quarter))
        year, quarter = (year - 1, 4) if quarter == 1 else (year, quarter - 1)
    return result


def _files_prefetch() -> Prefetch:
    return Prefetch("files", queryset=ReportFile.objects.defer("content").order_by("format"))


def _file_name(version: ReportVersion, extension: str) -> str:
    scope = version.house.slug if version.house_id else NETWORK
    kind = "definitief" if version.kind == ReportVersion.Kind.FINAL else "voorlopig"
    return f"rapportage-{scope}-{quarter_label(version.year, version.quarter)}-v{version.number}-{kind}.{extension}"


@login_required
@require_GET
def report_list(request):
    latest = previous_quarter(timezone.localdate())
    error = ""
    requested = request.GET.get("kwartaal", "")
    try:
        year, quarter = parse_quarter(requested) if requested else latest
    except ValueError as problem:
        error = str(problem)
        year, quarter = latest
    houses = list(policy.houses_for(request.user, Action.VIEW_RESULTS).order_by("name"))
    network = policy.may_network(request.user, Action.VIEW_RESULTS)
    if not houses and not network:
        raise Http404
    versions = (
        versions_for(request.user)
        .filter(year=year, quarter=quarter)
        .select_related("house", "created_by")
        .prefetch_related(_files_prefetch())
        .order_by("-number")
    )
    by_house: dict = {}
    for version in versions:
        by_house.setdefault(version.house_id, []).append(version)
    scopes = [{"key": house.slug, "name": house.name, "versions": by_house.get(house.pk, [])} for house in houses]
    if network:
        scopes.insert(0, {"key": NETWORK, "name": _("The whole network"), "versions": by_house.get(None, [])})
    context = {
        "year": year,
        "quarter": quarter,
        "label": quarter_label(year, quarter),
        "quarters": [quarter_label(*item) for item in _quarters(*latest, QUARTERS_LISTED)],
        "error": error,
        "scopes": scopes,
        # A final version by hand only for the municipality (the schedule makes one anyway); only ended quarters.
        "kinds": [
            (value, name)
            for value, name in ReportVersion.Kind.choices
            if value == ReportVersion.Kind.PROVISIONAL or policy.may_network(request.user, Action.SET_TARGETS)
        ],
        "can_build": Period.quarter(year, quarter).end < timezone.localdate(),
    }
    return render(request, "reporting/reports/report_list.html", context, status=400 if error else 200)


@login_required
@require_POST
def report_build(request):
    try:
        year, quarter = parse_quarter(request.POST.get("kwartaal", ""))
    except ValueError as problem:
        messages.error(request, str(problem))
        return redirect("reporting:reports")
    scope = request.POST.get("scope", "")
    if scope == NETWORK:
        if not policy.may_network(request.user, Action.VIEW_RESULTS):
            raise Http404
        house = None
    else:
        if "\x00" in scope or len(scope) > 150:
            raise Http404
        house = policy.get_house_or_404(request.user, Action.VIEW_RESULTS, slug=scope)
    kind = request.POST.get("kind", ReportVersion.Kind.PROVISIONAL)
    if kind not in ReportVersion.Kind.values:
        kind = ReportVersion.Kind.PROVISIONAL
    back = f"{reverse('reporting:reports')}?kwartaal={quarter_label(year, quarter)}"
    try:
        version = report_request(house=house, year=year, quarter=quarter, kind=kind, by=request.user)
    except ValidationError as problem:
        messages.error(request, " ".join(problem.messages))
        return redirect(back)
    messages.success(request, _("The report is being built. This page shows how far it is."))
    return redirect(f"{reverse('reporting:reports')}?kwartaal={quarter_label(year, quarter)}#versie-{version.pk}")


@login_required
@require_GET
def report_progress(request, version_id: int):
    version = get_version_or_404(
        request.user,
        ReportVersion.objects.select_related("house", "created_by").prefetch_related(_files_prefetch()),
        pk=version_id,
    )
    return render(request, "reporting/reports/fragments/version.html", {"version": version})


@login_required
@require_GET
def report_file(request, version_id: int, fmt: str):
    if fmt not in CONTENT_TYPES:
        raise Http404
    version = get_version_or_404(
        request.user, ReportVersion.objects.select_related("house"), pk=version_id, status=ReportVersion.Status.READY
    )
    file = ReportFile.objects.filter(version=version, format=fmt).first()
    if file is None:
        raise Http404
    response = HttpResponse(bytes(file.content), content_type=CONTENT_TYPES[fmt])
    response["Content-Disposition"] = f'attachment; filename="{_file_name(version, fmt)}"'
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
@require_GET
def report_zip(request, version_id: int):
    version = get_version_or_404(
        request.user, ReportVersion.objects.select_related("house"), pk=version_id, status=ReportVersion.Status.READY
    )
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        sums = []
        for file in ReportFile.objects.filter(version=version).order_by("format"):
            name = _file_name(version, file.format)
            archive.writestr(name, bytes(file.content))
            sums.append(f"{file.checksum}  {name}\n")
        archive.writestr("SHA256SUMS", "".join(sums))
    response = HttpResponse(buffer.getvalue(), content_type="application/zip")
    response["Content-Disposition"] = f'attachment; filename="{_file_name(version, "zip")}"'
    response["Cache-Control"] = "private, no-store"
    return response


urlpatterns = [
    path("rapportages/", report_list, name="reports"),
    path("rapportages/bouwen/", report_build, name="report_build"),
    path("rapportages/<int:version_id>/voortgang/", report_progress, name="report_progress"),
    path("rapportages/<int:version_id>/zip/", report_zip, name="report_zip"),
    path("rapportages/<int:version_id>/<str:fmt>/", report_file, name="report_file"),
]
