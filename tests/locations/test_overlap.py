"""Claims overlapping a time: on PostgreSQL through the range operator the exclusion constraint's gist index
serves, matching exactly the rows the plain comparisons match (and do on SQLite)."""

import datetime as dt
import itertools
from zoneinfo import ZoneInfo

import pytest
from django.db import connection

from bookings.selectors import free_between
from locations.models import Room, RoomOccupancy
from locations.selectors import claims_overlapping
from tests.factories import RoomFactory

AMSTERDAM = ZoneInfo("Europe/Amsterdam")
# Counted in UTC (aware arithmetic in Amsterdam would count wall-clock hours); the night of 28 March 2027 is
# the change to summer time.
DAY = dt.datetime(2027, 3, 27, tzinfo=AMSTERDAM).astimezone(dt.UTC)
# The claims' own bounds and the times between them, and two around the change to summer time at 02:00.
POINTS = [DAY + dt.timedelta(hours=h) for h in (0, 1, 2, 3, 3.5, 4, 6, 7, 8, 8.5, 9, 12, 25, 26, 27, 28, 40, 47.5)] + [
    dt.datetime(2027, 3, 28, 1, 59, tzinfo=AMSTERDAM),
    dt.datetime(2027, 3, 28, 3, 0, tzinfo=AMSTERDAM),
]


def hours(start, end):
    return DAY + dt.timedelta(hours=start), DAY + dt.timedelta(hours=end)


@pytest.fixture
def claims(db):
    first, second, empty = RoomFactory(), RoomFactory(), RoomFactory()
    for room, spans in [
        (first, [(1, 3), (3, 4), (6, 9), (25, 28), (40, 47.5)]),
        (second, [(2, 7), (8, 8.5), (26, 27)]),
    ]:
        for start, end in spans:
            RoomOccupancy.objects.create(
                room=room, start=hours(start, end)[0], end=hours(start, end)[1], kind="session"
            )
    return first, second, empty


def test_overlap_matches_the_plain_comparisons_for_every_range(claims):
    first, second, _empty = claims
    querysets = [RoomOccupancy.objects.filter(room=first), RoomOccupancy.objects.filter(room__in=[first, second])]
    rows = {claims_of: list(claims_of) for claims_of in querysets}  # the plain comparisons, in Python
    checked = 0
    for start, end in itertools.product(POINTS, POINTS):  # reversed and empty ranges included
        for claims_of in querysets:
            expected = {claim.pk for claim in rows[claims_of] if claim.start < end and claim.end > start}
            found = set(claims_overlapping(claims_of, start=start, end=end).values_list("pk", flat=True))
            assert found == expected, (start, end)
            checked += bool(expected)
    assert checked > 100  # the table is not trivially empty


def test_back_to_back_is_no_overlap_and_a_minute_inside_is(claims):
    first, _second, _empty = claims
    mine = RoomOccupancy.objects.filter(room=first)
    assert not claims_overlapping(mine, start=hours(4, 6)[0], end=hours(4, 6)[1]).exists()
    assert claims_overlapping(mine, start=hours(4, 6)[0], end=hours(4, 6)[1] + dt.timedelta(minutes=1)).count() == 1


def test_free_rooms_through_the_range_operator(claims):
    first, second, empty = claims
    rooms = Room.objects.filter(pk__in=[first.pk, second.pk, empty.pk])
    assert set(free_between(rooms, *hours(4, 6))) == {first, empty}  # between two claims of the first
    assert set(free_between(rooms, *hours(9, 12))) == {first, second, empty}
    assert set(free_between(rooms, *hours(8, 9))) == {empty}


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the gist index exists on PostgreSQL only")
def test_the_overlap_query_can_use_the_gist_index_of_the_exclusion_constraint(db):
    room = RoomFactory()
    RoomOccupancy.objects.bulk_create(
        RoomOccupancy(room=room, start=start, end=start + dt.timedelta(hours=1), kind="booking")
        for start in (DAY - dt.timedelta(hours=2 * n) for n in range(500))
    )
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE locations_roomoccupancy")
        cursor.execute("SET LOCAL enable_seqscan = off")
    start, end = hours(-3, -1)
    plan = claims_overlapping(RoomOccupancy.objects.filter(room=room), start=start, end=end).order_by().explain()
    assert "room_occupancy_no_overlap" in plan, plan


@pytest.mark.parametrize("table", ["locations_roomoccupancy", "bookings_booking"])
def test_room_has_no_index_of_its_own_beside_the_ones_that_lead_with_it(db, table):
    with connection.cursor() as cursor:
        constraints = connection.introspection.get_constraints(cursor, table)
    on_room = [c["columns"] for c in constraints.values() if c["index"] and c["columns"][:1] == ["room_id"]]
    assert ["room_id"] not in on_room
    assert any(len(columns) > 1 for columns in on_room)  # the composite index that serves room lookups
