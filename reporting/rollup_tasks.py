"""Celery tasks that keep the daily rollups current (see reporting.rollups). Thin: the work is in the services,
which are safe to run twice (a derive replaces the rows of its days)."""

from celery import shared_task

__all__: list[str] = ["refresh_rollups", "rederive_recent"]


@shared_task(name="reporting.rollup_tasks.refresh_rollups")
def refresh_rollups() -> int:
    """Every minute: derive the days of new door taps and the days other apps marked as changed."""
    from .rollups import refresh_stale

    return refresh_stale()


@shared_task(name="reporting.rollup_tasks.rederive_recent")
def rederive_recent() -> int:
    """Nightly: derive yesterday and today of every house again (some measures depend on the clock)."""
    from . import rollups

    return rollups.rederive_recent()
