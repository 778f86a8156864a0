"""The programme in the admin, for administrators. Signals and door taps stay out: the policy keeps signals
to the house's coordinators, and door taps are counted, not edited."""

from django.contrib import admin

from .models import Activity, ActivityTargetGroup, Registration, Session


class TargetGroupInline(admin.TabularInline):
    model = ActivityTargetGroup
    extra = 0


@admin.register(Activity)
class ActivityAdmin(admin.ModelAdmin):
    list_display = ["title", "house", "category", "organiser", "first_date", "until"]
    list_filter = ["category", "organiser", "registration_required", "house__neighbourhood__district"]
    search_fields = ["title", "house__name", "partner_name"]
    list_select_related = ["house"]
    autocomplete_fields = ["house", "place", "room"]
    readonly_fields = ["weekdays", "interval_weeks", "first_date", "until", "created_by"]
    inlines = [TargetGroupInline]


@admin.register(Session)
class SessionAdmin(admin.ModelAdmin):
    """Read-mostly: sessions are planned, moved and cancelled through the programme pages (services)."""

    list_display = ["activity", "start", "end", "status", "participants_count"]
    list_filter = ["status", "activity__category"]
    search_fields = ["activity__title", "activity__house__name"]
    list_select_related = ["activity"]
    date_hierarchy = "start"
    readonly_fields = ["activity", "room", "occupancy", "start", "end", "moved_from", "closed_at", "closed_by"]


@admin.register(Registration)
class RegistrationAdmin(admin.ModelAdmin):
    list_display = ["session", "user", "status", "created_at"]
    list_filter = ["status"]
    search_fields = ["user__email", "session__activity__title"]
    list_select_related = ["session__activity", "user"]
    readonly_fields = ["session", "user", "created_at"]
