"""Celery tasks that build the quarterly reports (see reporting.reports)."""

__all__: list[str] = []
