"""Cancelling a weekly series in one step: every week still to come, the cost of each week and the total shown
first, one audit event, one transaction, the past weeks and the weeks already cancelled left alone, one e-mail per
cancelled series, the cost guarded against rising between seeing and confirming, and someone else's series is 404."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.urls import reverse

from audit.models import Event
from bookings import services
from bookings.models import Booking, BookingSeries
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
    user = UserFactory(language="en")
    english.force_login(user)
    return user


def weekly(room, renter, days_ahead: list[int], **kwargs) -> list[Booking]:
    """A series of Wednesday bookings 10:00-12:00 on these days from NOW (past days are past weeks)."""
    series = BookingSeries.objects.create()
    bookings = []
    for days in days_ahead:
        day = (NOW + dt.timedelta(days=days)).date()
        bookings.append(
            BookingFactory(
                room=room,
                renter=renter,
                series=series,
                start=at(day, 10),
                end=at(day, 12),
                price=Decimal("20.00"),
                **kwargs,
            )
        )
    return bookings


def url(series_id):
    return reverse("bookings:series_cancel", args=[series_id])


def test_my_bookings_links_to_cancelling_the_series(english, resident, room):
    (booking, *_rest) = weekly(room, resident, [7, 14])
    html = english.get(MY_BOOKINGS).content.decode()
    assert f'href="{url(booking.series_id)}"' in html
    assert "Cancel all coming weeks" in html


def test_the_cost_of_each_week_and_the_total_are_shown_first(english, resident, room):
    bookings = weekly(room, resident, [-7, 2, 9, 16])
    response = english.get(url(bookings[0].series_id))
    html = response.content.decode()
    assert response.status_code == 200
    weeks = response.context["cancellation"].weeks
    assert [week.booking.pk for week in weeks] == [booking.pk for booking in bookings[1:]]
    assert [week.cost for week in weeks] == [Decimal("20.00"), Decimal("0"), Decimal("0")]
    assert "costs € 20.00" in html and html.count("free of charge</span>") == 2
    assert "In total cancelling now costs € 20.00." in html
    assert "Cancel all weeks and pay € 20.00" in html
    assert "Weeks that have already passed stay as they are." in html
    assert not Booking.objects.filter(status=Booking.Status.CANCELLED).exists()  # showing it changes nothing


def test_cancelling_the_series_cancels_every_coming_week_in_one_step(
    english, resident, room, django_capture_on_commit_callbacks
):
    past, soon, later, last = weekly(room, resident, [-7, 2, 9, 16])
    with django_capture_on_commit_callbacks(execute=True):
        response = english.post(url(past.series_id), {"shown_total": "20.00"}, follow=True)
    html = response.content.decode()
    statuses = {booking.pk: booking for booking in Booking.objects.all()}
    assert statuses[past.pk].status == Booking.Status.APPROVED  # the past week stays as it was
    assert [statuses[b.pk].status for b in (soon, later, last)] == [Booking.Status.CANCELLED] * 3
    assert [statuses[b.pk].cancellation_cost for b in (soon, later, last)] == [Decimal("20.00"), 0, 0]
    assert RoomOccupancy.objects.filter(room=room).count() == 1  # only the past week still holds the room
    assert "3 weeks of Grote zaal are cancelled. The cancellation costs € 20.00." in html
    (event,) = Event.objects.filter(action="booking_series.cancel_by_renter")
    assert event.actor == resident and event.house == room.place.house
    assert event.changes["cancellation_cost"] == "20.00"
    assert sorted(event.changes["status"]) == sorted(str(b.pk) for b in (soon, later, last))
    assert not Event.objects.filter(action="booking.cancel_by_renter").exists()
    (message,) = mail.outbox  # one e-mail for the series, listing each week and its cost
    assert message.to == [resident.email]
    assert message.subject.endswith("Cancelled: 3 weeks of Grote zaal")
    assert message.body.count("free of charge") == 2 and "€ 20.00" in message.body
    assert "Cancellation cost: € 20.00" in message.body


def test_a_cost_that_rose_since_it_was_shown_cancels_nothing(english, resident, room):
    past, soon, later = weekly(room, resident, [-7, 2, 9])
    response = english.post(url(past.series_id), {"shown_total": "0"}, follow=True)
    assert response.redirect_chain[-1][0] == url(past.series_id)  # back to the costs, to look again
    assert "Cancelling now costs € 20,00, more than you saw." in response.content.decode()
    assert not Booking.objects.filter(status=Booking.Status.CANCELLED).exists()
    assert not Event.objects.filter(action="booking_series.cancel_by_renter").exists()
    # (a total larger than the real one is the renter agreeing to pay it: that goes through, as it should)
    for junk in ["", "abc", "NaN", "Infinity", "\x00"]:
        english.post(url(past.series_id), {"shown_total": junk})
        assert not Booking.objects.filter(status=Booking.Status.CANCELLED).exists(), junk


def test_weeks_already_cancelled_are_left_alone(english, resident, room):
    first, cancelled, third = weekly(room, resident, [9, 16, 23])
    services.booking_cancel_by_renter(booking=cancelled, by=resident)
    response = english.get(url(first.series_id))
    assert [week.booking.pk for week in response.context["cancellation"].weeks] == [first.pk, third.pk]

    english.post(url(first.series_id))
    cancelled.refresh_from_db()
    assert cancelled.status == Booking.Status.CANCELLED
    assert Event.objects.get(action="booking_series.cancel_by_renter").changes["status"].keys() == {
        str(first.pk),
        str(third.pk),
    }


def test_a_series_with_nothing_left_to_cancel_says_so(english, resident, room):
    (booking,) = weekly(room, resident, [-7])
    response = english.get(url(booking.series_id), follow=True)
    assert "This series has no weeks left to cancel." in response.content.decode()
    with pytest.raises(ValidationError):
        services.booking_series_cancel_by_renter(series_id=booking.series_id, by=resident)


def test_another_residents_series_is_404(english, resident, room):
    theirs = weekly(room, UserFactory(), [9, 16])
    assert english.get(url(theirs[0].series_id)).status_code == 404
    assert english.post(url(theirs[0].series_id)).status_code == 404
    assert english.get(url(999999)).status_code == 404
    assert english.get(url(99999999999999999999999)).status_code == 404  # too large for the database: still 404
    assert not Booking.objects.filter(status=Booking.Status.CANCELLED).exists()


def test_the_service_refuses_someone_elses_series(room, resident):
    theirs = weekly(room, UserFactory(), [9, 16])
    with pytest.raises(ValidationError):
        services.booking_series_cancel_by_renter(series_id=theirs[0].series_id, by=resident)
    assert not Booking.objects.filter(status=Booking.Status.CANCELLED).exists()


def test_cancelling_needs_a_login(client, room, now):
    (booking, *_rest) = weekly(room, UserFactory(), [9, 16])
    response = client.post(url(booking.series_id))
    assert response.status_code == 302 and response["Location"].startswith(reverse("account_login"))
