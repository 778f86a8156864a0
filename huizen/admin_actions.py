"""Admin actions that act through the services, so the admin never changes state behind their back.

`service_action` makes an admin action that calls a service once per selected object with `by=request.user`;
with a form (a reason, a new operator) it first shows that form for the selection: the same form the house's
pages use (bookings' ReasonForm, activities' SessionCancelForm), so the admin accepts no more than they do.
Each object is done in its own transaction (the service's); what a service refuses is reported per object and
changes nothing.
"""

from collections.abc import Callable

from django import forms
from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.core.exceptions import ValidationError
from django.template.response import TemplateResponse
from django.utils.translation import ngettext


def service_action(
    name: str, description, run: Callable, form_class: type[forms.Form] | None = None, permission: str = "view"
):
    """An admin action `name` that calls `run(obj, by, **form.cleaned_data)` for each selected object."""

    def action(modeladmin, request, queryset):
        form = None
        if form_class is not None:
            form = form_class(request.POST if "apply" in request.POST else None)
            if not form.is_bound or not form.is_valid():
                context = {
                    **modeladmin.admin_site.each_context(request),
                    "title": description,
                    "objects": list(queryset),
                    "form": form,
                    "action": name,
                    "opts": modeladmin.model._meta,
                    "action_checkbox_name": helpers.ACTION_CHECKBOX_NAME,
                    "media": modeladmin.media + form.media,
                }
                return TemplateResponse(request, "admin/service_action.html", context)
        arguments = form.cleaned_data if form is not None else {}
        done = 0
        for obj in queryset:
            try:
                run(obj, request.user, **arguments)
            except ValidationError as error:
                modeladmin.message_user(request, f"{obj}: {' '.join(error.messages)}", messages.ERROR)
            else:
                done += 1
        if done:
            modeladmin.message_user(
                request,
                ngettext("Done for %(count)d item.", "Done for %(count)d items.", done) % {"count": done},
                messages.SUCCESS,
            )
        return None

    action.__name__ = name
    return admin.action(description=description, permissions=[permission])(action)


class ViewOnlyAdmin(admin.ModelAdmin):
    """A model the admin may look up but never add, change or delete: its state changes through the services
    (and their admin actions) only."""

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
