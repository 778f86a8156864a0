"""People in the admin: volunteers and certificates read-only; a house's settings editable, recomputing validity."""

import datetime as dt

import pytest
from django.urls import reverse

from audit.models import Event
from tests.volunteers.factories import CertificateFactory, VolunteerFactory
from volunteers.models import HouseVolunteering, Volunteer


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


def test_house_settings_in_the_admin_recompute_validity_and_are_recorded(admin_client, house):
    certificate = CertificateFactory(volunteer=VolunteerFactory(house=house), issued_on=dt.date(2025, 3, 1))
    row = HouseVolunteering.objects.create(house=house)
    response = admin_client.post(
        reverse("admin:volunteers_housevolunteering_change", args=[row.pk]),
        {"house": house.pk, "certificate_renewal_years": 5, "idle_after_days": 90},
    )
    assert response.status_code == 302
    certificate.refresh_from_db()
    assert certificate.valid_until == dt.date(2030, 2, 28)
    assert Event.objects.filter(action="admin.change").exists()
