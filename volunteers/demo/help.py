"""Demo burenhulp: per house 5 to 10 requests over the past months and the coming weeks, in every state (open,
offered, matched for the coming days, done with hours, did not happen, cancelled), some posted on someone's behalf
by a professional (or, where the house has none, its coordinator). The demo resident has requests of their own in
the first house. Written directly (past days cannot be posted through the services, which only take today
onwards), with the same invariants: a matched or closed request has its volunteer and accepted offer, a done one
its approved hours. Left alone when a house has requests already, so running the seed again changes nothing."""

import datetime as dt
import random

from django.db import transaction
from django.utils import timezone

from accounts.models import Role, RoleAssignment, User
from locations.models import House

from ..models import HelpKind, HelpOffer, HelpRequest, HoursEntry, Volunteer, VolunteerRole

DEMO_RESIDENT = "bewoner@demo.huizen.nl"
DEMO_VOLUNTEER = "vrijwilliger@demo.huizen.nl"  # Kees, added by volunteers.demo before this seed runs

NEEDS = {
    HelpKind.GROCERIES: ["Boodschappen van de supermarkt, ik loop slecht.", "Boodschappen voor het weekend."],
    HelpKind.LIFT: ["Vervoer naar de huisarts en terug.", "Naar het ziekenhuis voor een controle, terug met een taxi."],
    HelpKind.SMALL_JOB: ["Een lamp ophangen in de gang.", "Het gras maaien in de achtertuin."],
    HelpKind.COMPANY: ["Een kopje koffie en een praatje, ik zie weinig mensen.", "Samen een wandeling in het park."],
    HelpKind.OTHER: ["Hulp bij het invullen van een formulier.", "Een pakje ophalen bij het postpunt."],
}  # fmt: skip
NAMES = ["Mevrouw De Vries", "Meneer Bakker", "Mevrouw Yilmaz", "Meneer Pinas", "Mevrouw Kok", "Meneer El Idrissi"]
STREETS = ["Kloosterstraat", "Dorpsweg", "Pleinweg", "Schiedamseweg", "Mathenesserlaan", "Beukelsdijk"]
TIMES = ["in de ochtend", "rond 10.00 uur", "'s middags", "na 14.00 uur", ""]
ADDRESS_KINDS = (HelpKind.GROCERIES, HelpKind.LIFT, HelpKind.SMALL_JOB)
# (status, days from today): the past months, this week and the coming days.
PLAN = [
    ("done", -40),
    ("not_happened", -25),
    ("cancelled", -12),
    ("open", 3),
    ("offered", 5),
    ("matched", 2),
    ("done", -75),
    ("open", 9),
    ("matched", 6),
    ("done", -6),
]


def _helpers(house: House, volunteers: dict | None) -> list[Volunteer]:
    """The house's volunteers for burenhulp: from what `people.seed` returned (read defensively), else the
    database; those with the burenhulp role first, else any accepted volunteer."""
    listed = list((volunteers or {}).get(house.slug) or []) if isinstance(volunteers, dict) else []
    if not listed:
        listed = list(Volunteer.objects.filter(house=house, status=Volunteer.Status.ACCEPTED)[:20])
    accepted = [v for v in listed if getattr(v, "status", None) == Volunteer.Status.ACCEPTED and v.pk]
    with_role = set(
        Volunteer.objects.filter(pk__in=[v.pk for v in accepted], roles__role=VolunteerRole.NEIGHBOUR_HELP).values_list(
            "pk", flat=True
        )
    )
    return [v for v in accepted if v.pk in with_role] or accepted


def _poster(house: House):
    assignment = (
        RoleAssignment.objects.filter(house=house, role=Role.PROFESSIONAL).select_related("user").first()
        or RoleAssignment.objects.filter(house=house, role=Role.COORDINATOR).select_related("user").first()
    )
    return assignment.user if assignment else None


def _moment(day: dt.date, hour: int) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour)))


@transaction.atomic
def seed(*, today: dt.date, volunteers=None, **kwargs) -> int:
    """Seed every house; returns the number of requests made."""
    rng = random.Random(10)
    resident = User.objects.filter(email=DEMO_RESIDENT).first()
    made = 0
    for index, house in enumerate(House.objects.order_by("name")):
        if HelpRequest.objects.filter(house=house).exists():
            continue
        helpers = _helpers(house, volunteers)
        poster = _poster(house)
        plan = PLAN[: rng.randint(6, 10)]  # the first six: every state once
        for number, (status, offset) in enumerate(plan):
            if status not in ("open", "cancelled") and not helpers:
                status = "open" if offset >= 0 else "cancelled"
            made += _request(
                house=house,
                status=status,
                day=today + dt.timedelta(days=offset),
                today=today,
                rng=rng,
                helper=helpers[number % len(helpers)] if helpers else None,
                poster=poster,
                on_behalf=number % 3 == 1,
                resident=resident if index == 0 and number in (0, 3, 5) else None,
            )
    return made + _seed_demo_volunteer(today=today, rng=rng)


def _seed_demo_volunteer(*, today: dt.date, rng: random.Random) -> int:
    """The demo volunteer's own burenhulp, so both of their steps can be tried: a request they helped with
    yesterday that waits for "did it happen?" (close it with the hours), and a question still to answer. Added
    only when they have no such request yet."""
    volunteer = (
        Volunteer.objects.filter(
            user__email=DEMO_VOLUNTEER, status=Volunteer.Status.ACCEPTED, roles__role=VolunteerRole.NEIGHBOUR_HELP
        )
        .select_related("house")
        .first()
    )
    if volunteer is None:
        return 0
    made = 0
    mine = HelpRequest.objects.filter(volunteer=volunteer)
    wanted = [
        ("matched", -1, mine.filter(status=HelpRequest.Status.MATCHED, wanted_on__lt=today)),
        ("offered", 4, HelpOffer.objects.filter(volunteer=volunteer, status=HelpOffer.Status.OFFERED)),
    ]
    for status, offset, existing in wanted:
        if existing.exists():
            continue
        made += _request(
            house=volunteer.house,
            status=status,
            day=today + dt.timedelta(days=offset),
            today=today,
            rng=rng,
            helper=volunteer,
            poster=_poster(volunteer.house),
            on_behalf=False,
            resident=None,
        )
    return made


def _request(*, house, status, day, today, rng, helper, poster, on_behalf, resident) -> int:
    kind = rng.choice(list(HelpKind))
    name = rng.choice(NAMES)
    created = _moment(min(day, today) - dt.timedelta(days=rng.randint(2, 10)), 11)
    request = HelpRequest.objects.create(
        house=house,
        kind=kind,
        description=rng.choice(NEEDS[kind]),
        wanted_on=day,
        wanted_time=rng.choice(TIMES),
        requester=resident,
        requester_name=resident.get_full_name() if resident else name,
        requester_phone=f"06-{rng.randint(10000000, 99999999)}",
        requester_address=f"{rng.choice(STREETS)} {rng.randint(1, 180)}" if kind in ADDRESS_KINDS else "",
        posted_by=poster if on_behalf else resident,
        on_behalf=on_behalf and resident is None,
        status=status,
        volunteer=None if status in ("open", "cancelled") else helper,
    )
    HelpRequest.objects.filter(pk=request.pk).update(created_at=created)
    if status in ("open", "cancelled") or helper is None:
        if status == "cancelled":
            HelpRequest.objects.filter(pk=request.pk).update(closed_at=_moment(min(day, today), 9))
        return 1
    offered_at = created + dt.timedelta(days=1)
    answered = status != "offered"
    offer = HelpOffer.objects.create(
        request=request,
        volunteer=helper,
        status=HelpOffer.Status.ACCEPTED if answered else HelpOffer.Status.OFFERED,
        offered_by=poster,
        answered_at=offered_at + dt.timedelta(hours=5) if answered else None,
    )
    HelpOffer.objects.filter(pk=offer.pk).update(offered_at=offered_at)
    changes = {"volunteer": helper}
    if answered:
        changes["matched_at"] = offered_at + dt.timedelta(hours=5)
    if status in ("done", "not_happened"):
        changes["followed_up_at"] = _moment(day + dt.timedelta(days=1), 7)
        changes["closed_at"] = _moment(day + dt.timedelta(days=1), 18)
    if status == "done":
        minutes = rng.choice([45, 60, 90, 120])
        changes["minutes_spent"] = minutes
        HoursEntry.objects.create(
            volunteer=helper,
            date=day,
            minutes=minutes,
            source=HoursEntry.Source.NEIGHBOUR_HELP,
            description=str(request.get_kind_display()),
            help_request=request,
            status=HoursEntry.Status.APPROVED,
            decided_at=changes["closed_at"],
        )
    HelpRequest.objects.filter(pk=request.pk).update(**changes)
    return 1
