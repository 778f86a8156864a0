"""The services that change what the figures count mark the day (`locations.services.days_changed`), and the next
`refresh_stale` derives it: each test fails without its hook (the mark, and then the changed figure)."""

import datetime as dt
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone

from activities import services as activities
from activities.models import Session
from audit.services import SCHEDULE
from bookings import services as bookings
from locations.models import RenterTier, StaleDay
from reporting.models import DayFigure
from reporting.rollups import derive, refresh_stale
from tests.factories import (
    ActivityFactory,
    BookingFactory,
    DoorTallyFactory,
    PlaceFactory,
    SessionFactory,
    UserFactory,
    at,
    bookable_room,
)

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _monday_morning(clock):
    """These figures are worked out for Monday 2026-11-30 07:00 in Amsterdam, whatever HUIZEN_TEST_NOW says."""
    clock.move_to(dt.datetime(2026, 11, 30, 7, 0, tzinfo=ZoneInfo("Europe/Amsterdam")))


TODAY = dt.date(2026, 11, 30)  # Monday
YESTERDAY = TODAY - dt.timedelta(days=1)
FRIDAY = dt.date(2026, 11, 27)
TOMORROW = TODAY + dt.timedelta(days=1)


def value(house, day, measure) -> Decimal:
    rows = DayFigure.objects.filter(house=house, day=day, measure=measure, dimension="")
    return sum((row.value for row in rows), Decimal(0))


def marked(house, day) -> bool:
    return StaleDay.objects.filter(house=house, day=day).exists()


@pytest.fixture
def room(house):
    return bookable_room(place=PlaceFactory(house=house))  # Monday to Friday 09:00-17:00


# --- the programme -----------------------------------------------------------------------------------------------


def test_closing_out_a_session_marks_its_day(house, coordinator):
    activity = ActivityFactory(house=house, first_date=YESTERDAY, start_time=dt.time(10), end_time=dt.time(12))
    session = SessionFactory(activity=activity)
    derive(house_ids=[house.pk], start=YESTERDAY, end=YESTERDAY)
    assert value(house, YESTERDAY, "sessions_not_closed") == 1
    activities.session_close(session=session, participants=7, volunteers=1, by=coordinator)
    assert marked(house, YESTERDAY)
    refresh_stale()
    assert value(house, YESTERDAY, "participants_closeout") == 7
    assert value(house, YESTERDAY, "sessions_not_closed") == 0


def plan_in_room(house, room, coordinator, first_date):
    activity = activities.activity_create(
        house=house,
        place=room.place,
        room=room,
        title="Koor",
        category="creative",
        organiser="professional",
        first_date=first_date,
        start_time=dt.time(10),
        end_time=dt.time(12),
        skip_holidays=False,
        by=coordinator,
    )
    return activity.sessions.get()


def test_cancelling_a_session_marks_its_day(house, room, coordinator):
    session = plan_in_room(house, room, coordinator, TODAY)  # 10:00-12:00; it is 07:00
    derive(house_ids=[house.pk], start=TODAY, end=TODAY)
    assert value(house, TODAY, "room_minutes_used") == 120
    activities.session_cancel(session=session, reason="De docent is ziek", by=coordinator)
    assert marked(house, TODAY)
    refresh_stale()
    assert value(house, TODAY, "room_minutes_used") == 0


def test_moving_a_session_marks_the_old_and_the_new_day(house, room, coordinator):
    session = plan_in_room(house, room, coordinator, TODAY)
    derive(house_ids=[house.pk], start=TODAY, end=TODAY)
    activities.session_move(
        session=session, start=at(TOMORROW, 13), end=at(TOMORROW, 14), reason="Zaal nodig", by=coordinator
    )
    assert marked(house, TODAY) and marked(house, TOMORROW)
    refresh_stale()
    assert value(house, TODAY, "room_minutes_used") == 0
    activities.session_move(session=session, start=at(TODAY, 13), end=at(TODAY, 14), reason="Toch", by=coordinator)
    assert marked(house, TODAY) and marked(house, TOMORROW)
    refresh_stale()
    assert value(house, TODAY, "room_minutes_used") == 60


def test_planning_an_activity_with_sessions_in_the_past_marks_their_days(house, coordinator):
    place = PlaceFactory(house=house)
    activities.activity_create(
        house=house,
        place=place,
        room=None,
        title="Breien",
        category="creative",
        organiser="residents",
        first_date=FRIDAY,
        weekdays=[4],
        until=FRIDAY + dt.timedelta(days=7),
        start_time=dt.time(10),
        end_time=dt.time(11),
        skip_holidays=False,
        by=coordinator,
    )
    assert marked(house, FRIDAY)
    assert not marked(house, FRIDAY + dt.timedelta(days=7))  # still to come: nothing counted yet
    refresh_stale()
    assert value(house, FRIDAY, "sessions_held") == 1
    assert value(house, FRIDAY, "sessions_resident") == 1


# --- the door and signals ----------------------------------------------------------------------------------------


def test_undoing_a_tap_marks_its_day(house, host):
    tap = DoorTallyFactory(house=house, place=PlaceFactory(house=house), recorded_at=timezone.now(), count=3)
    refresh_stale()  # the new tap, by the watermark
    assert value(house, TODAY, "visits_walk_in") == 3
    activities.tally_undo(house=house, tap_id=tap.tap_id, by=host)
    assert marked(house, TODAY)
    refresh_stale()
    assert value(house, TODAY, "visits_walk_in") == 0


def test_recording_a_signal_passed_on_marks_its_day(house, coordinator):
    activities.signal_record(house=house, date=FRIDAY, theme="money", by=coordinator)  # not passed on
    assert not marked(house, FRIDAY)
    activities.signal_record(house=house, date=FRIDAY, theme="money", referred_to="debt", consent=True, by=coordinator)
    assert marked(house, FRIDAY)
    refresh_stale()
    assert value(house, FRIDAY, "signals_passed_on") == 1


# --- bookings ------------------------------------------------------------------------------------------------------


def test_approving_a_request_marks_its_day(house, room, coordinator):
    booking = BookingFactory(room=room, start=at(TODAY, 10), end=at(TODAY, 12), status="requested")
    derive(house_ids=[house.pk], start=TODAY, end=TODAY)
    assert value(house, TODAY, "booking_minutes_paid") == 0
    bookings.booking_approve(booking=booking, by=coordinator)
    assert marked(house, TODAY)
    refresh_stale()
    assert value(house, TODAY, "booking_minutes_paid") == 120
    assert value(house, TODAY, "room_minutes_used") == 120
    assert value(house, TODAY, "booking_revenue") == Decimal("20.00")


def test_cancelling_by_the_house_marks_its_day(house, room, coordinator):
    booking = BookingFactory(room=room, start=at(TODAY, 10), end=at(TODAY, 12))
    derive(house_ids=[house.pk], start=TODAY, end=TODAY)
    assert value(house, TODAY, "booking_revenue") == Decimal("20.00")
    bookings.booking_cancel_by_house(booking=booking, reason="Lekkage", by=coordinator)
    assert marked(house, TODAY)
    refresh_stale()
    assert value(house, TODAY, "booking_revenue") == 0
    assert value(house, TODAY, "booking_minutes_paid") == 0


def test_cancelling_by_the_renter_marks_its_day_and_the_cost_is_revenue(house, room):
    house.cancellation_days = 2  # the booking is today, within the term: the renter pays the price
    house.save(update_fields=["cancellation_days"])
    booking = BookingFactory(room=room, start=at(TODAY, 10), end=at(TODAY, 12), price=Decimal("30.00"))
    derive(house_ids=[house.pk], start=TODAY, end=TODAY)
    bookings.booking_cancel_by_renter(booking=booking, by=booking.renter)
    assert marked(house, TODAY)
    refresh_stale()
    assert value(house, TODAY, "booking_revenue") == Decimal("30.00")  # the cancellation cost
    assert value(house, TODAY, "booking_minutes_paid") == 0


def test_rejecting_a_request_marks_its_day(house, room, coordinator):
    booking = BookingFactory(room=room, start=at(TODAY, 10), end=at(TODAY, 12), status="requested")
    bookings.booking_reject(booking=booking, reason="Al bezet", by=coordinator)
    assert marked(house, TODAY)
    refresh_stale()
    assert not DayFigure.objects.filter(measure__startswith="booking").exists()


def test_an_expired_request_marks_its_day(house, room):
    now = timezone.now()
    BookingFactory(room=room, start=now - dt.timedelta(hours=3), end=now - dt.timedelta(hours=1), status="requested")
    assert bookings.booking_requests_expire(by=SCHEDULE) == 1
    assert marked(house, timezone.localdate(now - dt.timedelta(hours=3)))


def request(room, **kwargs):
    renter = UserFactory()
    return bookings.booking_request(
        room=room,
        start=at(TODAY, 10),
        end=at(TODAY, 12),
        tier=RenterTier.SOCIAL,
        purpose="Vergadering",
        people=10,
        renter=renter,
        rules_accepted=True,
        by=renter,
        **kwargs,
    )


def test_a_request_confirmed_at_once_marks_its_day(house, room):
    room.requires_approval = False
    room.save(update_fields=["requires_approval"])
    booking = request(room)
    assert booking.status == "approved" and marked(house, TODAY)
    refresh_stale()
    assert value(house, TODAY, "booking_minutes_paid") == 120


def test_a_request_waiting_for_approval_counts_nothing(house, room):
    request(room)  # room needs approval: requested, it claims the room but counts in no figure
    refresh_stale()
    assert value(house, TODAY, "booking_minutes_paid") == 0
    assert value(house, TODAY, "room_minutes_used") == 0
    assert value(house, TODAY, "room_minutes_open") == 480


def test_booking_on_behalf_marks_its_day(house, room, coordinator):
    bookings.booking_book_on_behalf(
        room=room,
        start=at(TODAY, 13),
        end=at(TODAY, 16),
        tier=RenterTier.INITIATIVE,
        purpose="Buurtoverleg",
        people=12,
        contact_name="Fatima",
        contact_phone="0612345678",
        by=coordinator,
    )
    assert marked(house, TODAY)
    refresh_stale()
    assert value(house, TODAY, "booking_minutes_free") == 180


def test_a_session_still_to_come_is_not_held(house):
    SessionFactory(activity=ActivityFactory(house=house), status=Session.Status.PLANNED)  # tomorrow 14:00
    derive(house_ids=[house.pk], start=TODAY, end=TODAY + dt.timedelta(days=1))
    assert not DayFigure.objects.filter(measure="sessions_held").exists()
