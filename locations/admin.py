from django.contrib import admin
from django.core.exceptions import ValidationError
from django.forms.models import BaseInlineFormSet
from django.utils.translation import gettext_lazy as _

from .models import (
    Closure,
    District,
    House,
    HouseManagement,
    Neighbourhood,
    NeighbourhoodIndex,
    OpeningHours,
    Organisation,
    Place,
    Room,
    RoomFacility,
    RoomRate,
)
from .selectors import with_current_management


@admin.register(District)
class DistrictAdmin(admin.ModelAdmin):
    search_fields = ["name"]
    prepopulated_fields = {"slug": ["name"]}


class NeighbourhoodIndexInline(admin.TabularInline):
    model = NeighbourhoodIndex
    extra = 0


@admin.register(Neighbourhood)
class NeighbourhoodAdmin(admin.ModelAdmin):
    list_display = ["name", "cbs_code", "district", "population"]
    list_filter = ["district"]
    search_fields = ["name", "cbs_code"]
    prepopulated_fields = {"slug": ["name"]}
    list_select_related = ["district"]
    inlines = [NeighbourhoodIndexInline]


@admin.register(Organisation)
class OrganisationAdmin(admin.ModelAdmin):
    list_display = ["name", "kind"]
    list_filter = ["kind"]
    search_fields = ["name"]
    prepopulated_fields = {"slug": ["name"]}


class ManagementFormSet(BaseInlineFormSet):
    """Periods entered together must not overlap each other either (the model checks against saved ones)."""

    def clean(self):
        super().clean()
        periods = []
        for form in self.forms:
            if not form.cleaned_data or form.cleaned_data.get("DELETE") or form.errors:
                continue
            periods.append((form.cleaned_data["valid_from"], form.cleaned_data.get("valid_until")))
        periods.sort(key=lambda period: period[0])
        for (_start, end), (next_start, _next_end) in zip(periods, periods[1:], strict=False):
            if end is None or end > next_start:
                raise ValidationError(_("Management periods of one house must not overlap."))


class HouseManagementInline(admin.TabularInline):
    model = HouseManagement
    formset = ManagementFormSet
    extra = 0
    autocomplete_fields = ["operator"]


class PlaceInline(admin.StackedInline):
    model = Place
    extra = 0
    show_change_link = True
    fields = [
        ("name", "kind"),
        ("street", "house_number", "postcode", "city"),
        ("step_free_entrance", "accessible_toilet", "hearing_loop"),
    ]


class ManagementTypeFilter(admin.SimpleListFilter):
    title = _("management type")
    parameter_name = "management"

    def lookups(self, request, model_admin):
        from .models import ManagementType

        return ManagementType.choices

    def queryset(self, request, queryset):
        if self.value():
            return queryset.filter(current_management_type=self.value())
        return queryset


@admin.register(House)
class HouseAdmin(admin.ModelAdmin):
    list_display = ["name", "neighbourhood", "district", "management"]
    list_filter = [ManagementTypeFilter, "neighbourhood__district"]
    search_fields = ["name", "neighbourhood__name", "places__street", "places__postcode"]
    prepopulated_fields = {"slug": ["name"]}
    autocomplete_fields = ["neighbourhood"]
    inlines = [HouseManagementInline, PlaceInline]

    def get_queryset(self, request):
        return with_current_management(super().get_queryset(request).select_related("neighbourhood__district"))

    @admin.display(description=_("district"), ordering="neighbourhood__district__name")
    def district(self, house):
        return house.neighbourhood.district

    @admin.display(description=_("management type"))
    def management(self, house):
        from .models import ManagementType

        if not house.current_management_type:
            return "–"
        return f"{ManagementType(house.current_management_type).label} ({house.current_operator_name})"


class OpeningHoursInline(admin.TabularInline):
    model = OpeningHours
    extra = 0


class ClosureInline(admin.TabularInline):
    model = Closure
    extra = 0


class RoomInline(admin.TabularInline):
    model = Room
    extra = 0
    show_change_link = True
    fields = ["name", "capacity", "bookable"]


@admin.register(Place)
class PlaceAdmin(admin.ModelAdmin):
    list_display = ["name", "house", "kind", "street", "house_number", "postcode", "city"]
    list_filter = ["kind", "step_free_entrance", "accessible_toilet", "hearing_loop", "house__neighbourhood__district"]
    search_fields = ["name", "house__name", "street", "postcode"]
    list_select_related = ["house"]
    autocomplete_fields = ["house"]
    inlines = [OpeningHoursInline, ClosureInline, RoomInline]


class RoomFacilityInline(admin.TabularInline):
    model = RoomFacility
    extra = 0


class RoomRateInline(admin.TabularInline):
    model = RoomRate
    extra = 0


@admin.register(Room)
class RoomAdmin(admin.ModelAdmin):
    list_display = ["name", "place", "capacity", "bookable"]
    list_filter = ["bookable", "place__house__neighbourhood__district"]
    search_fields = ["name", "place__name", "place__house__name"]
    list_select_related = ["place"]
    autocomplete_fields = ["place"]
    inlines = [RoomFacilityInline, RoomRateInline]
