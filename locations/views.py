from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from accounts import policy
from accounts.models import Role, RoleAssignment
from accounts.policy import Action, Reach
from huizen.forms import add_service_errors
from huizen.query import query_without

from . import selectors, services
from .filters import HouseFilter
from .forms import SignalReadersForm
from .models import House, SignalReaders

PAGE_SIZE = 60


def house_list(request):
    """The public overview of the network, filterable; HTMX swaps only the results."""
    house_filter = HouseFilter(request.GET or None, queryset=selectors.house_overview())
    houses = house_filter.qs if house_filter.is_bound else house_filter.queryset
    page = Paginator(houses, PAGE_SIZE).get_page(request.GET.get("page"))
    context = {"filter": house_filter, "page": page, "query": query_without(request, "page")}
    template = "locations/fragments/house_results.html" if request.htmx else "locations/house_list.html"
    return render(request, template, context)


@require_GET
def neighbourhood_field(request):
    """The wijk select of a filter form, offering only the wijken of the chosen district: htmx swaps it in when
    the district changes (without JavaScript the server narrows it when the form is sent)."""
    house_filter = HouseFilter(request.GET or None, queryset=House.objects.none())
    return render(request, "locations/fragments/neighbourhood_field.html", {"filter": house_filter})


def house_detail(request, slug):
    """The public page of one house: its places, opening hours, closures, rooms and who runs it."""
    house = policy.get_house_or_404(request.user, Reach.PUBLIC, queryset=selectors.house_detail_queryset(), slug=slug)
    now = timezone.now()
    today = timezone.localdate(now)
    places = [
        {
            "place": place,
            "schedule": selectors.week_schedule(place, today=today),
            "closed_today": selectors.closure_on(place, today),
            "is_open": selectors.place_is_open(place, now),
        }
        for place in house.places.all()
    ]
    indices = list(house.neighbourhood.indices.all())
    context = {
        "house": house,
        "places": places,
        "latest_index": max(indices, key=lambda index: index.year) if indices else None,
        "managements": list(house.managements.all()),
        "today": today,
        "signal_readers": policy.signal_readers_of(house),
        "may_set_signal_readers": policy.may(request.user, Action.SET_SIGNAL_READERS, house),
    }
    return render(request, "locations/house_detail.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def house_signal_readers(request, slug):
    """Who sees the house's signals: its coordinators in social management and administrators name them."""
    house = policy.get_house_or_404(
        request.user,
        Action.SET_SIGNAL_READERS,
        queryset=selectors.with_current_management(House.objects.all()),
        slug=slug,
    )
    form = SignalReadersForm(
        request.POST if request.method == "POST" else None, initial={"signal_readers": house.signal_readers}
    )
    if request.method == "POST" and form.is_valid():
        try:
            changed = services.house_signal_readers_set(
                house=house, signal_readers=form.cleaned_data["signal_readers"], by=request.user
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            if changed:
                messages.success(request, _("Saved: who sees the signals of this house."))
            else:
                messages.info(request, _("Nothing changed: this was already the choice."))
            return redirect("locations:house_signal_readers", slug=house.slug)
    readers = policy.signal_readers_of(house)
    role = Role.PROFESSIONAL if readers == SignalReaders.PROFESSIONALS else Role.COORDINATOR
    context = {
        "house": house,
        "form": form,
        "signal_readers": readers,
        "reader_count": RoleAssignment.objects.filter(house=house, role=role, user__is_active=True).count(),
        "may_view_signals": policy.may(request.user, Action.VIEW_SIGNALS, house),
    }
    return render(request, "locations/house_signal_readers.html", context, status=400 if form.errors else 200)
