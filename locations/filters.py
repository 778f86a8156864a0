import django_filters
from django import forms
from django.utils.translation import gettext_lazy as _

from .models import District, House, ManagementType, Neighbourhood


class HouseFilter(django_filters.FilterSet):
    """Filters of the network overview. Works on `selectors.house_overview()`, whose annotations it uses."""

    q = django_filters.CharFilter(field_name="name", lookup_expr="icontains", label=_("Name"))
    district = django_filters.ModelChoiceFilter(
        field_name="neighbourhood__district",
        queryset=District.objects.all(),
        to_field_name="slug",
        label=_("District"),
        empty_label=_("All districts"),
    )
    neighbourhood = django_filters.ModelChoiceFilter(
        queryset=Neighbourhood.objects.all(),
        to_field_name="slug",
        label=_("Neighbourhood"),
        empty_label=_("All neighbourhoods"),
    )
    management_type = django_filters.ChoiceFilter(
        field_name="current_management_type",
        choices=ManagementType.choices,
        label=_("Management"),
        empty_label=_("All kinds"),
    )
    open_now = django_filters.BooleanFilter(
        field_name="is_open_now", label=_("Open now"), widget=forms.CheckboxInput, method="filter_checked"
    )
    step_free = django_filters.BooleanFilter(
        field_name="has_step_free_entrance",
        label=_("Step-free entrance"),
        widget=forms.CheckboxInput,
        method="filter_checked",
    )
    accessible_toilet = django_filters.BooleanFilter(
        field_name="has_accessible_toilet",
        label=_("Accessible toilet"),
        widget=forms.CheckboxInput,
        method="filter_checked",
    )
    hearing_loop = django_filters.BooleanFilter(
        field_name="has_hearing_loop", label=_("Hearing loop"), widget=forms.CheckboxInput, method="filter_checked"
    )

    class Meta:
        model = House
        fields: list[str] = []

    def filter_checked(self, queryset, name, value):
        """A ticked box narrows the list; an unticked box does not mean 'only houses without it'."""
        return queryset.filter(**{name: True}) if value else queryset
