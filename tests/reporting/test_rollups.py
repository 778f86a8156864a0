"""`reporting.rollups.derive`: each measure on a small hand-built fixture, its number worked out by hand.

The clock reads Monday 2026-11-30 07:00 in Amsterdam (tests/conftest.py)."""

import datetime as dt
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext

from activities.models import ActivityTargetGroup
from reporting.indicators import COMPLETENESS_MEASURES, INDICATORS
from reporting.models import DayFigure
from reporting.rollups import MEASURES, derive
from tests.factories import (
    ActivityFactory,
    BookingFactory,
    ClosureFactory,
    DoorTallyFactory,
    OpeningHoursFactory,
    PlaceFactory,
    RoomFactory,
    SessionFactory,
    SignalFactory,
    at,
    bookable_room,
)

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _monday_morning(clock):
    """These figures are worked out for Monday 2026-11-30 07:00 in Amsterdam, whatever HUIZEN_TEST_NOW says."""
    clock.move_to(dt.datetime(2026, 11, 30, 7, 0, tzinfo=ZoneInfo("Europe/Amsterdam")))


TODAY = dt.date(2026, 11, 30)  # Monday
FRIDAY = dt.date(2026, 11, 27)
YESTERDAY = TODAY - dt.timedelta(days=1)


def figure(house, day, measure, dimension="", member="", place=None) -> Decimal:
    """The value of one measure of a house on a day (over its places), 0 when there is no row."""
    rows = DayFigure.objects.filter(house=house, day=day, measure=measure, dimension=dimension, member=member)
    if place is not None:
        rows = rows.filter(place=place)
    return sum((row.value for row in rows), Decimal(0))


def derive_house(house, first, last=None):
    return derive(house_ids=[house.pk], start=first, end=last or first)


def session_at(activity, day, start_hour, end_hour, **kwargs):
    return SessionFactory(activity=activity, start=at(day, start_hour), end=at(day, end_hour), **kwargs)


def test_every_measure_the_indicators_use_is_derived_and_documented():
    used = {name for indicator in INDICATORS for name in indicator.numerator + indicator.denominator}
    assert used | set(COMPLETENESS_MEASURES) <= set(MEASURES)
    assert all(measure.definition and measure.per in ("place", "house") for measure in MEASURES.values())


# --- door taps ------------------------------------------------------------------------------------------------


def test_walk_in_visits_sum_the_counts_of_taps_without_a_session_and_leave_out_undone_taps(house):
    place = PlaceFactory(house=house)
    DoorTallyFactory(house=house, place=place, recorded_at=at(FRIDAY, 10), count=2)
    DoorTallyFactory(house=house, place=place, recorded_at=at(FRIDAY, 11), count=1, age_band="65+")
    DoorTallyFactory(house=house, place=place, recorded_at=at(FRIDAY, 12), count=1, age_band="65+")
    DoorTallyFactory(house=house, place=place, recorded_at=at(FRIDAY, 13), count=5, undone_at=at(FRIDAY, 13, 2))
    derive_house(house, FRIDAY)
    assert figure(house, FRIDAY, "visits_walk_in", place=place) == 4  # 2 + 1 + 1; the undone 5 not
    assert figure(house, FRIDAY, "visits_walk_in", "age_band", "65+") == 2
    assert not DayFigure.objects.filter(dimension="age_band", member="").exists()  # no age band: no row
    assert figure(house, FRIDAY, "visits_activity") == 0


def test_activity_visits_are_broken_down_by_the_sessions_activity_and_age_band(house):
    place = PlaceFactory(house=house)
    activity = ActivityFactory(house=house, place=place, category="eating", organiser="residents")
    ActivityTargetGroup.objects.create(activity=activity, group="seniors")
    ActivityTargetGroup.objects.create(activity=activity, group="women")
    session = session_at(activity, FRIDAY, 12, 14)
    DoorTallyFactory(house=house, place=place, session=session, recorded_at=at(FRIDAY, 12), count=3)
    DoorTallyFactory(house=house, place=place, session=session, recorded_at=at(FRIDAY, 12, 5), age_band="24-64")
    DoorTallyFactory(house=house, place=place, recorded_at=at(FRIDAY, 15), count=2)  # walk-in
    derive_house(house, FRIDAY)
    assert figure(house, FRIDAY, "visits_activity") == 4  # 3 + 1
    assert figure(house, FRIDAY, "visits_walk_in") == 2
    assert figure(house, FRIDAY, "visits_activity", "category", "eating") == 4
    assert figure(house, FRIDAY, "visits_activity", "organiser", "residents") == 4
    # Target groups overlap: each group of the activity counts every visit.
    assert figure(house, FRIDAY, "visits_activity", "target_group", "seniors") == 4
    assert figure(house, FRIDAY, "visits_activity", "target_group", "women") == 4
    assert figure(house, FRIDAY, "visits_activity", "age_band", "24-64") == 1
    assert figure(house, FRIDAY, "visits_walk_in", "age_band", "24-64") == 0


def test_new_visitors_sum_the_counts_of_taps_marked_new(house):
    place = PlaceFactory(house=house)
    DoorTallyFactory(house=house, place=place, recorded_at=at(FRIDAY, 10), count=2, is_new=True)
    DoorTallyFactory(house=house, place=place, recorded_at=at(FRIDAY, 11), count=1, is_new=True)
    DoorTallyFactory(house=house, place=place, recorded_at=at(FRIDAY, 12), count=3)
    DoorTallyFactory(house=house, place=place, recorded_at=at(FRIDAY, 12), is_new=True, undone_at=at(FRIDAY, 12))
    derive_house(house, FRIDAY)
    assert figure(house, FRIDAY, "new_visitors") == 3


def test_taps_count_per_place(house):
    first, second = PlaceFactory(house=house), PlaceFactory(house=house)
    DoorTallyFactory(house=house, place=first, recorded_at=at(FRIDAY, 10), count=2)
    DoorTallyFactory(house=house, place=second, recorded_at=at(FRIDAY, 10), count=7)
    derive_house(house, FRIDAY)
    assert figure(house, FRIDAY, "visits_walk_in", place=first) == 2
    assert figure(house, FRIDAY, "visits_walk_in", place=second) == 7
    assert figure(house, FRIDAY, "visits_walk_in") == 9


def test_a_tap_late_in_the_evening_counts_on_its_amsterdam_day(house):
    place = PlaceFactory(house=house)
    DoorTallyFactory(house=house, place=place, recorded_at=at(FRIDAY, 23, 30))  # 22:30 UTC, the same day
    # 00:30 on Saturday in Amsterdam is 23:30 on Friday in UTC: it belongs to Saturday.
    DoorTallyFactory(house=house, place=place, recorded_at=at(FRIDAY + dt.timedelta(days=1), 0, 30), count=4)
    derive_house(house, FRIDAY)
    assert figure(house, FRIDAY, "visits_walk_in") == 1
    assert not DayFigure.objects.filter(day=FRIDAY + dt.timedelta(days=1)).exists()  # outside the range
    derive_house(house, FRIDAY, FRIDAY + dt.timedelta(days=1))
    assert figure(house, FRIDAY + dt.timedelta(days=1), "visits_walk_in") == 4


def test_days_across_the_change_to_winter_time_are_amsterdam_days(house):
    """On Sunday 2026-10-25 the clocks go back at 03:00 CEST: Saturday 24 is UTC+2, Sunday night UTC+1."""
    place = PlaceFactory(house=house)
    saturday, sunday = dt.date(2026, 10, 24), dt.date(2026, 10, 25)
    DoorTallyFactory(house=house, place=place, recorded_at=at(saturday, 23, 30))  # 21:30 UTC on the 24th
    DoorTallyFactory(house=house, place=place, recorded_at=at(sunday, 0, 30), count=2)  # 22:30 UTC on the 24th
    DoorTallyFactory(house=house, place=place, recorded_at=at(sunday, 23, 30), count=3)  # 22:30 UTC on the 25th
    DoorTallyFactory(house=house, place=place, recorded_at=at(sunday + dt.timedelta(days=1), 0, 30), count=4)
    derive_house(house, saturday, sunday)
    assert figure(house, saturday, "visits_walk_in") == 1
    assert figure(house, sunday, "visits_walk_in") == 5  # 2 + 3; Monday's 4 lies outside the range


# --- sessions ----------------------------------------------------------------------------------------------------


def test_sessions_held_are_planned_sessions_that_started_by_now(house):
    place = PlaceFactory(house=house)
    activity = ActivityFactory(house=house, place=place, category="movement", organiser="professional")
    ActivityTargetGroup.objects.create(activity=activity, group="seniors")
    session_at(activity, YESTERDAY, 10, 11)
    session_at(activity, YESTERDAY, 14, 15)
    session_at(activity, YESTERDAY, 16, 17, status="cancelled")  # cancelled: not held
    session_at(activity, TODAY, 6, 7)  # today, already started at 07:00: held
    session_at(activity, TODAY, 10, 11)  # later today: not (yet) held
    session_at(activity, TODAY + dt.timedelta(days=1), 10, 11)  # tomorrow: not held
    derive_house(house, YESTERDAY, TODAY + dt.timedelta(days=1))
    assert figure(house, YESTERDAY, "sessions_held", place=place) == 2
    assert figure(house, TODAY, "sessions_held") == 1
    assert figure(house, TODAY + dt.timedelta(days=1), "sessions_held") == 0
    assert figure(house, YESTERDAY, "sessions_held", "category", "movement") == 2
    assert figure(house, YESTERDAY, "sessions_held", "organiser", "professional") == 2
    assert figure(house, YESTERDAY, "sessions_held", "target_group", "seniors") == 2


def test_resident_sessions_are_sessions_held_of_residents_initiatives(house):
    place = PlaceFactory(house=house)
    residents = ActivityFactory(house=house, place=place, organiser="residents")
    partner = ActivityFactory(house=house, place=place, organiser="partner", partner_name="Buurtwerk")
    session_at(residents, YESTERDAY, 10, 11)
    session_at(residents, YESTERDAY, 12, 13, status="cancelled")
    session_at(partner, YESTERDAY, 10, 11)
    derive_house(house, YESTERDAY)
    assert figure(house, YESTERDAY, "sessions_held") == 2
    assert figure(house, YESTERDAY, "sessions_resident") == 1
    assert figure(house, YESTERDAY, "sessions_held", "organiser", "partner") == 1


def test_participants_at_close_out_and_sessions_not_closed(house):
    place = PlaceFactory(house=house)
    activity = ActivityFactory(house=house, place=place, category="eating")
    ActivityTargetGroup.objects.create(activity=activity, group="everyone")
    closed = {"closed_at": at(YESTERDAY, 18)}
    session_at(activity, YESTERDAY, 9, 10, participants_count=12, **closed)
    session_at(activity, YESTERDAY, 11, 12, participants_count=0, **closed)  # closed, nobody came
    session_at(activity, YESTERDAY, 13, 14)  # over and not closed out
    session_at(activity, YESTERDAY, 15, 16, participants_count=30, status="cancelled")  # not held
    session_at(activity, TODAY, 6, 8)  # started, not over yet (now 07:00): not yet "not closed"
    derive_house(house, YESTERDAY, TODAY)
    assert figure(house, YESTERDAY, "participants_closeout", place=place) == 12
    assert figure(house, YESTERDAY, "participants_closeout", "category", "eating") == 12
    assert figure(house, YESTERDAY, "participants_closeout", "target_group", "everyone") == 12
    assert figure(house, YESTERDAY, "sessions_not_closed") == 1
    assert figure(house, TODAY, "sessions_not_closed") == 0
    assert figure(house, TODAY, "sessions_held") == 1


def test_sessions_count_at_the_activitys_place(house):
    first, second = PlaceFactory(house=house), PlaceFactory(house=house)
    session_at(ActivityFactory(house=house, place=first), YESTERDAY, 10, 11)
    session_at(ActivityFactory(house=house, place=second), YESTERDAY, 10, 11)
    session_at(ActivityFactory(house=house, place=second), YESTERDAY, 12, 13)
    derive_house(house, YESTERDAY)
    assert figure(house, YESTERDAY, "sessions_held", place=first) == 1
    assert figure(house, YESTERDAY, "sessions_held", place=second) == 2


# --- signals -----------------------------------------------------------------------------------------------------


def test_signals_passed_on_per_house_by_destination(house, other_house):
    SignalFactory(house=house, date=FRIDAY, referred_to="team", consent=True)
    SignalFactory(house=house, date=FRIDAY, referred_to="team", consent=True)
    SignalFactory(house=house, date=FRIDAY, referred_to="gp", consent=True)
    SignalFactory(house=house, date=FRIDAY)  # not passed on
    SignalFactory(house=other_house, date=FRIDAY, referred_to="gp", consent=True)
    derive_house(house, FRIDAY)
    assert figure(house, FRIDAY, "signals_passed_on") == 3
    assert figure(house, FRIDAY, "signals_passed_on", "destination", "team") == 2
    assert figure(house, FRIDAY, "signals_passed_on", "destination", "gp") == 1
    assert set(DayFigure.objects.filter(measure="signals_passed_on").values_list("place", flat=True)) == {None}
    assert not DayFigure.objects.filter(house=other_house).exists()


# --- opening hours and rooms ------------------------------------------------------------------------------------

MONDAY = dt.date(2026, 11, 16)


def lunch_break_place(house, rooms=2):
    """Open on Mondays 09:00-12:00 and 13:00-17:00 (420 minutes), nothing on Tuesdays."""
    place = PlaceFactory(house=house)
    OpeningHoursFactory(place=place, weekday=0, opens=dt.time(9), closes=dt.time(12))
    OpeningHoursFactory(place=place, weekday=0, opens=dt.time(13), closes=dt.time(17))
    for _index in range(rooms):
        RoomFactory(place=place)
    return place


def test_opening_minutes_are_the_weekly_hours_and_zero_on_a_closure(house):
    place = lunch_break_place(house)
    closed_monday = MONDAY + dt.timedelta(days=7)
    ClosureFactory(place=place, start_date=closed_monday, end_date=closed_monday, reason="Schilderwerk")
    derive_house(house, MONDAY, closed_monday)
    assert figure(house, MONDAY, "opening_minutes", place=place) == 420  # 180 + 240
    assert figure(house, MONDAY + dt.timedelta(days=1), "opening_minutes") == 0  # no hours on Tuesday
    assert figure(house, closed_monday, "opening_minutes") == 0
    assert figure(house, MONDAY, "room_minutes_open", place=place) == 840  # two rooms
    assert figure(house, closed_monday, "room_minutes_open") == 0


def test_room_minutes_used_count_approved_bookings_and_sessions_within_the_opening_hours(house):
    place = lunch_break_place(house, rooms=0)
    hall = RoomFactory(place=place, evening_use=True)
    kitchen = RoomFactory(place=place)
    day = MONDAY + dt.timedelta(days=14)  # 2026-11-30: today, a Monday
    BookingFactory(room=hall, start=at(day, 10), end=at(day, 12, 30))  # 10:00-12:00 open: 120
    BookingFactory(room=hall, start=at(day, 13), end=at(day, 14), status="requested")  # not approved: 0
    BookingFactory(room=hall, start=at(day, 16), end=at(day, 18))  # until closing at 17:00: 60
    BookingFactory(room=hall, start=at(day, 14), end=at(day, 15), status="cancelled", occupancy=None)
    activity = ActivityFactory(house=house, place=place, room=kitchen)
    session_at(activity, day, 9, 10, room=kitchen, occupancy=kitchen_claim(kitchen, day, 9, 10))  # 60
    session_at(activity, day, 11, 12, room=kitchen, status="cancelled")  # cancelled: released its claim
    derive_house(house, day)
    assert figure(house, day, "room_minutes_used", place=place) == 240
    assert figure(house, day, "room_minutes_open", place=place) == 840
    assert figure(house, day, "room_minutes_used") <= figure(house, day, "room_minutes_open")


def kitchen_claim(room, day, start_hour, end_hour):
    from locations.models import RoomOccupancy

    return RoomOccupancy.objects.create(room=room, start=at(day, start_hour), end=at(day, end_hour), kind="session")


def test_room_minutes_used_are_nothing_on_a_closed_day(house):
    place = lunch_break_place(house, rooms=0)
    room = RoomFactory(place=place)
    ClosureFactory(place=place, start_date=MONDAY, end_date=MONDAY)
    BookingFactory(room=room, start=at(MONDAY, 10), end=at(MONDAY, 12))
    derive_house(house, MONDAY)
    assert figure(house, MONDAY, "room_minutes_used") == 0
    assert figure(house, MONDAY, "room_minutes_open") == 0


def test_a_fully_used_room_is_at_most_its_open_minutes(house):
    place = lunch_break_place(house, rooms=0)
    room = RoomFactory(place=place, evening_use=True)
    BookingFactory(room=room, start=at(MONDAY, 7), end=at(MONDAY, 23))  # the whole day, and more
    derive_house(house, MONDAY)
    assert figure(house, MONDAY, "room_minutes_used") == 420
    assert figure(house, MONDAY, "room_minutes_open") == 420


# --- bookings ----------------------------------------------------------------------------------------------------


def test_booking_minutes_free_and_paid_count_approved_bookings_by_their_start_day(house):
    room = bookable_room(place=PlaceFactory(house=house))
    day = dt.date(2026, 11, 24)  # a Tuesday
    BookingFactory(room=room, start=at(day, 9), end=at(day, 11), price=Decimal("0"), tier="initiative")  # 120 free
    BookingFactory(room=room, start=at(day, 11), end=at(day, 12, 30), price=Decimal("20"))  # 90 paid
    BookingFactory(room=room, start=at(day, 13), end=at(day, 14), price=Decimal("10"), status="requested")
    BookingFactory(
        room=room, start=at(day, 14), end=at(day, 16), price=Decimal("20"), status="cancelled", occupancy=None
    )
    BookingFactory(room=room, start=at(day, 16), end=at(day, 17), price=Decimal("0"), status="rejected", occupancy=None)
    derive_house(house, day)
    assert figure(house, day, "booking_minutes_free", place=room.place) == 120
    assert figure(house, day, "booking_minutes_paid", place=room.place) == 90


def test_booking_revenue_is_approved_prices_plus_cancellation_costs(house):
    room = bookable_room(place=PlaceFactory(house=house))
    day = dt.date(2026, 11, 24)
    BookingFactory(room=room, start=at(day, 9), end=at(day, 10), price=Decimal("20.00"))
    BookingFactory(room=room, start=at(day, 10), end=at(day, 11), price=Decimal("0"))
    BookingFactory(
        room=room,
        start=at(day, 11),
        end=at(day, 12),
        price=Decimal("40.00"),
        cancellation_cost=Decimal("15.50"),
        status="cancelled",
        occupancy=None,
    )
    BookingFactory(room=room, start=at(day, 12), end=at(day, 13), price=Decimal("30"), status="requested")
    BookingFactory(
        room=room, start=at(day, 13), end=at(day, 14), price=Decimal("30"), status="rejected", occupancy=None
    )
    derive_house(house, day)
    assert figure(house, day, "booking_revenue") == Decimal("35.50")  # 20 + 15.50


# --- completeness -----------------------------------------------------------------------------------------------


def test_open_days_without_a_door_count(house):
    place = PlaceFactory(house=house)
    for weekday in range(5):
        OpeningHoursFactory(place=place, weekday=weekday)  # Monday to Friday 09:00-17:00
    monday = dt.date(2026, 11, 23)
    DoorTallyFactory(house=house, place=place, recorded_at=at(monday + dt.timedelta(days=1), 10))  # Tuesday
    ClosureFactory(place=place, start_date=monday + dt.timedelta(days=2), end_date=monday + dt.timedelta(days=2))
    DoorTallyFactory(
        house=house, place=place, recorded_at=at(monday + dt.timedelta(days=3), 10), undone_at=at(monday, 0)
    )
    derive_house(house, monday, TODAY)
    missing = DayFigure.objects.filter(house=house, measure="open_days_without_count")
    # Monday, Thursday (its only tap undone) and Friday; Tuesday had a count, Wednesday was closed, the weekend
    # is closed, and today is not over.
    assert sorted(missing.values_list("day", flat=True)) == [monday, monday + dt.timedelta(days=3), FRIDAY]
    assert all(row.value == 1 and row.place_id == place.pk for row in missing)


# --- writing the rows ------------------------------------------------------------------------------------------


def _rows():
    return sorted(
        DayFigure.objects.values_list("house", "place", "day", "measure", "dimension", "member", "value"),
        key=lambda row: tuple(str(part) for part in row),
    )


def test_deriving_twice_gives_the_same_rows(house):
    place = lunch_break_place(house)
    activity = ActivityFactory(house=house, place=place, category="eating")
    session = session_at(activity, MONDAY, 10, 11)
    DoorTallyFactory(house=house, place=place, session=session, recorded_at=at(MONDAY, 10), count=3)
    SignalFactory(house=house, date=MONDAY, referred_to="gp", consent=True)
    derive_house(house, MONDAY - dt.timedelta(days=3), MONDAY + dt.timedelta(days=3))
    first = _rows()
    assert first
    derive_house(house, MONDAY - dt.timedelta(days=3), MONDAY + dt.timedelta(days=3))
    assert _rows() == first


def test_a_derive_replaces_the_rows_of_its_days_only_for_its_houses(house, other_house):
    place, other_place = PlaceFactory(house=house), PlaceFactory(house=other_house)
    tap = DoorTallyFactory(house=house, place=place, recorded_at=at(FRIDAY, 10), count=2)
    DoorTallyFactory(house=house, place=place, recorded_at=at(YESTERDAY, 10), count=1)
    DoorTallyFactory(house=other_house, place=other_place, recorded_at=at(FRIDAY, 10), count=6)
    derive(house_ids=[house.pk, other_house.pk], start=FRIDAY, end=YESTERDAY)
    tap.undone_at = at(FRIDAY, 10, 1)
    tap.save(update_fields=["undone_at"])
    DoorTallyFactory(house=other_house, place=other_place, recorded_at=at(FRIDAY, 11), count=1)
    derive_house(house, FRIDAY)
    assert figure(house, FRIDAY, "visits_walk_in") == 0  # its row is gone
    assert figure(house, YESTERDAY, "visits_walk_in") == 1  # outside the range: kept
    assert figure(other_house, FRIDAY, "visits_walk_in") == 6  # another house: not derived again


def test_the_queries_do_not_grow_with_days_or_taps(house):
    place = lunch_break_place(house)

    def count_queries(last):
        with CaptureQueriesContext(connection) as queries:
            derive_house(house, MONDAY, last)
        return len(queries)

    DoorTallyFactory(house=house, place=place, recorded_at=at(MONDAY, 10))
    short = count_queries(MONDAY)
    for offset in range(20):
        DoorTallyFactory(house=house, place=place, recorded_at=at(MONDAY + dt.timedelta(days=offset % 10), 11))
    assert count_queries(MONDAY + dt.timedelta(days=10)) == short


def test_a_reversed_range_is_refused(house):
    with pytest.raises(ValidationError):
        derive_house(house, FRIDAY, FRIDAY - dt.timedelta(days=1))


def test_the_indicators_read_what_derive_wrote(house):
    """From the rows to the indicators (reporting.selectors): one Monday of a place with a lunch break."""
    from reporting.selectors import indicator_values

    place = lunch_break_place(house, rooms=0)
    room = RoomFactory(place=place, evening_use=True)
    BookingFactory(room=room, start=at(MONDAY, 9), end=at(MONDAY, 12), price=Decimal("0"))  # 180 free, all open
    BookingFactory(room=room, start=at(MONDAY, 16), end=at(MONDAY, 20), price=Decimal("45"))  # 240 paid, 60 open
    DoorTallyFactory(house=house, place=place, recorded_at=at(MONDAY, 10), count=6)
    derive_house(house, MONDAY)
    values = indicator_values(house_ids=[house.pk], start=MONDAY, end=MONDAY)[()]
    assert values["visits"] == 6
    assert values["booking_hours_free"] == 3 and values["booking_hours_paid"] == 4
    assert values["booking_revenue"] == 45
    assert values["opening_hours"] == 7  # 420 minutes
    assert values["room_occupancy"] == Decimal("57.1")  # (180 + 60) / 420 = 57.14...%


def test_days_after_today_are_not_derived(house):
    place = lunch_break_place(house)
    BookingFactory(
        room=RoomFactory(place=place),
        start=at(TODAY + dt.timedelta(days=7), 10),
        end=at(TODAY + dt.timedelta(days=7), 11),
    )
    assert derive_house(house, TODAY + dt.timedelta(days=1), TODAY + dt.timedelta(days=7)) == 0
    derive_house(house, TODAY, TODAY + dt.timedelta(days=7))
    assert set(DayFigure.objects.values_list("day", flat=True)) == {TODAY}
