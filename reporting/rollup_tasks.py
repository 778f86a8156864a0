"""Celery tasks that keep the daily rollups current (see reporting.rollups)."""

__all__: list[str] = []
