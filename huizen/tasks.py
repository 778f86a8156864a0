"""Background work of the project itself: the outbox's flush (its prune is a retention category, applied by
privacy.tasks.retention.apply_retention)."""

from celery import shared_task


@shared_task
def flush_outbox() -> int:
    """Every minute: hand the messages that could not be queued at their commit to the broker."""
    from . import outbox

    return outbox.flush()


@shared_task
def clear_expired_sessions() -> None:
    """Daily: delete expired sessions from the database (what `manage.py clearsessions` does)."""
    from importlib import import_module

    from django.conf import settings

    import_module(settings.SESSION_ENGINE).SessionStore.clear_expired()
