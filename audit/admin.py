"""The whole history, for administrators: read-only. Nobody adds, changes or deletes an event here."""

import json

from django.contrib import admin
from django.contrib.auth import get_user_model
from django.core.exceptions import ObjectDoesNotExist
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models, transaction

from huizen.admin_actions import ViewOnlyAdmin

from .models import Event
from .services import event_record


@admin.register(Event)
class EventAdmin(ViewOnlyAdmin):
    list_display = ["at", "actor_display", "action_display", "object_label", "house"]
    list_filter = ["actor_kind", "action", "house__neighbourhood__district"]
    search_fields = ["object_label", "actor__email", "house__name", "action"]
    list_select_related = ["actor", "house"]
    date_hierarchy = "at"
    readonly_fields = [field.name for field in Event._meta.fields]

    @admin.display(description=Event._meta.get_field("actor").verbose_name, ordering="actor__email")
    def actor_display(self, event):
        return event.actor_label

    @admin.display(description=Event._meta.get_field("action").verbose_name, ordering="action")
    def action_display(self, event):
        return event.action_label


SECRET_WORDS = ("password", "token", "secret")


def _value(value):
    """A form value as the history stores it: objects as their id, sets of objects as a list of ids."""
    if isinstance(value, models.Model):
        return value.pk
    if isinstance(value, models.QuerySet | list | tuple | set):
        return [_value(item) for item in value]
    try:
        json.dumps(value, cls=DjangoJSONEncoder)
    except TypeError:
        return str(value)
    return value


def form_changes(form, *, values: bool = True) -> dict:
    """{field: [old, new]} for each field the admin form changed; secrets (and, without `values`, everything)
    are named, never stored."""
    changes = {}
    for name in form.changed_data:
        if not values or any(word in name for word in SECRET_WORDS):
            changes[name] = ["…", "…"]
        else:
            changes[name] = [_value(form.initial.get(name)), _value(form.cleaned_data.get(name))]
    return changes


def _inline_changes(message) -> list:
    """What the admin's change message says about inline rows (added, changed, deleted), without field values."""
    rows = []
    for item in message if isinstance(message, list) else []:
        for kind, detail in item.items():
            if isinstance(detail, dict) and "object" in detail:
                rows.append({kind: f"{detail.get('name', '')}: {detail['object']}"})
    return rows


def house_of(obj):
    """The house an object belongs to (the house itself, or through its place, room, activity), if any."""
    from locations.models import House

    if isinstance(obj, House):
        return obj
    for path in ("house", "place.house", "room.place.house", "activity.house"):
        value = obj
        try:
            for name in path.split("."):
                value = getattr(value, name)
        except (AttributeError, ObjectDoesNotExist):
            continue
        if isinstance(value, House):
            return value
    return None


class AuditedAdmin(admin.ModelAdmin):
    """Edits of reference data in the admin (houses, places, rooms, users and their roles) are recorded in the
    history too, with the administrator as actor: "admin.add", "admin.change" and "admin.delete"."""

    def save_model(self, request, obj, form, change):
        # a person's own details are named as changed, not kept in the history
        request._audit_form_changes = form_changes(form, values=not isinstance(obj, get_user_model()))
        super().save_model(request, obj, form, change)

    def _audit(self, request, action, obj, message=None, house=None):
        changes = dict(getattr(request, "_audit_form_changes", {}))
        inlines = _inline_changes(message)
        if inlines:
            changes["inlines"] = inlines
        label = f"#{obj.pk}" if isinstance(obj, get_user_model()) else ""
        with transaction.atomic():
            event_record(by=request.user, action=action, obj=obj, house=house, changes=changes, label=label)

    def log_addition(self, request, obj, message):
        entry = super().log_addition(request, obj, message)
        self._audit(request, "admin.add", obj, message, house_of(obj))
        return entry

    def log_change(self, request, obj, message):
        entry = super().log_change(request, obj, message)
        self._audit(request, "admin.change", obj, message, house_of(obj))
        return entry

    def log_deletions(self, request, queryset):
        from locations.models import House

        entries = super().log_deletions(request, queryset)
        request._audit_form_changes = {}
        for obj in queryset:
            # a house being deleted cannot be the house of its own event; its history keeps it from deletion
            self._audit(request, "admin.delete", obj, house=None if isinstance(obj, House) else house_of(obj))
        return entries
