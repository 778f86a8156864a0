"""Admin of volunteering: people. Volunteers and their certificates are read-only here (they change through the
coordinator's pages); which roles need which certificate and a house's volunteer settings are reference data,
edited here and recorded in the history."""

from django.contrib import admin

from audit.admin import AuditedAdmin
from huizen.admin_actions import ViewOnlyAdmin
from privacy.admin.access import AccessLoggedAdmin

from ..models import Certificate, HouseVolunteering, RoleCertificate, Volunteer, VolunteerRoleChoice
from ..services.people import house_volunteering_update


class RoleChoiceInline(admin.TabularInline):
    model = VolunteerRoleChoice
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


class CertificateInline(admin.TabularInline):
    model = Certificate
    extra = 0
    fields = ["kind", "issued_on", "valid_until"]
    readonly_fields = fields

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Volunteer)
class VolunteerAdmin(AccessLoggedAdmin, ViewOnlyAdmin):
    list_display = ["__str__", "house", "status", "start_date", "end_date"]
    list_filter = ["status", "house"]
    search_fields = ["first_name", "last_name", "email"]
    list_select_related = ["house"]
    inlines = [RoleChoiceInline, CertificateInline]
    exclude = ["date_of_birth"]  # only the allowance needs it; not shown where it is not needed


@admin.register(Certificate)
class CertificateAdmin(AccessLoggedAdmin, ViewOnlyAdmin):
    list_display = ["volunteer", "kind", "issued_on", "valid_until"]
    access_person = "volunteer"
    list_filter = ["kind"]
    list_select_related = ["volunteer"]
    date_hierarchy = "valid_until"


@admin.register(RoleCertificate)
class RoleCertificateAdmin(AuditedAdmin):
    list_display = ["role", "certificate"]


@admin.register(HouseVolunteering)
class HouseVolunteeringAdmin(AuditedAdmin):
    """Saved through `house_volunteering_update`, as on the coordinator's settings page: a new renewal period
    recomputes validity, forgets the reminders sent and marks the report days; the service records the history."""

    list_display = ["house", "certificate_renewal_years", "idle_after_days"]
    list_select_related = ["house"]

    def get_readonly_fields(self, request, obj=None):
        return ["house"] if obj is not None else []

    def save_model(self, request, obj, form, change):
        row = house_volunteering_update(
            house=obj.house,
            certificate_renewal_years=obj.certificate_renewal_years,
            idle_after_days=obj.idle_after_days,
            by=request.user,
        )
        obj.pk = row.pk

    def log_addition(self, request, obj, message):  # the service recorded it
        return admin.ModelAdmin.log_addition(self, request, obj, message)

    def log_change(self, request, obj, message):  # the service recorded it
        return admin.ModelAdmin.log_change(self, request, obj, message)
