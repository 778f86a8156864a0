from celery import shared_task


@shared_task
def prune_events():
    """Daily: delete history events older than AUDIT_RETENTION_DAYS (CELERY_BEAT_SCHEDULE)."""
    from .services import SCHEDULE, events_prune

    return events_prune(by=SCHEDULE)
