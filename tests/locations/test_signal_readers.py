"""Who sees signals is named per house (issue 11, "Signals in zelfbeheer"): by default the coordinators in social
management and, in a self-managed house, the professionals of the wijkteam assigned to it, not the resident board
members. The policy decides it for every page; the setting is changed through one audited service."""

import datetime as dt

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from accounts import policy
from accounts.models import Role
from accounts.policy import Action
from activities.models import Signal
from audit.models import Event
from audit.services import SYSTEM
from locations.models import House, ManagementType, SignalReaders
from locations.services import house_management_change, house_signal_readers_set
from tests.factories import HouseFactory, OrganisationFactory, RoleAssignmentFactory, SignalFactory, UserFactory

pytestmark = pytest.mark.date_sensitive

PEOPLE = ["coordinator", "professional", "host", "manager", "municipality", "administrator", "resident"]


@pytest.fixture
def self_house(db):
    foundation = OrganisationFactory(kind="residents_foundation")
    return HouseFactory(
        name="Huis van de Wijk De Esch",
        slug="de-esch",
        management__operator=foundation,
        management__management_type=ManagementType.SELF,
    )


@pytest.fixture
def people(request):
    """The same roles at a house, made on request for the house the test names."""

    def at(house):
        operator = house.managements.get().operator
        return {
            "coordinator": RoleAssignmentFactory(role=Role.COORDINATOR, house=house).user,
            "professional": RoleAssignmentFactory(role=Role.PROFESSIONAL, house=house).user,
            "host": RoleAssignmentFactory(role=Role.HOST, house=house).user,
            "manager": RoleAssignmentFactory(role=Role.MANAGER, house=None, organisation=operator).user,
            "municipality": RoleAssignmentFactory(role=Role.MUNICIPALITY, house=None).user,
            "administrator": UserFactory(is_staff=True, is_superuser=True, second_factor=True),
            "resident": UserFactory(),
        }

    return at


SEES_IN_SOCIAL = {"coordinator"}
SEES_IN_SELF = {"professional"}


def signal_list(house):
    return reverse("activities:signal_list", kwargs={"house_slug": house.slug})


@pytest.mark.parametrize("kind", ["social", "self"])
def test_who_sees_the_signal_list_per_kind_of_house(english, people, house, self_house, kind):
    target = house if kind == "social" else self_house
    signal = SignalFactory(house=target)
    sees = SEES_IN_SOCIAL if kind == "social" else SEES_IN_SELF
    for person, user in people(target).items():
        english.force_login(user)
        response = english.get(signal_list(target))
        assert response.status_code == (200 if person in sees else 404), person
        follow_up = english.post(
            reverse("activities:signal_follow_up", kwargs={"house_slug": target.slug, "signal_id": signal.pk}),
            {"follow_up": "done"},
        )
        assert follow_up.status_code == (302 if person in sees else 404), person
        assert policy.may(user, Action.VIEW_SIGNALS, target) is (person in sees)
        assert set(policy.houses_for(user, Action.VIEW_SIGNALS)) == ({target} if person in sees else set())
        assert set(policy.signals_for(user, Action.VIEW_SIGNALS)) == ({signal} if person in sees else set())


def test_the_professional_reads_what_the_house_noted(english, people, self_house):
    SignalFactory(house=self_house, theme="money")
    english.force_login(people(self_house)["professional"])
    page = english.get(signal_list(self_house)).content.decode()
    assert "Only the professionals of the social wijkteam assigned to this house see these signals" in page
    assert "Change who sees the signals" not in page  # a professional does not name the readers


@pytest.mark.parametrize("kind", ["social", "self"])
def test_hosts_and_coordinators_record_signals_in_both_kinds_of_house(english, people, house, self_house, kind):
    target = house if kind == "social" else self_house
    users = people(target)
    for person in ("host", "coordinator"):
        english.force_login(users[person])
        response = english.post(
            reverse("activities:signal_create", kwargs={"house_slug": target.slug}),
            {
                "date": timezone.localdate().isoformat(),
                "theme": "money",
                "referred_to": "team",
                "consent": "on",
                "follow_up": "open",
            },
        )
        assert response.status_code == 302, person
    assert Signal.objects.filter(house=target).count() == 2
    english.force_login(users["professional"])
    assert english.get(reverse("activities:signal_create", kwargs={"house_slug": target.slug})).status_code == 404


def test_the_setting_chooses_in_social_management_only(people, house, self_house):
    social_people, self_people = people(house), people(self_house)
    house_signal_readers_set(house=house, signal_readers=SignalReaders.PROFESSIONALS, by=SYSTEM)
    house_signal_readers_set(house=self_house, signal_readers=SignalReaders.COORDINATORS, by=SYSTEM)
    house.refresh_from_db()
    self_house.refresh_from_db()
    assert policy.may(social_people["professional"], Action.VIEW_SIGNALS, house)
    assert not policy.may(social_people["coordinator"], Action.VIEW_SIGNALS, house)
    # In self-management the professionals read the signals whatever the setting says.
    assert policy.signal_readers_of(self_house) == SignalReaders.PROFESSIONALS
    assert not policy.may(self_people["coordinator"], Action.VIEW_SIGNALS, self_house)
    assert policy.may(self_people["professional"], Action.VIEW_SIGNALS, self_house)
    assert set(policy.houses_for(self_people["coordinator"], Action.VIEW_SIGNALS)) == set()
    assert set(policy.houses_for(self_people["professional"], Action.VIEW_SIGNALS)) == {self_house}


def _fresh(user):
    return type(user).objects.get(pk=user.pk)  # a new request: grants loaded again


def test_coordinators_chosen_in_social_management_do_not_survive_a_move_to_self_management(english, people, house):
    """A coordinator chose "coordinators" while the house was socially managed; a change to self-management scheduled
    ahead takes effect later: from that day the board members who coordinate do not read the signals any more."""
    users = people(house)
    signal = SignalFactory(house=house)
    starts_on = timezone.localdate() + dt.timedelta(days=7)
    house_signal_readers_set(house=house, signal_readers=SignalReaders.COORDINATORS, by=users["coordinator"])
    house_management_change(
        house=house,
        management_type=ManagementType.SELF,
        operator=OrganisationFactory(kind="residents_foundation"),
        starts_on=starts_on,
        by=SYSTEM,
    )
    house.refresh_from_db()
    assert policy.may(_fresh(users["coordinator"]), Action.VIEW_SIGNALS, house)  # still social today
    assert not policy.may(_fresh(users["professional"]), Action.VIEW_SIGNALS, house)
    with time_machine.travel(
        dt.datetime.combine(starts_on, dt.time(9), tzinfo=timezone.get_current_timezone()), tick=False
    ):
        coordinator, professional = _fresh(users["coordinator"]), _fresh(users["professional"])
        assert house.signal_readers == SignalReaders.COORDINATORS  # the stored choice is kept ...
        assert policy.signal_readers_of(house) == SignalReaders.PROFESSIONALS  # ... but does not count
        assert not policy.may(coordinator, Action.VIEW_SIGNALS, house)
        assert set(policy.houses_for(coordinator, Action.VIEW_SIGNALS)) == set()
        assert set(policy.signals_for(coordinator, Action.VIEW_SIGNALS)) == set()
        assert policy.may(professional, Action.VIEW_SIGNALS, house)
        assert set(policy.signals_for(professional, Action.VIEW_SIGNALS)) == {signal}
        english.force_login(coordinator)
        assert english.get(signal_list(house)).status_code == 404
        english.force_login(professional)
        assert english.get(signal_list(house)).status_code == 200


def test_the_settings_page_says_the_choice_counts_in_social_management_only(english, people, house):
    english.force_login(people(house)["coordinator"])
    page = english.get(settings_page(house)).content.decode()
    assert "This choice counts only while the house is in social management." in page


def test_a_house_that_moves_to_self_management_moves_its_signals_to_the_wijkteam(people, house):
    users = people(house)
    assert policy.may(users["coordinator"], Action.VIEW_SIGNALS, house)
    house_management_change(
        house=house,
        management_type=ManagementType.SELF,
        operator=OrganisationFactory(kind="residents_foundation"),
        starts_on=dt.date(2026, 1, 1),
        by=SYSTEM,
    )
    coordinator = type(users["coordinator"]).objects.get(pk=users["coordinator"].pk)  # a new request
    professional = type(users["professional"]).objects.get(pk=users["professional"].pk)
    assert not policy.may(coordinator, Action.VIEW_SIGNALS, house)
    assert policy.may(professional, Action.VIEW_SIGNALS, house)


@pytest.mark.parametrize("readers", list(SignalReaders))
@pytest.mark.parametrize("person", PEOPLE)
def test_every_answer_agrees_may_houses_for_and_may_sql(people, house, self_house, readers, person):
    """The same question asked three ways gives one answer, for both kinds of house and every setting."""
    from tests.accounts.test_policy import may_in_sql

    for target in (house, self_house):
        House.objects.filter(pk=target.pk).update(signal_readers=readers)
    social_user, self_user = people(house)[person], people(self_house)[person]
    for user in (social_user, self_user):
        for action in (Action.VIEW_SIGNALS, Action.SET_SIGNAL_READERS):
            fresh = {target.pk: House.objects.get(pk=target.pk) for target in (house, self_house)}
            reached = set(policy.houses_for(user, action))
            for target in fresh.values():
                assert (target in reached) is policy.may(user, action, target)
                assert may_in_sql(user, action, target) is policy.may(user, action, target)


def test_the_start_page_shows_the_signals_link_to_those_who_read_them_without_a_query_per_house(english, db):
    professional = UserFactory()
    houses = []
    for count in (1, 5):
        while len(houses) < count:
            houses.append(
                HouseFactory(
                    management__operator=OrganisationFactory(kind="residents_foundation"),
                    management__management_type=ManagementType.SELF,
                )
            )
            RoleAssignmentFactory(role=Role.PROFESSIONAL, house=houses[-1], user=professional)
        professional = type(professional).objects.get(pk=professional.pk)
        english.force_login(professional)
        with CaptureQueriesContext(connection) as queries:
            response = english.get(reverse("start"))
        assert response.status_code == 200
        assert response.content.decode().count(">Signals<") == count
        if count == 1:
            one_house = len(queries)
    assert len(queries) == one_house


# --- changing the setting -----------------------------------------------------------------------------------


def test_the_service_changes_it_and_records_who_did(house, coordinator):
    assert house_signal_readers_set(house=house, signal_readers=SignalReaders.PROFESSIONALS, by=coordinator)
    house.refresh_from_db()
    assert house.signal_readers == SignalReaders.PROFESSIONALS
    event = Event.objects.get(action="house.signal_readers")
    assert (event.actor, event.house) == (coordinator, house)
    assert event.changes == {"signal_readers": ["by_management", "professionals"]}
    # The same choice again changes nothing and records nothing.
    assert not house_signal_readers_set(house=house, signal_readers=SignalReaders.PROFESSIONALS, by=coordinator)
    assert Event.objects.filter(action="house.signal_readers").count() == 1


@pytest.mark.parametrize("value", ["everyone", "", "coordinators\x00", "x" * 10_000])
def test_the_service_refuses_an_unknown_choice(house, coordinator, value):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError):
        house_signal_readers_set(house=house, signal_readers=value, by=coordinator)
    house.refresh_from_db()
    assert house.signal_readers == SignalReaders.BY_MANAGEMENT
    assert not Event.objects.filter(action="house.signal_readers").exists()


def settings_page(house):
    return reverse("locations:house_signal_readers", kwargs={"slug": house.slug})


def test_the_coordinator_in_social_management_changes_it_on_the_house_page(english, people, house):
    english.force_login(people(house)["coordinator"])
    page = english.get(settings_page(house))
    assert page.status_code == 200
    assert "Only the coordinators of this house see signals about neighbours" in page.content.decode()
    response = english.post(settings_page(house), {"signal_readers": "professionals"})
    assert response.status_code == 302
    house.refresh_from_db()
    assert house.signal_readers == SignalReaders.PROFESSIONALS
    assert Event.objects.filter(action="house.signal_readers", house=house).count() == 1
    page = english.get(settings_page(house)).content.decode()
    assert "Only the professional of the social wijkteam sees signals" in page
    assert "1 professional is assigned to this house." in page


@pytest.mark.parametrize(
    "data",
    [{}, {"signal_readers": "everyone"}, {"signal_readers": "coordinators\x00"}, {"signal_readers": "x" * 10_000}],
)
def test_bad_input_gives_a_dutch_error_and_saves_nothing(client, coordinator, house, data):
    client.force_login(coordinator)
    response = client.post(settings_page(house), data)
    assert response.status_code == 400
    assert "Kies wie de signalen ziet" in response.content.decode()
    house.refresh_from_db()
    assert house.signal_readers == SignalReaders.BY_MANAGEMENT
    assert not Event.objects.exists()


@pytest.mark.parametrize("kind", ["social", "self"])
def test_who_may_change_it(english, people, house, self_house, kind):
    target = house if kind == "social" else self_house
    may_change = {"administrator", "coordinator"} if kind == "social" else {"administrator"}
    for person, user in people(target).items():
        english.force_login(user)
        assert english.get(settings_page(target)).status_code == (200 if person in may_change else 404), person
        response = english.post(settings_page(target), {"signal_readers": "coordinators"})
        assert response.status_code == (302 if person in may_change else 404), person
    target.refresh_from_db()
    assert target.signal_readers == SignalReaders.COORDINATORS


def test_the_admin_action_goes_through_the_service(client, self_house):
    admin = UserFactory(is_staff=True, is_superuser=True, second_factor=True)
    client.force_login(admin)
    response = client.post(
        reverse("admin:locations_house_changelist"),
        {
            "action": "change_signal_readers",
            "_selected_action": [self_house.pk],
            "apply": "1",
            "signal_readers": "coordinators",
        },
    )
    assert response.status_code == 302
    self_house.refresh_from_db()
    assert self_house.signal_readers == SignalReaders.COORDINATORS
    assert Event.objects.get(action="house.signal_readers").actor == admin


def test_the_admin_change_form_does_not_change_it_behind_the_service(client, self_house):
    admin = UserFactory(is_staff=True, is_superuser=True, second_factor=True)
    client.force_login(admin)
    page = client.get(reverse("admin:locations_house_change", args=[self_house.pk])).content.decode()
    assert 'name="signal_readers"' not in page


# --- the public page ----------------------------------------------------------------------------------------


def test_the_public_page_tells_residents_who_sees_signals_in_dutch(client, house, self_house):
    social = client.get(reverse("locations:house_detail", kwargs={"slug": house.slug})).content.decode()
    assert "Wie ziet signalen?" in social
    assert "Alleen de coördinatoren van dit huis zien signalen over buren" in social
    self_page = client.get(reverse("locations:house_detail", kwargs={"slug": self_house.slug})).content.decode()
    assert "Alleen de beroepskracht van het sociaal wijkteam ziet signalen over buren" in self_page
    assert "De bewoners in het bestuur van dit huis zien ze niet." in self_page
    assert "In een signaal staat nooit een naam." in self_page
    assert "Wijzig wie de signalen ziet" not in self_page  # only for those who may


def test_the_public_page_links_the_setting_for_the_coordinator(client, coordinator, house):
    client.force_login(coordinator)
    page = client.get(reverse("locations:house_detail", kwargs={"slug": house.slug})).content.decode()
    assert settings_page(house) in page
