from django.apps import AppConfig
from django.contrib.admin import apps as admin_apps


class HuizenConfig(AppConfig):
    default = True
    name = "huizen"
    verbose_name = "Huizen van de Wijk"


class HuizenAdminConfig(admin_apps.AdminConfig):
    default = False
    default_site = "huizen.admin_site.HuizenAdminSite"
