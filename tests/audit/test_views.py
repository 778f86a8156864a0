"""A house's history: its coordinators and administrators see it, nobody else; newest first, filtered by action,
paged, and its cost does not grow with the number of events; the people it names are recorded in the access log;
the events about signals only for those who may see the house's signals."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from accounts import policy
from accounts.models import Role
from accounts.policy import Action
from audit.models import Event
from audit.services import SCHEDULE, SYSTEM
from locations.models import ManagementType
from privacy.models import AccessRecord
from tests.factories import HouseFactory, OrganisationFactory, RoleAssignmentFactory, UserFactory


def history_url(house, **query):
    url = reverse("audit:house_history", args=[house.slug])
    return url + ("?" + "&".join(f"{key}={value}" for key, value in query.items()) if query else "")


def record(house, action="session.cancel", by=SYSTEM, label="Koffieochtend", minutes_ago=0, object_type="", **changes):
    """An event at a chosen moment (events are never updated afterwards, so the moment is set at insert)."""
    actor = None if by in (SYSTEM, SCHEDULE) else by
    kind = by.kind if actor is None else "user"
    return Event.objects.create(
        at=timezone.now() - dt.timedelta(minutes=minutes_ago),
        actor=actor,
        actor_kind=kind,
        action=action,
        house=house,
        object_type=object_type,
        object_label=label,
        changes=changes,
    )


@pytest.fixture
def as_coordinator(client, coordinator):
    client.force_login(coordinator)
    return client


def test_the_coordinator_sees_the_house_history_newest_first_in_dutch(as_coordinator, house, coordinator, other_house):
    record(
        house,
        "booking.approve",
        by=coordinator,
        label="Zaal 1 oud",
        minutes_ago=60,
        object_type="bookings.booking",
        status=["requested", "approved"],
        party=[False, True],
        weeks=[1, 2],
    )
    record(house, "session.cancel", by=SCHEDULE, label="Sjoelen nieuw", minutes_ago=1)
    record(other_house, "session.cancel", label="Elders")
    response = as_coordinator.get(history_url(house))
    assert response.status_code == 200
    page = response.content.decode()
    assert "Geschiedenis van Huis van de Wijk Het Klooster" in page
    assert page.index("Sjoelen nieuw") < page.index("Zaal 1 oud")
    assert "Boeking goedgekeurd" in page and "Bijeenkomst afgelast" in page
    # fields by their Dutch names, choices by their Dutch labels; what is no field is named as it was recorded
    assert "status: aangevraagd → goedgekeurd" in page
    assert "party: nee → ja" in page
    assert "weeks: 1 → 2" in page
    assert "Planning (automatische taak)" in page
    assert coordinator.get_full_name() in page
    assert "Elders" not in page


def test_an_activity_event_names_its_fields_and_its_sessions(as_coordinator, house):
    record(
        house,
        "activity.create",
        object_type="activities.activity",
        title=[None, "Sjoelen"],
        sessions=[None, 21],  # a reverse relation of the model, not a field of it
    )
    page = as_coordinator.get(history_url(house)).content.decode()
    assert "titel: Sjoelen" in page and "sessions: 21" in page


def test_the_history_filters_by_action(as_coordinator, house):
    record(house, "booking.approve", label="Goedgekeurd")
    record(house, "session.cancel", label="Afgelast")
    page = as_coordinator.get(history_url(house, action="booking.approve")).content.decode()
    assert "Goedgekeurd" in page and "Afgelast" not in page
    response = as_coordinator.get(history_url(house, action="nonsense"))
    assert response.status_code == 200  # a made-up action shows the form error, never a 500


def test_the_start_page_links_to_the_history(as_coordinator, house):
    assert history_url(house) in as_coordinator.get(reverse("start")).content.decode()


@pytest.mark.parametrize("person", ["host", "manager", "municipality", "resident", "other_house_coordinator"])
def test_others_get_404(client, request, house, person):
    client.force_login(request.getfixturevalue(person))
    assert client.get(history_url(house)).status_code == 404


def test_a_house_that_does_not_exist_gives_the_same_404(as_coordinator):
    assert as_coordinator.get("/beheer/huizen/bestaat-niet/geschiedenis/").status_code == 404


def test_anonymous_visitors_are_sent_to_log_in(client, house):
    response = client.get(history_url(house))
    assert response.status_code == 302 and reverse("account_login") in response["Location"]


def test_an_administrator_sees_any_house(client, administrator, other_house):
    record(other_house, label="Ergens anders")
    client.force_login(administrator)
    assert "Ergens anders" in client.get(history_url(other_house)).content.decode()


def test_the_page_costs_the_same_for_1_and_50_events(as_coordinator, house, coordinator):
    def queries():
        with CaptureQueriesContext(connection) as captured:
            assert as_coordinator.get(history_url(house)).status_code == 200
        return len(captured)

    record(house, "booking.approve", by=coordinator)
    one = queries()
    for _ in range(49):
        record(house, "booking.approve", by=coordinator)
    assert queries() == one


def test_the_history_is_paged(as_coordinator, house):
    for number in range(51):
        record(house, label=f"Bijeenkomst {number:02d}", minutes_ago=number)
    first = as_coordinator.get(history_url(house)).content.decode()
    assert "Bijeenkomst 00" in first and "Bijeenkomst 50" not in first
    assert "Bijeenkomst 50" in as_coordinator.get(history_url(house, page=2)).content.decode()


def test_the_page_costs_the_same_for_1_and_50_people_shown(as_coordinator, house):
    def queries():
        with CaptureQueriesContext(connection) as captured:
            assert as_coordinator.get(history_url(house)).status_code == 200
        return len(captured)

    record(house, "booking.request", by=UserFactory())
    one = queries()
    for _ in range(49):
        record(house, "booking.request", by=UserFactory())
    assert queries() == one
    assert AccessRecord.objects.filter(via="audit:house_history").count() == 1 + 50


# --- signals: only for those who may see the house's signals ------------------------------------------------------


@pytest.fixture
def self_house(db):
    foundation = OrganisationFactory(kind="residents_foundation")
    return HouseFactory(
        name="Huis van de Wijk De Esch",
        slug="de-esch",
        management__operator=foundation,
        management__management_type=ManagementType.SELF,
    )


def _with_signals(house):
    record(house, "signal.record", label="Signaal geld")
    record(house, "signal.follow_up", label="Signaal opvolging")
    record(house, "session.cancel", label="Sjoelen")


def _shown(client, house, **query):
    response = client.get(history_url(house, **query))
    assert response.status_code == 200
    return {event.object_label for event in response.context["page"].object_list}


def test_a_coordinator_of_a_self_managed_house_does_not_see_its_signals(client, self_house):
    _with_signals(self_house)
    coordinator = RoleAssignmentFactory(role=Role.COORDINATOR, house=self_house).user
    assert not policy.may(coordinator, Action.VIEW_SIGNALS, self_house)
    client.force_login(coordinator)
    assert _shown(client, self_house) == {"Sjoelen"}
    assert _shown(client, self_house, action="signal.record") == set()
    page = client.get(history_url(self_house)).content.decode()
    assert "Signaal geld" not in page and "Signaal opvolging" not in page


def test_only_those_who_may_see_signals_see_them_in_the_history(client, house, coordinator, self_house, administrator):
    _with_signals(house)
    _with_signals(self_house)
    client.force_login(coordinator)  # social management: the coordinator reads the signals
    assert _shown(client, house) == {"Signaal geld", "Signaal opvolging", "Sjoelen"}
    client.force_login(administrator)  # the administrators are not among a house's signal readers either
    assert not policy.may(administrator, Action.VIEW_SIGNALS, self_house)
    assert _shown(client, self_house) == {"Sjoelen"}


def test_the_signal_check_is_one_decision_per_page(client, self_house):
    coordinator = RoleAssignmentFactory(role=Role.COORDINATOR, house=self_house).user
    client.force_login(coordinator)

    def queries():
        with CaptureQueriesContext(connection) as captured:
            assert client.get(history_url(self_house)).status_code == 200
        return len(captured)

    record(self_house, "signal.record")
    record(self_house, "session.cancel")
    one = queries()
    for _ in range(30):
        record(self_house, "signal.record")
        record(self_house, "session.cancel")
    assert queries() == one
