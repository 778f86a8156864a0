"""Reads of burenhulp: one query per list, whatever the number of rows."""

import datetime as dt

from django.db.models import Case, F, IntegerField, Prefetch, Q, QuerySet, Value, When

from ..models import HelpOffer, HelpRequest, Volunteer, VolunteerRole
from .people import qualified_for

STATUS_ORDER = Case(
    When(status=HelpRequest.Status.OPEN, then=Value(0)),
    When(status__in=[HelpRequest.Status.OFFERED, HelpRequest.Status.MATCHED], then=Value(1)),
    default=Value(2),
    output_field=IntegerField(),
)


def house_help_requests(requests: QuerySet[HelpRequest]) -> QuerySet[HelpRequest]:
    """Open requests first (by the wanted day), then offered and matched, then closed (latest first within
    them by day); with their volunteer and their offers (declined ones show) loaded."""
    return (
        requests.select_related("volunteer", "house")
        .prefetch_related(Prefetch("offers", queryset=HelpOffer.objects.select_related("volunteer")))
        .annotate(status_order=STATUS_ORDER)
        .order_by("status_order", "wanted_on", "pk")
    )


def helpers_for(house, day: dt.date) -> QuerySet[Volunteer]:
    """The volunteers of `house` who may take a burenhulp request on `day`."""
    return qualified_for(Volunteer.objects.filter(house=house), role=VolunteerRole.NEIGHBOUR_HELP, day=day)


def offers_of(volunteers: QuerySet[Volunteer]) -> QuerySet[HelpOffer]:
    """The questions put to `volunteers` (the user's own volunteering): the requests they help with (accepted and
    still matched to them) first, then the questions to answer, then the finished ones; by day within each."""
    helping = Q(status=HelpOffer.Status.ACCEPTED, request__status=HelpRequest.Status.MATCHED) & Q(
        request__volunteer=F("volunteer")
    )
    return (
        HelpOffer.objects.filter(volunteer__in=volunteers)
        .select_related("request__house__neighbourhood", "volunteer")
        .annotate(
            group=Case(
                When(helping, then=Value(0)),
                When(status=HelpOffer.Status.OFFERED, then=Value(1)),
                default=Value(2),
                output_field=IntegerField(),
            ),
        )
        .order_by("group", "request__wanted_on", "pk")
    )
