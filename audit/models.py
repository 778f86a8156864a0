"""The audit trail: one structured, append-only event per business action, with its actor.

Events are written by `audit.services.event_record`, inside the transaction of the change they describe, and
never changed afterwards: the app and the admin offer no way to edit or delete them, and on PostgreSQL a trigger
refuses it (only the retention prune deletes, and deleting a user only blanks the actor).
"""

from django.apps import apps
from django.conf import settings
from django.core.exceptions import FieldDoesNotExist
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
from django.template.defaultfilters import yesno
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .actions import label_of


class ActorKind(models.TextChoices):
    USER = "user", _("person")
    SCHEDULE = "schedule", _("schedule (automatic task)")
    SYSTEM = "system", _("system")


class Event(models.Model):
    at = models.DateTimeField(_("when"), default=timezone.now)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("actor"),
    )
    actor_kind = models.CharField(_("kind of actor"), max_length=10, choices=ActorKind.choices)
    action = models.CharField(_("action"), max_length=60)
    object_type = models.CharField(_("kind of object"), max_length=60, blank=True)
    object_id = models.CharField(_("object id"), max_length=64, blank=True)
    object_label = models.CharField(_("object"), max_length=200, blank=True)
    house = models.ForeignKey(
        "locations.House",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("house"),
    )
    changes = models.JSONField(_("changes"), default=dict, blank=True, encoder=DjangoJSONEncoder)

    class Meta:
        ordering = ["-at", "-pk"]
        verbose_name = _("history event")
        verbose_name_plural = _("history events")
        indexes = [
            models.Index(fields=["house", "-at"], name="audit_event_house_at"),
            models.Index(fields=["at"], name="audit_event_at"),
            models.Index(fields=["object_type", "object_id"], name="audit_event_object"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(actor_kind__in=["user", "schedule", "system"]), name="audit_event_actor_kind"
            ),
        ]

    def __str__(self):
        return f"{self.at:%Y-%m-%d %H:%M} {self.action} {self.object_label}"

    @property
    def action_label(self) -> str:
        return label_of(self.action)

    @property
    def change_rows(self) -> list[tuple[str, object, object]]:
        """(field, old, new) for each change, as a person reads them: the field by its (translated) verbose name
        and a choice by its label; old is None for values recorded without an old one."""
        model = _model_of(self.object_type)
        rows = []
        for name, value in (self.changes or {}).items():
            old, new = (value[0], value[1]) if isinstance(value, list) and len(value) == 2 else (None, value)
            field = _field_of(model, name)
            if field is None:
                rows.append((name.replace("_", " "), _choice_label(None, old), _choice_label(None, new)))
                continue
            rows.append((str(field.verbose_name), _choice_label(field, old), _choice_label(field, new)))
        return rows

    @property
    def actor_label(self) -> str:
        if self.actor_kind != ActorKind.USER:
            return ActorKind(self.actor_kind).label
        if self.actor is None:  # the account was deleted, or the registration the event was about
            return str(_("someone (name no longer kept)"))
        return self.actor.get_full_name() or self.actor.email


def _model_of(object_type: str):
    try:
        return apps.get_model(object_type) if object_type else None
    except (LookupError, ValueError):
        return None


def _field_of(model, name: str):
    if model is None:
        return None
    try:
        field = model._meta.get_field(name)
    except FieldDoesNotExist:
        return None
    return field if hasattr(field, "verbose_name") else None  # a reverse relation (such as `sessions`) has none


def _choice_label(field, value):
    """A stored choice (such as "requested") by its label ("aangevraagd"); other values as they are."""
    if isinstance(value, bool):
        return yesno(value)
    if value is None or not getattr(field, "choices", None):
        return value
    return dict(field.flatchoices).get(value, value)
