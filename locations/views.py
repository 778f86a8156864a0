from django.core.paginator import Paginator
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from accounts import policy
from accounts.policy import Reach
from huizen.query import query_without

from . import selectors
from .filters import HouseFilter
from .models import House

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
    }
    return render(request, "locations/house_detail.html", context)
