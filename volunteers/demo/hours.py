"""Demo data of volunteering: hours and allowance. For each house: hours the volunteers entered themselves
(mostly approved, a few waiting, one rejected) and allowance payments for past months of this year and last year,
within the caps (one volunteer close to the yearly cap), each covering hours entered and approved in its month.
Everything goes through the services, so the demo keeps to the same rules as the site."""

import datetime as dt
from decimal import Decimal

from django.core.exceptions import ValidationError

from audit.services import SYSTEM

from ..models import AllowanceCaps, Volunteer
from ..services.hours import allowance_pay, hours_decide, hours_submit

TASKS = ["Koffie gezet en afgewassen", "Flyers rondgebracht", "Tuin bijgehouden", "Stoelen klaargezet", "Boodschappen"]


def _volunteers_per_house(volunteers) -> dict[str, list[Volunteer]]:
    """What the people seeder gave (house slug -> volunteers), or else the accepted volunteers in the database."""
    if volunteers:
        return {
            slug: [v for v in people if v.status == Volunteer.Status.ACCEPTED] for slug, people in volunteers.items()
        }
    found: dict[str, list[Volunteer]] = {}
    for volunteer in Volunteer.objects.filter(status=Volunteer.Status.ACCEPTED).select_related("house", "user"):
        found.setdefault(volunteer.house.slug, []).append(volunteer)
    return found


def _enter(volunteer, day, minutes, number):
    """Hours entered by the volunteer (with an account) or by the system for them; None when a rule refuses."""
    if volunteer.user_id is None or (volunteer.start_date and day < volunteer.start_date):
        return None
    try:
        return hours_submit(
            volunteer=volunteer, date=day, minutes=minutes, description=TASKS[number % len(TASKS)], by=volunteer.user
        )
    except ValidationError:  # a day already full, say: leave it out of the demo
        return None


def _approved_hours(volunteer, month, hours):
    """Hours of `month` entered and approved (in days of at most 9 hours), so a payment covers approved hours."""
    minutes, day = int(Decimal(hours) * 60), 3
    while minutes > 0:
        entry = _enter(volunteer, month.replace(day=day), min(minutes, 9 * 60), day)
        if entry is not None:
            hours_decide(entry=entry, approve=True, reason="", by=SYSTEM)
        minutes -= 9 * 60
        day += 7


def _pay(volunteer, month, hours, amount, paid_on):
    try:
        return allowance_pay(
            volunteer=volunteer, month=month, hours=Decimal(hours), amount=Decimal(amount), paid_on=paid_on, by=SYSTEM
        )
    except ValidationError:
        return None


def seed(*, today: dt.date, volunteers=None) -> None:
    caps_years = set(AllowanceCaps.objects.values_list("year", flat=True))
    for people in _volunteers_per_house(volunteers).values():
        rejected = False
        for index, volunteer in enumerate(people[:8]):
            # own hours: four of the past weeks approved, the last one waiting (every third volunteer)
            for week in range(1, 6):
                day = today - dt.timedelta(days=7 * week + index % 5)
                entry = _enter(volunteer, day, 60 * (1 + (index + week) % 3) + 30 * (week % 2), index + week)
                if entry is None:
                    continue
                if week == 1 and index % 3 == 0:
                    continue  # waiting for the coordinator
                if not rejected and week == 2:
                    hours_decide(
                        entry=entry, approve=False, reason="Dit was geen vrijwilligerswerk voor het huis.", by=SYSTEM
                    )
                    rejected = True
                else:
                    hours_decide(entry=entry, approve=True, reason="", by=SYSTEM)
        # allowances for past months of this year and last year, for the volunteers with a date of birth
        paid = [volunteer for volunteer in people if volunteer.date_of_birth][:4]
        for index, volunteer in enumerate(paid):
            near_cap = index == 0
            for year in (today.year - 1, today.year):
                if year not in caps_years:
                    continue
                last_month = 12 if year < today.year else today.month - 1
                for number in range(1, last_month + 1):
                    month = dt.date(year, number, 1)
                    if volunteer.start_date and month < volunteer.start_date.replace(day=1):
                        continue
                    if not near_cap and number % 3:
                        continue  # a payment each quarter
                    amount = "200.00" if near_cap else f"{40 + 10 * index}.00"
                    hours = "36" if near_cap else "10"
                    paid_on = min(dt.date(year, number, 28) + dt.timedelta(days=7), today)
                    _approved_hours(volunteer, month, hours)
                    _pay(volunteer, month, hours, amount, paid_on)
