from django.conf import settings
from django.contrib import admin
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from accounts.policy import is_administrator
from huizen.redirects import redirect_next, safe_next


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

    def login(self, request, extra_context=None):
        """One login for everyone: the admin has no password form of its own but sends people to the site's
        login (django-allauth), so the same rate limits and e-mail verification hold for administrators."""
        index = reverse("admin:index", current_app=self.name)
        if request.user.is_authenticated:
            if self.has_permission(request):
                return redirect_next(request, index)
            # Logged in without the right to the admin: sending them to the login again would loop.
            raise PermissionDenied
        return redirect_to_login(safe_next(request, index), reverse("account_login"))
