"""Closing out a session: only once it has started, with numbers that can be true (the room's capacity plus half)."""

import datetime as dt
import re
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import translation

from activities import services
from activities.models import Session
from tests.factories import ActivityFactory, PlaceFactory, RoomFactory, SessionFactory

AMSTERDAM = ZoneInfo("Europe/Amsterdam")
NOW = dt.datetime(2026, 11, 30, 15, 0, tzinfo=AMSTERDAM)


@pytest.fixture(autouse=True)
def frozen():
    with time_machine.travel(NOW, tick=False), translation.override("en"):
        yield


@pytest.fixture
def place(house):
    return PlaceFactory(house=house, name="Het Klooster")


def session_at(place, hour, *, room_capacity=None, capacity=None):
    room = RoomFactory(place=place, capacity=room_capacity) if room_capacity else None
    activity = ActivityFactory(
        house=place.house, place=place, room=room, capacity=capacity, first_date=NOW.date(), title="Samen eten"
    )
    start = dt.datetime.combine(NOW.date(), dt.time(hour), tzinfo=AMSTERDAM)
    return SessionFactory(activity=activity, room=room, start=start, end=start + dt.timedelta(hours=2))


def close(session, participants, volunteers=1, by=None):
    return services.session_close(session=session, participants=participants, volunteers=volunteers, by=by)


def test_a_session_that_has_not_started_cannot_be_closed(place, host):
    later = session_at(place, 17)
    with pytest.raises(ValidationError) as caught:
        close(later, 5, by=host)
    assert caught.value.messages == ["This session has not started yet: close it once it has begun."]
    assert Session.objects.get().closed_at is None


def test_a_session_next_year_cannot_be_closed(place, host):
    activity = ActivityFactory(house=place.house, place=place, first_date=dt.date(2027, 11, 30))
    with pytest.raises(ValidationError):
        close(SessionFactory(activity=activity), 5, by=host)


def test_a_started_session_is_closed(place, host):
    session = close(session_at(place, 14), 12, 2, by=host)
    assert (session.participants_count, session.volunteers_count, session.closed_by) == (12, 2, host)


@pytest.mark.parametrize(
    "room_capacity, capacity, limit",
    [(20, None, 30), (20, 8, 30), (None, 8, 12), (None, None, services.CLOSE_OUT_MAX_WITHOUT_CAPACITY), (3, None, 5)],
)
def test_the_numbers_are_bounded_by_the_room_or_the_activity(place, host, room_capacity, capacity, limit):
    session = session_at(place, 14, room_capacity=room_capacity, capacity=capacity)
    assert services.close_out_limit(session) == limit
    for participants, volunteers, field in ((limit + 1, 0, "participants"), (0, limit + 1, "volunteers")):
        with pytest.raises(ValidationError) as caught:
            close(session, participants, volunteers, by=host)
        assert list(caught.value.error_dict) == [field]
    assert close(session, limit, limit, by=host).participants_count == limit


def test_9999_participants_are_refused(place, host):
    with pytest.raises(ValidationError) as caught:
        close(session_at(place, 14, room_capacity=40), 9999, by=host)
    assert caught.value.message_dict["participants"] == [
        "Enter at most 60 participants; more would not fit in the room."
    ]


def post_close(client, house, session, participants, volunteers=1, **headers):
    prefix = f"close-{session.pk}"
    data = {f"{prefix}-participants": participants, f"{prefix}-volunteers": volunteers, f"{prefix}-remark": ""}
    return client.post(reverse("activities:door_close", args=[house.slug, session.pk]), data, **headers)


def test_the_door_screen_shows_why_a_future_session_cannot_be_closed(english, host, house, place):
    session = session_at(place, 17)
    english.force_login(host)
    response = post_close(english, house, session, 5)
    assert response.status_code == 400
    assert "This session has not started yet: close it once it has begun." in response.content.decode()
    response = post_close(english, house, session, 5, HTTP_HX_REQUEST="true")
    assert "This session has not started yet" in response.content.decode()
    assert Session.objects.get().closed_at is None


def test_the_door_screen_refuses_9999_participants_at_the_field(english, host, house, place):
    session = session_at(place, 14, room_capacity=40)
    english.force_login(host)
    response = post_close(english, house, session, 9999)
    assert response.status_code == 400
    form = next(block["close_form"] for block in response.context["blocks"] if block["session"] == session)
    assert form.errors["participants"] == ["Enter at most 60 participants; more would not fit in the room."]
    assert Session.objects.get().closed_at is None


# --- not before its start: the service decides, the door screen says from when ---------------------------------

START = dt.datetime(2026, 11, 30, 17, 0, tzinfo=AMSTERDAM)
JUST_BEFORE, AT_THE_START, AFTER = (
    START - dt.timedelta(seconds=1),
    START,
    START + dt.timedelta(minutes=30),
)


@pytest.mark.parametrize("moment, closes", [(JUST_BEFORE, False), (AT_THE_START, True), (AFTER, True)])
def test_a_session_closes_from_its_start_on(place, host, moment, closes):
    session = session_at(place, 17)
    with time_machine.travel(moment, tick=False):
        if closes:
            assert close(session, 5, by=host).closed_at == moment
        else:
            with pytest.raises(ValidationError) as caught:
                close(session, 5, by=host)
            assert caught.value.messages == ["This session has not started yet: close it once it has begun."]
    assert (Session.objects.get().closed_at is not None) is closes


def test_before_its_start_only_the_start_is_the_problem(place, host):
    """Nothing the host types can make it right before the start: the service says so first, and only that."""
    session = session_at(place, 17)
    with pytest.raises(ValidationError) as caught:
        services.session_close(session=session, participants=9999, volunteers=-1, remark="", by=host)
    assert not hasattr(caught.value, "error_dict")
    assert caught.value.messages == ["This session has not started yet: close it once it has begun."]


def test_a_refused_close_out_writes_no_audit_event(place, host):
    from audit.models import Event

    with pytest.raises(ValidationError):
        close(session_at(place, 17), 5, by=host)
    assert not Event.objects.filter(action="session.close").exists()


def door_screen(client, house, place):
    return client.get(reverse("activities:door", args=[house.slug, place.pk]))


def close_block(response, session):
    return next(block for block in response.context["blocks"] if block["session"] == session)


@pytest.mark.parametrize("moment, offered", [(JUST_BEFORE, False), (AT_THE_START, True), (AFTER, True)])
def test_the_door_screen_offers_the_close_out_from_the_start_on(english, host, house, place, moment, offered):
    session = session_at(place, 17)
    english.force_login(host)
    with time_machine.travel(moment, tick=False):
        response = door_screen(english, house, place)
    html = response.content.decode()
    note = "You can close this session once it has started, at 17:00."
    assert (note in html) is not offered
    assert (close_block(response, session)["opens_at"] is None) is offered
    form_tag = re.search(rf'<form [^>]*id="close-{session.pk}"[^>]*>', html).group(0)
    # Before the start the form is hidden until door.js sees the start time pass (the server checks anyway).
    assert (" hidden" in form_tag) is not offered
    if not offered:
        assert f'data-door-opens-at="{START.isoformat()}"' in form_tag


@pytest.mark.parametrize("moment, status", [(JUST_BEFORE, 400), (AT_THE_START, 302), (AFTER, 302)])
def test_closing_through_the_door_screen_from_the_start_on(english, host, house, place, moment, status):
    session = session_at(place, 17)
    english.force_login(host)
    with time_machine.travel(moment, tick=False):
        response = post_close(english, house, session, 5)
    assert response.status_code == status
    if status == 400:
        assert "This session has not started yet: close it once it has begun." in response.content.decode()
        # The refused form stays in view with its error, not hidden behind the start time.
        assert close_block(response, session)["opens_at"] is None
    assert (Session.objects.get().closed_at is not None) is (status == 302)


def test_the_refusal_before_the_start_is_in_dutch(client, host, house, place):
    session = session_at(place, 17)
    client.force_login(host)
    with translation.override("nl"):
        response = post_close(client, house, session, 5, HTTP_HX_REQUEST="true")
        html = response.content.decode()
        assert "Deze bijeenkomst is nog niet begonnen" in html
        response = door_screen(client, house, place)
        assert "Je kunt deze bijeenkomst afsluiten zodra hij begonnen is, om 17:00." in response.content.decode()
