"""Reads of volunteering: rosters. Every list is one query per kind of row, however many shifts it shows."""

import datetime as dt

from django.db.models import Count, Exists, OuterRef, Prefetch, Q, QuerySet

from locations.selectors import closed_on_q

from ..models import Shift, ShiftAssignment, Volunteer
from . import people as people_selectors


def active_count(shift: Shift) -> int:
    return shift.assignments.filter(status__in=ShiftAssignment.ACTIVE).count()


def closed_q(prefix: str = "") -> Exists:
    """The shift's place is closed on the shift's day (`prefix` "shift__" for assignments): the locations' own
    `closed_on_q`, with the day taken from the row."""
    return closed_on_q(OuterRef(f"{prefix}date"), place_ref=f"{prefix}place_id")


def offered(queryset: QuerySet[Shift]) -> QuerySet[Shift]:
    """Shifts that are on: not cancelled, and the place not closed that day (a closure added after the shift was
    made hides it too)."""
    return queryset.filter(cancelled_at__isnull=True).exclude(closed_q())


def offered_assignments(queryset: QuerySet[ShiftAssignment]) -> QuerySet[ShiftAssignment]:
    """Active assignments on shifts that are on (not cancelled, the place not closed that day)."""
    return queryset.filter(status__in=ShiftAssignment.ACTIVE, shift__cancelled_at__isnull=True).exclude(
        closed_q("shift__")
    )


def with_people(queryset: QuerySet[Shift]) -> QuerySet[Shift]:
    """Shifts with their active volunteers (`people`) and counts: `taken`, `stand_ins_wanted`."""
    active = ShiftAssignment.objects.filter(status__in=ShiftAssignment.ACTIVE).select_related("volunteer")
    return (
        queryset.select_related("place", "activity")
        .annotate(
            taken=Count("assignments", filter=Q(assignments__status__in=ShiftAssignment.ACTIVE), distinct=True),
            stand_ins_wanted=Count(
                "assignments", filter=Q(assignments__status=ShiftAssignment.Status.STAND_IN_WANTED), distinct=True
            ),
        )
        .prefetch_related(Prefetch("assignments", queryset=active.order_by("created_at"), to_attr="people"))
    )


def house_roster(house, first: dt.date, last: dt.date) -> QuerySet[Shift]:
    """The house's shifts from `first` to `last` inclusive, as they are offered, with their volunteers."""
    return with_people(offered(Shift.objects.filter(house=house, date__gte=first, date__lte=last))).order_by(
        "date", "start", "title"
    )


def gap(shift: Shift) -> int:
    """Places still to fill plus stand-ins wanted."""
    return max(shift.people_needed - shift.taken, 0) + shift.stand_ins_wanted


def my_volunteering(user) -> QuerySet[Volunteer]:
    return Volunteer.objects.filter(user=user, status=Volunteer.Status.ACCEPTED)


def my_assignments(user, *, since) -> QuerySet[ShiftAssignment]:
    """The user's active assignments on shifts ending after `since`; not those on a day the place is closed."""
    return (
        offered_assignments(ShiftAssignment.objects.filter(volunteer__user=user, shift__end__gt=since))
        .select_related("shift__place", "shift__house", "volunteer")
        .order_by("shift__start")
    )


def _may_take_on(volunteer: Volunteer, needed: dict[str, list[str]], certificates: list) -> "callable":
    """A check `(role, day) -> bool` in memory: the same rules as `people.qualified_for` (active that day, the
    role, every certificate the role needs valid on that day), from rows loaded once."""
    roles = {choice.role for choice in volunteer.roles.all()}

    def check(role: str, day: dt.date) -> bool:
        if volunteer.status != Volunteer.Status.ACCEPTED or role not in roles:
            return False
        if volunteer.start_date is None or volunteer.start_date > day:
            return False
        if volunteer.end_date is not None and volunteer.end_date < day:
            return False
        return all(
            any(c.kind == kind and c.issued_on <= day <= c.valid_until for c in certificates)
            for kind in needed.get(role, [])
        )

    return check


def open_shifts_for(user, *, now, first: dt.date, last: dt.date) -> list[Shift]:
    """Shifts of the user's houses and roles from `first` to `last` with a free place, that the user may take on
    their day (certificates valid on that day), and is not on yet. A fixed number of queries per house the user
    volunteers at, however many shifts."""
    from ..models import Certificate

    volunteers = list(my_volunteering(user).prefetch_related("roles"))
    if not volunteers:
        return []
    needed = people_selectors.needed_by_role()
    busy = busy_windows(user, since=now)
    certificates = list(Certificate.objects.filter(volunteer__in=volunteers))
    result = []
    for volunteer in volunteers:
        roles = {choice.role for choice in volunteer.roles.all()}
        may_take = _may_take_on(volunteer, needed, [c for c in certificates if c.volunteer_id == volunteer.pk])
        shifts = with_people(
            offered(Shift.objects.filter(house_id=volunteer.house_id, role__in=roles, date__gte=first, date__lte=last))
            .filter(start__gt=now)
            .exclude(
                Exists(
                    ShiftAssignment.objects.filter(
                        shift=OuterRef("pk"), volunteer=volunteer, status__in=ShiftAssignment.ACTIVE
                    )
                )
            )
        ).select_related("house")
        for shift in shifts:
            if (
                shift.taken < shift.people_needed
                and may_take(shift.role, shift.date)
                and not overlaps(busy, shift.start, shift.end)
            ):
                shift.volunteer = volunteer
                result.append(shift)
    result.sort(key=lambda shift: shift.start)
    return result


def stand_ins_open_for(user, *, now) -> QuerySet[ShiftAssignment]:
    """Assignments of others at the user's houses for which a stand-in is wanted, still to come."""
    houses = my_volunteering(user).values("house_id")
    return (
        offered_assignments(
            ShiftAssignment.objects.filter(
                status=ShiftAssignment.Status.STAND_IN_WANTED, shift__house_id__in=houses, shift__start__gt=now
            )
        )
        .exclude(volunteer__user=user)
        .select_related("shift__place", "shift__house", "volunteer")
        .order_by("shift__start")
    )


def same_person_q(volunteer: Volunteer, prefix: str = "volunteer") -> Q:
    """Rows of the same person as `volunteer`: that volunteer, or any volunteer with the same account (one person
    can volunteer at several houses)."""
    q = Q(**{prefix: volunteer})
    if volunteer.user_id is not None:
        q |= Q(**{f"{prefix}__user_id": volunteer.user_id})
    return q


def overlapping_assignments(volunteer: Volunteer, *, start, end) -> QuerySet[ShiftAssignment]:
    """The person's active assignments (any house) on shifts that are on and overlap `start`-`end`."""
    return offered_assignments(
        ShiftAssignment.objects.filter(same_person_q(volunteer), shift__start__lt=end, shift__end__gt=start)
    )


def busy_windows(user, *, since) -> list[tuple]:
    """(start, end) of the user's active shifts (any house) ending after `since`: one query."""
    return list(
        offered_assignments(ShiftAssignment.objects.filter(volunteer__user=user, shift__end__gt=since)).values_list(
            "shift__start", "shift__end"
        )
    )


def overlaps(windows: list[tuple], start, end) -> bool:
    return any(other_start < end and other_end > start for other_start, other_end in windows)


def busy_volunteer_ids(shift: Shift) -> set[int]:
    """Volunteers of the shift's house on another shift overlapping this one (at any house: the same account)."""
    rows = list(
        offered_assignments(
            ShiftAssignment.objects.filter(shift__start__lt=shift.end, shift__end__gt=shift.start).exclude(shift=shift)
        ).values_list("volunteer_id", "volunteer__user_id")
    )
    ids = {volunteer_id for volunteer_id, _user in rows}
    users = {user_id for _volunteer, user_id in rows if user_id is not None}
    if users:
        ids |= set(Volunteer.objects.filter(house_id=shift.house_id, user_id__in=users).values_list("pk", flat=True))
    return ids


def door_shifts(house, day: dt.date) -> QuerySet[Shift]:
    return house_roster(house, day, day)
