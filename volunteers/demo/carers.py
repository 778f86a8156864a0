"""Demo data of volunteering: carers. The demo municipality's waardering rules for last year and this year (a
Rotterdampas credit, applications from 1 November to 31 December), per house 6 to 12 carers with support contacts
of every kind spread over the past year and, in the window, applications awarded, refused and waiting; and a
professional's login for Het Klooster and, as the wijkteam's professional, Middelland (self-managed).

Idempotent: the rules are set once per year, a house that has carers gets no more, the login is created when
missing (its password is never reset). The names are fictional."""

import datetime as dt
import random
from decimal import Decimal

from allauth.account.models import EmailAddress
from django.db import transaction
from django.utils import timezone

from accounts.demo import DEMO_PASSWORD, MUNICIPALITY, SELF_MANAGED_HOUSE, SOCIAL_HOUSE
from accounts.models import Role, RoleAssignment, User
from locations.models import House, Organisation
from locations.services import days_changed

from ..models import Carer, SupportContact, SupportKind, WaarderingApplication, WaarderingRules

PROFESSIONAL_EMAIL = "professional@demo.huizen.nl"
FIRST_NAMES = ["Ans", "Mohamed", "Ingrid", "Fatma", "Kees", "Samira", "Joyce", "Henk", "Priya", "Wim", "Nadia", "Bram"]
LAST_NAMES = ["Bakker", "El Idrissi", "de Graaf", "Yilmaz", "Visser", "Haddou", "Martina", "Smit", "Ramdin", "Kok"]
IBANS = ["NL91ABNA0417164300", "NL02RABO0123456789", "NL20INGB0001234567", "NL39RABO0300065264"]


def _professional(house: House) -> None:
    user = User.objects.filter(email=PROFESSIONAL_EMAIL).first()
    if user is None:
        user = User.objects.create_user(PROFESSIONAL_EMAIL, DEMO_PASSWORD, first_name="Lotte", last_name="Brouwer")
    EmailAddress.objects.get_or_create(
        user=user, email=PROFESSIONAL_EMAIL, defaults={"verified": True, "primary": True}
    )
    RoleAssignment.objects.get_or_create(user=user, role=Role.PROFESSIONAL, house=house, organisation=None)


def _rules(municipality: Organisation, today: dt.date) -> dict[int, WaarderingRules]:
    rules = {}
    for year in (today.year - 1, today.year):
        rules[year], _created = WaarderingRules.objects.get_or_create(
            municipality=municipality,
            year=year,
            defaults={
                "amount": Decimal("100.00"),
                "description": "€ 100 tegoed op de Rotterdampas",
                "opens_on": dt.date(year, 11, 1),
                "closes_on": dt.date(year, 12, 31),
            },
        )
    return rules


def _recorder(house: House):
    assignment = (
        RoleAssignment.objects.filter(house=house, role__in=[Role.COORDINATOR, Role.PROFESSIONAL])
        .select_related("user")
        .first()
    )
    return assignment.user if assignment else User.objects.filter(is_superuser=True).first()


def _seed_house(house: House, rules: dict, today: dt.date, rng: random.Random) -> None:
    by = _recorder(house)
    if by is None or house.carers.exists():
        return
    bands = list(Carer.HoursBand.values)
    kinds = list(SupportKind.values)
    carers = []
    for number in range(rng.randint(6, 12)):
        band = bands[number % len(bands)] if number < 4 else rng.choice(bands[1:])
        caring_since = today - dt.timedelta(days=rng.randint(40, 2500))
        consent_on = max(caring_since, today - dt.timedelta(days=rng.randint(30, 400)))
        carers.append(
            Carer(
                house=house,
                first_name=rng.choice(FIRST_NAMES),
                last_name=rng.choice(LAST_NAMES),
                phone=f"06-{rng.randint(10_000_000, 99_999_999)}",
                email="" if number % 3 == 0 else f"mantelzorger{house.pk}-{number}@example.nl",
                language="en" if number == 5 else "nl",
                relation=rng.choice(Carer.Relation.values),
                hours_band=band,
                caring_since=caring_since,
                consent_given_on=consent_on,
                consent_text="De mantelzorger vindt het goed dat het huis deze gegevens bewaart voor ondersteuning "
                "en de mantelzorgwaardering.",
                consent_recorded_by=by,
            )
        )
    Carer.objects.bulk_create(carers)
    contacts = []
    for number, carer in enumerate(carers):
        for index in range(rng.randint(2, 6)):
            day = today - dt.timedelta(days=rng.randint(0, 365))
            day = max(day, carer.consent_given_on)
            kind = kinds[(number + index) % len(kinds)]  # every kind occurs in every house
            contacts.append(SupportContact(carer=carer, date=day, kind=kind, note="", recorded_by=by))
    SupportContact.objects.bulk_create(contacts)
    days_changed(house_id=house.pk, days={contact.date for contact in contacts} | {today})  # the rollups follow
    year_rules = rules.get(today.year)
    if year_rules is not None and today < year_rules.opens_on:  # before this year's window: last year's round
        year_rules = rules.get(today.year - 1)
    if year_rules is None:
        return
    qualifying = [carer for carer in carers if carer.hours_band != Carer.HoursBand.UNDER_8]
    now = timezone.now()
    applications = []
    for number, carer in enumerate(qualifying[:6]):
        status = ("awarded", "awarded", "refused", "applied", "awarded", "applied")[number]
        applications.append(
            WaarderingApplication(
                carer=carer,
                rules=year_rules,
                year=year_rules.year,
                applied_on=min(year_rules.closes_on, max(year_rules.opens_on, today - dt.timedelta(days=number))),
                taken_at_desk=number % 2 == 0,
                payee_name=f"{carer.first_name[0]}. {carer.last_name}",
                iban=IBANS[number % len(IBANS)],
                status=status,
                amount=year_rules.amount if status == "awarded" else None,
                decision_reason="Zorgt nog geen drie maanden" if status == "refused" else "",
                decided_at=now if status != "applied" else None,
                decided_by=by if status != "applied" else None,
                created_by=by,
            )
        )
    WaarderingApplication.objects.bulk_create(applications)


def seed(*, today: dt.date, **kwargs) -> None:
    rng = random.Random(10)
    with transaction.atomic():
        house = House.objects.filter(slug=SOCIAL_HOUSE).first()
        if house is not None:
            _professional(house)
        # The same social worker is the wijkteam's professional of the self-managed Middelland, where she (not
        # the resident board) reads the signals (accounts.policy, House.signal_readers).
        self_managed = House.objects.filter(slug=SELF_MANAGED_HOUSE).first()
        if self_managed is not None:
            _professional(self_managed)
        municipality = (
            Organisation.objects.filter(slug=MUNICIPALITY).first()
            or Organisation.objects.filter(kind=Organisation.Kind.MUNICIPALITY).first()
        )
        rules = _rules(municipality, today) if municipality else {}
        for house in House.objects.order_by("pk"):
            _seed_house(house, rules, today, rng)
