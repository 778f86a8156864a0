"""Background work of privacy: retention. One daily task applies every category (CELERY_BEAT_SCHEDULE
"apply-retention", 03:50 Europe/Amsterdam)."""

from celery import shared_task


@shared_task
def apply_retention() -> dict:
    """Daily: remove or anonymise what each category of personal data keeps longer than its period."""
    from audit.services import SCHEDULE

    from ..services.retention import retention_apply

    return retention_apply(by=SCHEDULE)
