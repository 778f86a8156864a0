"""A room is never claimed twice for the same time: sessions now, bookings later, through one service."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from locations.models import RoomOccupancy
from locations.services import RoomTaken, room_claim, room_claim_move, room_claim_series
from tests.factories import RoomFactory

AMSTERDAM = ZoneInfo("Europe/Amsterdam")
DAY = dt.datetime(2027, 3, 1, tzinfo=AMSTERDAM)


def at(hour, minute=0):
    return DAY + dt.timedelta(hours=hour, minutes=minute)


def test_overlap_is_refused_and_back_to_back_is_fine(db):
    room = RoomFactory()
    room_claim(room=room, start=at(10), end=at(12), kind="session")
    room_claim(room=room, start=at(12), end=at(14), kind="booking")
    room_claim(room=room, start=at(8), end=at(10), kind="booking")
    with pytest.raises(RoomTaken):
        room_claim(room=room, start=at(11), end=at(13), kind="booking")
    with pytest.raises(RoomTaken):
        room_claim(room=room, start=at(9), end=at(15), kind="booking")
    room_claim(room=RoomFactory(), start=at(11), end=at(13), kind="booking")  # another room is another matter
    assert RoomOccupancy.objects.filter(room=room).count() == 3


def test_end_before_start_is_refused(db):
    with pytest.raises(ValidationError):
        room_claim(room=RoomFactory(), start=at(12), end=at(11), kind="session")


def test_moving_a_claim_onto_another_is_refused_and_nothing_changes(db):
    room = RoomFactory()
    first = room_claim(room=room, start=at(10), end=at(12), kind="session")
    room_claim(room=room, start=at(13), end=at(14), kind="session")
    with pytest.raises(RoomTaken):
        room_claim_move(occupancy=first, room=room, start=at(12, 30), end=at(13, 30))
    first.refresh_from_db()
    assert (first.start, first.end) == (at(10), at(12))
    room_claim_move(occupancy=first, room=room, start=at(11), end=at(13))  # overlapping itself is fine


def test_a_series_reports_the_clashes(db):
    room = RoomFactory()
    room_claim(room=room, start=at(10) + dt.timedelta(days=7), end=at(11) + dt.timedelta(days=7), kind="booking")
    weeks = [(at(10) + dt.timedelta(days=7 * n), at(12) + dt.timedelta(days=7 * n)) for n in range(4)]
    claims, clashes = room_claim_series(room=room, ranges=weeks, kind="session")
    assert len(claims) == 3 and clashes == [weeks[1]]


intervals = st.lists(
    st.tuples(st.integers(min_value=0, max_value=95), st.integers(min_value=1, max_value=16)), max_size=25
)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(intervals)
def test_accepted_claims_never_overlap(db, requests):
    """Property: whatever is asked, in whatever order, the claims that were accepted do not overlap."""
    room = RoomFactory()
    with transaction.atomic():
        for quarter, length in requests:
            start = DAY + dt.timedelta(minutes=15 * quarter)
            try:
                room_claim(room=room, start=start, end=start + dt.timedelta(minutes=15 * length), kind="booking")
            except RoomTaken:
                pass
        accepted = sorted(RoomOccupancy.objects.filter(room=room).values_list("start", "end"))
        transaction.set_rollback(True)
    assert all(end <= next_start for (_, end), (next_start, _) in zip(accepted, accepted[1:], strict=False))


@pytest.mark.skipif(connection.vendor != "postgresql", reason="exclusion constraints exist on PostgreSQL only")
def test_postgres_refuses_an_overlap_that_skips_the_service(db):
    room = RoomFactory()
    RoomOccupancy.objects.create(room=room, start=at(10), end=at(12), kind="session")
    RoomOccupancy.objects.create(room=room, start=at(12), end=at(13), kind="booking")  # back to back
    with pytest.raises(IntegrityError), transaction.atomic():
        RoomOccupancy.objects.create(room=room, start=at(11), end=at(12, 30), kind="booking")
