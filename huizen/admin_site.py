from django.conf import settings
from django.contrib import admin
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from accounts.policy import is_administrator
from huizen.admin_actions import ViewOnlyAdmin
from huizen.redirects import redirect_next, safe_next
from privacy.admin_logging import AccessLoggedAdmin


class HuizenAdminSite(admin.AdminSite):
    site_header = _("Administration")
    index_title = _("Manage the network")

    def each_context(self, request):
        context = super().each_context(request)
        context["site_title"] = settings.SITE_NAME
        context["site_header"] = settings.SITE_NAME
        return context

    def has_permission(self, request):
        """The admin is for administrators as the policy defines them; `is_staff` with a few Django model
        permissions is not enough (the admin actions approve, reject and cancel at any house)."""
        return super().has_permission(request) and is_administrator(request.user)

    def register(self, model_or_iterable, admin_class=None, **options):
        """allauth registers its authenticators and sessions with an admin that may add and edit them: ours only
        lists them, and removing an authenticator goes through the service (recorded in the history). Its e-mail
        addresses keep allauth's admin, with every look recorded in the access log."""
        from allauth.account.models import EmailAddress
        from allauth.mfa.models import Authenticator
        from allauth.usersessions.models import UserSession

        models = {model_or_iterable} if isinstance(model_or_iterable, type) else set(model_or_iterable)
        if models == {Authenticator}:
            admin_class = AuthenticatorAdmin
        elif models == {UserSession}:
            admin_class = UserSessionAdmin
        elif models == {EmailAddress}:
            admin_class = _email_address_admin(admin_class)
        return super().register(model_or_iterable, admin_class, **options)

    def login(self, request, extra_context=None):
        """One login for everyone: the admin has no password form of its own but sends people to the site's
        login (django-allauth), so the same rate limits, e-mail verification and second login step hold for
        administrators."""
        index = reverse("admin:index", current_app=self.name)
        if request.user.is_authenticated:
            if self.has_permission(request):
                return redirect_next(request, index)
            # Logged in without the right to the admin: sending them to the login again would loop.
            raise PermissionDenied
        return redirect_to_login(safe_next(request, index), reverse("account_login"))


def _email_address_admin(base):
    """allauth's admin of e-mail addresses (`base`, registered while allauth.account.admin is imported): every
    user's address is named data, so its pages record whose addresses they show."""

    class EmailAddressAdmin(AccessLoggedAdmin, base or admin.ModelAdmin):
        access_person, access_user_field = "user", "pk"

    return EmailAddressAdmin


class AuthenticatorAdmin(AccessLoggedAdmin, admin.ModelAdmin):
    """Second factors: listed, never added or edited here (a secret typed in by someone else is no second factor);
    removed for someone who lost their phone and recovery codes, through accounts.mfa.authenticator_remove."""

    access_person, access_user_field = "user", "pk"
    raw_id_fields = ("user",)
    list_display = ("user", "type", "created_at", "last_used_at")
    list_filter = ("type",)
    fields = ("user", "type", "created_at", "last_used_at")
    readonly_fields = fields

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def delete_model(self, request, obj):
        from accounts.mfa import authenticator_remove

        authenticator_remove(authenticator=obj, by=request.user)

    def delete_queryset(self, request, queryset):
        for authenticator in queryset.select_related("user"):
            self.delete_model(request, authenticator)


class UserSessionAdmin(AccessLoggedAdmin, ViewOnlyAdmin):
    """Sessions: listed only; people end their own (Waar je bent ingelogd). Taking a role away ends staff access
    at the next page anyway."""

    access_person, access_user_field = "user", "pk"
    raw_id_fields = ("user",)
    list_display = ("user", "created_at", "ip", "user_agent")
    fields = ("user", "created_at", "ip", "user_agent")
    readonly_fields = fields
