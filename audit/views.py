"""A house's history: its audit events, newest first. Coordinators see their own house, administrators any. The
events about signals only for those who may see the house's signals. Who did each thing is a person's name: each
person shown is recorded in the access log (their account details)."""

from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import render
from django.views.decorators.http import require_GET

from accounts import policy
from accounts.policy import Action
from huizen.query import query_without
from privacy.models import AccessRecord
from privacy.services.access import access_record_for_request, subject

from . import selectors
from .filters import EventFilter

PAGE_SIZE = 50


@login_required
@require_GET
def house_history(request, house_slug):
    house = policy.get_house_or_404(request.user, Action.VIEW_HISTORY, slug=house_slug)
    signals = policy.may(request.user, Action.VIEW_SIGNALS, house)
    event_filter = EventFilter(request.GET or None, queryset=selectors.events_for_house(house, signals=signals))
    events = event_filter.qs if event_filter.is_bound and event_filter.is_valid() else event_filter.queryset
    page = Paginator(events, PAGE_SIZE).get_page(request.GET.get("page"))
    user_label = get_user_model()._meta.label_lower
    access_record_for_request(
        request,
        what=AccessRecord.What.ACCOUNT,
        subjects=[subject(user_label, event.actor_id, user_id=event.actor_id) for event in page if event.actor_id],
        house=house,
    )
    context = {
        "house": house,
        "filter": event_filter,
        "page": page,
        "query": query_without(request, "page"),
        "is_filtered": bool(request.GET.get("action")),
    }
    return render(request, "audit/house_history.html", context)
