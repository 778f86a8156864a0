"""Writes to the audit trail. Every service that changes state calls `event_record` inside its transaction.

The actor is required: a user, or one of the named actors `SCHEDULE` (the Celery schedule) and `SYSTEM`
(commands, the demo seeder, migrations). Services take it as their `by` keyword and pass it on unchanged.
"""

import datetime as dt
import json
from dataclasses import dataclass

from django.core.serializers.json import DjangoJSONEncoder
from django.db import connection, models, transaction
from django.db.models.functions import Cast
from django.utils import timezone

from .actions import ACTIONS
from .models import ActorKind, Event


@dataclass(frozen=True)
class NamedActor:
    """An actor that is not a person: the schedule or the system."""

    kind: str
    pk = None
    is_authenticated = False

    def __str__(self):
        return self.kind


SCHEDULE = NamedActor(ActorKind.SCHEDULE)
SYSTEM = NamedActor(ActorKind.SYSTEM)


def user_of(by):
    """The user behind `by`, for fields such as `decided_by`; None for the schedule and the system."""
    return None if isinstance(by, NamedActor) else by


class _Encoder(DjangoJSONEncoder):
    """Times as Amsterdam wall-clock times to the minute, as people read them; model instances as their pk."""

    def default(self, o):
        if isinstance(o, dt.datetime) and timezone.is_aware(o):
            return timezone.localtime(o).isoformat(timespec="minutes")
        if isinstance(o, models.Model):
            return o.pk
        return super().default(o)


def _plain(value):
    return json.loads(json.dumps(value, cls=_Encoder))


def snapshot(obj, fields) -> dict:
    """The values of `fields` of `obj` now (foreign keys as their id), to compare after a change."""
    return {field: getattr(obj, obj._meta.get_field(field).attname) for field in fields}


def diff(before: dict, after: dict) -> dict:
    """{field: [old, new]} for each field whose value changed. Values are compared as they are, so that an amount
    given as 0 is no change of a stored 0.00, and then as the history writes them."""
    plain_before, plain_after = _plain(before), _plain(after)
    return {
        field: [plain_before.get(field), plain_after[field]]
        for field, value in after.items()
        if before.get(field) != value and plain_before.get(field) != plain_after[field]
    }


def event_record(
    *,
    by,
    action: str,
    obj: models.Model | None = None,
    house=None,
    changes: dict | None = None,
    label: str = "",
) -> Event:
    """Record that `by` did `action` to `obj` (of `house`), with `changes` as {field: [old, new]} (or any small
    JSON). Call it inside the transaction of the change, so the event and the change commit or fail together.
    `label` names the object in the history (default `str(obj)`); keep names of residents out of it."""
    if action not in ACTIONS:
        raise ValueError(f"Unknown audit action {action!r}: add it to audit.actions.ACTIONS.")
    if not connection.in_atomic_block:
        raise RuntimeError("An audit event is written in the transaction of its change.")
    if isinstance(by, NamedActor):
        actor, kind = None, by.kind
    elif by is not None and getattr(by, "pk", None):
        actor, kind = by, ActorKind.USER
    else:
        raise ValueError("An audit event needs an actor: a user, audit.services.SCHEDULE or SYSTEM.")
    return Event.objects.create(
        actor=actor,
        actor_kind=kind,
        action=action,
        object_type=obj._meta.label_lower if obj is not None else "",
        object_id=str(obj.pk) if obj is not None else "",
        object_label=(label or (str(obj) if obj is not None else ""))[:200],
        house=house,
        changes=_plain(changes or {}),
    )


def events_forget_actors(*, objects: models.QuerySet) -> int:
    """Blank the actor of every event about `objects`, when the named data behind them (such as registrations) is
    deleted: the history keeps what happened to them, not who did it. Call it in the transaction that deletes them,
    before the delete. The PostgreSQL trigger allows this one change (the actor, nothing else)."""
    keys = objects.order_by().annotate(audit_key=Cast("pk", models.CharField())).values("audit_key")
    return Event.objects.filter(
        object_type=objects.model._meta.label_lower, object_id__in=keys, actor__isnull=False
    ).update(actor=None)


def events_prune(*, by, now: dt.datetime, days: int) -> int:
    """Delete events older than `days`; the prune itself is recorded. Retention category "audit_events"
    (privacy.retention), applied daily by privacy.services.retention.retention_apply."""
    cutoff = now - dt.timedelta(days=days)
    with transaction.atomic():
        if connection.vendor == "postgresql":  # the trigger lets only this transaction delete
            with connection.cursor() as cursor:
                cursor.execute("SET LOCAL huizen.audit_prune = 'on'")
        deleted, _by_model = Event.objects.filter(at__lt=cutoff).delete()
        if deleted:
            event_record(by=by, action="event.prune", changes={"deleted": deleted, "before": cutoff})
    return deleted
