import pytest
from django.db import transaction
from playwright.sync_api import expect

from audit.services import event_record
from tests.factories import PASSWORD, HouseFactory, RoleAssignmentFactory, pass_second_factor

from .conftest import assert_accessible

pytestmark = pytest.mark.django_db(transaction=True)


def test_coordinator_reads_and_filters_the_house_history(page, live_server):
    house = HouseFactory(name="Huis van de Wijk Het Klooster", slug="het-klooster")
    coordinator = RoleAssignmentFactory(role="coordinator", house=house).user
    with transaction.atomic():
        event_record(by=coordinator, action="booking.approve", house=house, label="Grote zaal 10:00")
        event_record(by=coordinator, action="session.cancel", house=house, label="Sjoelen", changes={"reason": "Ziek"})
    page.goto(live_server.url + "/accounts/login/")
    page.get_by_label("E-mailadres").fill(coordinator.email)
    page.get_by_label("Wachtwoord").fill(PASSWORD)
    page.get_by_role("button", name="Inloggen").click()
    pass_second_factor(page)
    page.get_by_role("link", name="Geschiedenis").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Geschiedenis van Huis van de Wijk Het Klooster")
    expect(page.get_by_role("cell", name="Grote zaal 10:00")).to_be_visible()
    assert_accessible(page)

    page.get_by_label("Actie").select_option("session.cancel")
    page.get_by_role("button", name="Geschiedenis tonen").click()
    expect(page.get_by_role("cell", name="Sjoelen")).to_be_visible()
    expect(page.get_by_role("cell", name="Grote zaal 10:00")).to_have_count(0)
    assert_accessible(page)
