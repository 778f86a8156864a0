"""Factories of volunteering (factory-boy): rows as the services would leave them. Prefer the services in tests of
the services themselves; these are for everything else (permissions, pages, reports)."""

import datetime as dt

import factory
from django.utils import timezone

from tests.factories import AMSTERDAM, HouseFactory, PlaceFactory, UserFactory
from volunteers.models import (
    Carer,
    Certificate,
    CertificateKind,
    HelpKind,
    HelpRequest,
    HoursEntry,
    Shift,
    ShiftAssignment,
    SupportContact,
    SupportKind,
    Volunteer,
    VolunteerRole,
    VolunteerRoleChoice,
)
from volunteers.services.people import valid_until_for


class VolunteerFactory(factory.django.DjangoModelFactory):
    """An accepted volunteer with an account, since a year ago; `roles=[...]` gives them roles."""

    class Meta:
        model = Volunteer
        skip_postgeneration_save = True

    house = factory.SubFactory(HouseFactory)
    user = factory.SubFactory(UserFactory)
    first_name = factory.LazyAttribute(lambda o: o.user.first_name if o.user else "Noor")
    last_name = factory.LazyAttribute(lambda o: o.user.last_name if o.user else "Bakker")
    email = factory.LazyAttribute(lambda o: o.user.email if o.user else "")
    status = Volunteer.Status.ACCEPTED
    start_date = factory.LazyFunction(lambda: timezone.localdate() - dt.timedelta(days=365))
    date_of_birth = dt.date(1960, 5, 17)

    @factory.post_generation
    def roles(self, create, extracted, **kwargs):
        for role in extracted or ():
            VolunteerRoleChoice.objects.create(volunteer=self, role=role)


class CertificateFactory(factory.django.DjangoModelFactory):
    """A VOG issued a year ago, valid for three years."""

    class Meta:
        model = Certificate

    volunteer = factory.SubFactory(VolunteerFactory)
    kind = CertificateKind.VOG
    issued_on = factory.LazyFunction(lambda: timezone.localdate() - dt.timedelta(days=365))
    valid_until = factory.LazyAttribute(lambda o: valid_until_for(o.issued_on, 3))


def _shift_start(day: dt.date, hour: int = 9) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hour), tzinfo=AMSTERDAM)


class ShiftFactory(factory.django.DjangoModelFactory):
    """A one-off door shift tomorrow morning, 09:00 to 12:30, for one host."""

    class Meta:
        model = Shift

    house = factory.SubFactory(HouseFactory)
    place = factory.SubFactory(PlaceFactory, house=factory.SelfAttribute("..house"))
    title = "Gastvrouw/gastheer ochtend"
    role = VolunteerRole.HOST
    date = factory.LazyFunction(lambda: timezone.localdate() + dt.timedelta(days=1))
    start = factory.LazyAttribute(lambda o: _shift_start(o.date, 9))
    end = factory.LazyAttribute(lambda o: _shift_start(o.date, 12) + dt.timedelta(minutes=30))
    people_needed = 1


class ShiftAssignmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ShiftAssignment

    shift = factory.SubFactory(ShiftFactory)
    volunteer = factory.SubFactory(VolunteerFactory, house=factory.SelfAttribute("..shift.house"))


class HoursEntryFactory(factory.django.DjangoModelFactory):
    """Three approved hours, entered by the volunteer, yesterday."""

    class Meta:
        model = HoursEntry

    volunteer = factory.SubFactory(VolunteerFactory)
    date = factory.LazyFunction(lambda: timezone.localdate() - dt.timedelta(days=1))
    minutes = 180
    source = HoursEntry.Source.OWN
    status = HoursEntry.Status.APPROVED


class CarerFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Carer

    house = factory.SubFactory(HouseFactory)
    first_name = "Ans"
    last_name = factory.Sequence(lambda n: f"de Vries{n}")
    phone = "06-12345678"
    relation = Carer.Relation.PARTNER
    hours_band = Carer.HoursBand.FROM_16
    caring_since = dt.date(2023, 3, 1)
    consent_given_on = factory.LazyFunction(timezone.localdate)
    consent_text = "Gegevens bewaren voor ondersteuning en de mantelzorgwaardering."
    consent_recorded_by = factory.SubFactory(UserFactory)


class SupportContactFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = SupportContact

    carer = factory.SubFactory(CarerFactory)
    date = factory.LazyFunction(timezone.localdate)
    kind = SupportKind.LISTENING


class HelpRequestFactory(factory.django.DjangoModelFactory):
    """An open request for groceries the day after tomorrow, posted by the resident who needs it."""

    class Meta:
        model = HelpRequest

    house = factory.SubFactory(HouseFactory)
    kind = HelpKind.GROCERIES
    description = "Boodschappen bij de supermarkt op de hoek."
    wanted_on = factory.LazyFunction(lambda: timezone.localdate() + dt.timedelta(days=2))
    requester = factory.SubFactory(UserFactory)
    requester_name = factory.LazyAttribute(lambda o: o.requester.get_full_name() if o.requester else "Wim Visser")
    requester_phone = "010-1234567"
    posted_by = factory.SelfAttribute("requester")
