import datetime as dt

import pytest
from django.contrib.auth.models import AnonymousUser
from django.http import Http404

from accounts import policy
from accounts.models import Role
from accounts.policy import Action
from audit.services import SYSTEM
from locations.models import ManagementType
from locations.services import house_management_change
from tests.factories import HouseFactory, OrganisationFactory, RoleAssignmentFactory

# Which roles may do what to their own house; nobody may do anything to a house outside their scope.
EXPECTED = {
    "host": {Action.VIEW_STAFF, Action.LOG_DOOR, Action.RECORD_SIGNAL, Action.CONFIRM_SHIFTS},
    "coordinator": set(Action) - {Action.SET_TARGETS},
    # A social worker at the house: informal carers and burenhulp on someone's behalf, nothing else.
    "professional": {Action.VIEW_STAFF, Action.SUPPORT_CARERS, Action.POST_HELP},
    "manager": {Action.VIEW_STAFF, Action.VIEW_RESULTS, Action.VIEW_VOLUNTEERS},
    # The municipality sees counts, and the payment list of the waarderingen it pays.
    "municipality": {Action.VIEW_STAFF, Action.VIEW_RESULTS, Action.SET_TARGETS, Action.PAY_WAARDERING},
    # Administrators run the network, not the door: they do not count visitors nor read signals.
    "administrator": {
        Action.VIEW_STAFF,
        Action.MANAGE,
        Action.MANAGE_PROGRAMME,
        Action.MANAGE_BOOKINGS,
        Action.VIEW_HISTORY,
        Action.VIEW_RESULTS,
        Action.SET_TARGETS,
        Action.VIEW_VOLUNTEERS,
        Action.SET_SIGNAL_READERS,
    },
    "resident": set(),
}
NETWORK_WIDE = {"municipality", "administrator"}


@pytest.mark.parametrize("person", sorted(EXPECTED))
@pytest.mark.parametrize("action", list(Action))
def test_may_on_own_and_other_house(request, person, action, house, other_house):
    user = request.getfixturevalue(person)
    allowed = action in EXPECTED[person]
    assert policy.may(user, action, house) is allowed
    assert policy.may(user, action, other_house) is (allowed and person in NETWORK_WIDE)


@pytest.mark.parametrize("person", sorted(EXPECTED))
@pytest.mark.parametrize("action", list(Action))
def test_houses_for_matches_may(request, person, action, house, other_house):
    user = request.getfixturevalue(person)
    visible = set(policy.houses_for(user, action))
    assert visible == {h for h in (house, other_house) if policy.may(user, action, h)}


def test_anonymous_sees_no_staff_side(house):
    anonymous = AnonymousUser()
    assert not policy.may(anonymous, Action.VIEW_STAFF, house)
    assert not policy.houses_for(anonymous, Action.VIEW_STAFF).exists()


def test_inactive_user_loses_every_role(coordinator, house):
    coordinator.is_active = False
    assert not policy.may(coordinator, Action.VIEW_STAFF, house)


def test_get_house_or_404_same_answer_for_missing_and_forbidden(coordinator, house, other_house):
    assert policy.get_house_or_404(coordinator, Action.MANAGE, pk=house.pk) == house
    with pytest.raises(Http404):
        policy.get_house_or_404(coordinator, Action.MANAGE, pk=other_house.pk)
    with pytest.raises(Http404):
        policy.get_house_or_404(coordinator, Action.MANAGE, pk=987654)


def test_manager_sees_every_house_the_organisation_runs(db):
    operator = OrganisationFactory()
    first, second = HouseFactory(management__operator=operator), HouseFactory(management__operator=operator)
    elsewhere = HouseFactory()
    manager = RoleAssignmentFactory(role=Role.MANAGER, house=None, organisation=operator).user
    assert set(policy.houses_for(manager, Action.VIEW_STAFF)) == {first, second}
    assert not policy.may(manager, Action.VIEW_STAFF, elsewhere)


def test_manager_scope_follows_the_current_operator(manager, house):
    """When a house moves to zelfbeheer under a residents' foundation, the welfare manager no longer sees it."""
    foundation = OrganisationFactory(kind="residents_foundation")
    assert policy.may(manager, Action.VIEW_STAFF, house)
    house_management_change(
        house=house, management_type=ManagementType.SELF, operator=foundation, starts_on=dt.date(2020, 1, 1), by=SYSTEM
    )
    manager = type(manager).objects.get(pk=manager.pk)  # a new request: grants are loaded again
    assert not policy.may(manager, Action.VIEW_STAFF, house)
    board_member = RoleAssignmentFactory(role=Role.MANAGER, house=None, organisation=foundation).user
    assert policy.may(board_member, Action.VIEW_STAFF, house)


def test_self_managed_house_coordinator_is_a_resident_with_the_coordinator_role(db):
    """Nothing assumes a professional: a residents' board member holds the coordinator role of their house."""
    foundation = OrganisationFactory(kind="residents_foundation")
    house = HouseFactory(management__operator=foundation, management__management_type=ManagementType.SELF)
    board_member = RoleAssignmentFactory(role=Role.COORDINATOR, house=house).user
    assert policy.may(board_member, Action.MANAGE, house)


def test_grants_are_loaded_once_per_user_object(coordinator, house, other_house, django_assert_num_queries):
    with django_assert_num_queries(1):
        policy.may(coordinator, Action.VIEW_STAFF, house)
        policy.may(coordinator, Action.VIEW_STAFF, other_house)
        policy.may(coordinator, Action.MANAGE, house)


@pytest.mark.parametrize(
    ("role", "scope", "field"),
    [
        (Role.HOST, {}, "house"),
        (Role.COORDINATOR, {"house": True, "organisation": True}, "organisation"),
        (Role.MANAGER, {}, "organisation"),
        (Role.MANAGER, {"house": True, "organisation": True}, "house"),
        (Role.MUNICIPALITY, {"house": True}, "house"),
        (Role.MUNICIPALITY, {"organisation": True}, "organisation"),  # a welfare organisation is no municipality
    ],
)
def test_a_role_must_fit_its_scope(house, role, scope, field):
    from django.core.exceptions import ValidationError

    from accounts.models import RoleAssignment
    from tests.factories import UserFactory

    assignment = RoleAssignment(
        user=UserFactory(),
        role=role,
        house=house if scope.get("house") else None,
        organisation=OrganisationFactory() if scope.get("organisation") else None,
    )
    with pytest.raises(ValidationError) as error:
        assignment.full_clean()
    assert field in error.value.message_dict


# --- may_sql: the same answer, decided inside the caller's query --------------------------------------------


def may_in_sql(user, action, house) -> bool:
    from django.db import connection

    condition, params = policy.may_sql(action, user_id=user.pk, house_id_sql="locations_house.id")
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT locations_house.id FROM locations_house WHERE id = %s AND {condition}", [house.pk, *params]
        )
        return cursor.fetchone() is not None


@pytest.mark.parametrize("person", sorted(EXPECTED))
@pytest.mark.parametrize("action", list(Action))
def test_may_sql_matches_may(request, person, action, house, other_house):
    user = request.getfixturevalue(person)
    for target in (house, other_house):
        assert may_in_sql(user, action, target) is policy.may(user, action, target)


def test_may_sql_keeps_nothing_between_questions(coordinator, house):
    assert may_in_sql(coordinator, Action.LOG_DOOR, house)
    coordinator.role_assignments.all().delete()
    assert not may_in_sql(coordinator, Action.LOG_DOOR, house)


def test_may_sql_refuses_inactive_users(coordinator, house):
    coordinator.is_active = False
    coordinator.save(update_fields=["is_active"])
    assert not may_in_sql(coordinator, Action.VIEW_STAFF, house)


def test_may_sql_follows_the_current_operator(manager, house, other_house):
    assert may_in_sql(manager, Action.VIEW_STAFF, house) and not may_in_sql(manager, Action.VIEW_STAFF, other_house)
    house_management_change(
        house=house,
        management_type=ManagementType.SELF,
        operator=OrganisationFactory(kind="residents_foundation"),
        starts_on=dt.date(2020, 1, 1),
        by=SYSTEM,
    )
    assert not may_in_sql(manager, Action.VIEW_STAFF, house)


@pytest.mark.parametrize(
    ("person", "expected"),
    [
        ("municipality", {Action.VIEW_RESULTS, Action.SET_TARGETS, Action.VIEW_STAFF}),
        ("administrator", {Action.VIEW_RESULTS, Action.SET_TARGETS, Action.VIEW_STAFF, Action.MANAGE}),
        ("manager", set()),
        ("coordinator", set()),
        ("host", set()),
        ("resident", set()),
    ],
)
def test_may_network_only_for_the_roles_that_reach_every_house(request, person, expected):
    user = request.getfixturevalue(person)
    for action in (Action.VIEW_RESULTS, Action.SET_TARGETS, Action.VIEW_STAFF, Action.MANAGE):
        assert policy.may_network(user, action) is (action in expected)
