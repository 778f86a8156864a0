"""People in the admin: volunteers and certificates read-only; a house's settings editable, recomputing validity."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from audit.models import Event
from locations.models import StaleDay
from tests.volunteers.factories import CertificateFactory, VolunteerFactory
from volunteers.models import CertificateReminder, HouseVolunteering, Volunteer


@pytest.fixture
def admin_client(client, administrator):
    client.force_login(administrator)
    return client


def test_volunteers_and_certificates_are_read_only(admin_client, house):
    certificate = CertificateFactory(volunteer=VolunteerFactory(house=house, roles=["host"]))
    volunteer = certificate.volunteer
    change = reverse("admin:volunteers_volunteer_change", args=[volunteer.pk])
    assert admin_client.get(reverse("admin:volunteers_volunteer_changelist")).status_code == 200
    assert admin_client.get(change).status_code == 200
    assert admin_client.post(change, {"status": "stopped"}).status_code == 403
    assert admin_client.get(reverse("admin:volunteers_certificate_changelist")).status_code == 200
    cert_change = reverse("admin:volunteers_certificate_change", args=[certificate.pk])
    assert admin_client.post(cert_change, {"valid_until": "2099-01-01"}).status_code == 403
    assert Volunteer.objects.get().status == Volunteer.Status.ACCEPTED


def test_house_settings_in_the_admin_go_through_the_service(admin_client, administrator, house):
    certificate = CertificateFactory(volunteer=VolunteerFactory(house=house), issued_on=dt.date(2025, 3, 1))
    CertificateReminder.objects.create(certificate=certificate, days_before=60)
    row = HouseVolunteering.objects.create(house=house)
    StaleDay.objects.all().delete()
    response = admin_client.post(
        reverse("admin:volunteers_housevolunteering_change", args=[row.pk]),
        {"certificate_renewal_years": 5, "idle_after_days": 90},
    )
    assert response.status_code == 302
    certificate.refresh_from_db()
    assert certificate.valid_until == dt.date(2030, 2, 28)
    # As on the coordinator's page: the reminders start again, the report days are marked, one event with the actor.
    assert not CertificateReminder.objects.exists()
    assert StaleDay.objects.filter(house=house, day=timezone.localdate()).exists()
    event = Event.objects.get(action="house_volunteering.update")
    assert event.actor == administrator
    assert event.changes == {"certificate_renewal_years": [3, 5]}
    assert not Event.objects.filter(action="admin.change").exists()


def test_a_house_settings_row_added_in_the_admin_goes_through_the_service(admin_client, house):
    response = admin_client.post(
        reverse("admin:volunteers_housevolunteering_add"),
        {"house": house.pk, "certificate_renewal_years": 4, "idle_after_days": 90},
    )
    assert response.status_code == 302
    assert HouseVolunteering.objects.get(house=house).certificate_renewal_years == 4
    assert Event.objects.filter(action="house_volunteering.update").count() == 1
