from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class OutboxMessage(models.Model):
    """A task that a committed change must still set off (an e-mail, mostly), kept until the broker has it.

    Written in the same transaction as the change (huizen.outbox.enqueue), so it exists exactly when the change does;
    sent after the commit, or later by the minute's flush when the broker was away."""

    task = models.CharField(_("task"), max_length=200)
    args = models.JSONField(_("arguments"), default=list)
    kwargs = models.JSONField(_("named arguments"), default=dict)
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    # When the message may next be sent; taking a message moves it on, so two senders never both have it.
    next_attempt_at = models.DateTimeField(_("next attempt"), default=timezone.now)
    attempts = models.PositiveIntegerField(_("attempts"), default=0)
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True)
    last_error = models.TextField(_("last error"), blank=True)

    class Meta:
        verbose_name = _("outbox message")
        verbose_name_plural = _("outbox messages")
        indexes = [
            models.Index(fields=["next_attempt_at"], condition=Q(sent_at__isnull=True), name="outbox_unsent_due_idx")
        ]

    def __str__(self):
        return f"{self.task}{tuple(self.args)}"
