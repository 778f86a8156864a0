"""Demo rosters: per house weekly shifts (door host mornings and afternoons Monday to Friday, a cook for the weekly
meal, the bar on Friday, helpers of one activity), their shifts for the past and the coming eight weeks; most
filled, some gaps in the coming two weeks, one stand-in wanted; the past shifts confirmed as worked (which writes the
hours). Through the roster services where they apply; past assignments are written directly (the services refuse
the past), then confirmed through the service. Left alone when shift patterns exist, so a second run changes
nothing."""

import datetime as dt
import random

from django.core.exceptions import ValidationError
from django.utils import timezone

from accounts.models import Role, RoleAssignment
from activities.models import Activity
from audit.services import SYSTEM, user_of
from locations.models import House, Place

from ..models import ShiftAssignment, ShiftPattern, Volunteer, VolunteerRole
from ..selectors.people import qualified_for
from ..services import rosters as services

WEEKS = 8
GAP_SHARE_SOON = 0.2  # of the places in the coming two weeks, left open
FILLED_LATER = 0.6  # of the places after two weeks, already taken
NOT_CONFIRMED = 0.1  # of last week's past assignments, still to confirm

PATTERNS = [
    # title, role, weekdays, start, end, people
    ("Gastvrouw/gastheer ochtend", VolunteerRole.HOST, range(5), dt.time(9, 30), dt.time(12, 30), 1),
    ("Gastvrouw/gastheer middag", VolunteerRole.HOST, range(5), dt.time(13), dt.time(17), 1),
    ("Kok buurtmaaltijd", VolunteerRole.COOK, [2], dt.time(15, 30), dt.time(19, 30), 2),
    ("Bar vrijdagmiddag", VolunteerRole.BAR, [4], dt.time(16), dt.time(20), 1),
]


def _actor(house):
    assignment = RoleAssignment.objects.filter(house=house, role=Role.COORDINATOR).select_related("user").first()
    return assignment.user if assignment else SYSTEM


def _volunteers_of(house, volunteers) -> list[Volunteer]:
    given = (volunteers or {}).get(house.slug) if isinstance(volunteers, dict) else None
    if given:
        return [volunteer for volunteer in given if getattr(volunteer, "house_id", None) == house.pk]
    return list(Volunteer.objects.filter(house=house, status=Volunteer.Status.ACCEPTED))


def seed(*, today: dt.date | None = None, volunteers=None) -> int:
    """Returns the number of shifts made."""
    if ShiftPattern.objects.exists():
        return 0
    today = today or timezone.localdate()
    made = 0
    for house in House.objects.order_by("pk"):
        made += _seed_house(house, today, _volunteers_of(house, volunteers))
    return made


def _seed_house(house, today: dt.date, people: list[Volunteer]) -> int:
    place = house.places.filter(kind=Place.Kind.MAIN).order_by("pk").first() or house.places.order_by("pk").first()
    if place is None:
        return 0
    open_days = set(place.opening_hours.values_list("weekday", flat=True))  # a weekly shift needs an open weekday
    rng = random.Random(f"rosters-{house.slug}")
    by = _actor(house)
    past_start = today - dt.timedelta(weeks=WEEKS)
    patterns = []
    for title, role, weekdays, start, end, people_needed in PATTERNS:
        for weekday in (day for day in weekdays if day in open_days):
            patterns.append(
                services.shift_pattern_create(
                    house=house,
                    place=place,
                    title=title,
                    role=role,
                    weekday=weekday,
                    start_time=start,
                    end_time=end,
                    people_needed=people_needed,
                    valid_from=past_start,
                    by=by,
                )
            )
    activity = Activity.objects.filter(house=house).order_by("pk").first()
    activity_place = activity.place if activity is not None and activity.place.house_id == house.pk else place
    activity_days = sorted(activity_place.opening_hours.values_list("weekday", flat=True))
    if activity is not None and activity_days:
        patterns.append(
            services.shift_pattern_create(
                house=house,
                place=activity_place,
                activity=activity,
                title=f"Helpers: {activity.title}"[:100],
                role=VolunteerRole.ACTIVITY_LEADER,
                weekday=1 if 1 in activity_days else activity_days[0],
                start_time=dt.time(14),
                end_time=dt.time(16),
                people_needed=2,
                valid_from=past_start,
                by=by,
            )
        )
    for pattern in patterns:
        services._make_for_pattern(pattern, past_start, weeks=WEEKS)  # the past eight weeks (services go forward)
    shifts = list(house.shifts.filter(cancelled_at__isnull=True).order_by("start"))
    if not people:
        return len(shifts)
    now = timezone.now()
    soon = today + dt.timedelta(weeks=2)
    qualified_cache: dict[tuple[str, dt.date], list[Volunteer]] = {}

    def qualified(role, day):
        key = (role, day)
        if key not in qualified_cache:
            ids = [volunteer.pk for volunteer in people]
            qualified_cache[key] = list(qualified_for(Volunteer.objects.filter(pk__in=ids), role=role, day=day))
        return qualified_cache[key]

    past_assignments = []
    stand_in_asked = False
    for shift in shifts:
        candidates = qualified(shift.role, shift.date)[:]
        rng.shuffle(candidates)
        chosen = candidates[: shift.people_needed]
        if shift.start <= now:
            for volunteer in chosen:
                past_assignments.append(
                    ShiftAssignment.objects.create(shift=shift, volunteer=volunteer, assigned_by=user_of(by))
                )
            continue
        share = 1 - GAP_SHARE_SOON if shift.date < soon else FILLED_LATER
        for volunteer in chosen:
            if rng.random() > share:
                continue
            try:
                assignment = services.shift_assign(shift=shift, volunteer=volunteer, by=by)
            except ValidationError:
                continue
            if not stand_in_asked and shift.date >= today + dt.timedelta(days=3) and shift.date < soon:
                services.stand_in_ask(assignment=assignment, by=volunteer.user or by)
                stand_in_asked = True
    last_week = today - dt.timedelta(days=7)
    for assignment in past_assignments:
        if assignment.shift.date >= last_week and rng.random() < NOT_CONFIRMED:
            continue
        services.shift_confirm_worked(assignment=assignment, by=by)
    return len(shifts)
