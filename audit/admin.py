"""The whole history, for administrators: read-only. Nobody adds, changes or deletes an event here."""

from django.contrib import admin

from .models import Event


@admin.register(Event)
class EventAdmin(admin.ModelAdmin):
    list_display = ["at", "actor_display", "action_display", "object_label", "house"]
    list_filter = ["actor_kind", "action", "house__neighbourhood__district"]
    search_fields = ["object_label", "actor__email", "house__name", "action"]
    list_select_related = ["actor", "house"]
    date_hierarchy = "at"
    readonly_fields = [field.name for field in Event._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.display(description=Event._meta.get_field("actor").verbose_name, ordering="actor__email")
    def actor_display(self, event):
        return event.actor_label

    @admin.display(description=Event._meta.get_field("action").verbose_name, ordering="action")
    def action_display(self, event):
        return event.action_label
