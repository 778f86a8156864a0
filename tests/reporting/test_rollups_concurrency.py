"""Two derives of one house run one after the other, and neither keeps the door from storing taps meanwhile.
For real, on PostgreSQL: threads with their own connections (SQLite has one writer at a time anyway)."""

import datetime as dt
import threading
import uuid
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from django.db import connection
from django.utils import timezone

from activities.models import DoorTally
from reporting import rollups
from reporting.models import DayFigure
from tests.factories import HouseFactory, PlaceFactory


@pytest.fixture(autouse=True)
def _monday_morning(clock):
    """These figures are worked out for Monday 2026-11-30 07:00 in Amsterdam, whatever HUIZEN_TEST_NOW says."""
    clock.move_to(dt.datetime(2026, 11, 30, 7, 0, tzinfo=ZoneInfo("Europe/Amsterdam")))


@pytest.mark.django_db(transaction=True)
def test_a_second_derive_waits_for_the_first_and_taps_go_on(monkeypatch):
    if connection.vendor != "postgresql":
        pytest.skip("row locks are PostgreSQL's; SQLite has one writer at a time")
    house = HouseFactory()
    place = PlaceFactory(house=house)
    today = timezone.localdate()
    inside, release = threading.Event(), threading.Event()
    order: list[str] = []
    original = rollups._compute

    def paused_compute(house_ids, first, last, now):
        if not inside.is_set():  # the first derive holds its lock here until released
            inside.set()
            assert release.wait(timeout=20)
        return original(house_ids, first, last, now)

    monkeypatch.setattr(rollups, "_compute", paused_compute)

    def run(name, work):
        try:
            work()
            order.append(name)
        finally:
            connection.close()

    def derive():
        rollups.derive(house_ids=[house.pk], start=today, end=today)

    def tap():
        DoorTally.objects.create(house=house, place=place, tap_id=uuid.uuid4(), recorded_at=timezone.now(), count=3)

    first = threading.Thread(target=run, args=("first derive", derive))
    first.start()
    assert inside.wait(timeout=20)
    door = threading.Thread(target=run, args=("tap", tap))
    door.start()
    door.join(timeout=10)
    assert not door.is_alive(), "a tap waited for the derive's lock on the house"
    second = threading.Thread(target=run, args=("second derive", derive))
    second.start()
    second.join(timeout=1)
    assert second.is_alive(), "the second derive did not wait for the first"
    release.set()
    first.join(timeout=20)
    second.join(timeout=20)
    assert order == ["tap", "first derive", "second derive"]
    # The second derive read after the first committed, and saw the tap.
    rows = DayFigure.objects.filter(house=house, day=today, measure="visits_walk_in", dimension="")
    assert [row.value for row in rows] == [Decimal(3)]
