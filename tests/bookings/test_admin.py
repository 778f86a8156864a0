"""Bookings in the admin: looked up, never edited; approve, reject and cancel go through the services."""

import pytest
from django.urls import reverse

from bookings.models import Booking
from tests.audit.helpers import assert_event
from tests.factories import BookingFactory


@pytest.fixture
def admin_client(client, administrator):
    client.force_login(administrator)
    return client


def act(admin_client, action, booking, **form):
    data = {"action": action, "_selected_action": [booking.pk]}
    if form:
        data |= {"apply": "1", **form}
    return admin_client.post(reverse("admin:bookings_booking_changelist"), data, follow=True)


def test_a_booking_cannot_be_edited_or_deleted(admin_client):
    booking = BookingFactory()
    change = reverse("admin:bookings_booking_change", args=[booking.pk])
    assert admin_client.get(change).status_code == 200
    assert admin_client.post(change, {"status": "cancelled"}).status_code == 403
    assert admin_client.post(reverse("admin:bookings_booking_delete", args=[booking.pk])).status_code == 403
    booking.refresh_from_db()
    assert booking.status == Booking.Status.APPROVED


def test_approve_through_the_service(admin_client, administrator):
    booking = BookingFactory(status=Booking.Status.REQUESTED)
    act(admin_client, "approve_bookings", booking)
    booking.refresh_from_db()
    assert booking.status == Booking.Status.APPROVED and booking.decided_by == administrator
    assert_event("booking.approve", by=administrator, house=booking.room.place.house)


def test_what_the_service_refuses_is_reported(admin_client):
    booking = BookingFactory()  # already approved
    response = act(admin_client, "approve_bookings", booking)
    assert "alleen een aanvraag goedkeuren die nog wacht" in response.content.decode()


def test_reject_asks_a_reason_and_releases_the_room(admin_client, administrator):
    booking = BookingFactory(status=Booking.Status.REQUESTED)
    assert 'name="reason"' in act(admin_client, "reject_bookings", booking).content.decode()
    act(admin_client, "reject_bookings", booking, reason="Zaal is dicht")
    booking.refresh_from_db()
    assert booking.status == Booking.Status.REJECTED and booking.occupancy is None
    assert_event(
        "booking.reject",
        by=administrator,
        house=booking.room.place.house,
        changes={"reason": "Zaal is dicht"},
    )


def test_cancel_by_the_house_releases_the_room(admin_client, administrator):
    booking = BookingFactory()
    act(admin_client, "cancel_bookings", booking, reason="Lekkage")
    booking.refresh_from_db()
    assert booking.status == Booking.Status.CANCELLED and booking.occupancy is None
    assert_event("booking.cancel_by_house", by=administrator, house=booking.room.place.house)
