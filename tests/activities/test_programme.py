"""The coordinator's programme pages: overview, planning, cancelling and moving a session, and the door log."""

import datetime as dt
import uuid
from zoneinfo import ZoneInfo

import pytest
from django.contrib.messages import get_messages
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from activities import services
from activities.models import Activity, ActivityTargetGroup, DoorTally, Session
from audit.services import SYSTEM
from locations.models import RoomOccupancy
from tests.factories import (
    ActivityFactory,
    DoorTallyFactory,
    PlaceFactory,
    RoomFactory,
    SessionFactory,
)

pytestmark = pytest.mark.date_sensitive

AMSTERDAM = ZoneInfo("Europe/Amsterdam")


@pytest.fixture
def as_coordinator(english, coordinator):
    english.force_login(coordinator)
    return english


@pytest.fixture
def place(house):
    return PlaceFactory(house=house, name="Het Klooster")


@pytest.fixture
def room(place):
    return RoomFactory(place=place, name="Grote zaal")


def url(name, house, **kwargs):
    return reverse(f"activities:{name}", kwargs={"house_slug": house.slug, **kwargs})


def next_weekday(weekday: int, after: dt.date | None = None) -> dt.date:
    day = (after or timezone.localdate()) + dt.timedelta(days=1)
    while day.weekday() != weekday:
        day += dt.timedelta(days=1)
    return day


def at(day: dt.date, hour: int, minute: int = 0) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hour, minute), tzinfo=AMSTERDAM)


def plan(house, place, room=None, **kwargs):
    arguments = {
        "house": house,
        "place": place,
        "room": room,
        "title": "Sjoelen",
        "category": "meeting",
        "organiser": "residents",
        "first_date": next_weekday(0),
        "start_time": dt.time(19, 0),
        "end_time": dt.time(21, 0),
        "by": SYSTEM,
        "skip_holidays": False,  # "next Monday" may be Easter Monday
        **kwargs,
    }
    return services.activity_create(**arguments)


def messages_of(response):
    return [str(message) for message in get_messages(response.wsgi_request)]


# --- the overview --------------------------------------------------------------------------------------------


def test_overview_shows_activities_and_the_sessions_of_the_next_four_weeks(as_coordinator, house, place, room):
    monday = next_weekday(0)
    activity = plan(
        house,
        place,
        room,
        title="Sjoelen",
        weekdays=[0],
        until=monday + dt.timedelta(weeks=8),
        capacity=12,
        target_groups=["seniors"],
    )
    plan(house, place, title="Buurtlunch", category="eating", organiser="partner", partner_name="Humanitas", price=3)
    sessions = list(activity.sessions.order_by("start"))
    services.session_cancel(session=sessions[1], reason="De vrijwilliger is ziek", by=SYSTEM)
    response = as_coordinator.get(url("programme", house))
    assert response.status_code == 200
    page = response.content.decode()
    listed = response.context["sessions"]
    assert all(session.start < timezone.now() + dt.timedelta(days=29) for session in listed)
    assert sessions[0] in listed and sessions[-1] not in listed
    assert "Every week on Monday" in page
    assert "Humanitas" in page and "Residents&#x27; initiative" in page
    assert "Grote zaal" in page and "people over 65" in page and "free" in page
    assert "De vrijwilliger is ziek" in page and "cancelled" in page
    assert url("activity_create", house) in page
    assert url("session_cancel", house, session_id=sessions[0].pk) in page
    assert url("session_move", house, session_id=sessions[0].pk) in page
    assert url("session_cancel", house, session_id=sessions[1].pk) not in page  # already cancelled


def test_overview_without_activities_says_what_to_do(as_coordinator, house):
    response = as_coordinator.get(url("programme", house))
    assert "No activities are planned yet." in response.content.decode()
    assert "Plan an activity to fill the programme." in response.content.decode()


def test_overview_leaves_out_other_houses_and_past_activities(as_coordinator, house, other_house):
    SessionFactory(activity__house=other_house, activity__title="Elders")
    past = ActivityFactory(house=house, title="Vorig jaar", first_date=timezone.localdate() - dt.timedelta(days=400))
    SessionFactory(activity=past)
    page = as_coordinator.get(url("programme", house)).content.decode()
    assert "Elders" not in page and "Vorig jaar" not in page


def test_overview_query_count_does_not_grow_with_the_number_of_sessions(as_coordinator, house):
    def add_session(n):
        session = SessionFactory(
            activity__house=house, activity__first_date=timezone.localdate() + dt.timedelta(days=n % 20 + 1)
        )
        ActivityTargetGroup.objects.create(activity=session.activity, group="everyone")

    add_session(0)
    with CaptureQueriesContext(connection) as one:
        assert as_coordinator.get(url("programme", house)).status_code == 200
    for n in range(1, 50):
        add_session(n)
    with CaptureQueriesContext(connection) as fifty:
        response = as_coordinator.get(url("programme", house))
    assert len(response.context["sessions"]) == 50
    assert len(fifty) == len(one)


# --- planning an activity -----------------------------------------------------------------------------------


def form_data(place, room=None, **overrides):
    monday = next_weekday(0)
    data = {
        "title": "Sjoelen",
        "description": "Gezellig sjoelen met koffie.",
        "category": "meeting",
        "target_groups": ["seniors", "everyone"],
        "organiser": "residents",
        "partner_name": "",
        "place": place.pk,
        "room": room.pk if room else "",
        "capacity": "16",
        "price": "0",
        "first_date": monday.isoformat(),
        "start_time": "19:00",
        "end_time": "21:00",
        "repeat": "weekly",
        "weekdays": ["0"],
        "interval_weeks": "1",
        "until": (monday + dt.timedelta(weeks=3)).isoformat(),
        "skip_holidays": "",
    }
    data.update(overrides)
    return {key: value for key, value in data.items() if value is not None}


def test_the_form_offers_only_this_houses_places_and_rooms(as_coordinator, house, other_house, place, room):
    elsewhere = RoomFactory(place=PlaceFactory(house=other_house, name="Elders"), name="Zaal elders")
    response = as_coordinator.get(url("activity_create", house))
    assert response.status_code == 200
    form = response.context["form"]
    assert list(form.fields["place"].queryset) == [place]
    assert list(form.fields["room"].queryset) == [room]
    page = response.content.decode()
    assert "Zaal elders" not in page and str(elsewhere.pk) not in form.fields["room"].widget.render("room", "")
    assert "Required when a partner organisation organises the activity." in page  # said at the field


def test_coordinator_plans_a_weekly_activity(as_coordinator, coordinator, house, place, room):
    response = as_coordinator.post(url("activity_create", house), form_data(place, room))
    assert response.status_code == 302
    assert response.url == url("programme", house)
    activity = Activity.objects.get()
    assert activity.house == house and activity.room == room and activity.created_by == coordinator
    assert activity.weekdays == [0] and activity.capacity == 16 and activity.is_free
    assert sorted(activity.target_groups.values_list("group", flat=True)) == ["everyone", "seniors"]
    assert activity.sessions.count() == 4
    assert RoomOccupancy.objects.filter(room=room).count() == 4
    assert messages_of(response) == ["“Sjoelen” is planned: 4 sessions."]


def test_coordinator_plans_a_single_session_by_a_partner_without_a_room(as_coordinator, house, place):
    data = form_data(
        place, repeat="none", organiser="partner", partner_name="Humanitas", capacity="", price="2.50", until=""
    )
    response = as_coordinator.post(url("activity_create", house), data)
    assert response.status_code == 302
    activity = Activity.objects.get()
    assert activity.partner_name == "Humanitas" and activity.capacity is None and str(activity.price) == "2.50"
    assert activity.weekdays == [] and activity.until is None and activity.room is None
    assert activity.sessions.count() == 1
    assert messages_of(response) == ["“Sjoelen” is planned: 1 session."]


def test_partner_name_is_dropped_when_not_a_partner(as_coordinator, house, place):
    as_coordinator.post(url("activity_create", house), form_data(place, organiser="professional", partner_name="X"))
    assert Activity.objects.get().partner_name == ""


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"title": ""}, "title", "This field is required."),
        ({"category": "dansen"}, "category", "Select a valid choice."),
        ({"capacity": "-3"}, "capacity", "Enter at least 1 place, or leave it empty when there is no limit."),
        ({"capacity": "0"}, "capacity", "Enter at least 1 place, or leave it empty when there is no limit."),
        ({"capacity": "veel"}, "capacity", "Enter a whole number."),
        ({"price": "-1"}, "price", "The price cannot be negative. Enter 0 when it is free."),
        ({"end_time": "18:00"}, "end_time", "The end time must be after the start time."),
        ({"end_time": "19:00"}, "end_time", "The end time must be after the start time."),
        ({"start_time": "25:00"}, "start_time", "Enter a valid time."),
        ({"first_date": "31-02-2027"}, "first_date", "Enter a valid date."),
        ({"until": "2020-01-01"}, "until", "The last day cannot be before the first day."),
        ({"until": ""}, "until", "Choose the last day the activity repeats."),
        ({"weekdays": []}, "weekdays", "Choose at least one day of the week."),
        ({"weekdays": ["9"]}, "weekdays", "Select a valid choice."),
        ({"interval_weeks": "9"}, "interval_weeks", "Enter a number from 1 to 8."),
        ({"interval_weeks": "0"}, "interval_weeks", "Enter a number from 1 to 8."),
        ({"organiser": "partner", "partner_name": "  "}, "partner_name", "Enter the name of the partner organisation."),
        ({"target_groups": ["katten"]}, "target_groups", "Select a valid choice."),
    ],
)
def test_bad_input_is_refused_at_the_field_and_nothing_is_saved(
    as_coordinator, house, place, room, overrides, field, message
):
    response = as_coordinator.post(url("activity_create", house), form_data(place, room, **overrides))
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert field in errors
    assert any(error.startswith(message) for error in errors[field]), errors[field]
    assert 'aria-invalid="true"' in response.content.decode() or field in ("weekdays", "target_groups")
    assert "Nothing is saved yet." in response.content.decode()
    assert not Activity.objects.exists() and not Session.objects.exists()


def test_until_more_than_a_year_ahead_is_refused(as_coordinator, house, place):
    first = next_weekday(0)
    data = form_data(place, first_date=first.isoformat(), until=(first + dt.timedelta(days=400)).isoformat())
    response = as_coordinator.post(url("activity_create", house), data)
    assert "Plan at most one year ahead" in response.context["form"].errors["until"][0]
    assert not Activity.objects.exists()


def test_a_room_of_another_house_is_refused(as_coordinator, house, other_house, place):
    elsewhere = RoomFactory(place=PlaceFactory(house=other_house))
    response = as_coordinator.post(url("activity_create", house), form_data(place, elsewhere))
    assert response.context["form"].errors["room"] == ["Choose one of the rooms of this house."]
    assert not Activity.objects.exists()


def test_a_place_of_another_house_is_refused(as_coordinator, house, other_house):
    elsewhere = PlaceFactory(house=other_house)
    response = as_coordinator.post(url("activity_create", house), form_data(elsewhere))
    assert response.context["form"].errors["place"] == ["Choose one of the places of this house."]
    assert not Activity.objects.exists()


def test_a_room_of_another_place_of_the_house_is_refused(as_coordinator, house, place):
    other_place_room = RoomFactory(place=PlaceFactory(house=house, name="Buurtplek"))
    response = as_coordinator.post(url("activity_create", house), form_data(place, other_place_room))
    assert "This room is not in the place you chose." in response.context["form"].errors["room"][0]
    assert not Activity.objects.exists()


def test_a_room_already_in_use_is_shown_on_the_form_with_the_days(as_coordinator, house, place, room):
    monday = next_weekday(0)
    plan(house, place, room, title="Yoga", first_date=monday + dt.timedelta(weeks=1), start_time=dt.time(20))
    response = as_coordinator.post(url("activity_create", house), form_data(place, room))
    assert response.status_code == 200
    errors = response.context["form"].non_field_errors()
    expected = (monday + dt.timedelta(weeks=1)).strftime("%d-%m-%Y")
    assert len(errors) == 1 and expected in errors[0] and "already in use" in errors[0]
    assert expected in response.content.decode()
    assert list(Activity.objects.values_list("title", flat=True)) == ["Yoga"]
    assert Session.objects.count() == 1


# --- cancelling and moving one session ---------------------------------------------------------------------


@pytest.fixture
def series(house, place, room):
    monday = next_weekday(0)
    return plan(house, place, room, weekdays=[0], until=monday + dt.timedelta(weeks=2))


def test_cancel_page_asks_for_a_reason(as_coordinator, house, series):
    session = series.sessions.first()
    response = as_coordinator.get(url("session_cancel", house, session_id=session.pk))
    assert response.status_code == 200
    assert "Residents see this reason" in response.content.decode()


def test_coordinator_cancels_one_session_with_a_reason(as_coordinator, house, series, room):
    session, *others = series.sessions.order_by("start")
    response = as_coordinator.post(url("session_cancel", house, session_id=session.pk), {"reason": "Zaal lekt"})
    assert response.status_code == 302 and response.url == url("programme", house)
    session.refresh_from_db()
    assert session.status == Session.Status.CANCELLED and session.change_reason == "Zaal lekt"
    assert session.occupancy is None and RoomOccupancy.objects.filter(room=room).count() == 2
    assert all(other.status == Session.Status.PLANNED for other in others)
    assert "is cancelled" in messages_of(response)[0]


def test_cancel_without_a_reason_is_refused(as_coordinator, house, series):
    session = series.sessions.first()
    response = as_coordinator.post(url("session_cancel", house, session_id=session.pk), {"reason": "  "})
    assert response.status_code == 200
    assert response.context["form"].errors["reason"] == ["Give a reason; residents will see it."]
    session.refresh_from_db()
    assert session.status == Session.Status.PLANNED


def test_cancelling_twice_says_so(as_coordinator, house, series):
    session = series.sessions.first()
    services.session_cancel(session=session, reason="Ziek", by=SYSTEM)
    response = as_coordinator.post(url("session_cancel", house, session_id=session.pk), {"reason": "Nog eens"})
    assert response.status_code == 200
    assert "already cancelled" in response.content.decode()
    session.refresh_from_db()
    assert session.change_reason == "Ziek"


def test_coordinator_moves_one_session(as_coordinator, house, series):
    session = series.sessions.order_by("start").first()
    original = session.start
    response = as_coordinator.get(url("session_move", house, session_id=session.pk))
    assert response.context["form"].initial["start_time"] == dt.time(19, 0)
    new_day = timezone.localtime(original).date() + dt.timedelta(days=1)
    data = {"date": new_day.isoformat(), "start_time": "14:00", "end_time": "16:30", "reason": "Zaal bezet"}
    response = as_coordinator.post(url("session_move", house, session_id=session.pk), data)
    assert response.status_code == 302
    session.refresh_from_db()
    assert session.start == at(new_day, 14) and session.end == at(new_day, 16, 30)
    assert session.moved_from == original and session.change_reason == "Zaal bezet"
    assert session.occupancy.start == at(new_day, 14)
    page = as_coordinator.get(url("programme", house)).content.decode()
    assert "moved" in page and "Zaal bezet" in page


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"end_time": "13:00"}, "end_time", "The end time must be after the start time."),
        ({"reason": ""}, "reason", "Give a reason; residents will see it."),
        ({"date": "morgen"}, "date", "Enter a valid date."),
    ],
)
def test_bad_move_input_is_refused(as_coordinator, house, series, overrides, field, message):
    session = series.sessions.first()
    before = (session.start, session.end)
    data = {"date": "2027-06-01", "start_time": "14:00", "end_time": "16:00", "reason": "Zaal bezet", **overrides}
    response = as_coordinator.post(url("session_move", house, session_id=session.pk), data)
    assert response.status_code == 200
    assert response.context["form"].errors[field] == [message]
    session.refresh_from_db()
    assert (session.start, session.end) == before


def test_moving_into_a_taken_room_is_refused(as_coordinator, house, place, room, series):
    first, second, _third = series.sessions.order_by("start")
    local = timezone.localtime(second.start)
    data = {"date": local.date().isoformat(), "start_time": "20:00", "end_time": "22:00", "reason": "Later"}
    response = as_coordinator.post(url("session_move", house, session_id=first.pk), data)
    assert response.status_code == 200
    assert "already in use" in response.context["form"].non_field_errors()[0]
    first.refresh_from_db()
    assert first.moved_from is None


def test_sessions_of_another_house_are_not_found(as_coordinator, house, other_house):
    elsewhere = SessionFactory(activity__house=other_house)
    assert as_coordinator.get(url("session_move", house, session_id=elsewhere.pk)).status_code == 404
    assert as_coordinator.get(url("session_cancel", house, session_id=elsewhere.pk)).status_code == 404
    response = as_coordinator.post(url("session_cancel", house, session_id=elsewhere.pk), {"reason": "Weg"})
    assert response.status_code == 404
    assert as_coordinator.get(url("session_cancel", house, session_id=999999)).status_code == 404
    elsewhere.refresh_from_db()
    assert elsewhere.status == Session.Status.PLANNED


# --- the door log -------------------------------------------------------------------------------------------


def test_door_log_counts_walk_in_and_sessions_of_the_day(as_coordinator, house, place, other_house):
    day = dt.date(2026, 3, 10)
    session = SessionFactory(activity__house=house, activity__place=place, activity__first_date=day)
    other_place = PlaceFactory(house=house, name="Buurtplek Zuid")
    tally = {"house": house, "place": place}
    DoorTallyFactory(**tally, recorded_at=at(day, 9), count=3, is_new=True, age_band="65+")
    DoorTallyFactory(**tally, recorded_at=at(day, 10), count=2, age_band="0-12")
    DoorTallyFactory(**tally, recorded_at=at(day, 11), count=5, undone_at=at(day, 11, 5))  # undone: not counted
    DoorTallyFactory(**tally, recorded_at=at(day, 23, 59))  # still the same day in Amsterdam
    DoorTallyFactory(**tally, recorded_at=at(day + dt.timedelta(days=1), 0, 1), count=7)  # the next day
    DoorTallyFactory(house=house, place=other_place, recorded_at=at(day, 12), count=4)
    DoorTallyFactory(**tally, session=session, recorded_at=at(day, 14), count=6, is_new=True, age_band="24-64")
    DoorTallyFactory(**tally, session=session, recorded_at=at(day, 14, 5), count=2)
    DoorTallyFactory(house=other_house, recorded_at=at(day, 9), count=50)
    services.session_close(session=session, participants=9, volunteers=2, remark="Goede opkomst", by=SYSTEM)

    response = as_coordinator.get(url("door_log", house), {"datum": "2026-03-10"})
    assert response.status_code == 200
    places = {item["place"].name: item for item in response.context["places"]}
    walk_in = places["Het Klooster"]["walk_in"]
    assert (walk_in["visitors"], walk_in["new_visitors"], walk_in["unknown_age"]) == (6, 3, 1)
    assert dict(walk_in["bands"]) == {"0 to 12": 2, "13 to 23": 0, "24 to 64": 0, "65 and over": 3}
    assert places["Buurtplek Zuid"]["walk_in"]["visitors"] == 4
    [row] = places["Het Klooster"]["sessions"]
    assert row["session"] == session
    assert (row["counts"]["visitors"], row["counts"]["new_visitors"]) == (8, 6)
    assert dict(row["counts"]["bands"])["24 to 64"] == 6
    page = response.content.decode()
    assert "9 participants" in page and "2 volunteers" in page and "Goede opkomst" in page
    assert "?periode=dag&amp;datum=2026-03-09" in page and "?periode=dag&amp;datum=2026-03-11" in page


def test_door_log_defaults_to_today_and_shows_an_empty_day(as_coordinator, house, place):
    response = as_coordinator.get(url("door_log", house))
    assert response.context["day"] == timezone.localdate()
    assert "No sessions at this place on this day." in response.content.decode()


def test_door_log_with_a_bad_date_shows_the_error_and_today(as_coordinator, house, place):
    response = as_coordinator.get(url("door_log", house), {"datum": "gisteren"})
    assert response.status_code == 200
    assert response.context["day"] == timezone.localdate()
    assert response.context["day_form"].errors["datum"] == ["Enter a valid date."]


def test_door_log_query_count_does_not_grow_with_the_number_of_sessions(as_coordinator, house, place):
    day = dt.date(2026, 3, 10)

    def add_session(n):
        session = SessionFactory(
            activity__house=house,
            activity__place=place,
            activity__first_date=day,
            activity__start_time=dt.time(8 + n % 12),
            activity__end_time=dt.time(8 + n % 12, 45),
        )
        DoorTallyFactory(house=house, place=place, session=session, recorded_at=at(day, 9), tap_id=uuid.uuid4())
        DoorTallyFactory(house=house, place=PlaceFactory(house=house), recorded_at=at(day, 9))

    add_session(0)
    with CaptureQueriesContext(connection) as one:
        as_coordinator.get(url("door_log", house), {"datum": "2026-03-10"})
    for n in range(1, 50):
        add_session(n)
    with CaptureQueriesContext(connection) as fifty:
        response = as_coordinator.get(url("door_log", house), {"datum": "2026-03-10"})
    assert sum(len(item["sessions"]) for item in response.context["places"]) == 50
    assert len(fifty) == len(one)
    assert DoorTally.objects.count() == 100


# --- who may see these pages ---------------------------------------------------------------------------------

PAGES = ["programme", "activity_create", "door_log"]


@pytest.mark.parametrize("page", PAGES)
@pytest.mark.parametrize("role", ["coordinator", "administrator"])
def test_coordinators_and_administrators_may_open_the_pages(client, request, house, place, role, page):
    client.force_login(request.getfixturevalue(role))
    assert client.get(url(page, house)).status_code == 200


@pytest.mark.parametrize("page", PAGES)
@pytest.mark.parametrize(
    "role", ["host", "manager", "municipality", "resident", "other_house_coordinator", "other_house_host"]
)
def test_everyone_else_gets_404(client, request, house, role, page):
    client.force_login(request.getfixturevalue(role))
    assert client.get(url(page, house)).status_code == 404


@pytest.mark.parametrize(
    "role", ["host", "manager", "municipality", "resident", "other_house_coordinator", "other_house_host"]
)
def test_everyone_else_cannot_plan_cancel_or_move(client, request, house, place, room, series, role):
    client.force_login(request.getfixturevalue(role))
    session = series.sessions.first()
    assert client.post(url("activity_create", house), form_data(place, room)).status_code == 404
    assert client.post(url("session_cancel", house, session_id=session.pk), {"reason": "Weg"}).status_code == 404
    move = {"date": "2027-06-01", "start_time": "14:00", "end_time": "16:00", "reason": "Weg"}
    assert client.post(url("session_move", house, session_id=session.pk), move).status_code == 404
    session.refresh_from_db()
    assert session.status == Session.Status.PLANNED and session.moved_from is None
    assert Activity.objects.count() == 1


def test_unknown_house_gets_404(as_coordinator):
    assert as_coordinator.get(reverse("activities:programme", kwargs={"house_slug": "bestaat-niet"})).status_code == 404


@pytest.mark.parametrize("page", PAGES)
def test_anonymous_visitors_are_sent_to_the_login(client, house, page):
    response = client.get(url(page, house))
    assert response.status_code == 302
    assert response.url.startswith(reverse("account_login"))


def test_anonymous_post_changes_nothing(client, house, series):
    session = series.sessions.first()
    response = client.post(url("session_cancel", house, session_id=session.pk), {"reason": "Weg"})
    assert response.status_code == 302 and response.url.startswith(reverse("account_login"))
    session.refresh_from_db()
    assert session.status == Session.Status.PLANNED
