from django.contrib import admin

from .admin_actions import ViewOnlyAdmin
from .models import OutboxMessage


@admin.register(OutboxMessage)
class OutboxMessageAdmin(ViewOnlyAdmin):
    """For looking up what waits to be sent; the outbox's flush sends it (huizen/outbox.py), nobody edits it."""

    list_display = ["task", "args", "created_at", "attempts", "next_attempt_at", "sent_at"]
    list_filter = [("sent_at", admin.EmptyFieldListFilter), "task"]
    date_hierarchy = "created_at"
    readonly_fields = [field.name for field in OutboxMessage._meta.fields]
