"""Targets (resultaatafspraken), their CSV upload, the neighbourhood figures upload, and the coordinators'
explanations (toelichting) of a quarter.

Who: the municipality and administrators set targets and upload files (`SET_TARGETS`, network-wide); managers and
coordinators read their houses' targets; a house's coordinators explain its quarters (`EXPLAIN_RESULTS`), and
everyone who sees its results reads the explanations. Anything else is a 404.
"""

import csv
import io
import re
from decimal import Decimal, InvalidOperation
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_http_methods

from accounts import policy
from accounts.policy import Action
from audit.selectors import events
from huizen.forms import add_service_errors
from locations.models import House, Neighbourhood
from locations.services import NEIGHBOURHOOD_COLUMNS, neighbourhood_figures_import

from ..forms import ExplanationsForm, TargetFilterForm, TargetForm, UploadForm
from ..indicators import BY_CODE, INDICATORS, UNIT_LABELS, Aggregation
from ..models import Explanation, Target
from ..selectors import (
    Period,
    compute,
    indicator_values,
    period_target,
    quarter_of,
    target_progress,
    targets_of,
)
from ..services import (
    FIRST_YEAR,
    LAST_YEAR,
    NETWORK,
    QUARTER_COLUMNS,
    TARGET_COLUMNS,
    explanation_window,
    explanations_set,
    shown,
    target_set,
    targets_import,
)

QUARTER = re.compile(r"(\d{4})Q([1-4])")


def _require_network(user) -> None:
    if not policy.may_network(user, Action.SET_TARGETS):
        raise Http404


def _targets_url(year: int, house_slug: str = "") -> str:
    query = {"jaar": year, **({"huis": house_slug} if house_slug else {})}
    return f"{reverse('reporting:targets')}?{urlencode(query)}"


def _amounts(target: Target | None) -> list[str]:
    if target is None:
        return []
    return [shown(amount) for amount in (target.value, target.q1, target.q2, target.q3, target.q4)]


def _shown_stored(amount) -> str | None:
    """An amount as the history stored it ("1000.00"), as people read it (1000; 12,5 in Dutch)."""
    if amount is None:
        return None
    try:
        return shown(Decimal(str(amount)))
    except (InvalidOperation, ValueError):
        return str(amount)


def _split_label(indicator) -> str:
    if indicator.aggregation == Aggregation.RATIO:
        return _("a percentage: each quarter on its own")
    return _("a sum: the quarters add up to the year")


@login_required
@require_GET
def targets(request):
    """The year's targets per house (and for the network) and indicator. Read-only for managers and
    coordinators (their houses); the municipality and administrators edit them."""
    user = request.user
    may_edit = policy.may_network(user, Action.SET_TARGETS)
    network = policy.may_network(user, Action.VIEW_RESULTS)
    houses = list(policy.houses_for(user, Action.VIEW_RESULTS).order_by("name").only("pk", "slug", "name"))
    if not (may_edit or network or houses):
        raise Http404
    filter_form = TargetFilterForm(request.GET or None, houses=houses, network=network)
    year, chosen = filter_form.year(), filter_form.house_slug()
    shown_houses = [house for house in houses if not chosen or house.slug == chosen]
    show_network = network and chosen in ("", NETWORK)
    stored = targets_of(house_ids=[house.pk for house in shown_houses], year=year, network=show_network)
    this_quarter = "{}Q{}".format(*quarter_of(timezone.localdate()))
    sections = []
    for house in ([None] if show_network else []) + shown_houses:
        house_id, slug = (house.pk, house.slug) if house else (None, NETWORK)
        rows = []
        for indicator in INDICATORS:
            target = stored.get((house_id, indicator.code))
            rows.append(
                {
                    "indicator": indicator,
                    "unit": UNIT_LABELS[indicator.unit],
                    "amounts": _amounts(target),
                    "edit_url": reverse("reporting:target_edit", args=[slug, indicator.code, year]) if may_edit else "",
                }
            )
        sections.append(
            {
                "house": house,
                "slug": slug,
                "rows": rows,
                "count": sum(1 for row in rows if row["amounts"]),
                "explanations_url": reverse("reporting:explanations", args=[slug, this_quarter]) if house else "",
            }
        )
    context = {
        "filter_form": filter_form,
        "year": year,
        "previous_year": year - 1 if year > FIRST_YEAR else None,
        "next_year": year + 1 if year < LAST_YEAR else None,
        "chosen": chosen,
        "sections": sections,
        "may_edit": may_edit,
        "this_quarter": this_quarter,
    }
    status = 400 if filter_form.is_bound and not filter_form.is_valid() else 200
    return render(request, "reporting/targets/target_list.html", context, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def target_edit(request, house_slug, indicator, year):
    """One target: the year's value and its quarters (split evenly or by hand), and who changed it when."""
    if house_slug == NETWORK:
        _require_network(request.user)
        house = None
    else:
        house = policy.get_house_or_404(request.user, Action.SET_TARGETS, slug=house_slug)
    definition = BY_CODE.get(indicator)
    if definition is None or not FIRST_YEAR <= year <= LAST_YEAR:
        raise Http404
    target = Target.objects.filter(house=house, indicator=indicator, year=year).first()
    if request.method == "POST":
        form = TargetForm(request.POST, indicator=definition)
        if form.is_valid():
            try:
                target_set(
                    house=house,
                    indicator=indicator,
                    year=year,
                    value=form.cleaned_data["value"],
                    quarters=form.quarters(),
                    by=request.user,
                )
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                messages.success(request, _("The target is saved."))
                return redirect(_targets_url(year, house.slug if house else NETWORK))
    else:
        form = TargetForm(initial=TargetForm.initial_for(target, definition), indicator=definition)
    history = (
        [
            {
                "event": event,
                "changes": [(field, _shown_stored(old), _shown_stored(new)) for field, old, new in event.change_rows],
            }
            for event in events().filter(object_type="reporting.target", object_id=str(target.pk))
        ]
        if target is not None
        else []
    )
    context = {
        "form": form,
        "house": house,
        "indicator": definition,
        "unit": UNIT_LABELS[definition.unit],
        "split_label": _split_label(definition),
        "year": year,
        "target": target,
        "amounts": _amounts(target),
        "history": history,
        "back_url": _targets_url(year, house.slug if house else NETWORK),
    }
    return render(request, "reporting/targets/target_form.html", context, status=400 if form.errors else 200)


def _upload(request, *, service, template: str, context: dict, done):
    """The pattern of both uploads: a file in, every problem listed with its line, or a summary and back."""
    _require_network(request.user)
    result = None
    if request.method == "POST":
        form = UploadForm(request.POST, request.FILES)
        if form.is_valid():
            result = service(file=form.cleaned_data["file"], by=request.user)
            if result.ok:
                messages.success(
                    request,
                    ngettext(
                        "%(lines)d line read: %(created)d new, %(changed)d changed, %(unchanged)d unchanged.",
                        "%(lines)d lines read: %(created)d new, %(changed)d changed, %(unchanged)d unchanged.",
                        result.lines,
                    )
                    % {
                        "lines": result.lines,
                        "created": result.created,
                        "changed": result.changed,
                        "unchanged": result.unchanged,
                    },
                )
                return redirect(done(result))
    else:
        form = UploadForm()
    failed = bool(form.errors or (result and result.errors))
    context = {**context, "form": form, "result": result, "failed": failed}
    return render(request, template, context, status=400 if failed else 200)


@login_required
@require_http_methods(["GET", "POST"])
def targets_upload(request):
    context = {
        "indicators": [
            {"indicator": indicator, "unit": UNIT_LABELS[indicator.unit], "split": _split_label(indicator)}
            for indicator in INDICATORS
        ],
        "columns": [*TARGET_COLUMNS, *QUARTER_COLUMNS],
    }
    return _upload(
        request,
        service=targets_import,
        template="reporting/targets/targets_upload.html",
        context=context,
        done=lambda result: _targets_url(result.years[0] if result.years else timezone.localdate().year),
    )


@login_required
@require_http_methods(["GET", "POST"])
def neighbourhood_upload(request):
    return _upload(
        request,
        service=neighbourhood_figures_import,
        template="reporting/targets/neighbourhood_upload.html",
        context={"columns": NEIGHBOURHOOD_COLUMNS},
        done=lambda result: reverse("reporting:neighbourhood_upload"),
    )


def _csv_response(rows: list[list], filename: str) -> HttpResponse:
    """A CSV file as Dutch Excel opens it: UTF-8 with a byte-order mark, separated by semicolons."""
    buffer = io.StringIO()
    csv.writer(buffer, delimiter=";", lineterminator="\r\n").writerows(rows)
    response = HttpResponse(("\ufeff" + buffer.getvalue()).encode("utf-8"), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@login_required
@require_GET
def targets_example(request):
    """An example file to start from: the network and one house, split evenly and by hand."""
    _require_network(request.user)
    year = timezone.localdate().year + 1
    house = House.objects.order_by("name").only("slug").first()
    slug = house.slug if house else "huis-van-de-wijk"
    rows = [
        [*TARGET_COLUMNS, *QUARTER_COLUMNS],
        [NETWORK, "visits", year, 250000, "", "", "", ""],
        [slug, "visits", year, 6000, "", "", "", ""],
        [slug, "sessions_held", year, 400, 90, 110, 80, 120],
        [slug, "room_occupancy", year, "62,5", "", "", "", ""],
        [slug, "booking_revenue", year, "1500,50", "", "", "", ""],
    ]
    return _csv_response(rows, "voorbeeld-doelen.csv")


@login_required
@require_GET
def neighbourhood_example(request):
    """An example file with the first wijken: one by CBS code, one by the name in its address."""
    _require_network(request.user)
    year = timezone.localdate().year - 1
    wijken = list(Neighbourhood.objects.order_by("name").only("cbs_code", "slug", "population")[:2])
    rows = [list(NEIGHBOURHOOD_COLUMNS)]
    if wijken:
        rows.append([wijken[0].cbs_code, year, wijken[0].population, "98,5"])
    if len(wijken) > 1:
        rows.append([wijken[1].slug, year, "", "104"])
    if len(rows) == 1:
        rows.append(["WK059901", year, 12000, "98,5"])
    return _csv_response(rows, "voorbeeld-wijkcijfers.csv")


def _quarter_figures(house, year: int, quarter: int, today) -> list[dict]:
    """What there is to explain: each indicator's figure of the quarter so far, its target and the progress."""
    period = Period.quarter(year, quarter)
    realised = indicator_values(house_ids=[house.pk], start=period.start, end=period.end).get((), {})
    stored = targets_of(house_ids=[house.pk], year=year)
    rows = []
    for indicator in INDICATORS:
        value = realised.get(indicator.code, compute(indicator, {}))
        target = stored.get((house.pk, indicator.code))
        target_value = period_target(target, indicator, period) if target is not None else None
        progress = target_progress(
            indicator=indicator, target_value=target_value, realised=value, period=period, today=today
        )
        rows.append(
            {
                "indicator": indicator,
                "unit": UNIT_LABELS[indicator.unit],
                "realised": shown(value) if value is not None else "–",
                "target": shown(target_value) if target_value is not None else "–",
                "progress": progress,
            }
        )
    return rows


@login_required
@require_http_methods(["GET", "POST"])
def explanations(request, house_slug, quarter):
    """The house's explanations of one quarter, one per indicator: its coordinators write them while the quarter
    runs and ten days after; whoever sees the house's results reads them."""
    match = QUARTER.fullmatch(quarter)
    if match is None or not FIRST_YEAR <= int(match[1]) <= LAST_YEAR:
        raise Http404
    year, number = int(match[1]), int(match[2])
    house = policy.get_house_or_404(request.user, Action.VIEW_RESULTS, slug=house_slug)
    may_write = policy.may(request.user, Action.EXPLAIN_RESULTS, house)
    first, last = explanation_window(year, number)
    today = timezone.localdate()
    is_open = first <= today <= last
    stored = {
        explanation.indicator: explanation
        for explanation in Explanation.objects.filter(house=house, year=year, quarter=number).select_related(
            "updated_by"
        )
    }
    figures = _quarter_figures(house, year, number, today)
    form = None
    if request.method == "POST":
        if not may_write:
            raise Http404
        form = ExplanationsForm(request.POST)
        if form.is_valid():
            try:
                changed = explanations_set(
                    house=house, year=year, quarter=number, texts=form.cleaned_data, by=request.user
                )
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                messages.success(
                    request,
                    _("The explanations are saved.") if changed else _("Nothing changed in the explanations."),
                )
                return redirect("reporting:explanations", house_slug=house.slug, quarter=quarter)
    elif may_write and is_open:
        form = ExplanationsForm(initial={code: explanation.text for code, explanation in stored.items()})
    previous = (year, number - 1) if number > 1 else (year - 1, 4)
    following = (year, number + 1) if number < 4 else (year + 1, 1)
    context = {
        "house": house,
        "year": year,
        "quarter": number,
        "label": f"{year}Q{number}",
        "first": first,
        "last": last,
        "is_open": is_open,
        "not_started": today < first,
        "may_write": may_write,
        "form": form,
        "rows": [{"indicator": indicator, "explanation": stored.get(indicator.code)} for indicator in INDICATORS],
        "figures": figures,
        "previous": f"{previous[0]}Q{previous[1]}" if previous[0] >= FIRST_YEAR else "",
        "following": f"{following[0]}Q{following[1]}" if following[0] <= LAST_YEAR else "",
    }
    status = 400 if form is not None and form.errors else 200
    return render(request, "reporting/targets/explanations.html", context, status=status)


urlpatterns = [
    path("doelen/", targets, name="targets"),
    path("doelen/inlezen/", targets_upload, name="targets_upload"),
    path("doelen/voorbeeld.csv", targets_example, name="targets_example"),
    path("doelen/<slug:house_slug>/<slug:indicator>/<int:year>/", target_edit, name="target_edit"),
    path("wijkcijfers/inlezen/", neighbourhood_upload, name="neighbourhood_upload"),
    path("wijkcijfers/voorbeeld.csv", neighbourhood_example, name="neighbourhood_example"),
    path("huizen/<slug:house_slug>/toelichting/<str:quarter>/", explanations, name="explanations"),
]
