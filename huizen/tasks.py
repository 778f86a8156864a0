"""Background work of the project itself: the outbox's flush and prune."""

from celery import shared_task


@shared_task
def flush_outbox() -> int:
    """Every minute: hand the messages that could not be queued at their commit to the broker."""
    from . import outbox

    return outbox.flush()


@shared_task
def prune_outbox() -> int:
    """Daily: delete sent outbox messages after OUTBOX_RETENTION_DAYS."""
    from . import outbox

    return outbox.prune()
