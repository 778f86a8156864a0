"""Celery tasks that build the quarterly reports (see reporting.reports). Thin: they take primary keys and
strings, call the service, and are safe to run twice (a run finds its version by its run key)."""

from celery import shared_task
from django.db import OperationalError

__all__ = ["build_quarter_reports", "build_report", "build_scheduled_report"]

RETRY = {"autoretry_for": (OperationalError, OSError), "retry_backoff": True, "max_retries": 5, "acks_late": True}


@shared_task(bind=True, **RETRY)
def build_report(self, version_id: int) -> None:
    """Build a version whose row exists (a person pressed "build now")."""
    from .reports import report_version_build

    report_version_build(version_id=version_id)


@shared_task(bind=True, **RETRY)
def build_scheduled_report(self, house_id: int | None, year: int, quarter: int, kind: str) -> None:
    """The schedule's report of one house (or, with None, the network) for a quarter: one version per run."""
    from audit.services import SCHEDULE
    from locations.models import House

    from .reports import report_build, schedule_run_key

    house = House.objects.filter(pk=house_id).first() if house_id is not None else None
    if house_id is not None and house is None:
        return
    report_build(
        house=house,
        year=year,
        quarter=quarter,
        kind=kind,
        by=SCHEDULE,
        run_key=schedule_run_key(year, quarter, kind, house),
    )


@shared_task(bind=True, **RETRY)
def build_quarter_reports(self, kind: str) -> int:
    """On the 1st of a quarter (provisional) and the 11th (final): the previous quarter's report of every house
    and of the network, each as its own task. Returns how many were sent."""
    from django.db import transaction
    from django.utils import timezone

    from huizen import outbox
    from locations.models import House

    from .reports import previous_quarter

    year, quarter = previous_quarter(timezone.localdate())
    house_ids = [*House.objects.order_by("name").values_list("pk", flat=True), None]
    with transaction.atomic():
        for house_id in house_ids:
            outbox.enqueue(build_scheduled_report, house_id, year, quarter, kind)
    return len(house_ids)
