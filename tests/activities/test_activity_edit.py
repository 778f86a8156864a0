"""The coordinator edits an activity (title, description, places, target groups, room of the coming sessions) and
ends a weekly series from a day; registrants of the affected coming sessions hear of it by e-mail."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from django.contrib.messages import get_messages
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import translation

from activities import services
from activities.models import Activity, Registration, Session
from audit.models import Event
from audit.services import SYSTEM
from huizen.models import OutboxMessage
from locations.models import RoomOccupancy
from tests.audit.helpers import assert_event
from tests.factories import PlaceFactory, RegistrationFactory, RoomFactory, UserFactory

pytestmark = pytest.mark.date_sensitive

AMSTERDAM = ZoneInfo("Europe/Amsterdam")


@pytest.fixture(autouse=True)
def monday_morning(clock):
    """These tests name their days (a series ending on 14 December 2026): they run on Monday 30 November 2026,
    07:00 in Amsterdam, whatever today `make test-dates` picks."""
    clock.move_to(dt.datetime(2026, 11, 30, 7, 0, tzinfo=AMSTERDAM))


# The clock reads Monday 30 November 2026, 07:00 in Amsterdam.
LAST_MONDAY = dt.date(2026, 11, 23)


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


@pytest.fixture
def other_room(place):
    return RoomFactory(place=place, name="Keuken")


@pytest.fixture
def series(house, place, room):
    """Mondays 06:00-08:00 from last week: 23 November (past), 30 November (started at 06:00, still running),
    7 and 14 December (still to come)."""
    return services.activity_create(
        house=house,
        place=place,
        room=room,
        title="Sjoelen",
        description="Gezellig sjoelen.",
        category="meeting",
        organiser="residents",
        first_date=LAST_MONDAY,
        start_time=dt.time(6, 0),
        end_time=dt.time(8, 0),
        weekdays=[0],
        until=LAST_MONDAY + dt.timedelta(weeks=3),
        capacity=10,
        registration_required=True,
        target_groups=["seniors"],
        skip_holidays=False,
        by=SYSTEM,
    )


def sessions_of(activity):
    return list(activity.sessions.order_by("start").select_related("room", "occupancy"))


def url(name, house, activity):
    return reverse(f"activities:{name}", kwargs={"house_slug": house.slug, "activity_id": activity.pk})


def edit_data(selected_room, **overrides):
    data = {
        "title": "Sjoelen en kaarten",
        "description": "Sjoelen, kaarten en koffie.",
        "target_groups": ["seniors", "everyone"],
        "capacity": "12",
        "room": selected_room.pk if selected_room else "",
        **overrides,
    }
    return {key: value for key, value in data.items() if value is not None}


def messages_of(response):
    return [str(message) for message in get_messages(response.wsgi_request)]


def state(activity):
    """All an edit might change, to compare before and after a refused one."""
    activity.refresh_from_db()
    return (
        activity.title,
        activity.description,
        activity.capacity,
        activity.room_id,
        sorted(activity.target_groups.values_list("group", flat=True)),
        [(s.room_id, s.occupancy_id, s.status) for s in sessions_of(activity)],
        sorted(RoomOccupancy.objects.values_list("room_id", "start")),
        Event.objects.count(),
        OutboxMessage.objects.count(),
    )


# --- editing ------------------------------------------------------------------------------------------------


def test_the_form_shows_the_activity_and_only_rooms_of_its_place(as_coordinator, house, series, room, other_room):
    elsewhere = RoomFactory(place=PlaceFactory(house=house, name="Buurtplek Zuid"), name="Zaal zuid")
    response = as_coordinator.get(url("activity_edit", house, series))
    assert response.status_code == 200
    form = response.context["form"]
    assert form["title"].value() == "Sjoelen" and form["capacity"].value() == 10
    assert form["target_groups"].value() == ["seniors"] and form["room"].value() == room.pk
    assert set(form.fields["room"].queryset) == {room, other_room}
    assert "Zaal zuid" not in response.content.decode() and elsewhere.pk


def test_overview_links_to_editing_and_ending_the_series(as_coordinator, house, series):
    page = as_coordinator.get(reverse("activities:programme", kwargs={"house_slug": house.slug})).content.decode()
    assert url("activity_edit", house, series) in page
    assert url("activity_end_series", house, series) in page


def test_coordinator_edits_an_activity_and_the_coming_sessions_move_room(
    as_coordinator, coordinator, house, series, room, other_room, django_capture_on_commit_callbacks, mailoutbox
):
    past, running, coming, last = sessions_of(series)
    nl_resident = UserFactory(email="an@example.nl", language="nl")
    en_resident = UserFactory(email="bo@example.nl", language="en")
    RegistrationFactory(session=coming, user=nl_resident)
    RegistrationFactory(session=last, user=nl_resident)  # two sessions, one e-mail
    RegistrationFactory(session=last, user=en_resident, status="waiting")
    RegistrationFactory(session=past, user=UserFactory(email="past@example.nl"))  # not affected
    RegistrationFactory(session=running, user=UserFactory(email="running@example.nl"))  # started: not affected
    RegistrationFactory(session=coming, user=UserFactory(email="gone@example.nl"), status="cancelled")

    with django_capture_on_commit_callbacks(execute=True):
        response = as_coordinator.post(url("activity_edit", house, series), edit_data(other_room, capacity="10"))
    assert response.status_code == 302 and response.url == reverse("activities:programme", args=[house.slug])
    assert "“Sjoelen en kaarten” is saved." in messages_of(response)
    assert "2 coming sessions have the new room." in messages_of(response)

    series.refresh_from_db()
    assert (series.title, series.description) == ("Sjoelen en kaarten", "Sjoelen, kaarten en koffie.")
    assert series.room == other_room
    assert sorted(series.target_groups.values_list("group", flat=True)) == ["everyone", "seniors"]
    past, running, coming, last = sessions_of(series)
    assert past.room == room and past.occupancy.room == room  # the past keeps its room
    assert running.room == room and running.occupancy.room == room  # so does a session that has started
    for session in (coming, last):
        assert session.room == other_room and session.occupancy.room == other_room
        assert (session.occupancy.start, session.occupancy.end) == (session.start, session.end)
    assert RoomOccupancy.objects.filter(room=room).count() == 2  # the coming claims on the old room are gone

    event = assert_event(
        "activity.update",
        by=coordinator,
        house=house,
        changes={
            "title": ["Sjoelen", "Sjoelen en kaarten"],
            "room": ["Grote zaal", "Keuken"],
            "target_groups": [["seniors"], ["everyone", "seniors"]],
            "sessions_changed": 2,
        },
    )
    assert event.changes["description"] == ["Gezellig sjoelen.", "Sjoelen, kaarten en koffie."]

    assert sorted(mail.to[0] for mail in mailoutbox) == ["an@example.nl", "bo@example.nl"]
    by_address = {mail.to[0]: mail for mail in mailoutbox}
    dutch, english = by_address["an@example.nl"], by_address["bo@example.nl"]
    assert dutch.subject == "Gewijzigd: Sjoelen en kaarten"
    assert "Nieuwe naam: Sjoelen en kaarten (was: Sjoelen)." in dutch.body
    assert "Nieuwe zaal: Keuken, Het Klooster." in dutch.body
    assert "maandag 7 december 2026, 06:00–08:00" in dutch.body and "maandag 14 december 2026" in dutch.body
    assert "30 november" not in dutch.body
    assert english.subject == "Changed: Sjoelen en kaarten"
    assert "New room: Keuken, Het Klooster." in english.body and "Sjoelen, kaarten en koffie." in english.body
    assert "(on the waiting list)" in english.body and "7 December" not in english.body


def test_only_target_groups_or_places_changed_sends_no_email(
    as_coordinator, house, series, room, django_capture_on_commit_callbacks, mailoutbox
):
    RegistrationFactory(session=sessions_of(series)[2])
    data = edit_data(room, title="Sjoelen", description="Gezellig sjoelen.", capacity="14", target_groups=["youth"])
    with django_capture_on_commit_callbacks(execute=True):
        response = as_coordinator.post(url("activity_edit", house, series), data)
    assert response.status_code == 302
    assert mailoutbox == []
    series.refresh_from_db()
    assert series.capacity == 14 and list(series.target_groups.values_list("group", flat=True)) == ["youth"]


def test_saving_without_changes_records_nothing(as_coordinator, house, series, room):
    data = edit_data(room, title="Sjoelen", description="Gezellig sjoelen.", capacity="10", target_groups=["seniors"])
    before = state(series)
    response = as_coordinator.post(url("activity_edit", house, series), data)
    assert response.status_code == 302 and "Nothing was changed." in messages_of(response)
    assert state(series) == before


def test_a_room_taken_for_one_coming_session_is_refused_with_its_day(
    as_coordinator, house, place, series, room, other_room
):
    last = sessions_of(series)[3]
    RoomOccupancy.objects.create(room=other_room, start=last.start, end=last.end, kind="booking")
    before = state(series)
    response = as_coordinator.post(url("activity_edit", house, series), edit_data(other_room))
    assert response.status_code == 200
    errors = response.context["form"].errors["room"]
    assert errors == [
        "Keuken is already in use on 14-12-2026 06:00. Choose another room, or move or cancel those sessions first."
    ]
    assert state(series) == before  # not the title either: one transaction


def test_the_room_can_be_taken_away_from_the_coming_sessions(as_coordinator, house, series, room):
    response = as_coordinator.post(url("activity_edit", house, series), edit_data(None))
    assert response.status_code == 302
    past, running, coming, last = sessions_of(series)
    assert past.room == room and running.room == room
    assert (coming.room, coming.occupancy, last.room, last.occupancy) == (None, None, None, None)
    assert RoomOccupancy.objects.count() == 2


LONG = "x" * 10_000


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"title": LONG}, "title", "Ensure this value has at most 150 characters (it has 10000)."),
        ({"title": ""}, "title", "This field is required."),
        ({"title": "Sjoe\x00len"}, "title", "Null characters are not allowed."),
        ({"description": LONG + "x"}, "description", "Ensure this value has at most 10000 characters (it has 10001)."),
        ({"description": "Koffie\x07"}, "description", "Remove the invisible control characters from this text."),
        ({"capacity": "0"}, "capacity", "Enter at least 1 place, or leave it empty when there is no limit."),
        ({"capacity": "-3"}, "capacity", "Enter at least 1 place, or leave it empty when there is no limit."),
        ({"capacity": "99999999999"}, "capacity", "Enter at most 10000 places."),
        ({"capacity": "veel"}, "capacity", "Enter a whole number."),
        ({"target_groups": ["aliens"]}, "target_groups", None),
        ({"room": "999999"}, "room", "Choose one of the rooms of this place."),
    ],
)
def test_bad_input_is_refused_at_the_field_and_nothing_is_saved(
    as_coordinator, house, series, other_room, overrides, field, message
):
    before = state(series)
    response = as_coordinator.post(url("activity_edit", house, series), edit_data(other_room, **overrides))
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert field in errors
    if message:
        assert message in errors[field]
    assert state(series) == before


def test_a_room_of_another_place_of_the_house_is_refused(as_coordinator, house, series):
    elsewhere = RoomFactory(place=PlaceFactory(house=house), name="Zaal zuid")
    before = state(series)
    response = as_coordinator.post(url("activity_edit", house, series), edit_data(elsewhere))
    assert response.status_code == 200 and "room" in response.context["form"].errors
    assert state(series) == before


def test_the_service_refuses_what_a_form_would_and_saves_nothing(house, series, room):
    before = state(series)
    elsewhere = RoomFactory(place=PlaceFactory(house=house))
    bad = [
        {"title": "Sjoe\x00len"},
        {"title": "x" * 151},
        {"description": "x" * 10_001},
        {"description": "a\x00b"},
        {"capacity": 0},
        {"target_groups": ["aliens"]},
        {"room": elsewhere},
    ]
    for overrides in bad:
        arguments = {
            "title": "Sjoelen",
            "description": "",
            "capacity": 10,
            "target_groups": [],
            "room": room,
            **overrides,
        }
        with pytest.raises(ValidationError):
            services.activity_update(activity=series, by=SYSTEM, **arguments)
    assert state(series) == before


# --- fewer or more places -----------------------------------------------------------------------------------


def test_fewer_places_than_registered_keeps_everyone_and_new_ones_wait(as_coordinator, house, series, room):
    coming = sessions_of(series)[2]
    for _n in range(3):
        RegistrationFactory(session=coming)
    response = as_coordinator.post(url("activity_edit", house, series), edit_data(room, capacity="2"))
    assert response.status_code == 302
    assert (
        "1 coming session has more people registered than the new number of places. They keep their place; "
        "new registrations go to the waiting list." in messages_of(response)
    )
    assert coming.registrations.filter(status="confirmed").count() == 3
    late = services.registration_register(session=coming, user=UserFactory(), by=SYSTEM)
    assert late.status == Registration.Status.WAITING


def test_more_places_move_people_up_from_the_waiting_list(
    as_coordinator, house, series, room, django_capture_on_commit_callbacks, mailoutbox
):
    coming = sessions_of(series)[2]
    for _n in range(10):
        RegistrationFactory(session=coming)
    first = RegistrationFactory(session=coming, status="waiting", user=UserFactory(email="first@example.nl"))
    second = RegistrationFactory(session=coming, status="waiting", user=UserFactory(email="second@example.nl"))
    third = RegistrationFactory(session=coming, status="waiting", user=UserFactory(email="third@example.nl"))
    data = edit_data(room, title="Sjoelen", description="Gezellig sjoelen.", capacity="12", target_groups=["seniors"])
    with django_capture_on_commit_callbacks(execute=True):
        response = as_coordinator.post(url("activity_edit", house, series), data)
    assert "2 people moved up from the waiting list and get an e-mail." in messages_of(response)
    statuses = {r.pk: r.status for r in Registration.objects.filter(pk__in=[first.pk, second.pk, third.pk])}
    assert statuses == {first.pk: "confirmed", second.pk: "confirmed", third.pk: "waiting"}
    assert sorted(mail.to[0] for mail in mailoutbox) == ["first@example.nl", "second@example.nl"]


# --- ending a weekly series ---------------------------------------------------------------------------------


def test_coordinator_ends_a_series_from_a_day(
    as_coordinator, coordinator, house, series, room, django_capture_on_commit_callbacks, mailoutbox
):
    past, running, coming, last = sessions_of(series)
    RegistrationFactory(session=last, user=UserFactory(email="last@example.nl"))
    RegistrationFactory(session=past, user=UserFactory(email="past@example.nl"))
    with django_capture_on_commit_callbacks(execute=True):
        response = as_coordinator.post(
            url("activity_end_series", house, series), {"from_date": "2026-12-07", "reason": "De cursus is klaar"}
        )
    assert response.status_code == 302
    assert "“Sjoelen” ends: 2 sessions from 7 December 2026 on are cancelled." in messages_of(response)
    past, running, coming, last = sessions_of(series)
    assert (past.status, running.status) == ("planned", "planned")
    assert (coming.status, last.status) == ("cancelled", "cancelled")
    assert last.change_reason == "De cursus is klaar" and last.occupancy is None
    assert RoomOccupancy.objects.filter(room=room).count() == 2
    series.refresh_from_db()
    assert series.until == dt.date(2026, 12, 6)
    assert_event(
        "activity.end_series",
        by=coordinator,
        house=house,
        changes={"until": ["2026-12-14", "2026-12-06"], "cancelled": 2},
    )
    assert Event.objects.filter(action="session.cancel").count() == 2  # through the one cancel path
    assert [mail.to for mail in mailoutbox] == [["last@example.nl"]]


def test_ending_from_today_leaves_a_session_that_has_started(as_coordinator, house, series):
    response = as_coordinator.post(
        url("activity_end_series", house, series), {"from_date": "2026-11-30", "reason": "Stopt"}
    )
    assert response.status_code == 302
    assert [s.status for s in sessions_of(series)] == ["planned", "planned", "cancelled", "cancelled"]


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        ({"from_date": "0001-01-01"}, "from_date", "Choose a date between 2000 and 2099."),
        ({"from_date": "9999-12-31"}, "from_date", "Choose a date between 2000 and 2099."),
        ({"from_date": "morgen"}, "from_date", "Enter a valid date."),
        ({"from_date": ""}, "from_date", "This field is required."),
        ({"from_date": "2026-11-16"}, "from_date", "Choose today or a later day: past sessions stay as they were."),
        ({"from_date": "2026-12-15"}, "from_date", "The series already ends on 14-12-2026. Choose a day up to then."),
        ({"reason": ""}, "reason", "Give a reason; residents will see it."),
        ({"reason": "x" * 10_000}, "reason", "Ensure this value has at most 200 characters (it has 10000)."),
        ({"reason": "Ziek\x00"}, "reason", "Null characters are not allowed."),
    ],
)
def test_bad_end_series_input_is_refused_and_nothing_is_saved(as_coordinator, house, series, data, field, message):
    before = state(series)
    until = series.until
    response = as_coordinator.post(
        url("activity_end_series", house, series), {"from_date": "2026-12-07", "reason": "Klaar", **data}
    )
    assert response.status_code == 200
    assert message in response.context["form"].errors[field]
    assert state(series) == before
    series.refresh_from_db()
    assert series.until == until


def test_a_one_off_activity_cannot_be_ended_as_a_series(as_coordinator, house, place):
    once = services.activity_create(
        house=house,
        place=place,
        room=None,
        title="Buurtfeest",
        category="meeting",
        organiser="residents",
        first_date=dt.date(2026, 12, 12),
        start_time=dt.time(14),
        end_time=dt.time(18),
        by=SYSTEM,
    )
    page = as_coordinator.get(url("activity_end_series", house, once)).content.decode()
    assert "This activity does not repeat. Cancel its session instead." in page
    response = as_coordinator.post(url("activity_end_series", house, once), {"from_date": "2026-12-01", "reason": "X"})
    assert response.status_code == 200
    assert once.sessions.get().status == Session.Status.PLANNED
    with pytest.raises(ValidationError):
        services.activity_end_series(activity=once, from_date=dt.date(2026, 12, 1), reason="X", by=SYSTEM)


# --- who may -------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("page", ["activity_edit", "activity_end_series"])
@pytest.mark.parametrize(
    "role", ["host", "manager", "municipality", "resident", "other_house_coordinator", "other_house_host"]
)
def test_everyone_else_gets_404_and_changes_nothing(client, request, house, series, room, role, page):
    client.force_login(request.getfixturevalue(role))
    before = state(series)
    assert client.get(url(page, house, series)).status_code == 404
    data = {**edit_data(room), "from_date": "2026-12-07", "reason": "Weg"}
    assert client.post(url(page, house, series), data).status_code == 404
    assert state(series) == before


@pytest.mark.parametrize("page", ["activity_edit", "activity_end_series"])
def test_another_houses_activity_is_not_found(as_coordinator, house, other_house, page):
    elsewhere = services.activity_create(
        house=other_house,
        place=PlaceFactory(house=other_house),
        room=None,
        title="Elders",
        category="meeting",
        organiser="residents",
        first_date=dt.date(2026, 12, 7),
        start_time=dt.time(10),
        end_time=dt.time(12),
        weekdays=[0],
        until=dt.date(2026, 12, 21),
        by=SYSTEM,
    )
    # Through this house's address, and through the other house's: both unknown to this coordinator.
    assert as_coordinator.get(url(page, house, elsewhere)).status_code == 404
    assert as_coordinator.get(url(page, other_house, elsewhere)).status_code == 404
    data = {"title": "Gekaapt", "from_date": "2026-12-07", "reason": "Weg"}
    assert as_coordinator.post(url(page, house, elsewhere), data).status_code == 404
    assert Activity.objects.get(pk=elsewhere.pk).title == "Elders"
    assert not elsewhere.sessions.filter(status="cancelled").exists()


def test_the_change_email_reads_in_dutch_by_default(house, series, other_room, mailoutbox):
    resident = UserFactory(email="nl@example.nl")
    RegistrationFactory(session=sessions_of(series)[3], user=resident)
    from activities import tasks

    tasks.send_activity_change_email(series.pk, resident.pk, {"room": ["Grote zaal", None]})
    (mail,) = mailoutbox
    with translation.override("nl"):
        assert "Geen vaste zaal meer" in mail.body


def test_a_description_as_long_as_planning_allows_is_kept(as_coordinator, house, series, room):
    response = as_coordinator.post(url("activity_edit", house, series), edit_data(room, description=LONG))
    assert response.status_code == 302
    series.refresh_from_db()
    assert series.description == LONG
