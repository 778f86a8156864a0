"""The demo resident has something in each section of My data, and someone looked at their data."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts.models import Role, RoleAssignment, User
from privacy.demo import DEMO_COORDINATOR, DEMO_RESIDENT, seed_my_data
from privacy.models import AccessRecord
from tests.factories import ActivityFactory, BookingFactory, PlaceFactory, SessionFactory, bookable_room

pytestmark = pytest.mark.django_db


def test_the_demo_resident_has_registrations_and_two_looks_and_a_second_run_adds_nothing(house, client):
    resident = User.objects.create_user(DEMO_RESIDENT, "x")
    coordinator = User.objects.create_user(DEMO_COORDINATOR, "x")
    RoleAssignment.objects.create(user=coordinator, role=Role.COORDINATOR, house=house)
    activity = ActivityFactory(house=house, registration_required=True, capacity=10)
    for days in (3, 10):
        start = timezone.now() + dt.timedelta(days=days)
        SessionFactory(activity=activity, start=start, end=start + dt.timedelta(hours=2))
    BookingFactory(renter=resident, room=bookable_room(place=PlaceFactory(house=house)))
    assert seed_my_data() == 4
    assert seed_my_data() == 0
    looks = AccessRecord.objects.filter(subject_user=resident)
    assert looks.count() == 2 and all(look.actor_id == coordinator.pk for look in looks)
    client.force_login(resident)
    html = client.get(reverse("privacy:my_data")).content.decode()
    assert activity.title in html
    assert "Niemand van een huis" not in html


def test_without_the_demo_people_nothing_happens(db):
    assert seed_my_data() == 0
