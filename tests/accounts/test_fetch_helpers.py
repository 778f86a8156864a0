"""One fetch-and-authorise helper per entity (accounts/policy.py): through the real views, another house's object
(or someone else's) and an id that does not exist give the same 404, while your own object is reached."""

from dataclasses import dataclass

import pytest
from django.contrib.auth.models import AnonymousUser
from django.http import Http404
from django.urls import reverse

from accounts import policy
from accounts.policy import Action, Reach
from tests.factories import (
    ActivityFactory,
    BookingFactory,
    PlaceFactory,
    RegistrationFactory,
    RoomFactory,
    SessionFactory,
    SignalFactory,
    bookable_room,
)

MISSING = 987654321


@dataclass
class Things:
    house: object
    place: object
    room: object
    booking: object
    session: object
    registration: object
    signal: object


def _things(house) -> Things:
    place = PlaceFactory(house=house)
    room = bookable_room(place=place)
    session = SessionFactory(activity=ActivityFactory(house=house, place=place))
    return Things(
        house=house,
        place=place,
        room=room,
        booking=BookingFactory(room=room, status="requested"),
        session=session,
        registration=RegistrationFactory(session=session),
        signal=SignalFactory(house=house),
    )


@pytest.fixture
def mine(house):
    return _things(house)


@pytest.fixture
def theirs(other_house):
    return _things(other_house)


def _request(client, method, url):
    return client.post(url) if method == "post" else client.get(url)


# (who, method, url name, entity): the staff pages of a house that reach an object of it by id.
HOUSE_CASES = [
    ("coordinator", "post", "bookings:booking_approve", "booking"),
    ("coordinator", "get", "bookings:booking_reject", "booking"),
    ("coordinator", "get", "bookings:house_booking_cancel", "booking"),
    ("coordinator", "get", "activities:session_cancel", "session"),
    ("coordinator", "get", "activities:session_move", "session"),
    ("coordinator", "post", "activities:signal_follow_up", "signal"),
    ("host", "get", "activities:door", "place"),
    ("host", "get", "activities:door_totals", "place"),
    ("host", "post", "activities:door_attendance", "registration"),
    ("host", "post", "activities:door_close", "session"),
]


@pytest.mark.parametrize(("person", "method", "name", "entity"), HOUSE_CASES, ids=[case[2] for case in HOUSE_CASES])
def test_another_houses_object_and_a_missing_id_give_the_same_404(
    client, request, mine, theirs, person, method, name, entity
):
    client.force_login(request.getfixturevalue(person))

    def url(object_id):
        return reverse(name, kwargs={"house_slug": mine.house.slug, f"{entity}_id": object_id})

    own = _request(client, method, url(getattr(mine, entity).pk))
    assert own.status_code != 404
    other = _request(client, method, url(getattr(theirs, entity).pk))
    missing = _request(client, method, url(MISSING))
    assert other.status_code == missing.status_code == 404
    if other["Content-Type"].startswith("application/json"):
        assert other.json() == missing.json()


def test_someone_elses_booking_and_a_missing_one_give_the_same_404(client, resident, mine):
    client.force_login(resident)
    own = BookingFactory(
        room=mine.room,
        renter=resident,
        start=mine.booking.end,
        end=mine.booking.end + (mine.booking.end - mine.booking.start),
    )

    def url(booking_id):
        return reverse("bookings:booking_cancel", args=[booking_id])

    assert client.get(url(own.pk)).status_code == 200
    assert client.get(url(mine.booking.pk)).status_code == client.get(url(MISSING)).status_code == 404
    mine.booking.refresh_from_db()
    assert mine.booking.status == "requested"


def test_someone_elses_registration_and_a_missing_one_give_the_same_404(client, resident, mine):
    client.force_login(resident)
    own = RegistrationFactory(session=mine.session, user=resident)

    def url(registration_id):
        return reverse("activities:registration_cancel", args=[registration_id])

    assert client.post(url(mine.registration.pk)).status_code == client.post(url(MISSING)).status_code == 404
    mine.registration.refresh_from_db()
    assert mine.registration.status == "confirmed"
    assert client.post(url(own.pk)).status_code == 302


@pytest.mark.parametrize("name", ["bookings:room_detail", "bookings:room_feed", "bookings:booking_request"])
def test_a_room_not_for_rent_and_a_missing_room_give_the_same_404(client, resident, mine, name):
    client.force_login(resident)
    not_for_rent = RoomFactory(place=mine.place, bookable=False)
    assert client.get(reverse(name, args=[mine.room.pk])).status_code == 200
    assert client.get(reverse(name, args=[not_for_rent.pk])).status_code == 404
    assert client.get(reverse(name, args=[MISSING])).status_code == 404


@pytest.mark.parametrize(
    ("name", "method"), [("activities:session_detail", "get"), ("activities:session_register", "post")]
)
def test_a_missing_session_of_the_agenda_is_404(client, resident, mine, name, method):
    client.force_login(resident)
    assert _request(client, method, reverse(name, args=[mine.session.pk])).status_code in (200, 302)
    assert _request(client, method, reverse(name, args=[MISSING])).status_code == 404


@pytest.mark.parametrize("name", ["activities:house_agenda", "activities:house_feed", "locations:house_detail"])
def test_a_houses_public_pages_are_for_anyone_and_a_missing_house_is_404(client, mine, name):
    assert client.get(reverse(name, args=[mine.house.slug])).status_code == 200
    assert client.get(reverse(name, args=["bestaat-niet"])).status_code == 404


# --- the helpers themselves ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("helper", "entity"),
    [
        (policy.get_booking_or_404, "booking"),
        (policy.get_session_or_404, "session"),
        (policy.get_registration_or_404, "registration"),
        (policy.get_signal_or_404, "signal"),
        (policy.get_room_or_404, "room"),
        (policy.get_place_or_404, "place"),
    ],
)
@pytest.mark.parametrize(
    ("person", "action", "reaches_other"),
    [
        ("coordinator", Action.MANAGE_BOOKINGS, False),
        ("administrator", Action.MANAGE_BOOKINGS, True),
        ("coordinator", Action.VIEW_SIGNALS, False),
        ("host", Action.VIEW_SIGNALS, None),
        ("resident", Action.VIEW_STAFF, None),
    ],
)
def test_each_helper_reaches_what_the_house_action_reaches(
    request, mine, theirs, helper, entity, person, action, reaches_other
):
    user = request.getfixturevalue(person)
    reaches_own = reaches_other is not None
    for things, reached in ((mine, reaches_own), (theirs, bool(reaches_other))):
        wanted = getattr(things, entity)
        if reached:
            assert helper(user, action, pk=wanted.pk) == wanted
        else:
            with pytest.raises(Http404):
                helper(user, action, pk=wanted.pk)
    with pytest.raises(Http404):
        helper(user, action, pk=MISSING)


def test_own_reaches_only_your_own_and_nothing_when_logged_out(resident, mine):
    own_booking = BookingFactory(
        room=mine.room,
        renter=resident,
        start=mine.booking.end,
        end=mine.booking.end + (mine.booking.end - mine.booking.start),
    )
    own_registration = RegistrationFactory(session=mine.session, user=resident)
    assert policy.get_booking_or_404(resident, Reach.OWN, pk=own_booking.pk) == own_booking
    assert policy.get_registration_or_404(resident, Reach.OWN, pk=own_registration.pk) == own_registration
    for helper, other in (
        (policy.get_booking_or_404, mine.booking),
        (policy.get_registration_or_404, mine.registration),
    ):
        with pytest.raises(Http404):
            helper(resident, Reach.OWN, pk=other.pk)
    with pytest.raises(Http404):
        policy.get_booking_or_404(AnonymousUser(), Reach.OWN, pk=own_booking.pk)
    with pytest.raises(Http404):  # a session is nobody's own
        policy.get_session_or_404(resident, Reach.OWN, pk=mine.session.pk)


def test_public_reaches_rooms_for_rent_and_the_agenda_but_never_bookings_or_signals(mine):
    anonymous = AnonymousUser()
    assert policy.get_room_or_404(anonymous, Reach.PUBLIC, pk=mine.room.pk) == mine.room
    assert policy.get_session_or_404(anonymous, Reach.PUBLIC, pk=mine.session.pk) == mine.session
    not_for_rent = RoomFactory(place=mine.place, bookable=False)
    with pytest.raises(Http404):
        policy.get_room_or_404(anonymous, Reach.PUBLIC, pk=not_for_rent.pk)
    for helper in (policy.get_booking_or_404, policy.get_registration_or_404, policy.get_signal_or_404):
        with pytest.raises(ValueError):
            helper(anonymous, Reach.PUBLIC, pk=1)


def test_a_manager_reaches_the_bookings_of_the_houses_their_organisation_runs(manager, other_manager, mine):
    assert policy.get_booking_or_404(manager, Action.VIEW_STAFF, pk=mine.booking.pk) == mine.booking
    with pytest.raises(Http404):
        policy.get_booking_or_404(other_manager, Action.VIEW_STAFF, pk=mine.booking.pk)
