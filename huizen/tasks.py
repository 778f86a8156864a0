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


@shared_task
def clear_expired_sessions() -> None:
    """Daily: delete expired sessions from the database (what `manage.py clearsessions` does)."""
    from importlib import import_module

    from django.conf import settings

    import_module(settings.SESSION_ENGINE).SessionStore.clear_expired()
