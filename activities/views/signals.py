"""Signals (signalering): hosts and coordinators record them; only those the house names see the list (by
default its coordinators in social management, the wijkteam's professionals in self-management: the policy's
VIEW_SIGNALS, which every view here asks).

No names and no diagnoses: the form says so, and `services.signal_record` refuses remarks that look like
personal data."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from accounts import policy
from accounts.policy import Action
from huizen.forms import add_service_errors
from huizen.query import query_without
from huizen.redirects import redirect_next
from locations.models import House
from locations.selectors import with_current_management

from .. import selectors, services
from ..forms import SignalFilter, SignalFollowUpForm, SignalForm

PAGE_SIZE = 100


@login_required
@require_http_methods(["GET", "POST"])
def signal_create(request, house_slug):
    house = policy.get_house_or_404(request.user, Action.RECORD_SIGNAL, slug=house_slug)
    form = SignalForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.signal_record(house=house, by=request.user, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The signal is saved. Thank you for noticing."))
            if policy.may(request.user, Action.VIEW_SIGNALS, house):
                return redirect("activities:signal_list", house_slug=house.slug)
            return redirect("start")
    context = {"house": house, "form": form, "may_view_list": policy.may(request.user, Action.VIEW_SIGNALS, house)}
    return render(request, "activities/signals/signal_form.html", context)


@login_required
@require_GET
def signal_list(request, house_slug):
    """The house's signals, filtered by theme, follow-up and month, with the number per theme."""
    house = policy.get_house_or_404(
        request.user, Action.VIEW_SIGNALS, queryset=with_current_management(House.objects.all()), slug=house_slug
    )
    signal_filter = SignalFilter(request.GET or None, queryset=selectors.signals_for_house(house))
    signals = signal_filter.qs if signal_filter.is_bound else signal_filter.queryset
    page = Paginator(signals, PAGE_SIZE).get_page(request.GET.get("page"))
    context = {
        "house": house,
        "filter": signal_filter,
        "page": page,
        "signals": [(signal, SignalFollowUpForm(initial={"follow_up": signal.follow_up})) for signal in page],
        "theme_counts": selectors.signals_theme_counts(signals),
        "total": page.paginator.count,
        "query": query_without(request, "page"),
        "is_filtered": signal_filter.is_bound and any(request.GET.get(name) for name in signal_filter.filters),
        "here": request.get_full_path(),
        "signal_readers": policy.signal_readers_of(house),
        "may_set_signal_readers": policy.may(request.user, Action.SET_SIGNAL_READERS, house),
    }
    return render(request, "activities/signals/signal_list.html", context)


@login_required
@require_POST
def signal_follow_up(request, house_slug, signal_id):
    """Change the follow-up of one signal from the list; back to the same (filtered) list afterwards."""
    house = policy.get_house_or_404(request.user, Action.VIEW_SIGNALS, slug=house_slug)
    signal = policy.get_signal_or_404(
        request.user, Action.VIEW_SIGNALS, queryset=selectors.signals_for_house(house), pk=signal_id
    )
    form = SignalFollowUpForm(request.POST)
    if form.is_valid():
        try:
            services.signal_follow_up(signal=signal, follow_up=form.cleaned_data["follow_up"], by=request.user)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(
                request,
                _("Follow-up of the signal of %(day)s about %(theme)s: %(status)s.")
                % {
                    "day": date_format(signal.date, "j F Y"),
                    "theme": signal.get_theme_display(),
                    "status": signal.get_follow_up_display(),
                },
            )
    else:
        messages.error(request, _("Choose a follow-up status from the list."))
    return redirect_next(request, reverse("activities:signal_list", kwargs={"house_slug": house.slug}))


PREFIX = "beheer/huizen/<slug:house_slug>/signalen/"

urlpatterns = [
    path(PREFIX, signal_list, name="signal_list"),
    path(f"{PREFIX}nieuw/", signal_create, name="signal_create"),
    path(f"{PREFIX}<int:signal_id>/opvolging/", signal_follow_up, name="signal_follow_up"),
]
