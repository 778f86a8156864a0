"""Bookings in the admin: looked up, never edited; approve, reject and cancel go through the services."""

import pytest
from django.contrib.auth.models import Permission
from django.core.exceptions import ValidationError
from django.urls import reverse

from bookings import services
from bookings.models import Booking
from tests.audit.helpers import assert_event
from tests.factories import BookingFactory, UserFactory


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
        changes={"reason": "…"},
    )


def test_cancel_by_the_house_releases_the_room(admin_client, administrator):
    booking = BookingFactory()
    act(admin_client, "cancel_bookings", booking, reason="Lekkage")
    booking.refresh_from_db()
    assert booking.status == Booking.Status.CANCELLED and booking.occupancy is None
    assert_event("booking.cancel_by_house", by=administrator, house=booking.room.place.house)


TOO_LONG = "x" * 10_000
BAD_REASONS = pytest.mark.parametrize("reason", [TOO_LONG, "Zaal\x00dicht"], ids=["10000-characters", "nul"])


@BAD_REASONS
@pytest.mark.parametrize(
    ("action", "status"), [("reject_bookings", Booking.Status.REQUESTED), ("cancel_bookings", Booking.Status.APPROVED)]
)
def test_reject_and_cancel_refuse_a_reason_the_booking_cannot_hold(admin_client, action, status, reason):
    booking = BookingFactory(status=status)
    response = act(admin_client, action, booking, reason=reason)
    assert response.status_code == 200 and 'name="reason"' in response.content.decode()  # asked again
    booking.refresh_from_db()
    assert booking.status == status and booking.decision_reason == ""


@pytest.mark.parametrize(
    ("reason", "message"),
    [(TOO_LONG, "niet langer dan 300 tekens"), ("Zaal\x00dicht", "onzichtbare")],
    ids=["10000-characters", "nul"],
)
@pytest.mark.parametrize(
    ("service", "status"),
    [
        (services.booking_reject, Booking.Status.REQUESTED),
        (services.booking_cancel_by_house, Booking.Status.APPROVED),
    ],
    ids=["reject", "cancel_by_house"],
)
def test_the_services_refuse_a_reason_the_booking_cannot_hold(administrator, service, status, reason, message):
    booking = BookingFactory(status=status)
    with pytest.raises(ValidationError) as refused:
        service(booking=booking, reason=reason, by=administrator)
    assert message in " ".join(refused.value.message_dict["reason"])
    booking.refresh_from_db()
    assert booking.status == status


def test_the_service_takes_a_reason_of_exactly_300_characters(administrator):
    booking = BookingFactory(status=Booking.Status.REQUESTED)
    services.booking_reject(booking=booking, reason="x" * 300, by=administrator)
    booking.refresh_from_db()
    assert booking.status == Booking.Status.REJECTED and booking.decision_reason == "x" * 300


@pytest.fixture
def staff_with_view_permissions(db):
    """`is_staff` with Django's view permission on bookings, but not an administrator in the policy."""
    user = UserFactory(is_staff=True)
    user.user_permissions.set(Permission.objects.filter(codename="view_booking"))
    return user


@pytest.mark.parametrize(
    ("action", "status"),
    [
        ("approve_bookings", Booking.Status.REQUESTED),
        ("reject_bookings", Booking.Status.REQUESTED),
        ("cancel_bookings", Booking.Status.APPROVED),
    ],
)
def test_staff_with_the_view_permission_cannot_decide_on_bookings(client, staff_with_view_permissions, action, status):
    booking = BookingFactory(status=status)
    client.force_login(staff_with_view_permissions)
    response = client.post(
        reverse("admin:bookings_booking_changelist"),
        {"action": action, "_selected_action": [booking.pk], "apply": "1", "reason": "Weg"},
    )
    assert response.status_code == 302 and response["Location"].startswith(reverse("admin:login"))
    booking.refresh_from_db()
    assert booking.status == status
