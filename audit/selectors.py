"""Reads of the audit trail."""

from django.db.models import QuerySet

from .models import Event


def events() -> QuerySet[Event]:
    """Every event, newest first, with what the history shows beside it."""
    return Event.objects.select_related("actor", "house").order_by("-at", "-pk")


def events_for_house(house, *, signals: bool = True) -> QuerySet[Event]:
    """The house's events; without its signals (`signal.*`) for a viewer who may not see them
    (`policy.may(viewer, Action.VIEW_SIGNALS, house)`)."""
    found = events().filter(house=house)
    return found if signals else found.exclude(action__startswith="signal.")
