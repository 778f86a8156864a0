"""The demo city's volunteers: per house volunteers with roles and certificates (some expiring soon), weekly
rosters with gaps, hours and allowance, informal carers with support contacts and waarderingen, and burenhulp
requests in every state. Called by `seed_demo` after the programme and the bookings, one module per area.

The demo login vrijwilliger@demo.huizen.nl (made by accounts.demo) volunteers at Het Klooster as a host, cook and
neighbour helper with a valid VOG, so the volunteer's pages (shifts, hours, burenhulp) have something to show."""

import datetime as dt

from accounts.demo import SOCIAL_HOUSE
from accounts.models import User
from locations.models import House
from volunteers.models import Certificate, CertificateKind, Volunteer, VolunteerRole, VolunteerRoleChoice

from ..services.people import valid_until_for
from . import carers, help, hours, people, rosters

DEMO_VOLUNTEER = "vrijwilliger@demo.huizen.nl"


def _demo_volunteer(today: dt.date) -> Volunteer | None:
    user = User.objects.filter(email=DEMO_VOLUNTEER).first()
    house = House.objects.filter(slug=SOCIAL_HOUSE).first()
    if user is None or house is None:
        return None
    volunteer, created = Volunteer.objects.get_or_create(
        house=house,
        user=user,
        defaults={
            "first_name": user.first_name,
            "last_name": user.last_name,
            "email": user.email,
            "phone": "06-11223344",
            "date_of_birth": dt.date(1958, 4, 12),
            "status": Volunteer.Status.ACCEPTED,
            "start_date": today - dt.timedelta(days=400),
            "agreement_signed_on": today - dt.timedelta(days=400),
            "availability": ["mon_morning", "tue_morning", "wed_afternoon"],
        },
    )
    if created:
        for role in (VolunteerRole.HOST, VolunteerRole.COOK, VolunteerRole.NEIGHBOUR_HELP):
            VolunteerRoleChoice.objects.create(volunteer=volunteer, role=role)
        issued = today - dt.timedelta(days=300)
        Certificate.objects.create(
            volunteer=volunteer,
            kind=CertificateKind.VOG,
            issued_on=issued,
            valid_until=valid_until_for(issued, 3),
        )
    return volunteer


def seed_volunteers(*, today) -> None:
    volunteers = people.seed(today=today)
    demo = _demo_volunteer(today)
    if demo is not None:
        mine = volunteers.setdefault(demo.house.slug, [])
        if demo not in mine:
            mine.insert(0, demo)
    rosters.seed(today=today, volunteers=volunteers)
    hours.seed(today=today, volunteers=volunteers)
    carers.seed(today=today)
    help.seed(today=today, volunteers=volunteers)
