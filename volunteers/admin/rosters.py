"""Admin of volunteering: rosters. Read-only: weekly shifts, shifts and who is on them change through the roster
services (the coordinator's roster, the volunteer's own page, the door), which e-mail the volunteers and record it."""

from django.contrib import admin

from huizen.admin_actions import ViewOnlyAdmin
from privacy.admin.access import AccessLoggedAdmin

from ..models import Shift, ShiftAssignment, ShiftPattern


@admin.register(ShiftPattern)
class ShiftPatternAdmin(ViewOnlyAdmin):
    list_display = [
        "title",
        "house",
        "role",
        "weekday",
        "start_time",
        "end_time",
        "people_needed",
        "valid_from",
        "valid_until",
    ]
    list_filter = ["role", "weekday", "house"]
    search_fields = ["title", "house__name"]
    list_select_related = ["house"]


@admin.register(Shift)
class ShiftAdmin(ViewOnlyAdmin):
    list_display = ["title", "house", "date", "start", "end", "role", "people_needed", "cancelled_at"]
    list_filter = ["role", "house"]
    search_fields = ["title", "house__name"]
    list_select_related = ["house"]
    date_hierarchy = "date"


@admin.register(ShiftAssignment)
class ShiftAssignmentAdmin(AccessLoggedAdmin, ViewOnlyAdmin):
    list_display = ["volunteer", "shift", "status", "worked_confirmed_at", "reminded_at"]
    access_person = "volunteer"
    list_filter = ["status", "shift__house"]
    search_fields = ["volunteer__first_name", "volunteer__last_name", "shift__title"]
    list_select_related = ["volunteer", "shift"]
    raw_id_fields = ["shift", "volunteer", "stand_in_for"]
