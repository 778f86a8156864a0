"""Where the areas of volunteering meet: stopping gives shifts back, and the changes that move report figures mark
their days for the rollups."""

import datetime as dt

import pytest
from django.utils import timezone

from locations.models import StaleDay
from tests.volunteers.factories import ShiftAssignmentFactory, ShiftFactory, VolunteerFactory
from volunteers.models import CertificateKind, ShiftAssignment, VolunteerRole
from volunteers.services import people as people_services

pytestmark = pytest.mark.django_db


def marked(house) -> set[dt.date]:
    return set(StaleDay.objects.filter(house=house).values_list("day", flat=True))


def test_a_stopping_volunteer_gives_back_the_shifts_after_their_last_day(house, coordinator):
    volunteer = VolunteerFactory(house=house, roles=[VolunteerRole.COOK])
    today = timezone.localdate()
    later = ShiftAssignmentFactory(
        shift=ShiftFactory(house=house, role=VolunteerRole.COOK, date=today + dt.timedelta(days=10)),
        volunteer=volunteer,
    )
    on_last_day = ShiftAssignmentFactory(
        shift=ShiftFactory(house=house, role=VolunteerRole.COOK, date=today + dt.timedelta(days=3)), volunteer=volunteer
    )
    people_services.volunteer_stop(volunteer=volunteer, end_date=today + dt.timedelta(days=3), by=coordinator)
    later.refresh_from_db()
    on_last_day.refresh_from_db()
    assert later.status == ShiftAssignment.Status.CANCELLED
    assert on_last_day.status == ShiftAssignment.Status.ASSIGNED


def test_a_certificate_recorded_late_marks_the_days_it_was_already_valid(house, coordinator):
    volunteer = VolunteerFactory(house=house, roles=[VolunteerRole.HOST])
    today = timezone.localdate()
    StaleDay.objects.all().delete()
    people_services.certificate_record(
        volunteer=volunteer, kind=CertificateKind.VOG, issued_on=today - dt.timedelta(days=20), by=coordinator
    )
    assert marked(house) == {today - dt.timedelta(days=n) for n in range(21)}


def test_marks_reach_back_at_most_a_year(house, coordinator):
    volunteer = VolunteerFactory(house=house, start_date=dt.date(2015, 1, 1))
    StaleDay.objects.all().delete()
    people_services.volunteer_update(volunteer=volunteer, roles=[VolunteerRole.BAR], by=coordinator)
    days = marked(house)
    assert min(days) == timezone.localdate() - dt.timedelta(days=people_services.MARK_DAYS_BACK)
    assert max(days) == timezone.localdate()
