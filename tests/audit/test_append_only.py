"""The history is append-only and kept for its retention period (category "audit_events"): nobody edits or
deletes an event through the app or the admin; on PostgreSQL the database refuses it too; its prune is the way out."""

import datetime as dt

import pytest
from django.db import DatabaseError, connection, transaction
from django.urls import reverse
from django.utils import timezone

from audit.models import Event
from audit.services import SCHEDULE, events_prune
from tests.audit.helpers import assert_event
from tests.factories import UserFactory

pytestmark = pytest.mark.date_sensitive

on_postgresql = pytest.mark.skipif(connection.vendor != "postgresql", reason="the trigger exists on PostgreSQL only")


def old_and_new(house, actor=None):
    old = Event.objects.create(
        at=timezone.now() - dt.timedelta(days=7 * 365 + 1), actor_kind="system", action="session.cancel", house=house
    )
    new = Event.objects.create(
        at=timezone.now() - dt.timedelta(days=7 * 365 - 1),
        actor=actor,
        actor_kind="user" if actor else "system",
        action="booking.approve",
        house=house,
    )
    return old, new


def test_the_daily_prune_deletes_what_is_older_than_the_retention_and_records_itself(house):
    old, new = old_and_new(house)
    assert events_prune(by=SCHEDULE, now=timezone.now(), days=7 * 365) == 1
    assert not Event.objects.filter(pk=old.pk).exists() and Event.objects.filter(pk=new.pk).exists()
    assert_event("event.prune", by="schedule", house=None, changes={"deleted": 1})


def test_the_prune_is_a_retention_category():
    from privacy.retention import BY_KEY

    assert BY_KEY["audit_events"].apply == "audit.services.events_prune"


@on_postgresql
def test_postgresql_refuses_to_change_or_delete_an_event(house):
    _old, event = old_and_new(house)
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        Event.objects.filter(pk=event.pk).update(action="booking.reject")
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        Event.objects.filter(pk=event.pk).delete()
    assert Event.objects.get(pk=event.pk).action == "booking.approve"


@on_postgresql
def test_deleting_a_user_only_blanks_the_actor(house):
    user = UserFactory()
    _old, event = old_and_new(house, actor=user)
    user.delete()
    event.refresh_from_db()
    assert (event.actor, event.actor_kind, event.action) == (None, "user", "booking.approve")
    assert event.actor_label in ("iemand (naam niet meer bewaard)", "someone (name no longer kept)")


@pytest.fixture
def admin_client(client, administrator):
    client.force_login(administrator)
    return client


def test_the_admin_lists_the_history_read_only(admin_client, house):
    _old, event = old_and_new(house)
    assert admin_client.get(reverse("admin:audit_event_changelist"), {"q": "Klooster"}).status_code == 200
    page = admin_client.get(reverse("admin:audit_event_change", args=[event.pk]))
    assert page.status_code == 200 and 'name="_save"' not in page.content.decode()
    assert admin_client.post(reverse("admin:audit_event_change", args=[event.pk]), {"action": "x"}).status_code == 403
    assert admin_client.post(reverse("admin:audit_event_delete", args=[event.pk]), {"post": "yes"}).status_code == 403
    assert admin_client.get(reverse("admin:audit_event_add")).status_code == 403
    response = admin_client.post(
        reverse("admin:audit_event_changelist"), {"action": "delete_selected", "_selected_action": [event.pk]}
    )
    assert response.status_code in (200, 302)
    assert Event.objects.filter(pk=event.pk).exists()
