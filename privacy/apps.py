from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


def _end_dormancy_warning(sender, request, user, **kwargs):
    """A login ends the warning before anonymising an unused account."""
    from .services.mydata import dormancy_warning_end

    dormancy_warning_end(user=user)


class PrivacyConfig(AppConfig):
    name = "privacy"
    verbose_name = _("Privacy")

    def ready(self):
        from django.contrib.auth.signals import user_logged_in

        user_logged_in.connect(_end_dormancy_warning, dispatch_uid="privacy_end_dormancy_warning")
