"""Coordinators hear of new booking requests: an e-mail to each coordinator of the house who wants it, in their
language, through the outbox; a switch per coordinator and house; the count of waiting requests on the start page."""

import datetime as dt

import pytest
from django.conf import settings
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation

from accounts.models import Role, RoleAssignment
from audit.models import Event
from bookings import services
from bookings.models import Booking
from huizen.models import OutboxMessage
from tests.factories import (
    HouseFactory,
    PlaceFactory,
    RoleAssignmentFactory,
    UserFactory,
    at,
    bookable_room,
    next_weekday,
)

pytestmark = pytest.mark.date_sensitive

TUESDAY = next_weekday(1)


@pytest.fixture
def room(house):
    return bookable_room(place=PlaceFactory(house=house, name="Het Klooster"), name="Grote zaal", capacity=30)


@pytest.fixture
def renter(db):
    return UserFactory(first_name="Fatima", last_name="Amrani", email="fatima@example.nl")


def coordinator_of(house, *, language="nl", emails=True, email=None):
    user = UserFactory(language=language, **({"email": email} if email else {}))
    RoleAssignmentFactory(user=user, role=Role.COORDINATOR, house=house, email_booking_requests=emails)
    return user


def request(room, renter, *, weeks=1, hour=10):
    arguments = {
        "room": room,
        "start": at(TUESDAY, hour),
        "end": at(TUESDAY, hour + 2),
        "tier": "social",
        "purpose": "Buurtoverleg",
        "people": 12,
        "renter": renter,
        "rules_accepted": True,
        "by": renter,
    }
    if weeks == 1:
        return [services.booking_request(**arguments)]
    bookings, _skipped = services.booking_request_series(**arguments, weeks=weeks)
    return bookings


def notices(mailoutbox, renter):
    """The e-mails to others than the renter (the renter gets their own receipt)."""
    return [message for message in mailoutbox if message.to != [renter.email]]


# --- the e-mail -------------------------------------------------------------------------------------------------


def test_each_coordinator_of_the_house_who_wants_it_gets_an_email(
    house, other_house, room, renter, host, other_house_coordinator, mailoutbox, django_capture_on_commit_callbacks
):
    first = coordinator_of(house, email="anna@example.nl")
    second = coordinator_of(house, email="bram@example.nl")
    coordinator_of(house, emails=False, email="switched-off@example.nl")
    inactive = coordinator_of(house, email="gone@example.nl")
    inactive.is_active = False
    inactive.save(update_fields=["is_active"])
    with django_capture_on_commit_callbacks(execute=True):
        request(room, renter)
    assert sorted(message.to[0] for message in notices(mailoutbox, renter)) == [first.email, second.email]
    assert all(len(message.to) == 1 for message in mailoutbox)  # nobody sees another coordinator's address


def test_the_email_is_in_the_coordinators_language_with_the_site_name_and_a_link(
    house, room, renter, mailoutbox, django_capture_on_commit_callbacks, settings
):
    settings.SITE_URL = "https://huizen.example.nl"
    coordinator_of(house, language="nl", email="anna@example.nl")
    coordinator_of(house, language="en", email="ben@example.nl")
    with translation.override("en"), django_capture_on_commit_callbacks(execute=True):
        (booking,) = request(room, renter)
    by_address = {message.to[0]: message for message in notices(mailoutbox, renter)}
    link = "https://huizen.example.nl" + reverse("bookings:house_requests", args=[house.slug])
    dutch, english = by_address["anna@example.nl"], by_address["ben@example.nl"]
    assert dutch.subject == "Nieuwe aanvraag: Grote zaal"
    assert "Fatima Amrani wil een ruimte huren van Huis van de Wijk Het Klooster." in dutch.body
    assert "Maatschappelijke organisatie" in dutch.body or "maatschappelijke organisatie" in dutch.body
    assert english.subject == "New request: Grote zaal"
    assert "Fatima Amrani asked to rent a room of Huis van de Wijk Het Klooster." in english.body
    assert "10:00–12:00" in english.body and "Buurtoverleg" in english.body
    for message in (dutch, english):
        assert link in message.body
        assert settings.SITE_NAME in message.body
        assert "127.0.0.1" not in message.body and "testserver" not in message.body
    assert booking.status == Booking.Status.REQUESTED


def test_a_weekly_series_is_one_email_listing_its_weeks(
    house, room, renter, mailoutbox, django_capture_on_commit_callbacks
):
    coordinator = coordinator_of(house, language="en")
    with django_capture_on_commit_callbacks(execute=True):
        bookings = request(room, renter, weeks=3)
    assert len(bookings) == 3
    (message,) = notices(mailoutbox, renter)
    assert message.to == [coordinator.email]
    assert message.subject == "New request: Grote zaal, 3 weeks"
    assert "When: every week, 3 times" in message.body
    assert message.body.count("10:00–12:00") == 3


def test_a_booking_confirmed_at_once_needs_no_decision_and_no_email(
    house, room, renter, mailoutbox, django_capture_on_commit_callbacks
):
    room.requires_approval = False
    room.save(update_fields=["requires_approval"])
    coordinator_of(house)
    with django_capture_on_commit_callbacks(execute=True):
        (booking,) = request(room, renter)
    assert booking.status == Booking.Status.APPROVED
    assert notices(mailoutbox, renter) == []


def test_the_email_waits_in_the_outbox_with_the_request(house, room, renter, mailoutbox):
    """Written in the request's transaction: it survives a broker outage and is sent by the flush."""
    coordinator = coordinator_of(house)
    (booking,) = request(room, renter)  # the test's transaction is not committed: nothing is sent yet
    message = OutboxMessage.objects.get(task="bookings.tasks.send_request_notice")
    assert message.args == [[booking.pk], coordinator.pk] and message.sent_at is None
    assert mailoutbox == []


def test_nothing_is_sent_when_the_coordinator_switched_off_or_the_house_decided_before_it_went_out(
    house, room, renter, mailoutbox
):
    from bookings.tasks import send_request_notice

    switched_off, still_on = coordinator_of(house), coordinator_of(house)
    (booking,) = request(room, renter)
    services.booking_request_emails_set(house=house, user=switched_off, enabled=False, by=switched_off)
    send_request_notice(booking_ids=[booking.pk], user_id=switched_off.pk)
    assert mailoutbox == []
    services.booking_approve(booking=booking, by=still_on)
    send_request_notice(booking_ids=[booking.pk], user_id=still_on.pk)
    assert mailoutbox == []


# --- the switch -------------------------------------------------------------------------------------------------


def switch_url(house):
    return reverse("bookings:request_emails", args=[house.slug])


def requests_url(house):
    return reverse("bookings:house_requests", args=[house.slug])


def test_a_coordinator_switches_the_emails_off_and_on_and_the_history_records_it(english, house, coordinator):
    english.force_login(coordinator)
    page = english.get(requests_url(house)).content.decode()
    assert f"You get an e-mail at {coordinator.email} for each new request of this house." in page
    assert "Stop these e-mails" in page

    response = english.post(switch_url(house), {"email": "uit"}, follow=True)
    assert response.redirect_chain == [(requests_url(house), 302)]
    page = response.content.decode()
    assert "You no longer get e-mails about new requests of this house." in page
    assert "E-mail me new requests" in page
    assignment = RoleAssignment.objects.get(user=coordinator, house=house)
    assert assignment.email_booking_requests is False
    event = Event.objects.get(action="role.email_booking_requests")
    assert (event.actor, event.house, event.changes) == (coordinator, house, {"email_booking_requests": [True, False]})

    response = english.post(switch_url(house), {"email": "aan"}, follow=True)
    assert "You get an e-mail for each new request of this house." in response.content.decode()
    assignment.refresh_from_db()
    assert assignment.email_booking_requests is True
    assert Event.objects.filter(action="role.email_booking_requests").count() == 2


def test_switching_to_what_it_already_is_records_nothing(english, house, coordinator):
    english.force_login(coordinator)
    english.post(switch_url(house), {"email": "aan"})
    assert not Event.objects.filter(action="role.email_booking_requests").exists()


@pytest.mark.parametrize("value", ["", "maybe", "aan\x00", "x" * 10_000])
def test_a_bad_switch_value_changes_nothing_and_says_so_in_dutch(client, house, coordinator, value):
    client.force_login(coordinator)
    response = client.post(switch_url(house), {"email": value}, follow=True)
    assert response.status_code == 200
    assert "Kies of je deze e-mails wilt krijgen." in response.content.decode()
    assert RoleAssignment.objects.get(user=coordinator, house=house).email_booking_requests is True
    assert not Event.objects.filter(action="role.email_booking_requests").exists()


def test_the_switch_is_for_the_coordinators_own_house_only(client, house, other_house_coordinator, coordinator):
    client.force_login(other_house_coordinator)
    assert client.post(switch_url(house), {"email": "uit"}).status_code == 404
    assert client.get(switch_url(house)).status_code == 405
    assert RoleAssignment.objects.get(user=coordinator).email_booking_requests is True


@pytest.mark.parametrize("person", ["host", "manager", "resident"])
def test_others_cannot_reach_the_switch(client, request, house, person):
    client.force_login(request.getfixturevalue(person))
    assert client.post(switch_url(house), {"email": "uit"}).status_code == 404


def test_an_administrator_sees_no_switch_and_cannot_switch(english, house, administrator):
    english.force_login(administrator)
    assert "request-emails-heading" not in english.get(requests_url(house)).content.decode()
    response = english.post(switch_url(house), {"email": "uit"}, follow=True)
    assert "Only a coordinator of this house can get e-mails about its requests." in response.content.decode()


# --- the start page ---------------------------------------------------------------------------------------------


def make_houses(coordinator, count, *, prefix="huis"):
    houses = []
    for number in range(count):
        house = HouseFactory(name=f"Huis {prefix} {number}", slug=f"{prefix}-{number}")
        RoleAssignmentFactory(user=coordinator, role=Role.COORDINATOR, house=house)
        room = bookable_room(place=PlaceFactory(house=house), name=f"Zaal {number}")
        for hour in range(10, 10 + 2 * (number % 3), 2):
            request(room, UserFactory(), hour=hour)
        houses.append((house, number % 3))
    return houses


def test_the_start_page_shows_the_requests_waiting_per_house_with_a_link(english, db):
    coordinator = UserFactory()
    houses = make_houses(coordinator, 3)
    other = HouseFactory(name="Huis elders", slug="elders")
    request(bookable_room(place=PlaceFactory(house=other)), UserFactory())
    english.force_login(coordinator)
    page = english.get(reverse("start")).content.decode()
    for house, waiting in houses:
        link = f'href="{requests_url(house)}">'
        label = {0: "No requests waiting", 1: "1 request waiting", 2: "2 requests waiting"}[waiting]
        assert link + label + "</a>" in page
    assert requests_url(other) not in page


def test_the_start_page_counts_only_waiting_requests(english, house, room, coordinator):
    first, second = request(room, UserFactory(), hour=10)[0], request(room, UserFactory(), hour=13)[0]
    services.booking_approve(booking=first, by=coordinator)
    services.booking_reject(booking=second, reason="Dubbel", by=coordinator)
    request(room, UserFactory(), hour=15)
    english.force_login(coordinator)
    assert ">1 request waiting</a>" in english.get(reverse("start")).content.decode()


def test_a_host_sees_no_request_count(english, house, room, host):
    request(room, UserFactory())
    english.force_login(host)
    page = english.get(reverse("start")).content.decode()
    assert "request waiting" not in page and "No requests waiting" not in page


def test_the_start_page_counts_in_dutch(client, house, room, coordinator):
    request(room, UserFactory())
    request(room, UserFactory(), hour=13)
    client.force_login(coordinator)
    assert ">2 aanvragen wachten</a>" in client.get(reverse("start")).content.decode()


def test_the_start_page_asks_the_same_number_of_queries_for_one_house_and_for_five(english, db):
    counts = []
    for houses in (1, 5):
        coordinator = UserFactory()
        make_houses(coordinator, houses, prefix=f"set-{houses}")
        english.force_login(coordinator)
        english.get(reverse("start"))  # warm up (session, language)
        with CaptureQueriesContext(connection) as queries:
            assert english.get(reverse("start")).status_code == 200
        counts.append(len(queries))
    assert counts[0] == counts[1]


def test_site_url_setting_has_no_trailing_slash():
    assert not settings.SITE_URL.endswith("/")


def test_dates_in_the_email_are_local(house, room, renter, mailoutbox, django_capture_on_commit_callbacks):
    coordinator_of(house, language="en")
    with django_capture_on_commit_callbacks(execute=True):
        request(room, renter)
    (message,) = notices(mailoutbox, renter)
    assert f"{TUESDAY.day} " in message.body and "10:00–12:00" in message.body
    assert (at(TUESDAY, 10) - dt.timedelta(hours=1)).strftime("%H:%M") + "–" not in message.body


@pytest.mark.django_db(transaction=True)
def test_a_request_made_while_the_broker_is_down_reaches_the_coordinator_after_the_flush(
    house, room, renter, mailoutbox, clock
):
    """Really committed: the request is saved, the notice waits in the outbox, and the minute's flush sends it."""
    from huizen import outbox
    from tests.huizen.test_outbox import Broker

    coordinator = coordinator_of(house, language="en")
    broker = Broker()
    broker.down()
    try:
        (booking,) = request(room, renter)
    finally:
        broker.back()
    assert booking.status == Booking.Status.REQUESTED
    message = OutboxMessage.objects.get(task="bookings.tasks.send_request_notice")
    assert message.sent_at is None and mailoutbox == []
    clock.shift(dt.timedelta(minutes=20))
    outbox.flush()
    assert [m.to for m in mailoutbox if m.to == [coordinator.email]] == [[coordinator.email]]
    message.refresh_from_db()
    assert message.sent_at is not None
