import django_filters
from django import forms
from django.core.validators import slug_re
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
        help_text=_(
            "Social management: a welfare organisation runs the house. Self-management: residents run it themselves."
        ),
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
        field_name="has_hearing_loop",
        label=_("Hearing loop"),
        widget=forms.CheckboxInput,
        method="filter_checked",
        help_text=_("For people with a hearing aid: you hear the speaker directly, without the noise around you."),
    )

    class Meta:
        model = House
        fields: list[str] = []

    def __init__(self, data=None, *args, **kwargs):
        data = data.copy() if data is not None else None
        super().__init__(data, *args, **kwargs)
        limit_neighbourhoods(self, data)

    def filter_checked(self, queryset, name, value):
        """A ticked box narrows the list; an unticked box does not mean 'only houses without it'."""
        return queryset.filter(**{name: True}) if value else queryset


def limit_neighbourhoods(filterset, data, *, district="district", neighbourhood="neighbourhood") -> None:
    """Only the wijken of the chosen district are offered. A wijk of another district (left over when the
    district changed) is forgotten rather than an error: the list then shows the whole district."""
    slug = data.get(district) if data is not None else None
    if (
        not slug
        or not slug_re.match(slug)
        or district not in filterset.filters
        or neighbourhood not in filterset.filters
    ):
        return  # no district, or junk the district field itself will refuse
    choices = Neighbourhood.objects.filter(district__slug=slug)
    filterset.filters[neighbourhood].queryset = choices
    filterset.form.fields[neighbourhood].queryset = choices
    chosen = data.get(neighbourhood)
    if chosen and (not slug_re.match(chosen) or not choices.filter(slug=chosen).exists()):
        data[neighbourhood] = ""
