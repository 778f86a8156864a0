"""The demo rosters: patterns per house, shifts past and ahead, most filled, gaps soon, a stand-in, past hours."""

import datetime as dt

from tests.factories import ActivityFactory, OpeningHoursFactory, PlaceFactory
from tests.volunteers.factories import CertificateFactory, VolunteerFactory
from volunteers.demo import rosters
from volunteers.models import CertificateKind, HoursEntry, Shift, ShiftAssignment, ShiftPattern, VolunteerRole
from volunteers.selectors import rosters as selectors


def open_place(house, **kwargs):
    """A place of `house` open every day of the week (a weekly shift needs a weekday the place is open)."""
    place = PlaceFactory(house=house, **kwargs)
    for weekday in range(7):
        OpeningHoursFactory(place=place, weekday=weekday)
    return place


def test_demo_rosters(house, coordinator):
    open_place(house)
    ActivityFactory(house=house, place=open_place(house))
    people = []
    for _ in range(8):
        volunteer = VolunteerFactory(
            house=house,
            roles=[VolunteerRole.HOST, VolunteerRole.COOK, VolunteerRole.BAR, VolunteerRole.ACTIVITY_LEADER],
        )
        CertificateFactory(volunteer=volunteer, issued_on=dt.date(2025, 1, 1), valid_until=dt.date(2027, 12, 31))
        CertificateFactory(
            volunteer=volunteer,
            kind=CertificateKind.IVA,
            issued_on=dt.date(2025, 1, 1),
            valid_until=dt.date(2027, 12, 31),
        )
        people.append(volunteer)
    today = dt.date(2026, 11, 30)
    made = rosters.seed(today=today, volunteers={house.slug: people})
    assert made > 100
    assert ShiftPattern.objects.filter(house=house).count() == 13
    assert (
        Shift.objects.filter(date__lt=today).exists()
        and Shift.objects.filter(date__gt=today + dt.timedelta(weeks=7)).exists()
    )
    assert HoursEntry.objects.filter(source=HoursEntry.Source.SHIFT).count() > 50
    assert ShiftAssignment.objects.filter(status=ShiftAssignment.Status.STAND_IN_WANTED).count() == 1
    soon = list(selectors.house_roster(house, today, today + dt.timedelta(days=13)))
    gaps = sum(selectors.gap(shift) for shift in soon)
    assert 0 < gaps < sum(shift.people_needed for shift in soon) / 2
    assert rosters.seed(today=today, volunteers={house.slug: people}) == 0
