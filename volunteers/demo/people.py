"""Demo data of volunteering: people. Per demo house 12 to 20 volunteers: most accepted (some since years), two or
three who just signed up, one on hold, one stopped; roles spread over every role (each house has hosts, cooks, bar
staff and neighbour helpers); some without an e-mail address; VOG and IVA certificates, a few expiring within 7, 30
and 60 days and one expired. Rows are written directly, with the dates and fields the services would have left
(start dates in the past, `valid_until` from the house's renewal period), and the start days marked for the
reports. Idempotent: a house that has volunteers already is left as it is."""

import datetime as dt
import random

from locations.models import House
from locations.services import days_changed

from ..models import Certificate, RoleCertificate, Volunteer, VolunteerRole, VolunteerRoleChoice
from ..services.people import house_settings, valid_until_for

FIRST_NAMES = [
    "Anouk",
    "Bram",
    "Chantal",
    "Dewi",
    "Eline",
    "Farid",
    "Gerda",
    "Hamza",
    "Ineke",
    "Jurgen",
    "Kiki",
    "Latifa",
    "Mehmet",
    "Nadia",
    "Olga",
    "Pieter",
    "Quinten",
    "Rachida",
    "Sanne",
    "Tariq",
    "Umut",
    "Vera",
    "Wim",
    "Yara",
]
LAST_NAMES = [
    "de Boer", "Bakker", "Visser", "Smit", "Meijer", "de Graaf", "Yildiz", "El Idrissi", "Mulder", "Bos",
    "Vos", "Peters", "Hendriks", "van Leeuwen", "Dekker", "Brouwer", "de Wit", "Dijkstra", "Kramer", "Ramdin",
]  # fmt: skip
# Every house has these; the other roles are spread over the rest.
CORE_ROLES = [VolunteerRole.HOST, VolunteerRole.COOK, VolunteerRole.BAR, VolunteerRole.NEIGHBOUR_HELP]
DAY_PARTS = [f"{day}_{part}" for day in ("mon", "tue", "wed", "thu", "fri", "sat", "sun") for part in
             ("morning", "afternoon", "evening")]  # fmt: skip


def seed(*, today: dt.date, **kwargs) -> dict[str, list[Volunteer]]:
    """The volunteers of every house, as {house slug: [Volunteer, ...]} (accepted ones first)."""
    needed: dict[str, list[str]] = {}
    for role, kind in RoleCertificate.objects.values_list("role", "certificate"):
        needed.setdefault(role, []).append(kind)
    result: dict[str, list[Volunteer]] = {}
    for index, house in enumerate(House.objects.order_by("name")):
        existing = list(Volunteer.objects.filter(house=house).order_by("status", "pk"))
        if existing:
            result[house.slug] = existing
            continue
        result[house.slug] = _seed_house(house, today=today, needed=needed, rng=random.Random(index))
    return result


def _seed_house(house, *, today, needed, rng) -> list[Volunteer]:
    count = 12 + rng.randint(0, 8)
    years = house_settings(house).certificate_renewal_years
    other_roles = [role for role in VolunteerRole.values if role not in CORE_ROLES]
    # Expiry moments for the newest certificate of some volunteers: within 7, 30, 60 days, and one expired.
    special_expiry = {0: 5, 2: 25, 3: 55, 4: -10}
    statuses = {count - 1: "stopped", count - 2: "on_hold", count - 3: "applied", count - 4: "applied"}
    if count >= 16:
        statuses[count - 5] = "applied"
    volunteers, start_days = [], []
    for number in range(count):
        status = statuses.get(number, Volunteer.Status.ACCEPTED)
        first = FIRST_NAMES[(number + rng.randint(0, 5)) % len(FIRST_NAMES)]
        last = LAST_NAMES[rng.randrange(len(LAST_NAMES))]
        without_email = number % 5 == 4
        roles = [CORE_ROLES[number % len(CORE_ROLES)]]
        if number % 3 == 0:
            roles.append(other_roles[(number // 3) % len(other_roles)])
        start = today - dt.timedelta(days=rng.randint(60, 5 * 365))
        accepted = status in (Volunteer.Status.ACCEPTED, Volunteer.Status.STOPPED)
        volunteer = Volunteer.objects.create(
            house=house,
            first_name=first,
            last_name=last,
            email="" if without_email else f"{first.lower()}.{number}@{house.slug}.demo.huizen.nl",
            phone=f"06-{rng.randint(10000000, 99999999)}",
            language="en" if number == 6 else "nl",
            date_of_birth=dt.date(rng.randint(1950, 2006), rng.randint(1, 12), rng.randint(1, 28)),
            skills=rng.choice(["", "Koken voor groepen", "Klussen en fietsen maken", "Spreekt Turks en Arabisch"]),
            availability=sorted(rng.sample(DAY_PARTS, 3)),
            motivation=rng.choice(["", "Ik wil iets doen voor de buurt.", "Mensen ontmoeten."]),
            status=status,
            status_reason="Eerst kennismaken na de vakantie" if status == "on_hold" else "",
            start_date=start if accepted else None,
            end_date=today - dt.timedelta(days=20) if status == "stopped" else None,
            agreement_signed_on=start if accepted and number % 4 != 3 else None,
        )
        VolunteerRoleChoice.objects.bulk_create([VolunteerRoleChoice(volunteer=volunteer, role=r) for r in roles])
        if accepted:
            start_days.append(start)
            kinds = sorted({kind for role in roles for kind in needed.get(role, ())})
            for kind in kinds:
                until = today + dt.timedelta(days=special_expiry.get(number, rng.randint(90, 900)))
                issued = _issued_for(until, years)
                if issued > today:  # only possible with odd periods: keep it valid a full period
                    issued = today
                Certificate.objects.create(
                    volunteer=volunteer, kind=kind, issued_on=issued, valid_until=valid_until_for(issued, years)
                )
        volunteers.append(volunteer)
    days_changed(house_id=house.pk, days=start_days)
    return sorted(volunteers, key=lambda v: (v.status != Volunteer.Status.ACCEPTED, v.pk))


def _issued_for(valid_until: dt.date, years: int) -> dt.date:
    """The issue date that gives `valid_until` under a renewal period of `years` (the day after, `years` back)."""
    day = valid_until + dt.timedelta(days=1)
    try:
        return day.replace(year=day.year - years)
    except ValueError:
        return day.replace(year=day.year - years, day=28)
