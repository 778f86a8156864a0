"""The one permission policy: what each role may do, and which houses each user may see.

Every view, export and task asks this module; nothing else decides access. Two questions, one table:
- `may(user, action, house)`: may this user do this to this house?
- `houses_for(user, action)`: which houses may this user do this to? (a QuerySet, for lists and exports)

How a role reaches a house (its scope):
- host, coordinator, professional: the houses they are assigned to (in zelfbeheer the coordinators are residents of the
  foundation; nothing here assumes a professional);
- manager: the houses their organisation currently operates;
- municipality and administrator: every house.
A resident (any user without a role) has no staff access to any house.

Two actions also depend on the house itself (`HOUSE_CONDITIONS`): who sees signals is named per house
(`House.signal_readers`; by default the coordinators in social management and the wijkteam's professionals in
self-management, where the coordinators are resident board members), and only in a house under social management
do its coordinators change that setting. `may`, `houses_for` and every fetch helper apply them alike.
"""

from dataclasses import dataclass, field
from enum import StrEnum

from django.contrib.auth import get_user_model
from django.db import connection
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.http import Http404
from django.utils import timezone

from locations.models import House, HouseManagement, ManagementType, SignalReaders
from locations.selectors import managements_on

from .models import Role, RoleAssignment

ADMINISTRATOR = "administrator"


class Action(StrEnum):
    VIEW_STAFF = "house.view_staff"  # the staff side of a house: start page, door logs, figures
    MANAGE = "house.manage"  # the house's places, opening hours, closures and rooms
    LOG_DOOR = "house.log_door"  # the door screen: count visitors, tick off and close sessions
    MANAGE_PROGRAMME = "house.manage_programme"  # plan, cancel and move activities; see the door logs
    RECORD_SIGNAL = "house.record_signal"  # note a signal (no names)
    VIEW_SIGNALS = "house.view_signals"  # the house's signals: those the house names (signal_readers), no one else
    SET_SIGNAL_READERS = "house.set_signal_readers"  # name who sees the house's signals
    MANAGE_BOOKINGS = "house.manage_bookings"  # approve, reject, cancel and book rooms; calendar and export
    VIEW_HISTORY = "house.view_history"  # the house's audit trail: who did what (names people, so not managers)
    VIEW_RESULTS = "house.view_results"  # figures against targets, dashboards and quarterly reports (aggregates only)
    EXPLAIN_RESULTS = "house.explain_results"  # write the house's explanation (toelichting) of a quarter's figures
    SET_TARGETS = "house.set_targets"  # agree targets (resultaatafspraken) and import neighbourhood figures
    VIEW_VOLUNTEERS = "house.view_volunteers"  # the house's volunteers, their certificates, rosters and hours
    MANAGE_VOLUNTEERS = "house.manage_volunteers"  # decide on volunteers, certificates, rosters, hours, allowance,
    # and match burenhulp requests with volunteers
    CONFIRM_SHIFTS = "house.confirm_shifts"  # at the door: confirm that today's shifts took place
    SUPPORT_CARERS = "house.support_carers"  # informal carers, their support contacts and waardering applications
    POST_HELP = "house.post_help"  # post a burenhulp request on someone's behalf
    PAY_WAARDERING = "house.pay_waardering"  # the payment list of awarded waarderingen (only what payment needs)


GRANTS: dict[Action, frozenset[str]] = {
    Action.VIEW_STAFF: frozenset(
        {Role.HOST, Role.COORDINATOR, Role.PROFESSIONAL, Role.MANAGER, Role.MUNICIPALITY, ADMINISTRATOR}
    ),
    Action.MANAGE: frozenset({Role.COORDINATOR, ADMINISTRATOR}),
    Action.LOG_DOOR: frozenset({Role.HOST, Role.COORDINATOR}),
    Action.MANAGE_PROGRAMME: frozenset({Role.COORDINATOR, ADMINISTRATOR}),
    Action.RECORD_SIGNAL: frozenset({Role.HOST, Role.COORDINATOR}),
    # Narrowed per house by HOUSE_CONDITIONS: coordinators or professionals, as the house names.
    Action.VIEW_SIGNALS: frozenset({Role.COORDINATOR, Role.PROFESSIONAL}),
    # Coordinators only in social management (HOUSE_CONDITIONS): in zelfbeheer they are the board members whom
    # the default keeps away from the signals, so they do not name themselves.
    Action.SET_SIGNAL_READERS: frozenset({Role.COORDINATOR, ADMINISTRATOR}),
    Action.MANAGE_BOOKINGS: frozenset({Role.COORDINATOR, ADMINISTRATOR}),
    Action.VIEW_HISTORY: frozenset({Role.COORDINATOR, ADMINISTRATOR}),
    Action.VIEW_RESULTS: frozenset({Role.COORDINATOR, Role.MANAGER, Role.MUNICIPALITY, ADMINISTRATOR}),
    Action.EXPLAIN_RESULTS: frozenset({Role.COORDINATOR}),
    Action.SET_TARGETS: frozenset({Role.MUNICIPALITY, ADMINISTRATOR}),
    Action.VIEW_VOLUNTEERS: frozenset({Role.COORDINATOR, Role.MANAGER, ADMINISTRATOR}),
    # Managing volunteers shows burenhulp requesters' contact details: the house's coordinators only (the issue
    # allows the coordinator and the matched volunteer); administrators see the volunteers, not the requesters.
    Action.MANAGE_VOLUNTEERS: frozenset({Role.COORDINATOR}),
    Action.CONFIRM_SHIFTS: frozenset({Role.HOST, Role.COORDINATOR}),
    # Carers' names stay within the house: its coordinators and professionals; managers and the municipality see
    # counts only, in the results.
    Action.SUPPORT_CARERS: frozenset({Role.COORDINATOR, Role.PROFESSIONAL}),
    Action.POST_HELP: frozenset({Role.COORDINATOR, Role.PROFESSIONAL}),
    # The municipality pays the waarderingen: it gets the list of awards with name, IBAN and amount, nothing else.
    Action.PAY_WAARDERING: frozenset({Role.COORDINATOR, Role.MUNICIPALITY}),
}

NETWORK_WIDE = frozenset({Role.MUNICIPALITY, ADMINISTRATOR})


# --- Actions that depend on the house as well as the role ---------------------------------------------------
# For (action, role): the condition a house must meet for that role to reach it, once as a Q on houses (for
# `houses_for`, inside the one query of a list) and once as a test of one house (for `may`). A house counts as
# self-managed when its management period of today is self-management; a house without a running period counts
# as socially managed, as all houses did before the setting existed.


def _self_managed_q() -> Q:
    return Q(
        Exists(managements_on(timezone.localdate()).filter(house=OuterRef("pk"), management_type=ManagementType.SELF))
    )


def _is_self_managed(house: House) -> bool:
    """From the annotation of `with_current_management` when the caller loaded it (lists: no query per house),
    otherwise one query."""
    if hasattr(house, "current_management_type"):
        return house.current_management_type == ManagementType.SELF
    return managements_on(timezone.localdate()).filter(house=house, management_type=ManagementType.SELF).exists()


def signal_readers_of(house: House) -> str:
    """Who sees the signals of `house`: SignalReaders.COORDINATORS or SignalReaders.PROFESSIONALS. In a house whose
    management of today is self-management always the professionals, whatever the setting: the resident board
    members never read signals about their neighbours, also when a coordinator chose otherwise before the house
    moved to self-management. In social management the setting chooses (by management type: the coordinators)."""
    if _is_self_managed(house):
        return SignalReaders.PROFESSIONALS
    if house.signal_readers == SignalReaders.PROFESSIONALS:
        return SignalReaders.PROFESSIONALS
    return SignalReaders.COORDINATORS


HOUSE_CONDITIONS = {
    (Action.VIEW_SIGNALS, Role.COORDINATOR): (
        lambda: ~Q(signal_readers=SignalReaders.PROFESSIONALS) & ~_self_managed_q(),
        lambda house: signal_readers_of(house) == SignalReaders.COORDINATORS,
    ),
    (Action.VIEW_SIGNALS, Role.PROFESSIONAL): (
        lambda: Q(signal_readers=SignalReaders.PROFESSIONALS) | _self_managed_q(),
        lambda house: signal_readers_of(house) == SignalReaders.PROFESSIONALS,
    ),
    (Action.SET_SIGNAL_READERS, Role.COORDINATOR): (
        lambda: ~_self_managed_q(),
        lambda house: not _is_self_managed(house),
    ),
}


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
    roles = roles_for_house(user, house) & GRANTS[action]
    return any((action, role) not in HOUSE_CONDITIONS or HOUSE_CONDITIONS[action, role][1](house) for role in roles)


def houses_for(user, action: "Action | Reach", queryset: QuerySet[House] | None = None) -> QuerySet[House]:
    """The houses `user` may do `action` to, as a filter on `queryset` (all houses by default)."""
    queryset = House.objects.all() if queryset is None else queryset
    if action == Reach.PUBLIC:  # a house's public pages: every house, for anyone
        return queryset
    grants = grants_of(user)
    allowed = GRANTS[action]
    if grants.network_roles & allowed:
        return queryset
    condition = Q(pk__in=[])
    for role in sorted(allowed - NETWORK_WIDE - {Role.MANAGER}):
        house_ids = [house for house, roles in grants.house_roles.items() if role in roles]
        if house_ids:
            role_condition = Q(pk__in=house_ids)
            if (action, role) in HOUSE_CONDITIONS:
                role_condition &= HOUSE_CONDITIONS[action, role][0]()
            condition |= role_condition
    if Role.MANAGER in allowed and grants.organisation_ids:
        condition |= Q(pk__in=_operated_house_ids(grants.organisation_ids))
    return queryset.filter(condition)


def may_network(user, action: Action) -> bool:
    """May this user do `action` for the network as a whole (network targets, the network's report)? Only the
    roles that reach every house: the municipality and administrators."""
    return bool(grants_of(user).network_roles & GRANTS[action])


def get_house_or_404(user, action: "Action | Reach", queryset: QuerySet[House] | None = None, **lookup) -> House:
    """Fetch a house and check access in one step: the same 404 whether it does not exist or is not yours."""
    try:
        return houses_for(user, action, queryset).get(**lookup)
    except House.DoesNotExist:
        raise Http404 from None


def is_staff_member(user) -> bool:
    return grants_of(user).is_staff_member


# Roles that reach named personal data beyond a first name at the door: they log in with a second factor (TOTP or a
# passkey), enforced for every staff page by `accounts.mfa.SecondFactorMiddleware`. A host only (the door screen)
# needs none: the door shows first names and an initial, nothing more.
SECOND_FACTOR_ROLES = frozenset({Role.COORDINATOR, Role.PROFESSIONAL, Role.MANAGER, Role.MUNICIPALITY, ADMINISTRATOR})


def needs_second_factor(user) -> bool:
    """Must `user` use a second factor? Asked on every request, from the roles of this request."""
    grants = grants_of(user)
    roles = set(grants.network_roles)
    for house_roles in grants.house_roles.values():
        roles |= house_roles
    if grants.organisation_ids:
        roles.add(Role.MANAGER)
    return bool(roles & SECOND_FACTOR_ROLES)


def is_administrator(user) -> bool:
    return ADMINISTRATOR in grants_of(user).network_roles


# --- Fetch and authorise, one helper per entity -------------------------------------------------------------
# Every object reached by id goes through one of these: it is fetched within what `user` may reach for `action`
# in one query, and "does not exist" and "not yours" give the same Http404, so an id leaks nothing. A house
# action reaches the objects of the houses `houses_for(user, action)` gives; `Reach` is access without a role.
# `queryset` narrows further and chooses what is loaded with the object (a selector of the app, such as the
# bookings of one house); the scope of the policy is always added to it. The models are imported inside the
# functions: the apps import this module, and `accounts` stays below them.


class Reach(StrEnum):
    PUBLIC = "public"  # what anyone may see: the public agenda and its sessions, rooms for rent, houses and places
    OWN = "own"  # what is the user's own: their bookings as renter, their registrations, their volunteering


def _fetch_or_404(queryset: QuerySet, lookup: dict):
    try:
        return queryset.get(**lookup)
    except queryset.model.DoesNotExist:
        raise Http404 from None


def _scoped(queryset: QuerySet, user, action: "Action | Reach", *, house: str, own: str | None = None) -> QuerySet:
    """`queryset` narrowed to what `user` reaches for `action`: `house` is the path from the model to its house,
    `own` the path to the user it belongs to (None: nothing of this kind is anyone's own)."""
    if action == Reach.PUBLIC:
        return queryset
    if action == Reach.OWN:
        if own is None or not getattr(user, "is_authenticated", False):
            return queryset.none()
        return queryset.filter(**{own: user})
    if grants_of(user).network_roles & GRANTS[action]:
        return queryset
    return queryset.filter(**{f"{house}__in": houses_for(user, action).values("pk")})


def bookings_for(user, action: "Action | Reach", queryset: QuerySet | None = None) -> QuerySet:
    """Bookings `user` may `action`: of the houses they manage bookings for, or (OWN) the ones they rent."""
    from bookings.models import Booking

    if action == Reach.PUBLIC:
        raise ValueError("Bookings are never public.")
    queryset = Booking.objects.all() if queryset is None else queryset
    return _scoped(queryset, user, action, house="room__place__house", own="renter")


def get_booking_or_404(user, action: "Action | Reach", queryset: QuerySet | None = None, **lookup):
    return _fetch_or_404(bookings_for(user, action, queryset), lookup)


def sessions_for(user, action: "Action | Reach", queryset: QuerySet | None = None) -> QuerySet:
    """Activity sessions: all of them on the public agenda (PUBLIC), or those of the houses reached."""
    from activities.models import Session

    queryset = Session.objects.all() if queryset is None else queryset
    return _scoped(queryset, user, action, house="activity__house")


def get_session_or_404(user, action: "Action | Reach", queryset: QuerySet | None = None, **lookup):
    return _fetch_or_404(sessions_for(user, action, queryset), lookup)


def registrations_for(user, action: "Action | Reach", queryset: QuerySet | None = None) -> QuerySet:
    """Registrations for sessions: a resident's own (OWN), or those of the houses reached (the door)."""
    from activities.models import Registration

    if action == Reach.PUBLIC:
        raise ValueError("Registrations are never public.")
    queryset = Registration.objects.all() if queryset is None else queryset
    return _scoped(queryset, user, action, house="session__activity__house", own="user")


def get_registration_or_404(user, action: "Action | Reach", queryset: QuerySet | None = None, **lookup):
    return _fetch_or_404(registrations_for(user, action, queryset), lookup)


def signals_for(user, action: Action, queryset: QuerySet | None = None) -> QuerySet:
    """Signals of the houses reached; never public and never anyone's own."""
    from activities.models import Signal

    if isinstance(action, Reach):
        raise ValueError("Signals are never public and never anyone's own.")
    queryset = Signal.objects.all() if queryset is None else queryset
    return _scoped(queryset, user, action, house="house")


def get_signal_or_404(user, action: Action, queryset: QuerySet | None = None, **lookup):
    return _fetch_or_404(signals_for(user, action, queryset), lookup)


def rooms_for(user, action: "Action | Reach", queryset: QuerySet | None = None) -> QuerySet:
    """Rooms: the ones for rent (PUBLIC), or every room of the houses reached."""
    from locations.models import Room

    queryset = Room.objects.all() if queryset is None else queryset
    if action == Reach.PUBLIC:
        return queryset.filter(bookable=True)
    return _scoped(queryset, user, action, house="place__house")


def get_room_or_404(user, action: "Action | Reach", queryset: QuerySet | None = None, **lookup):
    return _fetch_or_404(rooms_for(user, action, queryset), lookup)


def places_for(user, action: "Action | Reach", queryset: QuerySet | None = None) -> QuerySet:
    """Places (buildings and buurtplekken): all of them (PUBLIC), or those of the houses reached."""
    from locations.models import Place

    queryset = Place.objects.all() if queryset is None else queryset
    return _scoped(queryset, user, action, house="house")


def get_place_or_404(user, action: "Action | Reach", queryset: QuerySet | None = None, **lookup):
    return _fetch_or_404(places_for(user, action, queryset), lookup)


def volunteers_for(user, action: "Action | Reach", queryset: QuerySet | None = None) -> QuerySet:
    """Volunteers of the houses reached, or (OWN) the user's own volunteering (one per house)."""
    from volunteers.models import Volunteer

    if action == Reach.PUBLIC:
        raise ValueError("Volunteers are never public.")
    queryset = Volunteer.objects.all() if queryset is None else queryset
    return _scoped(queryset, user, action, house="house", own="user")


def get_volunteer_or_404(user, action: "Action | Reach", queryset: QuerySet | None = None, **lookup):
    return _fetch_or_404(volunteers_for(user, action, queryset), lookup)


def shifts_for(user, action: Action, queryset: QuerySet | None = None) -> QuerySet:
    """Shifts of the houses reached (a volunteer's own shifts are reached through their assignments)."""
    from volunteers.models import Shift

    if isinstance(action, Reach):
        raise ValueError("Shifts are reached through a house or through one's assignments.")
    queryset = Shift.objects.all() if queryset is None else queryset
    return _scoped(queryset, user, action, house="house")


def get_shift_or_404(user, action: Action, queryset: QuerySet | None = None, **lookup):
    return _fetch_or_404(shifts_for(user, action, queryset), lookup)


def assignments_for(user, action: "Action | Reach", queryset: QuerySet | None = None) -> QuerySet:
    """Volunteers on shifts: of the houses reached, or (OWN) the user's own."""
    from volunteers.models import ShiftAssignment

    if action == Reach.PUBLIC:
        raise ValueError("Shift assignments are never public.")
    queryset = ShiftAssignment.objects.all() if queryset is None else queryset
    return _scoped(queryset, user, action, house="shift__house", own="volunteer__user")


def get_assignment_or_404(user, action: "Action | Reach", queryset: QuerySet | None = None, **lookup):
    return _fetch_or_404(assignments_for(user, action, queryset), lookup)


def hours_for(user, action: "Action | Reach", queryset: QuerySet | None = None) -> QuerySet:
    """Volunteer hours: of the houses reached, or (OWN) the user's own."""
    from volunteers.models import HoursEntry

    if action == Reach.PUBLIC:
        raise ValueError("Hours are never public.")
    queryset = HoursEntry.objects.all() if queryset is None else queryset
    return _scoped(queryset, user, action, house="volunteer__house", own="volunteer__user")


def get_hours_or_404(user, action: "Action | Reach", queryset: QuerySet | None = None, **lookup):
    return _fetch_or_404(hours_for(user, action, queryset), lookup)


def payments_for(user, action: "Action | Reach", queryset: QuerySet | None = None) -> QuerySet:
    """Allowance payments: of the houses reached, or (OWN) the user's own."""
    from volunteers.models import AllowancePayment

    if action == Reach.PUBLIC:
        raise ValueError("Payments are never public.")
    queryset = AllowancePayment.objects.all() if queryset is None else queryset
    return _scoped(queryset, user, action, house="volunteer__house", own="volunteer__user")


def carers_for(user, action: Action, queryset: QuerySet | None = None) -> QuerySet:
    """Informal carers of the houses reached; never public and never anyone's own (a carer has no account)."""
    from volunteers.models import Carer

    if isinstance(action, Reach):
        raise ValueError("Carers are never public and never anyone's own.")
    queryset = Carer.objects.all() if queryset is None else queryset
    return _scoped(queryset, user, action, house="house")


def get_carer_or_404(user, action: Action, queryset: QuerySet | None = None, **lookup):
    return _fetch_or_404(carers_for(user, action, queryset), lookup)


def waardering_applications_for(user, action: Action, queryset: QuerySet | None = None) -> QuerySet:
    """Mantelzorgwaardering applications of the houses reached."""
    from volunteers.models import WaarderingApplication

    if isinstance(action, Reach):
        raise ValueError("Applications are never public and never anyone's own.")
    queryset = WaarderingApplication.objects.all() if queryset is None else queryset
    return _scoped(queryset, user, action, house="carer__house")


def get_waardering_application_or_404(user, action: Action, queryset: QuerySet | None = None, **lookup):
    return _fetch_or_404(waardering_applications_for(user, action, queryset), lookup)


def help_requests_for(user, action: "Action | Reach", queryset: QuerySet | None = None) -> QuerySet:
    """Burenhulp requests: of the houses reached, or (OWN) the ones the user asked for or posted."""
    from volunteers.models import HelpRequest

    if action == Reach.PUBLIC:
        raise ValueError("Burenhulp requests are never public.")
    queryset = HelpRequest.objects.all() if queryset is None else queryset
    if action == Reach.OWN:
        if not getattr(user, "is_authenticated", False):
            return queryset.none()
        return queryset.filter(Q(requester=user) | Q(posted_by=user))
    return _scoped(queryset, user, action, house="house")


def get_help_request_or_404(user, action: "Action | Reach", queryset: QuerySet | None = None, **lookup):
    return _fetch_or_404(help_requests_for(user, action, queryset), lookup)


# --- the door's tap endpoint: the same answer inside the caller's one query --------------------------------


def may_sql(action: Action, *, user_id: int, house_id_sql: str) -> tuple[str, list]:
    """`may`, as an SQL condition with its parameters, for the user with id `user_id` and the house whose id is
    `house_id_sql` (a column of the caller's query): true when the user is active and a role in GRANTS reaches
    that house, by the same scopes as above. For the door's tap endpoint, the hottest path, which asks it on
    every request inside the one query that also fetches what the taps are checked against; nothing keeps the
    answer, so a removed role stops working on the next request."""
    quote = connection.ops.quote_name
    users, roles = quote(get_user_model()._meta.db_table), quote(RoleAssignment._meta.db_table)
    managements = quote(HouseManagement._meta.db_table)
    allowed = GRANTS[action]

    def any_of(values) -> str:
        return ", ".join(["%s"] * len(values))

    parts, params = [], []
    house_roles = sorted(str(role) for role in allowed - NETWORK_WIDE - {Role.MANAGER})
    plain_roles = [role for role in house_roles if (action, role) not in HOUSE_CONDITIONS]
    if plain_roles:
        parts.append(
            f"EXISTS (SELECT 1 FROM {roles} WHERE {roles}.user_id = %s AND {roles}.house_id = {house_id_sql} "
            f"AND {roles}.role IN ({any_of(plain_roles)}))"
        )
        params += [user_id, *plain_roles]
    for role in house_roles:
        if (action, role) in HOUSE_CONDITIONS:  # the house's own condition, as `houses_for` builds it
            houses_sql, houses_params = (
                House.objects.filter(HOUSE_CONDITIONS[action, role][0]()).values("pk").query.sql_with_params()
            )
            parts.append(
                f"(EXISTS (SELECT 1 FROM {roles} WHERE {roles}.user_id = %s AND {roles}.house_id = {house_id_sql} "
                f"AND {roles}.role = %s) AND {house_id_sql} IN ({houses_sql}))"
            )
            params += [user_id, role, *houses_params]
    network_roles = sorted(str(role) for role in allowed & NETWORK_WIDE - {ADMINISTRATOR})
    if network_roles:
        parts.append(
            f"EXISTS (SELECT 1 FROM {roles} WHERE {roles}.user_id = %s AND {roles}.role IN ({any_of(network_roles)}))"
        )
        params += [user_id, *network_roles]
    if ADMINISTRATOR in allowed:
        parts.append(f"EXISTS (SELECT 1 FROM {users} WHERE {users}.id = %s AND {users}.is_superuser)")
        params.append(user_id)
    if Role.MANAGER in allowed:  # as managements_on(today): the houses the user's organisations operate
        today = timezone.localdate()
        parts.append(
            f"{house_id_sql} IN (SELECT {managements}.house_id FROM {managements} WHERE {managements}.valid_from <= %s "
            f"AND ({managements}.valid_until IS NULL OR {managements}.valid_until > %s) AND {managements}.operator_id "
            f"IN (SELECT {roles}.organisation_id FROM {roles} WHERE {roles}.user_id = %s AND {roles}.role = %s))"
        )
        params += [today, today, user_id, str(Role.MANAGER)]
    active = f"EXISTS (SELECT 1 FROM {users} WHERE {users}.id = %s AND {users}.is_active)"
    return f"({active} AND ({' OR '.join(parts) or '1 = 0'}))", [user_id, *params]
