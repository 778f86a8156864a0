from django.conf import settings
from django.contrib import admin
from django.contrib.auth import REDIRECT_FIELD_NAME
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext_lazy as _


class HuizenAdminSite(admin.AdminSite):
    site_header = _("Administration")
    index_title = _("Manage the network")

    def each_context(self, request):
        context = super().each_context(request)
        context["site_title"] = settings.SITE_NAME
        context["site_header"] = settings.SITE_NAME
        return context

    def login(self, request, extra_context=None):
        """One login for everyone: the admin has no password form of its own but sends people to the site's
        login (django-allauth), so the same rate limits and e-mail verification hold for administrators."""
        index = reverse("admin:index", current_app=self.name)
        next_url = request.GET.get(REDIRECT_FIELD_NAME) or request.POST.get(REDIRECT_FIELD_NAME) or ""
        if not url_has_allowed_host_and_scheme(
            next_url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
        ):
            next_url = index
        if request.user.is_authenticated:
            if self.has_permission(request):
                return redirect(next_url)
            # Logged in without the right to the admin: sending them to the login again would loop.
            raise PermissionDenied
        return redirect_to_login(next_url, reverse("account_login"))
