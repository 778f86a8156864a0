"""The schedule of the quarterly reports, and the tasks with a real worker and Redis."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from django.conf import settings

from audit.services import SCHEDULE
from huizen.celery import app
from reporting.models import ReportVersion
from reporting.reports import report_version_start, schedule_run_key
from tests.worker import real_worker, redis_reachable, wait_until

AMSTERDAM = ZoneInfo("Europe/Amsterdam")


def next_run(entry: str, moment: dt.datetime) -> dt.datetime:
    """The next run after `moment` as the crontab computes it: a wall-clock time in the app's zone."""
    schedule = settings.CELERY_BEAT_SCHEDULE[entry]["schedule"]
    schedule.app = app
    start, delta, _now = schedule.remaining_delta(moment, tz=AMSTERDAM)
    wall = start.replace(tzinfo=None) + delta
    return wall.replace(tzinfo=AMSTERDAM)


@pytest.mark.parametrize(
    "entry,moment,expected,utc_hour",
    [
        # Across the change to summer time (28 March 2027): 06:00 +02:00 is 04:00 UTC.
        ("reports-provisional", dt.datetime(2027, 3, 27, 12, tzinfo=AMSTERDAM), dt.datetime(2027, 4, 1, 6), 4),
        # Across the change to winter time (25 October 2026): 06:00 +01:00 is 05:00 UTC.
        ("reports-provisional", dt.datetime(2026, 10, 20, 12, tzinfo=AMSTERDAM), dt.datetime(2027, 1, 1, 6), 5),
        ("reports-provisional", dt.datetime(2026, 7, 1, 5, 59, tzinfo=AMSTERDAM), dt.datetime(2026, 7, 1, 6), 4),
        ("reports-final", dt.datetime(2026, 7, 1, 6, 1, tzinfo=AMSTERDAM), dt.datetime(2026, 7, 11, 6), 4),
        ("reports-final", dt.datetime(2026, 10, 11, 6, 1, tzinfo=AMSTERDAM), dt.datetime(2027, 1, 11, 6), 5),
    ],
)
def test_the_reports_are_scheduled_at_six_in_amsterdam(entry, moment, expected, utc_hour):
    run = next_run(entry, moment)
    assert run.replace(tzinfo=None) == expected
    assert run.astimezone(dt.UTC).hour == utc_hour
    assert settings.CELERY_BEAT_SCHEDULE[entry]["task"] == "reporting.report_tasks.build_quarter_reports"
    assert settings.CELERY_BEAT_SCHEDULE[entry]["args"] == (entry.split("-")[1],)
    assert settings.CELERY_TIMEZONE == "Europe/Amsterdam"


@pytest.mark.date_sensitive
@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(not redis_reachable(), reason="needs Redis at 127.0.0.1:6379 (db 12) for a real worker")
def test_a_real_worker_builds_one_version_per_house_per_run_also_after_a_death(clock, house, other_house):
    clock.move_to(dt.datetime(2026, 10, 1, 6, 0, 5, tzinfo=AMSTERDAM))  # the schedule's moment: 2026Q3 provisional
    # A worker died while building the first house's report: its version is left "building".
    left = report_version_start(
        house=house,
        year=2026,
        quarter=3,
        kind="provisional",
        by=SCHEDULE,
        run_key=schedule_run_key(2026, 3, "provisional", house),
    )
    with real_worker(12):
        from reporting.report_tasks import build_quarter_reports

        for _run in range(2):  # the schedule's run, and the same run again
            build_quarter_reports.delay("provisional")
        done = wait_until(
            lambda: (
                ReportVersion.objects.filter(status="ready").count() == 3
                and not ReportVersion.objects.filter(status="building").exists()
            ),
            seconds=120,
        )
        assert done, list(ReportVersion.objects.values_list("house_id", "status", "progress"))
    versions = set(ReportVersion.objects.values_list("house_id", "number", "status", "run_key"))
    assert versions == {
        (house.pk, 1, "ready", "schedule:2026Q3:provisional:het-klooster"),
        (other_house.pk, 1, "ready", "schedule:2026Q3:provisional:de-larenkamp"),
        (None, 1, "ready", "schedule:2026Q3:provisional:network"),
    }
    assert ReportVersion.objects.get(pk=left.pk).status == "ready"


@pytest.mark.date_sensitive
@pytest.mark.django_db
def test_the_final_run_builds_last_quarters_final_reports_once(
    clock, house, other_house, django_capture_on_commit_callbacks
):
    from reporting.report_tasks import build_quarter_reports

    clock.move_to(dt.datetime(2027, 1, 11, 6, 0, 3, tzinfo=AMSTERDAM))
    for _run in range(2):
        with django_capture_on_commit_callbacks(execute=True):
            assert build_quarter_reports.delay("final").get() == 3
    versions = set(ReportVersion.objects.values_list("house_id", "year", "quarter", "number", "kind", "status"))
    assert versions == {
        (house.pk, 2026, 4, 1, "final", "ready"),
        (other_house.pk, 2026, 4, 1, "final", "ready"),
        (None, 2026, 4, 1, "final", "ready"),
    }
    assert all(v.by_schedule and v.created_by is None for v in ReportVersion.objects.all())
