"""The programme in the admin, for administrators. Signals and door taps stay out: the policy keeps signals
to the house's coordinators, and door taps are counted, not edited.

State is never edited here: an activity's days, times, room and capacity, a session's status and times and a
registration's status are read-only, and nothing is added or deleted behind the services' back (rooms would stay
claimed, waiting lists would not move, nobody would be told). The actions below call the services instead.
"""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from audit.admin import AuditedAdmin
from huizen.admin_actions import service_action
from privacy.admin.access import AccessLoggedAdmin

from . import services
from .forms import SessionCancelForm
from .models import Activity, ActivityTargetGroup, Registration, Session


class TargetGroupInline(admin.TabularInline):
    model = ActivityTargetGroup
    extra = 0


class NoAddOrDelete:
    def has_add_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Activity)
class ActivityAdmin(NoAddOrDelete, AuditedAdmin):
    """Titles and descriptions may be corrected here; the plan itself belongs to the programme pages."""

    list_display = ["title", "house", "category", "organiser", "first_date", "until"]
    list_filter = ["category", "organiser", "registration_required", "house__neighbourhood__district"]
    search_fields = ["title", "house__name", "partner_name"]
    list_select_related = ["house"]
    readonly_fields = [
        "house",
        "place",
        "room",
        "weekdays",
        "interval_weeks",
        "first_date",
        "until",
        "start_time",
        "end_time",
        "skip_holidays",
        "capacity",
        "registration_required",
        "created_by",
    ]
    inlines = [TargetGroupInline]


@admin.register(Session)
class SessionAdmin(NoAddOrDelete, admin.ModelAdmin):
    """Read-only: sessions are planned, moved, cancelled and closed through the services."""

    list_display = ["activity", "start", "end", "status", "participants_count"]
    list_filter = ["status", "activity__category"]
    search_fields = ["activity__title", "activity__house__name"]
    list_select_related = ["activity"]
    date_hierarchy = "start"
    actions = [
        service_action(
            "cancel_sessions",
            _("Cancel the selected sessions"),
            lambda session, by, reason: services.session_cancel(session=session, reason=reason, by=by),
            form_class=SessionCancelForm,
        )
    ]

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(Registration)
class RegistrationAdmin(AccessLoggedAdmin, NoAddOrDelete, admin.ModelAdmin):
    """Read-only: a cancellation goes through the service, so the waiting list moves up."""

    list_display = ["session", "user", "status", "created_at"]
    list_filter = ["status"]
    search_fields = ["user__email", "session__activity__title"]
    list_select_related = ["session__activity", "user"]
    actions = [
        service_action(
            "cancel_registrations",
            _("Cancel the selected registrations"),
            lambda registration, by: services.registration_cancel(registration=registration, by=by),
        )
    ]

    def has_change_permission(self, request, obj=None):
        return False
