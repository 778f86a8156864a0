import datetime as dt

from django import forms
from django.contrib import admin
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from audit.admin import AuditedAdmin
from huizen.admin_actions import service_action
from huizen.forms import FIRST_DAY, DateField

from .forms import SignalReadersForm
from .models import (
    Closure,
    District,
    House,
    HouseManagement,
    ManagementType,
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
from .services import (
    HOUSE_RENTAL_FIELDS,
    ROOM_RENTAL_FIELDS,
    days_changed,
    house_management_change,
    house_signal_readers_set,
)


@admin.register(District)
class DistrictAdmin(AuditedAdmin):
    search_fields = ["name"]
    prepopulated_fields = {"slug": ["name"]}


class NeighbourhoodIndexInline(admin.TabularInline):
    model = NeighbourhoodIndex
    extra = 0


@admin.register(Neighbourhood)
class NeighbourhoodAdmin(AuditedAdmin):
    list_display = ["name", "cbs_code", "district", "population"]
    list_filter = ["district"]
    search_fields = ["name", "cbs_code"]
    prepopulated_fields = {"slug": ["name"]}
    list_select_related = ["district"]
    inlines = [NeighbourhoodIndexInline]


@admin.register(Organisation)
class OrganisationAdmin(AuditedAdmin):
    list_display = ["name", "kind"]
    list_filter = ["kind"]
    search_fields = ["name"]
    prepopulated_fields = {"slug": ["name"]}


class HouseManagementInline(admin.TabularInline):
    """The history of who ran the house, read-only: a change goes through the action "Change the management",
    which ends the running period and records who did it (`house_management_change`)."""

    model = HouseManagement
    extra = 0
    fields = readonly_fields = ["management_type", "operator", "valid_from", "valid_until"]
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


class ManagementChangeForm(forms.Form):
    management_type = forms.ChoiceField(label=_("management type"), choices=ManagementType.choices)
    operator = forms.ModelChoiceField(label=_("operator"), queryset=Organisation.objects.order_by("name"))
    starts_on = DateField(
        label=_("from"),
        help_text=_("The running period ends on this day; the earlier periods stay as they were."),
    )


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
        return ManagementType.choices

    def queryset(self, request, queryset):
        if self.value():
            return queryset.filter(current_management_type=self.value())
        return queryset


@admin.register(House)
class HouseAdmin(AuditedAdmin):
    list_display = ["name", "neighbourhood", "district", "management"]
    list_filter = [ManagementTypeFilter, "neighbourhood__district"]
    search_fields = ["name", "neighbourhood__name", "places__street", "places__postcode"]
    prepopulated_fields = {"slug": ["name"]}
    autocomplete_fields = ["neighbourhood"]
    # Set on the house's rental terms page (rental_terms_update), which records who changed what; who sees the
    # signals through the action below or the house's page (house_signal_readers_set).
    readonly_fields = [*HOUSE_RENTAL_FIELDS, "signal_readers"]
    inlines = [HouseManagementInline, PlaceInline]
    actions = [
        service_action(
            "change_management",
            _("Change the management of the selected houses"),
            lambda house, by, **change: house_management_change(house=house, by=by, **change),
            form_class=ManagementChangeForm,
        ),
        service_action(
            "change_signal_readers",
            _("Change who sees the signals of the selected houses"),
            lambda house, by, **choice: house_signal_readers_set(house=house, by=by, **choice),
            form_class=SignalReadersForm,
        ),
    ]

    def get_queryset(self, request):
        return with_current_management(super().get_queryset(request).select_related("neighbourhood__district"))

    @admin.display(description=_("district"), ordering="neighbourhood__district__name")
    def district(self, house):
        return house.neighbourhood.district

    @admin.display(description=_("management type"))
    def management(self, house):
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
class PlaceAdmin(AuditedAdmin):
    list_display = ["name", "house", "kind", "street", "house_number", "postcode", "city"]
    list_filter = ["kind", "step_free_entrance", "accessible_toilet", "hearing_loop", "house__neighbourhood__district"]
    search_fields = ["name", "house__name", "street", "postcode"]
    list_select_related = ["house"]
    autocomplete_fields = ["house"]
    inlines = [OpeningHoursInline, ClosureInline, RoomInline]

    def save_formset(self, request, form, formset, change):
        """Closures and opening hours change what the figures count (opening hours, open days): the past days a
        closure added, moved or removed covers, and today for new opening hours, are derived again."""
        days: set[dt.date] = set()
        if formset.model in (Closure, OpeningHours):
            today = timezone.localdate()
            for inline_form in formset.forms:
                if not (inline_form.has_changed() or inline_form in formset.deleted_forms):
                    continue
                if formset.model is OpeningHours:
                    days.add(today)
                    continue
                for values in (inline_form.initial, getattr(inline_form, "cleaned_data", None) or {}):
                    first, last = values.get("start_date"), values.get("end_date")
                    if first and last:
                        day = max(first, FIRST_DAY)
                        while day <= min(last, today):
                            days.add(day)
                            day += dt.timedelta(days=1)
        super().save_formset(request, form, formset, change)
        if days:
            days_changed(house_id=form.instance.house_id, days=days)


class RoomFacilityInline(admin.TabularInline):
    model = RoomFacility
    extra = 0


class RoomRateInline(admin.TabularInline):
    model = RoomRate
    extra = 0


@admin.register(Room)
class RoomAdmin(AuditedAdmin):
    list_display = ["name", "place", "capacity", "bookable"]
    list_filter = ["bookable", "place__house__neighbourhood__district"]
    search_fields = ["name", "place__name", "place__house__name"]
    list_select_related = ["place"]
    autocomplete_fields = ["place"]
    readonly_fields = ROOM_RENTAL_FIELDS  # set on the house's rental terms page, like the house's own terms
    inlines = [RoomFacilityInline, RoomRateInline]
