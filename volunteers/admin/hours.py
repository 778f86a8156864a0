"""Admin of volunteering: hours and allowance. Hours and payments are looked up here, never changed (they change
through the services: the coordinator's pages); the allowance caps are data, one year per row, edited here and
recorded in the history."""

from django.contrib import admin

from audit.admin import AuditedAdmin
from huizen.admin_actions import ViewOnlyAdmin
from privacy.admin.access import AccessLoggedAdmin

from ..models import AllowanceCaps, AllowancePayment, HoursEntry


@admin.register(HoursEntry)
class HoursEntryAdmin(AccessLoggedAdmin, ViewOnlyAdmin):
    list_display = ["volunteer", "date", "minutes", "source", "status"]
    access_person = "volunteer"
    list_filter = ["status", "source", "volunteer__house"]
    search_fields = ["volunteer__first_name", "volunteer__last_name", "description"]
    list_select_related = ["volunteer"]
    date_hierarchy = "date"


@admin.register(AllowancePayment)
class AllowancePaymentAdmin(AccessLoggedAdmin, ViewOnlyAdmin):
    list_display = ["volunteer", "month", "hours", "amount", "paid_on"]
    access_person = "volunteer"
    list_filter = ["volunteer__house"]
    search_fields = ["volunteer__first_name", "volunteer__last_name"]
    list_select_related = ["volunteer"]
    date_hierarchy = "month"


@admin.register(AllowanceCaps)
class AllowanceCapsAdmin(AuditedAdmin):
    """The tax-free caps of a year: a new year is added before its first payment; a year is never deleted, since
    payments were checked against it."""

    list_display = ["year", "hourly_adult", "hourly_young", "adult_age", "monthly", "yearly"]
    ordering = ["-year"]

    def has_delete_permission(self, request, obj=None):
        return False
