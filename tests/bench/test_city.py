"""The generated city of `make bench`'s results lines: door taps written in SQL, spread as promised, and the taps
table left with every index and constraint it had (they are dropped while loading)."""

import datetime as dt

import pytest
from django.db import connection
from django.utils import timezone

from activities.models import DoorTally
from bench import reporting

pytestmark = pytest.mark.skipif(connection.vendor != "postgresql", reason="the city is written in PostgreSQL's SQL")


def table_shape() -> set[tuple[str, str]]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT indexname, indexdef FROM pg_indexes WHERE tablename = 'activities_doortally'")
        indexes = set(cursor.fetchall())
        cursor.execute(
            "SELECT conname, pg_get_constraintdef(oid) FROM pg_constraint "
            "WHERE conrelid = 'activities_doortally'::regclass"
        )
        return indexes | set(cursor.fetchall())


def test_taps_are_spread_over_the_days_and_opening_hours_of_every_house(db):
    houses, places, wijken = reporting.city(3)
    assert len(houses) == len(places) == len(set(wijken)) == 3
    before = table_shape()
    first, last = dt.date(2026, 1, 1), dt.date(2026, 1, 10)
    reporting.write_taps(houses, places, first, last, 3000)

    assert table_shape() == before
    taps = list(DoorTally.objects.values_list("house_id", "place_id", "recorded_at", "count", "age_band"))
    assert len(taps) == 3000
    assert {(house, place) for house, place, *_rest in taps} == set(zip(houses, places, strict=True))
    local = [timezone.localtime(at) for _house, _place, at, _count, _band in taps]
    assert {moment.date() for moment in local} == {first + dt.timedelta(days=n) for n in range(10)}
    assert all(9 <= moment.hour < 17 for moment in local)
    per_day = {}
    for moment in local:
        per_day[moment.date()] = per_day.get(moment.date(), 0) + 1
    assert set(per_day.values()) == {300}  # evenly: 3000 taps over 10 days
    assert {band for *_rest, band in taps} == set(reporting.AGE_BANDS)
    assert {count for *_rest, count, _band in taps} == {1, 2}
    # Written once: a second call with the same number finds them and writes nothing.
    assert reporting.write_taps(houses, places, first, last, 3000) == 0
    assert DoorTally.objects.count() == 3000


def test_the_raw_quarter_counts_the_walk_in_visits_per_house(db):
    houses, places, _wijken = reporting.city(2)
    reporting.write_taps(houses, places, dt.date(2026, 7, 1), dt.date(2026, 7, 4), 400)
    start = timezone.make_aware(dt.datetime(2026, 7, 1))
    end = timezone.make_aware(dt.datetime(2026, 7, 3))  # the first two of the four days
    expected = {
        house: sum(
            DoorTally.objects.filter(house_id=house, recorded_at__gte=start, recorded_at__lt=end).values_list(
                "count", flat=True
            )
        )
        for house in houses
    }
    assert reporting.raw_quarter(start, end) == expected
    assert sum(expected.values()) > 200  # 200 taps, a quarter of them counting two
