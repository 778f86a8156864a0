"""A resident's start page leads to what residents do: the agenda, their registrations (the next one and how
many), their bookings (how many coming, how many waiting), finding a room, and their details."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from tests.factories import ActivityFactory, BookingFactory, RegistrationFactory, SessionFactory, at, next_weekday

pytestmark = pytest.mark.date_sensitive

START = reverse("start")


def upcoming_session(title, days):
    day = timezone.localdate() + dt.timedelta(days=days)
    return SessionFactory(activity=ActivityFactory(title=title, first_date=day, registration_required=True))


def test_a_resident_sees_the_links_of_what_residents_do(english, resident):
    english.force_login(resident)
    content = english.get(START).content.decode()
    for name in [
        "activities:agenda",
        "activities:my_registrations",
        "bookings:my_bookings",
        "bookings:room_search",
        "locations:house_list",
        "accounts:my_details",
        "account_email",
        "account_change_password",
    ]:
        assert f'href="{reverse(name)}"' in content, name
    assert "You are not registered for anything yet." in content
    assert "No bookings coming up." in content


def test_the_next_registration_and_the_counts_are_shown(english, resident):
    later = upcoming_session("Breien", days=5)
    RegistrationFactory(session=later, user=resident, status="confirmed")
    RegistrationFactory(session=upcoming_session("Samen eten", days=2), user=resident, status="waiting")
    cancelled_session = upcoming_session("Yoga", days=1)
    cancelled_session.status = "cancelled"
    cancelled_session.save(update_fields=["status"])
    RegistrationFactory(session=cancelled_session, user=resident, status="confirmed")
    RegistrationFactory(session=upcoming_session("Dansen", days=1), user=resident, status="cancelled")
    day = next_weekday(1, weeks_ahead=2)
    BookingFactory(renter=resident, start=at(day, 10), end=at(day, 12))
    BookingFactory(renter=resident, start=at(day, 13), end=at(day, 15), status="requested")
    BookingFactory(renter=resident, start=at(day, 16), end=at(day, 17), status="cancelled", occupancy=None)
    english.force_login(resident)
    content = " ".join(english.get(START).content.decode().split())
    assert "You are registered for 2 sessions still to come." in content
    assert "Next: Samen eten," in content and "(on the waiting list)" in content
    assert "Yoga" not in content and "Dansen" not in content
    assert "2 bookings coming up, of which 1 waits for the house's approval." in content


def test_staff_do_not_get_the_resident_part(english, coordinator):
    english.force_login(coordinator)
    response = english.get(START)
    assert response.context["resident"] is None
    assert "Find a room to rent" not in response.content.decode()


def test_the_query_count_does_not_grow_with_registrations_and_bookings(client, resident):
    client.force_login(resident)
    RegistrationFactory(session=upcoming_session("Een", days=2), user=resident)
    day = next_weekday(1, weeks_ahead=2)
    BookingFactory(renter=resident, start=at(day, 8), end=at(day, 9))
    with CaptureQueriesContext(connection) as one:
        client.get(START)
    for n in range(1, 50):
        RegistrationFactory(session=upcoming_session(f"Activiteit {n}", days=2 + n % 20), user=resident)
    for hour in range(10, 20):
        BookingFactory(renter=resident, start=at(day, hour), end=at(day, hour, 30))
    with CaptureQueriesContext(connection) as fifty:
        response = client.get(START)
    assert response.context["resident"]["registration_count"] == 50
    assert len(fifty) == len(one)
