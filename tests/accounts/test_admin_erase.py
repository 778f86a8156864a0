"""The admin erases an account (anonymised, its rows kept) instead of deleting it (which would change figures)."""

import pytest
from django.urls import reverse

from activities.models import Registration
from audit.models import Event
from privacy.services.mydata import is_erased
from tests.factories import RegistrationFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(client, administrator):
    client.force_login(administrator)
    return client


def _act(admin_client, *users):
    data = {"action": "erase_accounts", "_selected_action": [user.pk for user in users], "apply": "1", "confirm": "on"}
    return admin_client.post(reverse("admin:accounts_user_changelist"), data, follow=True)


def test_a_user_cannot_be_deleted_in_the_admin(admin_client):
    user = UserFactory()
    response = admin_client.post(reverse("admin:accounts_user_delete", args=[user.pk]), {"post": "yes"})
    assert response.status_code == 403
    changelist = admin_client.get(reverse("admin:accounts_user_changelist")).content.decode()
    assert "delete_selected" not in changelist and "erase_accounts" in changelist


def test_the_admin_erases_an_account_and_keeps_its_registrations(admin_client, administrator):
    user = UserFactory(first_name="Fatima")
    RegistrationFactory(user=user)
    response = _act(admin_client, user)
    assert response.status_code == 200
    user.refresh_from_db()
    assert is_erased(user) and user.first_name == ""
    assert Registration.objects.filter(user=user).count() == 1
    event = Event.objects.get(action="user.erase")
    assert event.actor == administrator and event.changes["reason"] == "administrator"


def test_the_admin_cannot_erase_an_administrator_or_themself(admin_client, administrator):
    other = UserFactory(is_superuser=True, is_staff=True)
    response = _act(admin_client, administrator, other)
    assert "haal eerst de beheerdersrechten weg" in response.content.decode()
    administrator.refresh_from_db()
    other.refresh_from_db()
    assert not is_erased(administrator) and not is_erased(other)
    assert not Event.objects.filter(action="user.erase").exists()


def test_erasing_asks_for_a_confirmation_first(admin_client):
    """The action first lists the accounts and asks to tick that it cannot be undone; without the tick nothing."""
    user = UserFactory(first_name="Fatima")
    url = reverse("admin:accounts_user_changelist")
    page = admin_client.post(url, {"action": "erase_accounts", "_selected_action": [user.pk]})
    assert page.status_code == 200 and "kan niet ongedaan worden gemaakt" in page.content.decode()
    unticked = admin_client.post(url, {"action": "erase_accounts", "_selected_action": [user.pk], "apply": "1"})
    assert "Vink het vakje aan" in unticked.content.decode()
    user.refresh_from_db()
    assert not is_erased(user) and user.first_name == "Fatima"
