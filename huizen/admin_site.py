from django.conf import settings
from django.contrib import admin
from django.utils.translation import gettext_lazy as _


class HuizenAdminSite(admin.AdminSite):
    site_header = _("Administration")
    index_title = _("Manage the network")

    def each_context(self, request):
        context = super().each_context(request)
        context["site_title"] = settings.SITE_NAME
        context["site_header"] = settings.SITE_NAME
        return context
