"""Results in the admin, read-only: targets change on the targets pages (through `reporting.services`), report
versions are built by the schedule or on the reports page and never changed afterwards."""

from django.contrib import admin

from huizen.admin_actions import ViewOnlyAdmin

from .models import Explanation, ReportVersion, Target


@admin.register(Target)
class TargetAdmin(ViewOnlyAdmin):
    list_display = ["indicator", "house", "year", "value", "q1", "q2", "q3", "q4", "updated_at"]
    list_filter = ["year", "indicator"]
    search_fields = ["house__name"]
    list_select_related = ["house"]


@admin.register(Explanation)
class ExplanationAdmin(ViewOnlyAdmin):
    list_display = ["house", "indicator", "year", "quarter", "updated_at"]
    list_filter = ["year", "quarter", "indicator"]
    search_fields = ["house__name"]
    list_select_related = ["house"]


@admin.register(ReportVersion)
class ReportVersionAdmin(ViewOnlyAdmin):
    list_display = ["__str__", "kind", "status", "created_at", "by_schedule", "finished_at"]
    list_filter = ["year", "quarter", "kind", "status"]
    search_fields = ["house__name"]
    list_select_related = ["house"]
    exclude = ["figures"]
