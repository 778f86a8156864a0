from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.utils.translation import gettext_lazy as _

from audit.admin import AuditedAdmin
from privacy.admin.access import AccessLoggedAdmin

from .models import RoleAssignment, User


class RoleAssignmentInline(admin.TabularInline):
    model = RoleAssignment
    extra = 0
    autocomplete_fields = ["house", "organisation"]
    fields = ["role", "house", "organisation"]


@admin.register(User)
class UserAdmin(AccessLoggedAdmin, AuditedAdmin, DjangoUserAdmin):
    ordering = ["email"]
    list_display = ["email", "first_name", "last_name", "language", "is_superuser", "is_active"]
    access_user_field = "pk"
    list_filter = ["is_superuser", "is_active", "role_assignments__role"]
    search_fields = ["email", "first_name", "last_name"]
    inlines = [RoleAssignmentInline]
    fieldsets = [
        (None, {"fields": ["email", "password"]}),
        (_("Personal info"), {"fields": ["first_name", "last_name", "language"]}),
        (
            _("Administrator"),
            {
                "fields": ["is_active", "is_staff", "is_superuser"],
                "description": _("An administrator is staff and superuser: they manage everything here."),
            },
        ),
        (_("Important dates"), {"fields": ["last_login", "date_joined"]}),
    ]
    add_fieldsets = [(None, {"classes": ["wide"], "fields": ["email", "password1", "password2"]})]
