"""Reference data edited in the admin (houses, places, rooms, users and their roles) is recorded in the history
with the administrator as actor; a person's own details are named as changed, never kept."""

import pytest
from django.urls import reverse

from accounts.models import Role, RoleAssignment
from audit.models import Event
from locations.models import Place
from tests.audit.helpers import assert_event
from tests.factories import PlaceFactory, UserFactory
from tests.locations.test_admin import inline, place_data


@pytest.fixture
def admin_client(client, administrator):
    client.force_login(administrator)
    return client


def test_adding_a_place_is_recorded_with_its_house(admin_client, administrator, house):
    response = admin_client.post(reverse("admin:locations_place_add"), place_data(house))
    assert response.status_code == 302
    place = Place.objects.get(name="Buurtplek Heemraadssingel")
    event = assert_event(
        "admin.add", by=administrator, house=house, changes={"name": [None, "Buurtplek Heemraadssingel"]}
    )
    assert (event.object_type, event.object_id) == ("locations.place", str(place.pk))


def test_changing_a_place_records_old_and_new(admin_client, administrator, house):
    place = PlaceFactory(house=house, name="Oud")
    data = place_data(house, name="Nieuw", street=place.street, house_number=place.house_number)
    data |= {**inline("opening_hours"), **inline("closures"), **inline("rooms")}
    assert admin_client.post(reverse("admin:locations_place_change", args=[place.pk]), data).status_code == 302
    assert_event("admin.change", by=administrator, house=house, changes={"name": ["Oud", "Nieuw"]})


def test_giving_a_role_is_recorded_without_the_persons_details(admin_client, administrator, house):
    user = UserFactory(first_name="Noor", last_name="Bakker")
    data = {
        "email": user.email,
        "first_name": "Noor",
        "last_name": "de Vries",
        "language": "nl",
        "is_active": "on",
        "date_joined_0": "2026-01-05",
        "date_joined_1": "10:00:00",
        "role_assignments-TOTAL_FORMS": "1",
        "role_assignments-INITIAL_FORMS": "0",
        "role_assignments-MIN_NUM_FORMS": "0",
        "role_assignments-MAX_NUM_FORMS": "1000",
        "role_assignments-0-role": Role.COORDINATOR,
        "role_assignments-0-house": house.pk,
        "role_assignments-0-organisation": "",
    }
    response = admin_client.post(reverse("admin:accounts_user_change", args=[user.pk]), data)
    assert response.status_code == 302, response.context["errors"] if response.context else response
    assert RoleAssignment.objects.filter(user=user, role=Role.COORDINATOR, house=house).exists()
    event = assert_event("admin.change", by=administrator, house=None, changes={"last_name": ["…", "…"]})
    assert event.object_label == f"#{user.pk}"
    assert event.changes["inlines"]
    assert "Bakker" not in str(event.changes) and "de Vries" not in str(event.changes)


def test_erasing_a_user_in_the_admin_is_recorded_without_their_name(admin_client, administrator):
    # A user is never deleted in the admin (that would change figures): they are erased, see accounts.admin.
    user = UserFactory()
    data = {"action": "erase_accounts", "_selected_action": [user.pk], "apply": "1", "confirm": "on"}
    response = admin_client.post(reverse("admin:accounts_user_changelist"), data)
    assert response.status_code == 302
    event = assert_event("user.erase", by=administrator, house=None)
    assert event.object_label == f"#{user.pk}"


def test_a_house_with_history_cannot_be_deleted(admin_client, house, coordinator):
    from audit.services import event_record

    event_record(by=coordinator, action="session.cancel", house=house)
    admin_client.post(reverse("admin:locations_house_delete", args=[house.pk]), {"post": "yes"})
    house.refresh_from_db()  # still there
    assert Event.objects.filter(house=house).exists()
