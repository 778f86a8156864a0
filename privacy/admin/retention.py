"""The admin of privacy: retention. Administrators read every category of personal data (what, why, legal basis,
the default, the period in force and its legal limits with the reason) and change a period through a form that
calls `retention_period_set`, which refuses anything outside the limits. Nothing is added or deleted here: a
category is defined in code (`privacy.retention`), only its period is data."""

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.translation import gettext as _

from ..forms.retention import RetentionPeriodForm
from ..models import RetentionPeriod
from ..retention import BY_KEY
from ..selectors.retention import category_periods, period_in_words
from ..services.retention import retention_period_set


@admin.register(RetentionPeriod)
class RetentionPeriodAdmin(admin.ModelAdmin):
    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def get_urls(self):
        return [
            path(
                "<str:key>/termijn/",
                self.admin_site.admin_view(self.period_view),
                name="privacy_retentionperiod_period",
            ),
        ] + super().get_urls()

    def changelist_view(self, request, extra_context=None):
        """Every category, with or without a chosen period (the rows alone would miss the defaults)."""
        if not self.has_view_permission(request):
            raise PermissionDenied
        context = {
            **self.admin_site.each_context(request),
            "title": _("Retention periods"),
            "opts": self.model._meta,
            "periods": category_periods(),
            "may_change": self.has_change_permission(request),
        }
        return TemplateResponse(request, "privacy/retention/admin_list.html", context)

    def change_view(self, request, object_id, form_url="", extra_context=None):
        period = self.get_object(request, object_id)
        if period is None or period.category not in BY_KEY:
            raise Http404
        return redirect("admin:privacy_retentionperiod_period", period.category)

    def period_view(self, request, key):
        category = BY_KEY.get(key)
        if category is None:
            raise Http404
        if not self.has_change_permission(request):
            raise PermissionDenied
        current = next(period for period in category_periods() if period.category.key == key)
        form = RetentionPeriodForm(request.POST or None, category=category, initial={"days": current.days})
        if request.method == "POST" and form.is_valid():
            try:
                saved = retention_period_set(category=key, days=form.cleaned_data["days"], by=request.user)
            except ValidationError as error:
                for message in error.message_dict.get("days", error.messages):
                    form.add_error("days", message)
            else:
                self.message_user(
                    request,
                    _("%(name)s: now kept %(period)s.")
                    % {"name": category.name, "period": period_in_words(saved.days, category)},
                    messages.SUCCESS,
                )
                return redirect(reverse("admin:privacy_retentionperiod_changelist"))
        context = {
            **self.admin_site.each_context(request),
            "title": _("Change the retention period: %(name)s") % {"name": category.name},
            "opts": self.model._meta,
            "period": current,
            "form": form,
        }
        return TemplateResponse(request, "privacy/retention/admin_period.html", context)
