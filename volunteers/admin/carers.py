"""Admin of volunteering: carers. Named carer data is not registered here: administrators are not among those who
support carers (SUPPORT_CARERS), and carers' names never leave the house. The waardering rules are reference data,
set here through `waardering_rules_set` (which records "waardering_rules.set" with the administrator as actor)."""

from django.contrib import admin

from ..models import WaarderingRules
from ..services.carers import waardering_rules_set


@admin.register(WaarderingRules)
class WaarderingRulesAdmin(admin.ModelAdmin):
    list_display = ("municipality", "year", "amount", "opens_on", "closes_on", "min_hours_per_week", "min_months")
    list_filter = ("municipality",)
    fields = (
        "municipality",
        "year",
        "amount",
        "description",
        "opens_on",
        "closes_on",
        "min_hours_per_week",
        "min_months",
    )

    def get_readonly_fields(self, request, obj=None):
        return ("municipality", "year") if obj else ()

    def has_delete_permission(self, request, obj=None):
        return False  # applications refer to them; change the rules instead

    def save_model(self, request, obj, form, change):
        data = form.cleaned_data
        saved = waardering_rules_set(
            municipality=obj.municipality,
            year=obj.year,
            amount=data["amount"],
            description=data.get("description", ""),
            opens_on=data["opens_on"],
            closes_on=data["closes_on"],
            min_hours_per_week=data["min_hours_per_week"],
            min_months=data["min_months"],
            by=request.user,
        )
        obj.pk = saved.pk
