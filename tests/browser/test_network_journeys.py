import datetime as dt
import re

import pytest
from playwright.sync_api import expect

from tests.factories import (
    PASSWORD,
    ClosureFactory,
    DistrictFactory,
    HouseFactory,
    NeighbourhoodFactory,
    OpeningHoursFactory,
    PlaceFactory,
    RoleAssignmentFactory,
    RoomFacilityFactory,
    RoomFactory,
    RoomRateFactory,
    pass_second_factor,
)

from .conftest import assert_accessible

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def network():
    noord = DistrictFactory(name="Noord", slug="noord")
    zuid = DistrictFactory(name="Charlois", slug="charlois")
    blijdorp = NeighbourhoodFactory(district=noord, name="Blijdorp", slug="blijdorp")
    carnisse = NeighbourhoodFactory(district=zuid, name="Carnisse", slug="carnisse")
    klooster = HouseFactory(name="Huis van de Wijk Het Klooster", slug="het-klooster", neighbourhood=blijdorp)
    HouseFactory(name="Huis van de Wijk Carnisse", slug="carnisse", neighbourhood=carnisse)
    place = PlaceFactory(house=klooster, name="Het Klooster", street="Stadhoudersweg", postcode="3039 CA")
    for weekday in range(5):
        OpeningHoursFactory(place=place, weekday=weekday, opens=dt.time(9), closes=dt.time(17))
    ClosureFactory(place=place, start_date=dt.date(2099, 12, 25), end_date=dt.date(2099, 12, 26), reason="Kerstmis")
    room = RoomFactory(place=place, name="Grote zaal", capacity=60)
    RoomFacilityFactory(room=room, facility="kitchen")
    RoomRateFactory(room=room)
    return klooster


def test_resident_browses_filters_and_opens_a_house(page, live_server, network):
    page.goto(live_server.url + "/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Vind een Huis van de Wijk")
    expect(page.locator("#results .huizen-card")).to_have_count(2)
    assert_accessible(page)

    page.get_by_label("Gebied").select_option("noord")  # HTMX swaps the results in place
    expect(page.locator("#results .huizen-card")).to_have_count(1)
    expect(page.locator("#result-count")).to_have_text("1 huis gevonden")  # the live region is announced
    expect(page).to_have_url(re.compile(r"district=noord"))
    assert_accessible(page)

    page.get_by_role("link", name="Huis van de Wijk Het Klooster").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Huis van de Wijk Het Klooster")
    expect(page.get_by_text("Stadhoudersweg")).to_be_visible()
    expect(
        page.get_by_role("cell", name="Grote zaal").or_(page.get_by_role("rowheader", name="Grote zaal"))
    ).to_be_visible()
    assert_accessible(page)


def test_filters_work_without_javascript(browser, live_server, network):
    context = browser.new_context(java_script_enabled=False, locale="nl-NL")
    page = context.new_page()
    page.goto(live_server.url + "/")
    page.get_by_label("Gebied").select_option("charlois")
    page.get_by_role("button", name="Toon huizen").click()
    expect(page.locator("#results .huizen-card")).to_have_count(1)
    expect(page.get_by_role("link", name="Huis van de Wijk Carnisse")).to_be_visible()
    context.close()


def test_visitor_switches_to_english_and_back(page, live_server, network):
    page.goto(live_server.url + "/huizen/het-klooster/")
    page.get_by_role("button", name="English").click()
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.get_by_role("link", name="All houses").first).to_be_visible()
    assert_accessible(page)
    page.get_by_role("button", name="Nederlands").click()
    expect(page.locator("html")).to_have_attribute("lang", "nl")


def test_coordinator_logs_in_and_sees_their_house(page, live_server, network):
    coordinator = RoleAssignmentFactory(role="coordinator", house=network).user
    page.goto(live_server.url + "/accounts/login/")
    assert_accessible(page)
    page.get_by_label("E-mailadres").fill(coordinator.email)
    page.get_by_label("Wachtwoord").fill("fout")
    page.get_by_role("button", name="Inloggen").click()
    expect(page.get_by_text("wachtwoord is niet correct")).to_be_visible()
    assert_accessible(page)
    page.get_by_label("Wachtwoord").fill(PASSWORD)
    page.get_by_role("button", name="Inloggen").click()
    pass_second_factor(page)
    expect(page).to_have_url(live_server.url + "/start/")
    expect(page.get_by_role("link", name="Huis van de Wijk Het Klooster")).to_be_visible()
    expect(page.get_by_text("Huis van de Wijk Carnisse")).to_have_count(0)
    assert_accessible(page)


def test_signup_form_errors_are_tied_to_their_fields(page, live_server, db):
    page.goto(live_server.url + "/accounts/signup/")
    assert_accessible(page)
    page.get_by_label("Voornaam").fill("Noor")
    page.get_by_label("E-mailadres").fill("bewoner@example.nl")
    page.get_by_label("Wachtwoord", exact=True).fill("kort")
    page.get_by_label("Wachtwoord (herhaal)").fill("anders")
    page.get_by_role("button", name="Registreren").click()
    password = page.get_by_label("Wachtwoord", exact=True)
    expect(password).to_have_attribute("aria-invalid", "true")
    assert_accessible(page)
