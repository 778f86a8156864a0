"""A volunteer is never on two shifts that overlap in time (at any house): open shifts that clash are hidden, and
signing up, taking over and being put on by the coordinator are refused with a Dutch reason."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import translation

from tests.volunteers.factories import CertificateFactory, ShiftAssignmentFactory, ShiftFactory, VolunteerFactory
from volunteers.models import ShiftAssignment, VolunteerRole
from volunteers.selectors import rosters as selectors
from volunteers.services import rosters as services

AMS = ZoneInfo("Europe/Amsterdam")
DAY = dt.date(2026, 12, 2)


def host_volunteer(house, **kwargs):
    volunteer = VolunteerFactory(house=house, roles=[VolunteerRole.HOST], **kwargs)
    CertificateFactory(volunteer=volunteer)
    return volunteer


def shift_at(house, start, end, **kwargs):
    return ShiftFactory(
        house=house,
        date=DAY,
        start=dt.datetime.combine(DAY, start, tzinfo=AMS),
        end=dt.datetime.combine(DAY, end, tzinfo=AMS),
        **kwargs,
    )


@pytest.fixture
def busy(house):
    """A host on "Gastvrouw/gastheer middag" 2 December 13:00-17:00."""
    volunteer = host_volunteer(house)
    afternoon = shift_at(house, dt.time(13), dt.time(17), title="Gastvrouw/gastheer middag")
    ShiftAssignmentFactory(shift=afternoon, volunteer=volunteer)
    return volunteer


def test_sign_up_for_an_overlapping_shift_is_refused(house, busy):
    evening = shift_at(house, dt.time(15, 30), dt.time(19, 30), title="Kok buurtmaaltijd")
    with translation.override("nl"), pytest.raises(ValidationError) as error:
        services.shift_sign_up(shift=evening, volunteer=busy, by=busy.user)
    assert error.value.messages == ["Je staat dan al ingeroosterd voor Gastvrouw/gastheer middag (13:00–17:00)."]
    assert not ShiftAssignment.objects.filter(shift=evening).exists()


def test_back_to_back_shifts_are_fine(house, busy):
    later = shift_at(house, dt.time(17), dt.time(19))
    services.shift_sign_up(shift=later, volunteer=busy, by=busy.user)


def test_overlap_counts_at_another_house_of_the_same_person(house, other_house, busy):
    there = VolunteerFactory(house=other_house, user=busy.user, roles=[VolunteerRole.HOST])
    CertificateFactory(volunteer=there)
    evening = shift_at(other_house, dt.time(16), dt.time(18))
    with pytest.raises(ValidationError):
        services.shift_sign_up(shift=evening, volunteer=there, by=busy.user)


def test_cancelled_shift_does_not_block(house, busy, coordinator):
    afternoon = ShiftAssignment.objects.get(volunteer=busy).shift
    services.shift_cancel(shift=afternoon, by=coordinator)
    evening = shift_at(house, dt.time(15, 30), dt.time(19, 30))
    services.shift_sign_up(shift=evening, volunteer=busy, by=busy.user)


def test_coordinator_cannot_put_a_busy_volunteer_on(house, busy, coordinator):
    evening = shift_at(house, dt.time(15, 30), dt.time(19, 30))
    with translation.override("nl"), pytest.raises(ValidationError) as error:
        services.shift_assign(shift=evening, volunteer=busy, by=coordinator)
    assert error.value.messages[0].startswith(f"{busy.short_name} staat dan al ingeroosterd voor")


def test_stand_in_take_refused_when_busy(house, busy):
    evening = shift_at(house, dt.time(15, 30), dt.time(19, 30))
    asking = host_volunteer(house)
    wanted = ShiftAssignmentFactory(shift=evening, volunteer=asking, status=ShiftAssignment.Status.STAND_IN_WANTED)
    with pytest.raises(ValidationError):
        services.stand_in_take(assignment=wanted, volunteer=busy, by=busy.user)
    wanted.refresh_from_db()
    assert wanted.status == ShiftAssignment.Status.STAND_IN_WANTED


def test_my_shifts_hides_overlapping_open_shifts(client, house, busy):
    clash = shift_at(house, dt.time(15, 30), dt.time(19, 30), title="Kok buurtmaaltijd", role=VolunteerRole.HOST)
    free = shift_at(house, dt.time(17), dt.time(19), title="Avonddienst")
    now = dt.datetime(2026, 11, 30, 8, tzinfo=AMS)
    shown = selectors.open_shifts_for(busy.user, now=now, first=DAY, last=DAY)
    assert clash not in shown and free in shown
    client.force_login(busy.user)
    html = client.get(reverse("volunteers:my_shifts")).content.decode()
    assert "Avonddienst" in html and "Kok buurtmaaltijd" not in html


def test_coordinator_page_refuses_busy_volunteer(client, house, busy, coordinator):
    evening = shift_at(house, dt.time(15, 30), dt.time(19, 30))
    client.force_login(coordinator)
    url = reverse("volunteers:shift_detail", args=[house.slug, evening.pk])
    response = client.post(url, {"action": "assign", "volunteer": busy.pk}, HTTP_ACCEPT_LANGUAGE="nl")
    assert response.status_code == 200
    assert "staat dan al ingeroosterd voor" in response.content.decode()
    assert not ShiftAssignment.objects.filter(shift=evening).exists()


def test_fill_in_list_marks_someone_busy_at_another_house(client, house, other_house, coordinator):
    volunteer = host_volunteer(house, first_name="Bas", last_name="Bezig")
    there = VolunteerFactory(house=other_house, user=volunteer.user, roles=[VolunteerRole.HOST])
    ShiftAssignmentFactory(shift=shift_at(other_house, dt.time(13), dt.time(17)), volunteer=there)
    evening = shift_at(house, dt.time(15, 30), dt.time(19, 30))
    assert volunteer.pk in selectors.busy_volunteer_ids(evening)
    client.force_login(coordinator)
    url = reverse("volunteers:shift_detail", args=[house.slug, evening.pk])
    text = client.get(url, HTTP_ACCEPT_LANGUAGE="nl").content.decode()
    assert "Bas Bezig (al op een andere dienst" in text


def test_my_shifts_hides_a_stand_in_wanted_at_a_time_i_am_busy(client, house, busy):
    evening = shift_at(house, dt.time(15, 30), dt.time(19, 30), title="Kok buurtmaaltijd")
    ShiftAssignmentFactory(
        shift=evening, volunteer=host_volunteer(house), status=ShiftAssignment.Status.STAND_IN_WANTED
    )
    client.force_login(busy.user)
    html = client.get(reverse("volunteers:my_shifts")).content.decode()
    assert "Kok buurtmaaltijd" not in html
