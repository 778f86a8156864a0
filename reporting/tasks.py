"""Celery finds the tasks of reporting here: the rollups' (kept current, re-derived at night) and the reports'."""

from .report_tasks import *  # noqa: F403
from .rollup_tasks import *  # noqa: F403
