"""Who sees signals, in the browser: a coordinator in social management names the wijkteam's professional on the
house's page (keyboard only), a resident reads on their phone who sees signals, and the professional of a
self-managed house reads its signal list. An axe check on each page."""

import pytest
from django.conf import settings
from django.test import Client
from playwright.sync_api import expect

from accounts.models import Role
from locations.models import House, ManagementType, SignalReaders
from tests.factories import HouseFactory, OrganisationFactory, RoleAssignmentFactory, SignalFactory

from .conftest import assert_accessible

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.date_sensitive]

PHONE = {"width": 390, "height": 844}


def log_in(page, live_server, user):
    page.context.clear_cookies()
    client = Client()
    client.force_login(user)
    cookie = client.cookies[settings.SESSION_COOKIE_NAME].value
    page.context.add_cookies([{"name": settings.SESSION_COOKIE_NAME, "value": cookie, "url": live_server.url}])


@pytest.fixture
def self_house():
    return HouseFactory(
        name="Huis van de Wijk De Esch",
        slug="de-esch",
        management__operator=OrganisationFactory(kind="residents_foundation"),
        management__management_type=ManagementType.SELF,
    )


def test_a_coordinator_names_the_wijkteam_with_the_keyboard(page, live_server, house):
    coordinator = RoleAssignmentFactory(role=Role.COORDINATOR, house=house).user
    RoleAssignmentFactory(role=Role.PROFESSIONAL, house=house)
    log_in(page, live_server, coordinator)
    page.goto(f"{live_server.url}/huizen/{house.slug}/")
    expect(page.get_by_role("heading", name="Wie ziet signalen?")).to_be_visible()
    page.get_by_role("link", name="Wijzig wie de signalen ziet").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Wie de signalen van {house.name} ziet")
    assert_accessible(page)
    choice = page.get_by_label("de professionals van het huis (het wijkteam)")
    choice.focus()
    page.keyboard.press("Space")
    expect(choice).to_be_checked()
    page.get_by_role("button", name="Opslaan").focus()
    page.keyboard.press("Enter")
    expect(page.get_by_text("Opgeslagen: wie de signalen van dit huis ziet.")).to_be_visible()
    expect(page.get_by_text("1 professional is aan dit huis verbonden.")).to_be_visible()
    assert_accessible(page)
    assert House.objects.get(pk=house.pk).signal_readers == SignalReaders.PROFESSIONALS


def test_an_unchosen_setting_shows_its_error_and_keeps_the_focus(page, live_server, house):
    """Sent without a choice (the browser's own check is off): the Dutch error, summary focused, axe clean."""
    coordinator = RoleAssignmentFactory(role=Role.COORDINATOR, house=house).user
    log_in(page, live_server, coordinator)
    page.goto(f"{live_server.url}/beheer/huizen/{house.slug}/signalen-inzien/")
    page.evaluate("() => document.querySelectorAll('input[type=radio]').forEach(radio => { radio.checked = false; })")
    page.get_by_role("button", name="Opslaan").click()
    expect(page.locator("[data-error-summary]")).to_be_focused()
    expect(page.get_by_text("Kies wie de signalen ziet.").first).to_be_visible()
    assert_accessible(page)


def test_a_resident_reads_on_the_phone_who_sees_signals(page, live_server, self_house):
    page.set_viewport_size(PHONE)
    page.goto(f"{live_server.url}/huizen/{self_house.slug}/")
    section = page.get_by_role("region", name="Wie ziet signalen?")
    expect(section).to_contain_text("Alleen de beroepskracht van het sociaal wijkteam ziet signalen over buren")
    expect(section).to_contain_text("In een signaal staat nooit een naam.")
    expect(page.get_by_role("link", name="Wijzig wie de signalen ziet")).to_have_count(0)
    assert_accessible(page)


def test_the_professional_of_a_self_managed_house_reads_its_signals(page, live_server, self_house):
    professional = RoleAssignmentFactory(role=Role.PROFESSIONAL, house=self_house).user
    board_member = RoleAssignmentFactory(role=Role.COORDINATOR, house=self_house).user
    SignalFactory(house=self_house, theme="money")
    log_in(page, live_server, professional)
    page.goto(f"{live_server.url}/start/")
    page.get_by_role("link", name="Signalen").first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Signalen van {self_house.name}")
    expect(page.get_by_text("Alleen de professionals van het sociaal wijkteam")).to_be_visible()
    assert_accessible(page)
    # The resident board member of the house does not reach the list.
    log_in(page, live_server, board_member)
    response = page.goto(f"{live_server.url}/beheer/huizen/{self_house.slug}/signalen/")
    assert response.status == 404
