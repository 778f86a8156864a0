"""Someone whose account has no first name (made before sign-up asked for it) is asked for it when registering,
so the host at the door ticks them off by name instead of "(no name given)"."""

import pytest
from django.urls import reverse

from activities.models import Registration
from audit.models import Event
from tests.factories import SessionFactory, UserFactory


@pytest.fixture
def nameless(client, db):
    user = UserFactory(first_name="", last_name="", language="en")
    client.force_login(user)
    return user


@pytest.fixture
def session(db):
    return SessionFactory(activity__registration_required=True)


def test_the_session_page_asks_a_nameless_resident_for_their_first_name(client, nameless, session):
    html = client.get(reverse("activities:session_detail", args=[session.pk])).content.decode()
    assert 'name="first_name"' in html


def test_a_resident_with_a_name_is_not_asked_again(client, db, session):
    client.force_login(UserFactory(first_name="Noor"))
    html = client.get(reverse("activities:session_detail", args=[session.pk])).content.decode()
    assert 'name="first_name"' not in html


def test_registering_stores_the_name_and_the_registration_together(client, nameless, session):
    client.post(reverse("activities:session_register", args=[session.pk]), {"first_name": "  Noor "})
    nameless.refresh_from_db()
    assert nameless.first_name == "Noor"
    assert Registration.objects.filter(session=session, user=nameless).exists()
    assert Event.objects.filter(action="user.update_details", actor=nameless).exists()


@pytest.mark.parametrize("junk", ["", "   ", "x" * 10_000, "No\x00or"])
def test_without_a_usable_name_nothing_is_saved(client, nameless, session, junk):
    response = client.post(reverse("activities:session_register", args=[session.pk]), {"first_name": junk}, follow=True)
    assert response.status_code == 200
    nameless.refresh_from_db()
    assert nameless.first_name == ""
    assert not Registration.objects.filter(session=session).exists()
