"""Reads of the audit trail."""

from django.db.models import QuerySet

from .models import Event


def events() -> QuerySet[Event]:
    """Every event, newest first, with what the history shows beside it."""
    return Event.objects.select_related("actor", "house").order_by("-at", "-pk")


def events_for_house(house) -> QuerySet[Event]:
    return events().filter(house=house)
