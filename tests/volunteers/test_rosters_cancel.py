"""Cancelling one's own place on a shift asks first; when it leaves a gap in the coming week the house's
coordinators get an e-mail."""

import datetime as dt

import pytest
from django.core import mail
from django.urls import reverse

from audit.models import Event
from tests.factories import RoleAssignmentFactory, UserFactory
from tests.volunteers.factories import CertificateFactory, ShiftAssignmentFactory, ShiftFactory, VolunteerFactory
from volunteers.models import ShiftAssignment, VolunteerRole
from volunteers.services import rosters as services

MONDAY = dt.date(2026, 11, 30)


def host_volunteer(house, **kwargs):
    volunteer = VolunteerFactory(house=house, roles=[VolunteerRole.HOST], **kwargs)
    CertificateFactory(volunteer=volunteer)
    return volunteer


@pytest.fixture
def mine(house):
    volunteer = host_volunteer(house, first_name="Farid", last_name="Mansour")
    assignment = ShiftAssignmentFactory(shift=ShiftFactory(house=house, title="Kok buurtmaaltijd"), volunteer=volunteer)
    return assignment


def test_my_shifts_links_to_a_confirm_page_instead_of_cancelling_at_once(client, mine):
    client.force_login(mine.volunteer.user)
    text = client.get(reverse("volunteers:my_shifts")).content.decode()
    url = reverse("volunteers:my_assignment_cancel", args=[mine.pk])
    assert f'href="{url}"' in text
    assert 'name="action" value="cancel"' not in text
    # The old one-tap POST no longer cancels.
    assert client.post(reverse("volunteers:my_assignment", args=[mine.pk]), {"action": "cancel"}).status_code == 404
    mine.refresh_from_db()
    assert mine.status == ShiftAssignment.Status.ASSIGNED


def test_confirm_page_asks_then_cancels(client, mine):
    client.force_login(mine.volunteer.user)
    url = reverse("volunteers:my_assignment_cancel", args=[mine.pk])
    response = client.get(url, HTTP_ACCEPT_LANGUAGE="nl")
    text = response.content.decode()
    assert "Afmelden voor deze dienst?" in text and "Kok buurtmaaltijd" in text
    assert "Ja, meld me af" in text
    mine.refresh_from_db()
    assert mine.status == ShiftAssignment.Status.ASSIGNED  # looking is not cancelling
    response = client.post(url)
    assert response.status_code == 302
    mine.refresh_from_db()
    assert mine.status == ShiftAssignment.Status.CANCELLED


def test_someone_elses_place_is_404(client, mine, house):
    client.force_login(host_volunteer(house).user)
    url = reverse("volunteers:my_assignment_cancel", args=[mine.pk])
    assert client.get(url).status_code == 404
    assert client.post(url).status_code == 404


def test_gap_in_the_coming_week_tells_the_coordinators(house, coordinator, mine, django_capture_on_commit_callbacks):
    other_coordinator = UserFactory(first_name="Petra")
    RoleAssignmentFactory(user=other_coordinator, house=house, role="coordinator")
    with django_capture_on_commit_callbacks(execute=True):
        services.assignment_cancel(assignment=mine, by=mine.volunteer.user)
    assert sorted(message.to[0] for message in mail.outbox) == sorted([coordinator.email, other_coordinator.email])
    message = next(m for m in mail.outbox if m.to == [other_coordinator.email])
    assert "Kok buurtmaaltijd" in message.subject
    assert "Farid M." in message.body and f"/rooster/dienst/{mine.shift_id}/" in message.body
    assert message.body.startswith(("Hallo Petra,", "Hello Petra,"))
    assert Event.objects.filter(action="shift.cancel_assignment").count() == 1


def test_no_notice_for_a_shift_further_away_or_still_full(house, coordinator, django_capture_on_commit_callbacks):
    volunteer = host_volunteer(house)
    later = ShiftAssignmentFactory(
        shift=ShiftFactory(house=house, date=MONDAY + dt.timedelta(days=10)), volunteer=volunteer
    )
    with django_capture_on_commit_callbacks(execute=True):
        services.assignment_cancel(assignment=later, by=volunteer.user)
    assert mail.outbox == []
    crowded = ShiftFactory(house=house, people_needed=1)
    ShiftAssignmentFactory(shift=crowded, volunteer=host_volunteer(house))
    extra = ShiftAssignmentFactory(shift=crowded, volunteer=volunteer)  # one more than needed
    with django_capture_on_commit_callbacks(execute=True):
        services.assignment_cancel(assignment=extra, by=volunteer.user)
    assert mail.outbox == []
