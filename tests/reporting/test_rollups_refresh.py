"""Keeping the rollups current: `refresh_stale` (new door taps by watermark, stale-day marks), `rederive_recent`,
`rebuild` and its command, and the tasks and their schedule."""

import datetime as dt
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from celery.schedules import crontab
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command

from activities.models import DoorTally
from audit.models import Event
from audit.services import SYSTEM
from huizen.celery import app as celery_app
from locations.models import StaleDay
from locations.services import days_changed
from reporting import rollups
from reporting.models import DayFigure, Watermark
from reporting.rollups import TAPS_WATERMARK, derive, rebuild, rederive_recent, refresh_stale
from tests.factories import ActivityFactory, DoorTallyFactory, HouseFactory, PlaceFactory, SessionFactory, at

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _monday_morning(clock):
    """These figures are worked out for Monday 2026-11-30 07:00 in Amsterdam, whatever HUIZEN_TEST_NOW says."""
    clock.move_to(dt.datetime(2026, 11, 30, 7, 0, tzinfo=ZoneInfo("Europe/Amsterdam")))


TODAY = dt.date(2026, 11, 30)
YESTERDAY = TODAY - dt.timedelta(days=1)
FRIDAY = dt.date(2026, 11, 27)


def visits(house, day) -> Decimal:
    rows = DayFigure.objects.filter(house=house, day=day, measure="visits_walk_in", dimension="")
    return sum((row.value for row in rows), Decimal(0))


def watermark() -> Watermark:
    return Watermark.objects.get(name=TAPS_WATERMARK)


# --- new door taps ---------------------------------------------------------------------------------------------


def test_new_taps_are_derived_and_the_watermark_moves_on(house):
    place = PlaceFactory(house=house)
    first = DoorTallyFactory(house=house, place=place, recorded_at=at(FRIDAY, 10), count=2)
    last = DoorTallyFactory(house=house, place=place, recorded_at=at(TODAY, 6), count=3)
    assert refresh_stale() == 2  # (house, Friday) and (house, today)
    assert visits(house, FRIDAY) == 2 and visits(house, TODAY) == 3
    assert watermark().last_id == last.pk and watermark().window_count == 2
    assert first.pk < last.pk
    DoorTallyFactory(house=house, place=place, recorded_at=at(TODAY, 6, 30))
    assert refresh_stale() == 1  # only today: Friday's taps lie below the watermark
    assert visits(house, TODAY) == 4


def test_nothing_changed_costs_three_queries_and_derives_nothing(house, django_assert_max_num_queries):
    place = PlaceFactory(house=house)
    for minute in range(5):
        DoorTallyFactory(house=house, place=place, recorded_at=at(TODAY, 6, minute))
    refresh_stale()
    rows = DayFigure.objects.count()
    with django_assert_max_num_queries(3):
        assert refresh_stale() == 0
    assert DayFigure.objects.count() == rows


def test_a_tap_that_commits_late_below_the_watermark_is_still_derived(house):
    """Ids are handed out before commit: a transaction with a lower id may commit after one with a higher id. The
    next pass sees more rows below the watermark than the last one did, and derives their days again."""
    place = PlaceFactory(house=house)
    DoorTallyFactory(house=house, place=place, recorded_at=at(FRIDAY, 10))
    slow = DoorTallyFactory(house=house, place=place, recorded_at=at(YESTERDAY, 10), count=5)
    newest = DoorTallyFactory(house=house, place=place, recorded_at=at(TODAY, 6))
    kept = {field.attname: getattr(slow, field.attname) for field in DoorTally._meta.concrete_fields}
    slow.delete()  # not committed yet when the pass reads
    refresh_stale()
    assert watermark().last_id == newest.pk and watermark().window_count == 2
    assert visits(house, YESTERDAY) == 0
    DoorTally.objects.create(**kept)  # commits now, with its lower id
    refresh_stale()
    assert visits(house, YESTERDAY) == 5
    assert watermark().window_count == 3


def test_a_backlog_is_read_in_batches(house, monkeypatch):
    monkeypatch.setattr(rollups, "TAP_BATCH", 2)
    monkeypatch.setattr(rollups, "OVERLAP_IDS", 1)
    place = PlaceFactory(house=house)
    taps = [
        DoorTallyFactory(house=house, place=place, recorded_at=at(FRIDAY - dt.timedelta(days=n), 10)) for n in range(5)
    ]
    refresh_stale()  # reads 1 + 2 rows from the start
    assert watermark().last_id == taps[2].pk
    refresh_stale()
    refresh_stale()
    assert watermark().last_id == taps[4].pk
    assert all(visits(house, FRIDAY - dt.timedelta(days=n)) == 1 for n in range(5))


def test_a_fresh_history_is_rolled_up_once(house):
    place = PlaceFactory(house=house)
    for days_back in range(3):
        DoorTallyFactory(house=house, place=place, recorded_at=at(FRIDAY - dt.timedelta(days=days_back), 10))
    newest = rollups.taps_seen_up_to_now()
    rebuild(start=FRIDAY - dt.timedelta(days=2), end=TODAY, by=SYSTEM)
    assert newest == DoorTally.objects.latest("pk").pk
    assert refresh_stale() == 0  # the rebuild did it; nothing derived twice
    DoorTallyFactory(house=house, place=place, recorded_at=at(TODAY, 6))
    assert refresh_stale() == 1


# --- stale-day marks -------------------------------------------------------------------------------------------


def test_a_marked_day_is_derived_and_its_mark_removed(house):
    place = PlaceFactory(house=house)
    DoorTallyFactory(house=house, place=place, recorded_at=at(FRIDAY, 10), count=2)
    refresh_stale()
    DoorTally.objects.update(count=4)  # a change the watermark cannot see
    with_mark = HouseFactory()
    days_changed(house_id=house.pk, days=[FRIDAY])
    days_changed(house_id=with_mark.pk, days=[FRIDAY])
    assert refresh_stale() == 2
    assert visits(house, FRIDAY) == 4
    assert not StaleDay.objects.exists()


def test_a_day_marked_again_while_it_is_derived_keeps_its_mark(house, monkeypatch, clock):
    days_changed(house_id=house.pk, days=[FRIDAY])
    original = rollups._derive_pairs

    def derive_while_someone_changes_the_day(pairs):
        original(pairs)
        clock.shift(dt.timedelta(seconds=1))
        days_changed(house_id=house.pk, days=[FRIDAY])  # committed by someone else during the derive

    monkeypatch.setattr(rollups, "_derive_pairs", derive_while_someone_changes_the_day)
    refresh_stale()
    assert StaleDay.objects.filter(house=house, day=FRIDAY).exists()
    monkeypatch.setattr(rollups, "_derive_pairs", original)
    refresh_stale()
    assert not StaleDay.objects.exists()


def test_at_most_limit_marks_per_pass_the_oldest_first(house, clock):
    days_changed(house_id=house.pk, days=[FRIDAY])
    clock.shift(dt.timedelta(seconds=5))
    days_changed(house_id=house.pk, days=[YESTERDAY])
    assert refresh_stale(limit=1) == 1
    assert list(StaleDay.objects.values_list("day", flat=True)) == [YESTERDAY]


# --- the nightly pass and rebuilding ---------------------------------------------------------------------------


def test_the_nightly_pass_counts_sessions_that_took_place_since(house, clock):
    activity = ActivityFactory(house=house, first_date=TODAY, start_time=dt.time(10), end_time=dt.time(11))
    SessionFactory(activity=activity)  # today 10:00; now it is 07:00
    derive(house_ids=[house.pk], start=TODAY, end=TODAY)
    assert not DayFigure.objects.filter(measure="sessions_held").exists()
    clock.move_to(at(TODAY + dt.timedelta(days=1), 2, 30))
    rederive_recent()
    held = DayFigure.objects.get(measure="sessions_held", dimension="")
    assert (held.day, held.value) == (TODAY, 1)
    assert DayFigure.objects.get(measure="sessions_not_closed").value == 1


def test_rebuild_derives_the_range_in_chunks_and_records_who_did_it(house, other_house, monkeypatch):
    place = PlaceFactory(house=house)
    for day in (dt.date(2026, 1, 1), dt.date(2026, 2, 15), dt.date(2026, 3, 31)):
        DoorTallyFactory(house=house, place=place, recorded_at=at(day, 12))
    calls = []
    original = rollups.derive
    monkeypatch.setattr(rollups, "derive", lambda **kwargs: calls.append(kwargs) or original(**kwargs))
    rebuild(start=dt.date(2026, 1, 1), end=dt.date(2026, 3, 31), by=SYSTEM)
    assert [(call["start"], call["end"]) for call in calls] == [
        (dt.date(2026, 1, 1), dt.date(2026, 1, 31)),
        (dt.date(2026, 2, 1), dt.date(2026, 3, 3)),
        (dt.date(2026, 3, 4), dt.date(2026, 3, 31)),
    ]
    assert DayFigure.objects.filter(measure="visits_walk_in").count() == 3
    event = Event.objects.get(action="rollup.rebuild")
    assert event.house is None and event.actor_kind == "system"
    assert event.changes == {"from": "2026-01-01", "to": "2026-03-31", "houses": 2}


@pytest.mark.parametrize(
    ("start", "end"),
    [
        (dt.date(1, 1, 1), dt.date(2026, 1, 1)),
        (dt.date(2026, 1, 1), dt.date(9999, 12, 31)),
        (dt.date(2026, 3, 1), dt.date(2026, 1, 1)),
        (dt.date(2000, 1, 1), dt.date(2099, 12, 31)),
    ],
)
def test_rebuild_refuses_a_range_that_cannot_be_meant(house, start, end):
    with pytest.raises(ValidationError):
        rebuild(start=start, end=end, by=SYSTEM)
    assert not Event.objects.filter(action="rollup.rebuild").exists()


def test_the_command_rebuilds_one_house(house, other_house, capsys):
    DoorTallyFactory(house=house, place=PlaceFactory(house=house), recorded_at=at(FRIDAY, 10))
    DoorTallyFactory(house=other_house, place=PlaceFactory(house=other_house), recorded_at=at(FRIDAY, 10))
    call_command("rebuild_rollups", "--from", "2026-11-01", "--to", "2026-11-30", "--house", house.slug)
    assert visits(house, FRIDAY) == 1 and visits(other_house, FRIDAY) == 0
    assert Event.objects.get(action="rollup.rebuild").changes["houses"] == 1
    assert "2026-11-01" in capsys.readouterr().out


@pytest.mark.parametrize(
    ("arguments", "words"),
    [
        (["--from", "2026-13-01", "--to", "2026-12-31"], "is not a date"),
        (["--from", "31-01-2026", "--to", "2026-12-31"], "YYYY-MM-DD"),
        (["--from", "0001-01-01", "--to", "2026-12-31"], "between 2000 and 2099"),
        (["--from", "2026-01-01", "--to", "9999-12-31"], "between 2000 and 2099"),
        (["--from", "2026-03-01", "--to", "2026-01-01"], "after the last day"),
        (["--from", "2026-01-01", "--to", "2026-01-31", "--house", "nergens"], "no house"),
        (["--from", "2026-01-01\x00", "--to", "2026-01-31"], "is not a date"),
    ],
)
def test_the_command_explains_bad_input(db, arguments, words):
    with pytest.raises(CommandError, match=words):
        call_command("rebuild_rollups", *arguments)
    assert not DayFigure.objects.exists()


# --- tasks and their schedule ----------------------------------------------------------------------------------


def test_the_schedule_refreshes_every_minute_and_rederives_at_night():
    refresh = settings.CELERY_BEAT_SCHEDULE["refresh-rollups"]
    assert refresh["task"] == "reporting.rollup_tasks.refresh_rollups"
    assert refresh["schedule"] == 60 and refresh["options"]["expires"] == 55
    nightly = settings.CELERY_BEAT_SCHEDULE["rederive-recent-rollups"]
    assert nightly["task"] == "reporting.rollup_tasks.rederive_recent"
    assert nightly["schedule"] == crontab(hour=3, minute=30)
    assert settings.CELERY_TIMEZONE == "Europe/Amsterdam"
    celery_app.loader.import_default_modules()  # as the worker and the beat do when they start
    for entry in (refresh, nightly):
        assert entry["task"] in celery_app.tasks


def test_the_nightly_schedule_is_due_at_half_past_three_in_amsterdam_after_the_clocks_change(clock):
    schedule = settings.CELERY_BEAT_SCHEDULE["rederive-recent-rollups"]["schedule"]
    schedule = crontab(hour=schedule.hour, minute=schedule.minute, app=celery_app)
    # The Sundays the clocks go back (25 October) and forward (29 March): the next night is still 03:30 local.
    for last_run in (at(dt.date(2026, 10, 25), 12), at(dt.date(2026, 3, 29), 12), at(dt.date(2026, 11, 30), 3, 30)):
        clock.move_to(last_run)
        next_run = last_run + schedule.remaining_estimate(last_run)
        local = next_run.astimezone(last_run.tzinfo)
        assert (local.date(), local.hour, local.minute) == (last_run.date() + dt.timedelta(days=1), 3, 30)


def test_the_tasks_run_the_services(house):
    from reporting.rollup_tasks import rederive_recent as rederive_task
    from reporting.rollup_tasks import refresh_rollups

    DoorTallyFactory(house=house, place=PlaceFactory(house=house), recorded_at=at(TODAY, 6))
    assert refresh_rollups.delay().get() == 1
    assert visits(house, TODAY) == 1
    assert rederive_task.delay().get() >= 1
