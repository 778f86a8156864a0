"""The transactional outbox: follow-up work that a committed change must still set off survives a broker outage.

A service calls `enqueue(task, *args)` inside its transaction instead of `transaction.on_commit(lambda:
task.delay(*args))`. The message is a row written in that transaction, so it exists exactly when the change does.
After the commit it is handed to Celery at once; when the broker (Redis) is away, the failure is logged as a
warning, the view answers as usual, and the row waits for the minute's flush (huizen.tasks.flush_outbox), which
tries again with a growing pause (1, 2, 4 ... at most 15 minutes) until MAX_ATTEMPTS.

Who sends a message takes it first with one conditional UPDATE (still unsent, still due, attempts unchanged), so the
sender after the commit and any number of flushes never hand one message over twice at the same time; the flush
picks its rows with SELECT ... FOR UPDATE SKIP LOCKED on PostgreSQL (SQLite serialises writers anyway).

Delivery is at least once: a message is marked sent only after the broker accepted it, so a crash in between sends
it again later. The tasks behind it are safe to run twice: they load the booking or registration when they run, so
a duplicate costs one more e-mail with news the person already had. With CELERY_TASK_ALWAYS_EAGER (no broker
configured; the tests) "sending" runs the task in the process; a task that fails stays unsent and is tried again.
"""

import datetime as dt
import logging
import time

from celery import current_app
from celery.result import EagerResult
from django.db import connection, transaction
from django.db.models import F, Q
from django.utils import timezone
from kombu.exceptions import OperationalError

from .models import OutboxMessage

logger = logging.getLogger(__name__)

MAX_ATTEMPTS = 300  # with at most 15 minutes between attempts: about three days
MAX_PAUSE_MINUTES = 15
BATCH_SIZE = 200
# Failures of the broker or the network: expected during an outage, a warning. Anything else is an error.
UNREACHABLE = (OperationalError, OSError)
# After the broker was found unreachable, messages committed in the next seconds are left for the flush at once,
# so a session with thirty registrants does not try a dead broker thirty times in one request.
BROKER_PAUSE_SECONDS = 10.0
_broker_down_until = 0.0


def enqueue(task, *args, **kwargs) -> OutboxMessage:
    """Send `task(*args, **kwargs)` to Celery once the current transaction commits, and keep it until the broker
    has it. `task` is a Celery task (or its registered name); the arguments must be JSON (primary keys, strings)."""
    name = task if isinstance(task, str) else task.name
    if name not in current_app.tasks:
        raise LookupError(f"No Celery task named {name!r}")
    now = timezone.now()
    message = OutboxMessage.objects.create(
        task=name, args=list(args), kwargs=kwargs, created_at=now, next_attempt_at=now
    )
    transaction.on_commit(lambda: send(message), robust=True)
    return message


def pause_after(attempts: int) -> dt.timedelta:
    """How long a message waits after its n-th attempt: 1, 2, 4, 8 minutes, then 15."""
    return dt.timedelta(minutes=min(2 ** (max(attempts, 1) - 1), MAX_PAUSE_MINUTES))


def _take(message_id: int, attempts: int, now: dt.datetime) -> bool:
    """Claim a message for one attempt; False when it was sent, is not due, or someone else took it."""
    return bool(
        OutboxMessage.objects.filter(
            pk=message_id, sent_at__isnull=True, next_attempt_at__lte=now, attempts=attempts
        ).update(attempts=F("attempts") + 1, next_attempt_at=now + pause_after(attempts + 1))
    )


def _pause_immediate_sends() -> None:
    global _broker_down_until
    _broker_down_until = time.monotonic() + BROKER_PAUSE_SECONDS


def _deliver(message: OutboxMessage) -> bool:
    """Hand a taken message to Celery; mark it sent only when the broker accepted it."""
    attempt = message.attempts + 1
    try:
        task = current_app.tasks[message.task]
        result = task.apply_async(args=message.args, kwargs=message.kwargs, task_id=f"outbox-{message.pk}-{attempt}")
        if isinstance(result, EagerResult) and result.failed():
            raise result.result
    except Exception as error:  # noqa: BLE001 - a failed send is kept for later, never raised to the view
        OutboxMessage.objects.filter(pk=message.pk).update(last_error=f"{type(error).__name__}: {error}"[:2000])
        if isinstance(error, OperationalError):
            _pause_immediate_sends()
        log = logger.warning if isinstance(error, UNREACHABLE) else logger.error
        log(
            "Outbox message %s (%s) not sent on attempt %s, kept for later: %s",
            message.pk,
            message.task,
            attempt,
            error,
            exc_info=not isinstance(error, UNREACHABLE),
        )
        if attempt >= MAX_ATTEMPTS:
            logger.error("Outbox message %s (%s) given up after %s attempts", message.pk, message.task, attempt)
        return False
    OutboxMessage.objects.filter(pk=message.pk).update(sent_at=timezone.now(), last_error="")
    return True


def send(message: OutboxMessage) -> bool:
    """Send a message that was just committed, unless someone else (a flush) took it first. While the broker was
    just found unreachable, leave it for the flush."""
    if time.monotonic() < _broker_down_until:
        return False
    if not _take(message.pk, message.attempts, timezone.now()):
        return False
    return _deliver(message)


def flush(*, limit: int = BATCH_SIZE) -> int:
    """Send what is due and unsent (oldest first); safe to run twice and side by side. Returns how many were sent."""
    now = timezone.now()
    with transaction.atomic():
        due = OutboxMessage.objects.filter(
            sent_at__isnull=True, next_attempt_at__lte=now, attempts__lt=MAX_ATTEMPTS
        ).order_by("next_attempt_at", "pk")
        if connection.features.has_select_for_update_skip_locked:
            due = due.select_for_update(skip_locked=True)
        taken = [message for message in due[:limit] if _take(message.pk, message.attempts, now)]
    return sum(_deliver(message) for message in taken)


def prune(*, by, now: dt.datetime, days: int) -> int:
    """Delete messages sent (or given up on) more than `days` before `now`; the prune is recorded. Returns how
    many. Retention category "outbox" (privacy.retention), applied daily by
    privacy.services.retention.retention_apply."""
    from audit.services import event_record

    cutoff = now - dt.timedelta(days=days)
    with transaction.atomic():
        deleted, _by_model = OutboxMessage.objects.filter(
            Q(sent_at__lt=cutoff) | Q(sent_at__isnull=True, attempts__gte=MAX_ATTEMPTS, created_at__lt=cutoff)
        ).delete()
        if deleted:
            event_record(by=by, action="outbox.prune", changes={"deleted": deleted, "before": cutoff})
    return deleted
