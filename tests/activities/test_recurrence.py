"""Which days a series falls on, and the sessions `services.activity_create` plans from it: holidays and
closures skipped, wall-clock times kept across the daylight-saving changes, one room never double-booked."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from activities import services
from activities.models import Activity, Session
from activities.recurrence import occurrence_dates
from audit.services import SYSTEM
from locations.models import RoomOccupancy
from tests.factories import ClosureFactory, PlaceFactory, RoomFactory

AMSTERDAM = ZoneInfo("Europe/Amsterdam")
MON, TUE, WED, THU, FRI, SAT, SUN = range(7)


def days(*values):
    return [dt.date.fromisoformat(value) for value in values]


# --- occurrence_dates ----------------------------------------------------------------------------------------


def test_weekly_on_chosen_weekdays_until_a_day_inclusive():
    result = occurrence_dates(first_date=dt.date(2027, 1, 4), weekdays=[MON, THU], until=dt.date(2027, 1, 14))
    assert result == days("2027-01-04", "2027-01-07", "2027-01-11", "2027-01-14")


def test_every_other_week_counts_weeks_from_the_week_of_the_first_day():
    # The first day is a Wednesday; its week (from Monday 4 January) is week 0, so weeks 0, 2, 4 count.
    result = occurrence_dates(
        first_date=dt.date(2027, 1, 6), weekdays=[MON, WED], interval_weeks=2, until=dt.date(2027, 2, 1)
    )
    assert result == days("2027-01-06", "2027-01-18", "2027-01-20", "2027-02-01")


def test_every_three_weeks():
    result = occurrence_dates(
        first_date=dt.date(2027, 1, 5), weekdays=[TUE], interval_weeks=3, until=dt.date(2027, 3, 1)
    )
    assert result == days("2027-01-05", "2027-01-26", "2027-02-16")


def test_the_first_day_need_not_be_one_of_the_weekdays():
    result = occurrence_dates(first_date=dt.date(2027, 1, 6), weekdays=[FRI], until=dt.date(2027, 1, 15))
    assert result == days("2027-01-08", "2027-01-15")


def test_until_before_the_next_occurrence_gives_one_day():
    assert occurrence_dates(first_date=dt.date(2027, 1, 4), weekdays=[MON], until=dt.date(2027, 1, 10)) == days(
        "2027-01-04"
    )


def test_skipped_dates_are_left_out():
    result = occurrence_dates(
        first_date=dt.date(2027, 1, 4),
        weekdays=[MON],
        until=dt.date(2027, 1, 25),
        skip={dt.date(2027, 1, 11), dt.date(2027, 1, 19)},
    )
    assert result == days("2027-01-04", "2027-01-18", "2027-01-25")


def test_without_weekdays_or_until_it_is_one_day():
    assert occurrence_dates(first_date=dt.date(2027, 1, 4), weekdays=[]) == days("2027-01-04")
    assert occurrence_dates(first_date=dt.date(2027, 1, 4), weekdays=[MON], until=None) == days("2027-01-04")
    assert occurrence_dates(first_date=dt.date(2027, 1, 4), weekdays=[], skip={dt.date(2027, 1, 4)}) == []


# --- activity_create -----------------------------------------------------------------------------------------


@pytest.fixture
def place(house):
    return PlaceFactory(house=house, name="Het Klooster")


@pytest.fixture
def room(place):
    return RoomFactory(place=place, name="Grote zaal")


def plan(house, place, room=None, **kwargs):
    arguments = {
        "house": house,
        "place": place,
        "room": room,
        "title": "Sjoelen",
        "category": "meeting",
        "organiser": "residents",
        "first_date": dt.date(2027, 1, 4),
        "start_time": dt.time(19, 0),
        "end_time": dt.time(21, 0),
        "by": SYSTEM,
        **kwargs,
    }
    return services.activity_create(**arguments)


def local_days(activity):
    return [timezone.localtime(session.start).date() for session in activity.sessions.order_by("start")]


def test_koningsdag_is_skipped(house, place):
    activity = plan(house, place, first_date=dt.date(2027, 4, 13), weekdays=[TUE], until=dt.date(2027, 5, 4))
    assert local_days(activity) == days("2027-04-13", "2027-04-20", "2027-05-04")


def test_holidays_are_kept_when_asked(house, place):
    activity = plan(
        house, place, first_date=dt.date(2027, 4, 13), weekdays=[TUE], until=dt.date(2027, 5, 4), skip_holidays=False
    )
    assert dt.date(2027, 4, 27) in local_days(activity)


def test_a_closure_of_the_place_is_skipped(house, place):
    ClosureFactory(place=place, start_date=dt.date(2027, 1, 10), end_date=dt.date(2027, 1, 12), reason="Schilderen")
    activity = plan(house, place, weekdays=[MON], until=dt.date(2027, 1, 18))
    assert local_days(activity) == days("2027-01-04", "2027-01-18")


def test_a_closure_of_another_place_changes_nothing(house, place):
    ClosureFactory(place=PlaceFactory(house=house), start_date=dt.date(2027, 1, 11), end_date=dt.date(2027, 1, 11))
    activity = plan(house, place, weekdays=[MON], until=dt.date(2027, 1, 18))
    assert len(local_days(activity)) == 3


@pytest.mark.parametrize(
    ("first", "until", "before", "after"),
    [
        # Summer time starts on Sunday 28 March 2027 (02:00 becomes 03:00).
        (dt.date(2027, 3, 18), dt.date(2027, 4, 1), dt.timedelta(hours=1), dt.timedelta(hours=2)),
        # Summer time ends on Sunday 31 October 2027 (03:00 becomes 02:00).
        (dt.date(2027, 10, 21), dt.date(2027, 11, 4), dt.timedelta(hours=2), dt.timedelta(hours=1)),
    ],
)
def test_sessions_keep_their_wall_clock_time_across_the_daylight_saving_change(
    house, place, first, until, before, after
):
    activity = plan(house, place, first_date=first, weekdays=[THU], until=until)
    sessions = list(Session.objects.filter(activity=activity).order_by("start"))  # as stored, read back
    assert len(sessions) == 3
    for session in sessions:
        local = session.start.astimezone(AMSTERDAM)
        assert (local.hour, local.minute) == (19, 0)
        assert session.end.astimezone(AMSTERDAM).hour == 21
        assert session.end - session.start == dt.timedelta(hours=2)
    assert sessions[0].start.astimezone(AMSTERDAM).utcoffset() == before
    assert sessions[-1].start.astimezone(AMSTERDAM).utcoffset() == after
    utc_hours = {session.start.astimezone(dt.UTC).hour for session in sessions}
    assert len(utc_hours) == 2  # the same local time is a different UTC time on either side


def test_a_session_on_the_day_of_the_change_itself(house, place):
    # Sunday 28 March 2027 is also Easter Sunday: keep holidays so the day is planned.
    activity = plan(
        house, place, first_date=dt.date(2027, 3, 21), weekdays=[SUN], until=dt.date(2027, 3, 28), skip_holidays=False
    )
    last = activity.sessions.order_by("start").last()
    assert last.start.astimezone(AMSTERDAM).hour == 19
    assert last.start.astimezone(AMSTERDAM).utcoffset() == dt.timedelta(hours=2)


def test_a_second_activity_in_the_same_room_at_the_same_time_is_refused_naming_the_days(house, place, room):
    plan(house, place, room, title="Yoga", weekdays=[MON], until=dt.date(2027, 1, 18), start_time=dt.time(10))
    occupancies = RoomOccupancy.objects.count()
    with pytest.raises(ValidationError) as refused:
        plan(
            house,
            place,
            room,
            title="Taalcafé",
            first_date=dt.date(2027, 1, 11),
            weekdays=[MON],
            until=dt.date(2027, 1, 25),
            start_time=dt.time(11),
            end_time=dt.time(13),
        )
    message = " ".join(refused.value.messages)
    assert "11-01-2027" in message and "18-01-2027" in message
    assert "25-01-2027" not in message  # that day the room is free
    assert not Activity.objects.filter(title="Taalcafé").exists()
    assert Session.objects.count() == 3
    assert RoomOccupancy.objects.count() == occupancies


def test_back_to_back_in_one_room_is_fine(house, place, room):
    plan(
        house,
        place,
        room,
        title="Yoga",
        weekdays=[MON],
        until=dt.date(2027, 1, 18),
        start_time=dt.time(10),
        end_time=dt.time(12),
    )
    second = plan(
        house,
        place,
        room,
        title="Taalcafé",
        weekdays=[MON],
        until=dt.date(2027, 1, 18),
        start_time=dt.time(12),
        end_time=dt.time(14),
    )
    assert second.sessions.count() == 3
    assert RoomOccupancy.objects.filter(room=room).count() == 6


def test_the_same_time_in_another_room_is_fine(house, place, room):
    plan(house, place, room, title="Yoga", weekdays=[MON], until=dt.date(2027, 1, 18))
    other_room = RoomFactory(place=place, name="Kleine zaal")
    assert (
        plan(house, place, other_room, title="Taalcafé", weekdays=[MON], until=dt.date(2027, 1, 18)).sessions.count()
        == 3
    )
