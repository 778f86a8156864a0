"""Filters of the results dashboards: which houses of the user's scope to show side by side.

Works on the houses of `policy.houses_for(user, Action.VIEW_RESULTS)` annotated by
`locations.selectors.with_current_management` (the management type and operator that apply today). The choices
offered are those found in the scope, so a manager is not offered districts where their organisation has no house.
"""

import django_filters
from django.utils.translation import gettext_lazy as _

from locations.models import District, House, ManagementType, Neighbourhood, Organisation

# Query parameters the dashboards read, with the longest value that makes sense; anything else is left out
# (see `views.dashboard.clean_query`).
FILTER_PARAMETERS = ("gebied", "wijk", "uitvoerder", "beheer")


class HouseResultsFilter(django_filters.FilterSet):
    gebied = django_filters.ModelChoiceFilter(
        field_name="neighbourhood__district",
        queryset=District.objects.none(),
        to_field_name="slug",
        label=_("District"),
        empty_label=_("All districts"),
    )
    wijk = django_filters.ModelChoiceFilter(
        field_name="neighbourhood",
        queryset=Neighbourhood.objects.none(),
        to_field_name="slug",
        label=_("Neighbourhood"),
        empty_label=_("All neighbourhoods"),
    )
    uitvoerder = django_filters.ModelChoiceFilter(
        queryset=Organisation.objects.none(),
        to_field_name="slug",
        label=_("Operator"),
        empty_label=_("All operators"),
        method="filter_operator",
    )
    beheer = django_filters.ChoiceFilter(
        field_name="current_management_type",
        choices=ManagementType.choices,
        label=_("Management"),
        empty_label=_("All kinds"),
    )

    class Meta:
        model = House
        fields: list[str] = []

    def __init__(self, *args, scope=None, **kwargs):
        """`scope`: the houses the user may see (a QuerySet of houses); the choices come from those houses."""
        super().__init__(*args, **kwargs)
        scope = self.queryset if scope is None else scope
        house_ids = scope.values("pk")
        self.filters["gebied"].queryset = District.objects.filter(neighbourhoods__houses__in=house_ids).distinct()
        self.filters["wijk"].queryset = Neighbourhood.objects.filter(houses__in=house_ids).distinct()
        self.filters["uitvoerder"].queryset = Organisation.objects.filter(
            pk__in=scope.values("current_operator_id")
        ).order_by("name")

    def filter_operator(self, queryset, name, value):
        return queryset.filter(current_operator_id=value.pk) if value else queryset
