"""The one permission policy: what each role may do, and which houses each user may see.

Every view, export and task asks this module; nothing else decides access. Two questions, one table:
- `may(user, action, house)`: may this user do this to this house?
- `houses_for(user, action)`: which houses may this user do this to? (a QuerySet, for lists and exports)

How a role reaches a house (its scope):
- host, coordinator: the houses they are assigned to (in zelfbeheer the coordinators are residents of the
  foundation; nothing here assumes a professional);
- manager: the houses their organisation currently operates;
- municipality and administrator: every house.
A resident (any user without a role) has no staff access to any house.
"""

from dataclasses import dataclass, field
from enum import StrEnum

from django.db.models import Exists, OuterRef, Q, QuerySet
from django.http import Http404
from django.utils import timezone

from locations.models import House
from locations.selectors import managements_on

from .models import Role, RoleAssignment

ADMINISTRATOR = "administrator"


class Action(StrEnum):
    VIEW_STAFF = "house.view_staff"  # the staff side of a house: start page, door logs, figures
    MANAGE = "house.manage"  # the house's places, opening hours, closures and rooms
    LOG_DOOR = "house.log_door"  # the door screen: count visitors, tick off and close sessions
    MANAGE_PROGRAMME = "house.manage_programme"  # plan, cancel and move activities; see the door logs
    RECORD_SIGNAL = "house.record_signal"  # note a signal (no names)
    VIEW_SIGNALS = "house.view_signals"  # the house's signals: its coordinators only, never outside the house
    MANAGE_BOOKINGS = "house.manage_bookings"  # approve, reject, cancel and book rooms; calendar and export


GRANTS: dict[Action, frozenset[str]] = {
    Action.VIEW_STAFF: frozenset({Role.HOST, Role.COORDINATOR, Role.MANAGER, Role.MUNICIPALITY, ADMINISTRATOR}),
    Action.MANAGE: frozenset({Role.COORDINATOR, ADMINISTRATOR}),
    Action.LOG_DOOR: frozenset({Role.HOST, Role.COORDINATOR}),
    Action.MANAGE_PROGRAMME: frozenset({Role.COORDINATOR, ADMINISTRATOR}),
    Action.RECORD_SIGNAL: frozenset({Role.HOST, Role.COORDINATOR}),
    Action.VIEW_SIGNALS: frozenset({Role.COORDINATOR}),
    Action.MANAGE_BOOKINGS: frozenset({Role.COORDINATOR, ADMINISTRATOR}),
}

NETWORK_WIDE = frozenset({Role.MUNICIPALITY, ADMINISTRATOR})


@dataclass(frozen=True)
class Grants:
    """The roles of one user, loaded once per request."""

    network_roles: frozenset[str] = frozenset()
    house_roles: dict[int, frozenset[str]] = field(default_factory=dict)
    organisation_ids: frozenset[int] = frozenset()

    @property
    def is_staff_member(self) -> bool:
        return bool(self.network_roles or self.house_roles or self.organisation_ids)


def grants_of(user) -> Grants:
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return Grants()
    cached = getattr(user, "_huizen_grants", None)
    if cached is not None:
        return cached
    network: set[str] = {ADMINISTRATOR} if user.is_superuser else set()
    house_roles: dict[int, set[str]] = {}
    organisations: set[int] = set()
    for role, house_id, organisation_id in RoleAssignment.objects.filter(user=user).values_list(
        "role", "house_id", "organisation_id"
    ):
        if role == Role.MUNICIPALITY:
            network.add(role)
        elif role == Role.MANAGER:
            organisations.add(organisation_id)
        else:
            house_roles.setdefault(house_id, set()).add(role)
    grants = Grants(
        network_roles=frozenset(network),
        house_roles={house: frozenset(roles) for house, roles in house_roles.items()},
        organisation_ids=frozenset(organisations),
    )
    user._huizen_grants = grants
    return grants


def _operated_house_ids(organisation_ids) -> QuerySet:
    return managements_on(timezone.localdate()).filter(operator_id__in=organisation_ids).values("house_id")


def roles_for_house(user, house: House) -> frozenset[str]:
    """The roles through which `user` reaches `house`."""
    grants = grants_of(user)
    roles = set(grants.network_roles) | set(grants.house_roles.get(house.pk, ()))
    if grants.organisation_ids:
        operator_id = getattr(house, "current_operator_id", None)
        if operator_id is None:
            operates = _operated_house_ids(grants.organisation_ids).filter(house_id=house.pk).exists()
        else:
            operates = operator_id in grants.organisation_ids
        if operates:
            roles.add(Role.MANAGER)
    return frozenset(roles)


def may(user, action: Action, house: House) -> bool:
    return bool(roles_for_house(user, house) & GRANTS[action])


def houses_for(user, action: Action, queryset: QuerySet[House] | None = None) -> QuerySet[House]:
    """The houses `user` may do `action` to, as a filter on `queryset` (all houses by default)."""
    queryset = House.objects.all() if queryset is None else queryset
    grants = grants_of(user)
    allowed = GRANTS[action]
    if grants.network_roles & allowed:
        return queryset
    condition = Q(pk__in=[house for house, roles in grants.house_roles.items() if roles & allowed])
    if Role.MANAGER in allowed and grants.organisation_ids:
        condition |= Q(pk__in=_operated_house_ids(grants.organisation_ids))
    return queryset.filter(condition)


def get_house_or_404(user, action: Action, queryset: QuerySet[House] | None = None, **lookup) -> House:
    """Fetch a house and check access in one step: the same 404 whether it does not exist or is not yours."""
    try:
        return houses_for(user, action, queryset).get(**lookup)
    except House.DoesNotExist:
        raise Http404 from None


def is_staff_member(user) -> bool:
    return grants_of(user).is_staff_member


def is_administrator(user) -> bool:
    return ADMINISTRATOR in grants_of(user).network_roles


# --- hot paths: the same answer in one query --------------------------------------------------------------


def houses_for_in_one_query(user, action: Action, queryset: QuerySet[House] | None = None) -> QuerySet[House]:
    """`houses_for`, decided by the database: the user's roles are not loaded but checked with EXISTS on the
    role assignments (an index on the user), inside the query that fetches the house. For paths that must stay
    lean, such as the door's tap endpoint: the answer is asked on every request and never kept, so a removed
    role stops working on the next request."""
    queryset = House.objects.all() if queryset is None else queryset
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return queryset.none()
    allowed = GRANTS[action]
    if user.is_superuser and ADMINISTRATOR in allowed:
        return queryset
    roles = RoleAssignment.objects.filter(user=user)
    condition = Q(Exists(roles.filter(house=OuterRef("pk"), role__in=allowed - NETWORK_WIDE - {Role.MANAGER})))
    if allowed & NETWORK_WIDE - {ADMINISTRATOR}:
        condition |= Q(Exists(roles.filter(role__in=allowed & NETWORK_WIDE - {ADMINISTRATOR})))
    if Role.MANAGER in allowed:
        organisations = roles.filter(role=Role.MANAGER).values("organisation_id")
        condition |= Q(
            pk__in=managements_on(timezone.localdate()).filter(operator_id__in=organisations).values("house_id")
        )
    return queryset.filter(condition)
