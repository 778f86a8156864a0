"""Bad input at the house's booking pages: `next=` after a committed approve or cancel (a bare word is no view name,
the coordinator goes back to the list), and control characters or very long text in the booking form's fields."""

import pytest
from django.urls import reverse

from bookings import services
from bookings.models import Booking
from tests.factories import PlaceFactory, UserFactory, at, bookable_room, next_weekday

pytestmark = pytest.mark.date_sensitive


@pytest.fixture
def room(house):
    return bookable_room(place=PlaceFactory(house=house, name="Het Klooster"), name="Grote zaal", capacity=30)


def url(name, house, **kwargs):
    return reverse(f"bookings:{name}", kwargs={"house_slug": house.slug, **kwargs})


def request_booking(room):
    day = next_weekday(1)
    renter = UserFactory()
    return services.booking_request(
        room=room,
        start=at(day, 10),
        end=at(day, 12),
        tier="resident",
        purpose="Verjaardag oma",
        people=12,
        renter=renter,
        rules_accepted=True,
        by=renter,
    )


@pytest.mark.parametrize("next_url", ["x", "bookings:my_bookings", "//evil.example/"])
def test_approve_with_a_bare_word_as_next_goes_to_the_list(client, coordinator, house, room, next_url):
    booking = request_booking(room)
    client.force_login(coordinator)
    response = client.post(url("booking_approve", house, booking_id=booking.pk), {"next": next_url})
    assert response.status_code == 302 and response.url == url("house_requests", house)
    assert Booking.objects.get().status == Booking.Status.APPROVED


def test_cancel_with_a_bare_word_as_next_goes_to_the_list(client, coordinator, house, room):
    booking = request_booking(room)
    services.booking_approve(booking=booking, by=coordinator)
    client.force_login(coordinator)
    cancel = url("house_booking_cancel", house, booking_id=booking.pk)
    assert 'name="next" value="/beheer/' in client.get(cancel, {"next": "x"}).content.decode()
    response = client.post(cancel, {"next": "x", "reason": "Lekkage"})
    assert response.status_code == 302 and response.url == url("house_requests", house)
    assert Booking.objects.get().status == Booking.Status.CANCELLED


def on_behalf(room, **changes):
    data = {
        "room": room.pk,
        "date": next_weekday(1).isoformat(),
        "start": "10:00",
        "end": "12:00",
        "tier": "social",
        "purpose": "Cursus Nederlands",
        "people": "10",
        "contact_name": "Stichting Taalmaatje",
        "contact_phone": "010-1234567",
        "contact_email": "",
        "action": "confirm",
    }
    return {**data, **changes}


@pytest.mark.parametrize("text", ["Cursus\x00", "Cursus\x1b[31m", "Cursus\nNederlands", "x" * 10_000])
@pytest.mark.parametrize("field", ["purpose", "contact_name", "contact_phone"])
def test_booking_on_behalf_refuses_control_characters_and_very_long_text(client, coordinator, house, room, field, text):
    client.force_login(coordinator)
    response = client.post(url("book_on_behalf", house), on_behalf(room, **{field: text}))
    assert response.status_code == 200
    assert response.context["form"].errors[field]
    assert not Booking.objects.exists()


def test_booking_on_behalf_with_plain_text_is_saved(client, coordinator, house, room):
    client.force_login(coordinator)
    response = client.post(url("book_on_behalf", house), on_behalf(room, purpose="Koffie & thee"))
    assert response.status_code == 302
    assert Booking.objects.get().purpose == "Koffie & thee"
