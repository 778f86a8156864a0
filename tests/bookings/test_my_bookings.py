"""'Mijn boekingen': only one's own bookings, their status and reasons, cancelling free before the house's term
and at a cost after it, the query count, and the private calendar address that can be renewed."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation

from bookings import services
from bookings.models import Booking
from locations.models import RoomOccupancy
from tests.factories import AMSTERDAM, BookingFactory, UserFactory, at, bookable_room

NOW = dt.datetime(2026, 1, 14, 10, 0, tzinfo=AMSTERDAM)  # a Wednesday morning in winter
MY_BOOKINGS = reverse("bookings:my_bookings")


@pytest.fixture
def now(db, monkeypatch):
    monkeypatch.setattr("django.utils.timezone.now", lambda: NOW)
    return NOW


@pytest.fixture
def room(now):
    room = bookable_room(name="Grote zaal")
    house = room.place.house
    house.cancellation_days = 7
    house.save()
    return room


@pytest.fixture
def resident(english, now):
    user = UserFactory()
    english.force_login(user)
    return user


def book(room, renter, days_ahead, hour=10, **kwargs):
    day = (NOW + dt.timedelta(days=days_ahead)).date()
    return BookingFactory(room=room, renter=renter, start=at(day, hour), end=at(day, hour + 2), **kwargs)


def cancel_url(booking):
    return reverse("bookings:booking_cancel", args=[booking.pk])


def test_anonymous_visitor_is_sent_to_the_login(client, now):
    response = client.get(MY_BOOKINGS)
    assert response.status_code == 302 and response["Location"].startswith(reverse("account_login"))


def test_shows_own_upcoming_and_past_bookings_with_status_price_and_reasons(english, resident, room):
    coordinator = UserFactory()
    book(room, resident, 6, purpose="Buurtvergadering", price=Decimal("20.00"))
    book(room, resident, 13, purpose="Naaicursus", status="requested")
    rejected = book(room, resident, 20, purpose="Feest", status="requested")
    services.booking_reject(booking=rejected, reason="Die avond is er een buurtfeest", by=coordinator)
    by_house = book(room, resident, 27, purpose="Koor")
    services.booking_cancel_by_house(booking=by_house, reason="Lekkage in de zaal", by=coordinator)
    past = BookingFactory(
        room=room,
        renter=resident,
        start=NOW - dt.timedelta(days=7),
        end=NOW - dt.timedelta(days=7) + dt.timedelta(hours=2),
        purpose="Oud",
    )
    book(room, UserFactory(), 6, hour=14, purpose="Iemand anders")

    response = english.get(MY_BOOKINGS)
    html = response.content.decode()
    assert response.status_code == 200
    # Only what goes ahead is "coming up"; the rejected and cancelled ones are listed apart.
    assert [row.booking.purpose for row in response.context["upcoming_rows"]] == ["Buurtvergadering", "Naaicursus"]
    assert [row.booking.purpose for row in response.context["stopped_rows"]] == ["Feest", "Koor"]
    assert [row.booking for row in response.context["past_rows"]] == [past]
    assert "Iemand anders" not in html
    assert "Confirmed" in html and "Waiting for approval" in html
    assert "Not possible" in html and 'Reason: <span lang="nl">Die avond is er een buurtfeest' in html
    assert "Cancelled by the house" in html and 'Reason: <span lang="nl">Lekkage in de zaal</span>' in html
    assert "€ 20.00" in html
    # Only active bookings still to come can be cancelled.
    assert all(row.can_cancel for row in response.context["upcoming_rows"])
    assert not any(row.can_cancel for row in response.context["stopped_rows"])
    assert "Costs € 20.00 now" in html  # six days ahead: within the term
    assert "Free of charge now" in html  # thirteen days ahead


def test_empty_page_says_what_to_do(english, resident, now):
    html = english.get(MY_BOOKINGS).content.decode()
    assert "You have no bookings still to come." in html and reverse("bookings:room_search") in html


def test_another_residents_booking_is_404(english, resident, room):
    theirs = book(room, UserFactory(), 14)
    assert english.get(cancel_url(theirs)).status_code == 404
    assert english.post(cancel_url(theirs)).status_code == 404
    theirs.refresh_from_db()
    assert theirs.status == Booking.Status.APPROVED


def test_cancelling_before_the_term_is_free(english, resident, room, django_capture_on_commit_callbacks):
    booking = book(room, resident, 14, price=Decimal("20.00"))
    page = english.get(cancel_url(booking))
    html = page.content.decode()
    assert "Cancelling is free of charge until Wednesday 21 January 2026, 10:00." in html
    assert "Cancel free of charge" in html
    assert Booking.objects.get(pk=booking.pk).status == Booking.Status.APPROVED  # showing it changes nothing

    with django_capture_on_commit_callbacks(execute=True):
        response = english.post(cancel_url(booking), follow=True)
    booking.refresh_from_db()
    assert booking.status == Booking.Status.CANCELLED and booking.cancellation_cost == 0
    assert not RoomOccupancy.objects.filter(room=room).exists()  # the room is free again
    assert "Your booking of Grote zaal on Wednesday 28 January 2026 is cancelled." in response.content.decode()
    assert [message.to for message in mail.outbox] == [[resident.email]]
    assert "Cancelled by you" in response.content.decode()


def test_cancelling_after_the_term_costs_the_price(english, resident, room):
    booking = book(room, resident, 2, price=Decimal("20.00"))
    html = english.get(cancel_url(booking)).content.decode()
    assert "Cancelling now costs € 20.00, because it is less than 7 days before the start." in html
    assert "Cancel and pay € 20.00" in html
    response = english.post(cancel_url(booking), follow=True)
    booking.refresh_from_db()
    assert booking.status == Booking.Status.CANCELLED and booking.cancellation_cost == Decimal("20.00")
    html = response.content.decode()
    assert "The cancellation costs € 20.00." in html and "Cancellation cost: € 20.00" in html


def test_a_cancelled_or_past_booking_cannot_be_cancelled_again(english, resident, room):
    booking = book(room, resident, 14)
    english.post(cancel_url(booking))
    response = english.post(cancel_url(booking), follow=True)
    assert "This booking is no longer active." in response.content.decode()
    past = BookingFactory(
        room=room, renter=resident, start=NOW - dt.timedelta(hours=1), end=NOW + dt.timedelta(hours=1)
    )
    response = english.post(cancel_url(past), follow=True)
    assert "This booking has already started" in response.content.decode()
    past.refresh_from_db()
    assert past.status == Booking.Status.APPROVED


def test_query_count_does_not_grow_with_the_number_of_bookings(client, now):
    resident = UserFactory()
    client.force_login(resident)

    def both(n):
        book(bookable_room(), resident, 3 + n)
        start = NOW - dt.timedelta(days=3 + n)
        BookingFactory(room=bookable_room(), renter=resident, start=start, end=start + dt.timedelta(hours=1))

    both(0)
    client.get(MY_BOOKINGS)  # the feed address is made on the first visit
    with CaptureQueriesContext(connection) as one:
        assert client.get(MY_BOOKINGS).status_code == 200
    for n in range(1, 50):
        both(n)
    with CaptureQueriesContext(connection) as fifty:
        response = client.get(MY_BOOKINGS)
    assert response.context["upcoming"].paginator.count == 50
    assert response.context["past"].paginator.count == 50
    assert len(fifty) == len(one)


def test_private_feed_address_is_shown_and_renewing_ends_the_old_one(english, resident, room):
    book(room, resident, 5)
    html = english.get(MY_BOOKINGS).content.decode()
    old_token = services.booking_feed_for(user=resident).token
    old_url = reverse("bookings:my_feed", args=[old_token])
    assert f"http://testserver{old_url}" in html and f"webcal://testserver{old_url}" in html
    assert english.get(old_url).status_code == 200

    response = english.post(reverse("bookings:my_feed_renew"), follow=True)
    assert "Your calendar has a new address." in response.content.decode()
    new_url = reverse("bookings:my_feed", args=[services.booking_feed_for(user=resident).token])
    assert new_url != old_url and new_url in response.content.decode()
    assert english.get(old_url).status_code == 404
    assert english.get(new_url).status_code == 200


def test_renewing_needs_a_post_and_a_login(client, english, resident, now):
    assert english.get(reverse("bookings:my_feed_renew")).status_code == 405
    english.logout()
    assert english.post(reverse("bookings:my_feed_renew")).status_code == 302


def test_my_bookings_page_with_the_private_feed_address_is_never_stored(english, resident, room):
    response = english.get(MY_BOOKINGS)
    assert services.booking_feed_for(user=resident).token in response.content.decode()
    assert "no-store" in response["Cache-Control"]
    assert "private" in response["Cache-Control"]


def test_cancelled_and_rejected_weeks_are_apart_from_the_coming_bookings_and_folded(english, resident, room):
    book(room, resident, 6, purpose="Buurtvergadering")
    book(room, resident, 13, purpose="Koor", status="cancelled", occupancy=None)
    book(room, resident, 20, purpose="Feest", status="rejected", occupancy=None)
    html = english.get(MY_BOOKINGS).content.decode()
    coming = html[html.index('id="upcoming-heading"') : html.index('id="stopped-heading"')]
    assert "Buurtvergadering" in coming and "Koor" not in coming and "Feest" not in coming
    stopped = html[html.index('<details class="huizen-fold">') : html.index("</details>")]
    assert "Cancelled or not possible (2)" in stopped and "Koor" in stopped and "Feest" in stopped
    # Asked for a page of that list (its pagination), it opens.
    assert '<details class="huizen-fold" open>' in english.get(MY_BOOKINGS, {"stopped": "1"}).content.decode()


def test_without_cancelled_bookings_there_is_no_folded_section(english, resident, room):
    book(room, resident, 6)
    assert 'id="stopped-heading"' not in english.get(MY_BOOKINGS).content.decode()


def test_the_folded_section_says_it_in_dutch(client, now, room):
    resident = UserFactory()
    client.force_login(resident)
    book(room, resident, 13, purpose="Koor", status="cancelled", occupancy=None)
    with translation.override("nl"):
        html = client.get(MY_BOOKINGS).content.decode()
    assert "Geannuleerd of niet mogelijk (1)" in html
    assert "Je hebt geen boekingen die nog komen." in html  # the cancelled one is not counted as coming


def test_query_count_does_not_grow_with_the_number_of_cancelled_bookings(client, now):
    resident = UserFactory()
    client.force_login(resident)
    book(bookable_room(), resident, 2)
    book(bookable_room(), resident, 3, status="cancelled", occupancy=None)
    client.get(MY_BOOKINGS)  # the feed address is made on the first visit
    with CaptureQueriesContext(connection) as one:
        assert client.get(MY_BOOKINGS).status_code == 200
    for n in range(1, 50):
        book(bookable_room(), resident, 3 + n, status="cancelled" if n % 2 else "rejected", occupancy=None)
    with CaptureQueriesContext(connection) as fifty:
        response = client.get(MY_BOOKINGS)
    assert response.context["stopped"].paginator.count == 50
    assert len(fifty) == len(one)
