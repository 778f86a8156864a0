from django import forms
from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _

from audit.admin import AuditedAdmin
from privacy.admin.access import AccessLoggedAdmin

from .models import RoleAssignment, User


class EraseConfirmForm(forms.Form):
    confirm = forms.BooleanField(
        label=_("I understand: these accounts are anonymised, and that cannot be undone."),
        error_messages={"required": _("Tick the box to confirm.")},
    )


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
    actions = ["erase_accounts"]

    def has_delete_permission(self, request, obj=None):
        # Deleting a user would delete their registrations, and so change every figure: an account is erased
        # (anonymised, the rows kept) with the action below instead.
        return False

    @admin.action(description=_("Erase account"), permissions=["change"])
    def erase_accounts(self, request, queryset):
        """First a confirmation page listing the accounts (erasing cannot be undone), then the erasure."""
        from django.contrib.admin import helpers
        from django.template.response import TemplateResponse

        from privacy.services.mydata import is_erased, user_erase

        form = EraseConfirmForm(request.POST if "apply" in request.POST else None)
        if not form.is_bound or not form.is_valid():
            context = {
                **self.admin_site.each_context(request),
                "title": gettext("Erase account"),
                "intro": gettext(
                    "Erasing anonymises each account as when its owner deletes it: name, e-mail address and other "
                    "personal data go, every figure stays the same. The history records it."
                ),
                "objects": list(queryset),
                "form": form,
                "action": "erase_accounts",
                "opts": self.model._meta,
                "action_checkbox_name": helpers.ACTION_CHECKBOX_NAME,
                "media": self.media,
            }
            return TemplateResponse(request, "admin/service_action.html", context)
        erased = 0
        for user in queryset.order_by("pk"):
            if user.pk == request.user.pk or user.is_superuser:
                self.message_user(
                    request,
                    gettext("%(email)s is an administrator (or you): remove the administrator rights first.")
                    % {"email": user.email},
                    messages.ERROR,
                )
                continue
            if is_erased(user):
                continue
            user_erase(user=user, by=request.user, reason="administrator")
            erased += 1
        if erased:
            self.message_user(
                request,
                ngettext("%(count)d account erased.", "%(count)d accounts erased.", erased) % {"count": erased},
                messages.SUCCESS,
            )
