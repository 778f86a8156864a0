"""`bookings.selectors.occupancy`: hours of approved bookings divided by the hours a room's place is open."""

import datetime as dt
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from bookings.selectors import occupancy
from locations.models import Room
from tests.factories import (
    BookingFactory,
    ClosureFactory,
    OpeningHoursFactory,
    PlaceFactory,
    RoomFactory,
    at,
    bookable_room,
)

pytestmark = pytest.mark.django_db

MONDAY = dt.date(2030, 3, 4)
SUNDAY = MONDAY + dt.timedelta(days=6)


def book(room, day, start_hour, end_hour, **kwargs):
    return BookingFactory(room=room, start=at(day, start_hour), end=at(day, end_hour), **kwargs)


def test_open_hours_are_the_weekly_hours_of_the_period():
    room = bookable_room()  # Monday to Friday 09:00-17:00
    figures = occupancy(Room.objects.filter(pk=room.pk), MONDAY, SUNDAY)[room.pk]
    assert figures["open_hours"] == 40
    assert figures["booked_hours"] == 0 and figures["ratio"] == 0


def test_closed_days_are_not_open_hours():
    room = bookable_room()
    ClosureFactory(place=room.place, start_date=MONDAY + dt.timedelta(days=2), end_date=MONDAY + dt.timedelta(days=3))
    ClosureFactory(place=room.place, start_date=MONDAY - dt.timedelta(days=10), end_date=MONDAY - dt.timedelta(days=1))
    assert occupancy([room], MONDAY, SUNDAY)[room.pk]["open_hours"] == 24  # Wednesday and Thursday closed


def test_more_than_one_opening_interval_a_day():
    place = PlaceFactory()
    OpeningHoursFactory(place=place, weekday=0, opens=dt.time(9), closes=dt.time(12))
    OpeningHoursFactory(place=place, weekday=0, opens=dt.time(19), closes=dt.time(22, 30))
    room = RoomFactory(place=place)
    assert occupancy([room], MONDAY, SUNDAY)[room.pk]["open_hours"] == Decimal("6.5")


def test_only_approved_bookings_count():
    room = bookable_room()
    book(room, MONDAY, 9, 13)  # approved: 4 hours
    book(room, MONDAY + dt.timedelta(days=1), 10, 11, status="requested")
    book(room, MONDAY + dt.timedelta(days=2), 10, 12, status="cancelled", occupancy=None)
    book(room, MONDAY + dt.timedelta(days=3), 10, 12, status="rejected", occupancy=None)
    figures = occupancy([room], MONDAY, SUNDAY)[room.pk]
    assert figures["booked_hours"] == 4
    assert figures["ratio"] == Decimal("0.100")  # 4 of 40 hours


def test_bookings_outside_the_period_or_of_other_rooms_do_not_count():
    room, other = bookable_room(), bookable_room()
    book(room, MONDAY - dt.timedelta(days=1), 10, 12)
    book(room, SUNDAY + dt.timedelta(days=1), 10, 12)
    book(other, MONDAY, 10, 18)
    result = occupancy(Room.objects.filter(pk__in=[room.pk, other.pk]), MONDAY, SUNDAY)
    assert result[room.pk]["booked_hours"] == 0
    assert result[other.pk]["booked_hours"] == 8 and result[other.pk]["ratio"] == Decimal("0.200")


def test_the_period_is_in_local_days():
    room = bookable_room()
    book(room, MONDAY, 0, 2)  # 00:00 in Amsterdam is the evening before in UTC
    book(room, SUNDAY, 22, 23)  # 22:00 in Amsterdam on Sunday is still Sunday
    assert occupancy([room], MONDAY, SUNDAY)[room.pk]["booked_hours"] == 3


def test_a_room_without_opening_hours_has_no_ratio():
    room = RoomFactory()
    book(room, MONDAY, 19, 21)
    figures = occupancy([room], MONDAY, SUNDAY)[room.pk]
    assert figures["open_hours"] == 0 and figures["booked_hours"] == 2
    assert figures["ratio"] is None


def test_a_place_closed_all_period_has_no_ratio():
    room = bookable_room()
    ClosureFactory(place=room.place, start_date=MONDAY, end_date=SUNDAY)
    assert occupancy([room], MONDAY, SUNDAY)[room.pk]["ratio"] is None


def test_the_query_count_does_not_grow_with_the_number_of_rooms():
    first = bookable_room()
    book(first, MONDAY, 10, 12)
    with CaptureQueriesContext(connection) as one:
        occupancy(Room.objects.all(), MONDAY, SUNDAY)
    for _number in range(10):
        room = bookable_room()
        ClosureFactory(place=room.place, start_date=MONDAY, end_date=MONDAY)
        book(room, MONDAY + dt.timedelta(days=1), 10, 12)
    with CaptureQueriesContext(connection) as eleven:
        result = occupancy(Room.objects.all(), MONDAY, SUNDAY)
    assert len(result) == 11 and all(figures["booked_hours"] == 2 for figures in result.values())
    assert len(eleven) == len(one)
