"""The results dashboards in a browser: the municipality filters, sorts (with the keyboard), opens a house and a
figure one level down; a coordinator sees their own house. axe checks every page; screenshots at tablet size go to
/tmp/dashboard-*.png."""

import datetime as dt
import re
from decimal import Decimal

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from locations.models import ManagementType
from reporting.models import DayFigure, Target
from tests.factories import (
    PASSWORD,
    HouseFactory,
    HouseManagementFactory,
    NeighbourhoodFactory,
    NeighbourhoodIndexFactory,
    OrganisationFactory,
    PlaceFactory,
    RoleAssignmentFactory,
    pass_second_factor,
)

from .conftest import assert_accessible

pytestmark = pytest.mark.django_db(transaction=True)


def _figures(house, places, *, walk_in):
    for number, place in enumerate(places):
        for day in (dt.date(2026, 10, 6), dt.date(2026, 11, 10)):
            DayFigure.objects.create(
                house=house, place=place, day=day, measure="visits_walk_in", value=walk_in + number
            )
            DayFigure.objects.create(house=house, place=place, day=day, measure="visits_activity", value=4)
            DayFigure.objects.create(
                house=house,
                place=place,
                day=day,
                measure="visits_activity",
                dimension="age_band",
                member="65+",
                value=3,
            )
            DayFigure.objects.create(
                house=house,
                place=place,
                day=day,
                measure="visits_activity",
                dimension="age_band",
                member="24-64",
                value=1,
            )
            DayFigure.objects.create(house=house, place=place, day=day, measure="sessions_held", value=3)
            DayFigure.objects.create(house=house, place=place, day=day, measure="opening_minutes", value=480)


@pytest.fixture
def city():
    west = NeighbourhoodFactory(name="Middelland", slug="middelland", population=11850)
    for year, index in ((2023, "97"), (2024, "99"), (2025, "101")):
        NeighbourhoodIndexFactory(neighbourhood=west, year=year, social_index=Decimal(index))
    middelland = HouseFactory(
        name="Huis van de Wijk Middelland", slug="middelland", neighbourhood=west, management=False
    )
    HouseManagementFactory(
        house=middelland,
        management_type=ManagementType.SELF,
        operator=OrganisationFactory(name="Stichting Middelland", kind="residents_foundation"),
    )
    spots = [PlaceFactory(house=middelland, name=f"Buurtplek {number}", kind="spot") for number in range(1, 13)]
    _figures(middelland, spots, walk_in=5)
    klooster = HouseFactory(name="Huis van de Wijk Het Klooster", slug="het-klooster")
    _figures(klooster, [PlaceFactory(house=klooster, name="Het Klooster")], walk_in=40)
    carnisse = HouseFactory(name="Huis van de Wijk Carnisse", slug="carnisse")
    _figures(carnisse, [PlaceFactory(house=carnisse, name="Carnisse")], walk_in=20)
    for house, q4 in ((middelland, 200), (klooster, 100), (carnisse, 300)):
        Target.objects.create(
            house=house,
            indicator="visits",
            year=2026,
            value=4 * q4,
            q1=q4,
            q2=q4,
            q3=q4,
            q4=q4,
            updated_at=timezone.now(),
        )
    return {"middelland": middelland, "klooster": klooster, "carnisse": carnisse}


def log_in(page, live_server, user):
    page.goto(live_server.url + "/accounts/login/")
    page.get_by_label("E-mailadres").fill(user.email)
    page.get_by_label("Wachtwoord").fill(PASSWORD)
    page.get_by_role("button", name="Inloggen").click()
    pass_second_factor(page)
    expect(page.get_by_role("heading", level=1)).to_be_visible()


def house_rows(page):
    return page.locator(".huizen-results-houses tbody th[scope=row]")


def test_municipality_filters_sorts_and_drills_down(page, live_server, city):
    municipality = RoleAssignmentFactory(role="municipality", house=None).user
    page.set_viewport_size({"width": 1024, "height": 768})
    log_in(page, live_server, municipality)
    page.goto(live_server.url + "/resultaten/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Resultaten van het netwerk")
    expect(house_rows(page)).to_have_count(3)
    # Status in words beside its icon: 484 visits against 398 expected by now (61 of 92 days of 600).
    expect(page.locator(".huizen-results-figures tbody tr").first).to_contain_text("Voor op schema")
    expect(page.get_by_role("table", name=re.compile("^Bezoeken per maand"))).to_be_visible()
    assert_accessible(page)
    page.screenshot(path="/tmp/dashboard-network.png")
    page.screenshot(path="/tmp/dashboard-network-full.png", full_page=True)

    # Filter to zelfbeheer: only Middelland is left.
    page.get_by_label("Beheer", exact=True).select_option(label="zelfbeheer")
    page.get_by_role("button", name="Resultaten tonen").click()
    expect(page).to_have_url(re.compile(r"beheer=self"))
    expect(house_rows(page)).to_have_count(1)
    expect(house_rows(page)).to_have_text("Huis van de Wijk Middelland")
    assert_accessible(page)

    # Back to every house, then sort by visits with the keyboard alone.
    page.get_by_role("link", name="Filters wissen").click()
    expect(house_rows(page)).to_have_count(3)
    sort_link = page.get_by_role("link", name=re.compile(r"^Bezoeken\s+\(sorteer aflopend\)"))
    sort_link.focus()
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(r"sorteer=visits&richting=af"))
    expect(page.locator("th[aria-sort=descending]")).to_contain_text("Bezoeken")
    # Middelland: 12 places × 2 days × (5..16 + 4) visits = 2 × (126 + 48) = 348; Het Klooster 2 × 44 = 88;
    # Carnisse 2 × 24 = 48.
    expect(house_rows(page)).to_have_text(
        ["Huis van de Wijk Middelland", "Huis van de Wijk Het Klooster", "Huis van de Wijk Carnisse"]
    )
    expect(page.locator(".huizen-results-houses tbody tr").first).to_contain_text("348")
    assert_accessible(page)

    # A house, with its 12 places broken out.
    page.get_by_role("link", name="Huis van de Wijk Middelland").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Resultaten van Huis van de Wijk Middelland")
    places = page.get_by_role("table", name=re.compile("^Belangrijkste cijfers per plek"))
    expect(places.locator("tbody tr")).to_have_count(12)
    expect(page.get_by_text("97 → 99 → 101 (stijgt)")).to_be_visible()
    assert_accessible(page)
    page.screenshot(path="/tmp/dashboard-house.png")

    # One level down from the figure: visits to activities by place, month and age.
    figures = page.get_by_role("table", name=re.compile("^Indicatoren"))
    figures.get_by_role("link", name="Bezoeken aan activiteiten").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Bezoeken aan activiteiten: Huis van de Wijk Middelland")
    ages = page.get_by_role("table", name=re.compile("^Bezoeken aan activiteiten per leeftijd"))
    expect(ages.get_by_role("row", name=re.compile("65 en ouder"))).to_contain_text("72")  # 12 × 2 × 3
    assert_accessible(page)
    page.screenshot(path="/tmp/dashboard-drilldown.png")

    # ... and one level further: one place.
    page.get_by_role("table", name=re.compile("per plek")).get_by_role("link", name="Buurtplek 3").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Bezoeken aan activiteiten: Buurtplek 3, Huis van de Wijk Middelland"
    )
    expect(page.locator(".utrecht-paragraph--lead")).to_have_text(re.compile(r": 8$"))  # 2 days × 4
    assert_accessible(page)


def test_coordinator_sees_their_own_house(page, live_server, city):
    coordinator = RoleAssignmentFactory(role="coordinator", house=city["klooster"]).user
    log_in(page, live_server, coordinator)
    page.goto(live_server.url + "/resultaten/")  # one house: straight to its own page
    expect(page.get_by_role("heading", level=1)).to_have_text("Resultaten van Huis van de Wijk Het Klooster")
    assert_accessible(page)
    # On a phone the wide tables scroll inside their wrapper, which the keyboard can reach.
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(live_server.url + "/resultaten/huizen/het-klooster/visits/")
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    assert_accessible(page)
    page.goto(live_server.url + "/resultaten/huizen/het-klooster/")
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    assert_accessible(page)
    response = page.goto(live_server.url + "/resultaten/huizen/middelland/")
    assert response.status == 404
