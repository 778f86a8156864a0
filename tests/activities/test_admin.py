"""The programme in the admin: state is read-only, and the actions go through the services (room released,
waiting list moved up, history recorded with the administrator as actor)."""

import datetime as dt

import pytest
from django.contrib.auth.models import Permission
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from activities import services
from activities.models import Registration, Session
from locations.models import RoomOccupancy
from tests.audit.helpers import assert_event
from tests.factories import ActivityFactory, RegistrationFactory, RoomFactory, SessionFactory, UserFactory

pytestmark = pytest.mark.date_sensitive


@pytest.fixture
def admin_client(client, administrator):
    client.force_login(administrator)
    return client


def tomorrow():
    return timezone.localdate() + dt.timedelta(days=1)


def session_with_room(house):
    room = RoomFactory(place__house=house)
    activity = ActivityFactory(house=house, place=room.place, room=room, first_date=tomorrow(), capacity=1)
    session = SessionFactory(activity=activity, room=room)
    session.occupancy = RoomOccupancy.objects.create(room=room, start=session.start, end=session.end, kind="session")
    session.save(update_fields=["occupancy"])
    return session


def test_sessions_and_registrations_are_read_only(admin_client, house):
    session = session_with_room(house)
    registration = RegistrationFactory(session=session)
    for name, obj in (("session", session), ("registration", registration)):
        change = reverse(f"admin:activities_{name}_change", args=[obj.pk])
        page = admin_client.get(change)
        assert page.status_code == 200 and 'name="_save"' not in page.content.decode()
        assert admin_client.post(change, {"status": "cancelled"}).status_code == 403
        assert admin_client.post(reverse(f"admin:activities_{name}_delete", args=[obj.pk])).status_code == 403
        assert admin_client.get(reverse(f"admin:activities_{name}_add")).status_code == 403
    session.refresh_from_db()
    registration.refresh_from_db()
    assert session.status == Session.Status.PLANNED and registration.status == Registration.Status.CONFIRMED


def test_an_activitys_times_and_capacity_cannot_be_edited(admin_client, house):
    activity = ActivityFactory(house=house, capacity=10, title="Koffie")
    data = {
        "title": "Koffie en thee",
        "description": "",
        "category": activity.category,
        "organiser": activity.organiser,
        "partner_name": "",
        "price": "0",
        "capacity": "500",
        "start_time": "03:00",
        "target_groups-TOTAL_FORMS": "0",
        "target_groups-INITIAL_FORMS": "0",
        "target_groups-MIN_NUM_FORMS": "0",
        "target_groups-MAX_NUM_FORMS": "1000",
    }
    response = admin_client.post(reverse("admin:activities_activity_change", args=[activity.pk]), data)
    assert response.status_code == 302, response.context["errors"] if response.context else response
    activity.refresh_from_db()
    assert activity.title == "Koffie en thee"  # text may be corrected
    assert (activity.capacity, activity.start_time) == (10, dt.time(14, 0))


def test_the_cancel_action_asks_a_reason_and_cancels_through_the_service(admin_client, administrator, house):
    session = session_with_room(house)
    url = reverse("admin:activities_session_changelist")
    chosen = {"action": "cancel_sessions", "_selected_action": [session.pk]}
    form = admin_client.post(url, chosen)
    assert form.status_code == 200 and 'name="reason"' in form.content.decode()
    assert admin_client.post(url, {**chosen, "apply": "1", "reason": ""}).status_code == 200  # asked again
    session.refresh_from_db()
    assert session.status == Session.Status.PLANNED

    admin_client.post(url, {**chosen, "apply": "1", "reason": "De verwarming is kapot"})
    session.refresh_from_db()
    assert session.status == Session.Status.CANCELLED and session.occupancy is None
    assert not RoomOccupancy.objects.exists()  # the room is free again
    assert_event(
        "session.cancel",
        by=administrator,
        house=house,
        changes={"status": ["planned", "cancelled"], "reason": "De verwarming is kapot"},
    )


def test_the_cancel_registration_action_moves_the_waiting_list_up(admin_client, administrator, house):
    session = session_with_room(house)
    registration = RegistrationFactory(session=session)
    waiting = RegistrationFactory(session=session, status=Registration.Status.WAITING)
    admin_client.post(
        reverse("admin:activities_registration_changelist"),
        {"action": "cancel_registrations", "_selected_action": [registration.pk]},
    )
    registration.refresh_from_db()
    waiting.refresh_from_db()
    assert (registration.status, waiting.status) == (Registration.Status.CANCELLED, Registration.Status.CONFIRMED)
    assert_event("registration.cancel", by=administrator, house=house)
    assert_event("registration.promote", by=administrator, house=house)


TOO_LONG = "x" * 10_000


@pytest.mark.parametrize("reason", [TOO_LONG, "Zaal\x00lekt"], ids=["10000-characters", "nul"])
def test_the_cancel_action_refuses_a_reason_the_session_cannot_hold(admin_client, house, reason):
    session = session_with_room(house)
    url = reverse("admin:activities_session_changelist")
    chosen = {"action": "cancel_sessions", "_selected_action": [session.pk], "apply": "1", "reason": reason}
    response = admin_client.post(url, chosen)
    assert response.status_code == 200 and 'name="reason"' in response.content.decode()  # asked again
    session.refresh_from_db()
    assert session.status == Session.Status.PLANNED and session.change_reason == ""


@pytest.mark.parametrize(
    ("reason", "message"),
    [(TOO_LONG, "niet langer dan 200 tekens"), ("Zaal\x00lekt", "onzichtbare")],
    ids=["10000-characters", "nul"],
)
def test_the_service_refuses_a_reason_the_session_cannot_hold(house, administrator, reason, message):
    session = session_with_room(house)
    with pytest.raises(ValidationError) as refused:
        services.session_cancel(session=session, reason=reason, by=administrator)
    assert message in " ".join(refused.value.message_dict["reason"])
    session.refresh_from_db()
    assert session.status == Session.Status.PLANNED


@pytest.mark.parametrize("reason", [TOO_LONG, "Zaal\x00lekt"], ids=["10000-characters", "nul"])
def test_moving_refuses_a_reason_the_session_cannot_hold_too(house, administrator, reason):
    session = session_with_room(house)
    start = session.start + dt.timedelta(days=1)
    with pytest.raises(ValidationError) as refused:
        end = start + dt.timedelta(hours=1)
        services.session_move(session=session, start=start, end=end, reason=reason, by=administrator)
    assert "reason" in refused.value.message_dict
    session.refresh_from_db()
    assert session.moved_from is None


def test_the_service_takes_a_reason_of_exactly_200_characters(house, administrator):
    session = session_with_room(house)
    services.session_cancel(session=session, reason="x" * 200, by=administrator)
    session.refresh_from_db()
    assert session.status == Session.Status.CANCELLED and session.change_reason == "x" * 200


@pytest.fixture
def staff_with_view_permissions(db):
    """`is_staff` with Django's view permissions, but not an administrator in the policy."""
    user = UserFactory(is_staff=True)
    user.user_permissions.set(Permission.objects.filter(codename__in=["view_session", "view_registration"]))
    return user


def test_staff_with_view_permissions_cannot_cancel_sessions(client, staff_with_view_permissions, house):
    session = session_with_room(house)
    registration = RegistrationFactory(session=session)
    client.force_login(staff_with_view_permissions)
    for model, action, obj in (
        ("session", "cancel_sessions", session),
        ("registration", "cancel_registrations", registration),
    ):
        response = client.post(
            reverse(f"admin:activities_{model}_changelist"),
            {"action": action, "_selected_action": [obj.pk], "apply": "1", "reason": "Weg"},
        )
        assert response.status_code == 302 and response["Location"].startswith(reverse("admin:login"))
    session.refresh_from_db()
    registration.refresh_from_db()
    assert session.status == Session.Status.PLANNED and registration.status != Registration.Status.CANCELLED
