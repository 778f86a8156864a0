"""Admin of volunteering: people. Volunteers and their certificates are read-only here (they change through the
coordinator's pages); which roles need which certificate and a house's volunteer settings are reference data,
edited here and recorded in the history."""

from django.contrib import admin
from django.db import transaction

from audit.admin import AuditedAdmin
from huizen.admin_actions import ViewOnlyAdmin

from ..models import Certificate, HouseVolunteering, RoleCertificate, Volunteer, VolunteerRoleChoice
from ..services.people import certificates_revalidate


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
class VolunteerAdmin(ViewOnlyAdmin):
    list_display = ["__str__", "house", "status", "start_date", "end_date"]
    list_filter = ["status", "house"]
    search_fields = ["first_name", "last_name", "email"]
    list_select_related = ["house"]
    inlines = [RoleChoiceInline, CertificateInline]
    exclude = ["date_of_birth"]  # only the allowance needs it; not shown where it is not needed


@admin.register(Certificate)
class CertificateAdmin(ViewOnlyAdmin):
    list_display = ["volunteer", "kind", "issued_on", "valid_until"]
    list_filter = ["kind"]
    list_select_related = ["volunteer"]
    date_hierarchy = "valid_until"


@admin.register(RoleCertificate)
class RoleCertificateAdmin(AuditedAdmin):
    list_display = ["role", "certificate"]


@admin.register(HouseVolunteering)
class HouseVolunteeringAdmin(AuditedAdmin):
    list_display = ["house", "certificate_renewal_years", "idle_after_days"]
    list_select_related = ["house"]

    @transaction.atomic
    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        if "certificate_renewal_years" in form.changed_data:
            # A new renewal period applies to the house's certificates, as on the coordinator's settings page.
            certificates_revalidate(house=obj.house, years=obj.certificate_renewal_years)
