"""Residents on a phone (390x844): the network overview's filters fold away so the first house is in view, the
wijk list follows the district, Middelland's twelve places fold their details, and my bookings, my registrations
and the house's request lists are read without scrolling sideways; a weekly series is cancelled in one step; the
agenda filters on registration and places left. An axe check on every page state."""

import datetime as dt
import re
from decimal import Decimal

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse
from playwright.sync_api import TimeoutError as PlaywrightTimeoutError
from playwright.sync_api import expect

from bookings.models import Booking, BookingSeries
from tests.factories import (
    ActivityFactory,
    BookingFactory,
    ClosureFactory,
    DistrictFactory,
    HouseFactory,
    NeighbourhoodFactory,
    OpeningHoursFactory,
    PlaceFactory,
    RegistrationFactory,
    RoleAssignmentFactory,
    RoomFacilityFactory,
    RoomFactory,
    SessionFactory,
    UserFactory,
    at,
    bookable_room,
    next_weekday,
)

from .conftest import assert_accessible

pytestmark = pytest.mark.django_db(transaction=True)

PHONE = {"width": 390, "height": 844}


def log_in(page, live_server, user):
    """Log in through a session made on the server (the login form is another journey's test)."""
    client = Client()
    client.force_login(user)
    cookie = client.cookies[settings.SESSION_COOKIE_NAME].value
    page.context.add_cookies([{"name": settings.SESSION_COOKIE_NAME, "value": cookie, "url": live_server.url}])


def no_sideways_scroll(page):
    """Neither the page nor a table inside its scrolling wrapper is wider than the phone (once the layout has
    settled after a navigation: the measure waits up to five seconds, then fails with the width found)."""
    try:
        page.wait_for_function(f"document.documentElement.scrollWidth <= {PHONE['width']}", timeout=5000)
    except PlaywrightTimeoutError:
        pass
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    wider = page.evaluate(
        """() => [...document.querySelectorAll('.huizen-table-wrap')]
            .filter(wrap => wrap.checkVisibility() && wrap.scrollWidth > wrap.clientWidth + 1)
            .map(wrap => wrap.querySelector('caption')?.textContent.trim())"""
    )
    assert not wider, f"tables that scroll sideways: {wider}"


@pytest.fixture
def network():
    noord = DistrictFactory(name="Noord", slug="noord")
    delfshaven = DistrictFactory(name="Delfshaven", slug="delfshaven")
    blijdorp = NeighbourhoodFactory(district=noord, name="Blijdorp", slug="blijdorp")
    NeighbourhoodFactory(district=noord, name="Liskwartier", slug="liskwartier")
    middelland = NeighbourhoodFactory(district=delfshaven, name="Middelland", slug="middelland")
    NeighbourhoodFactory(district=delfshaven, name="Oud-Mathenesse", slug="oud-mathenesse")
    klooster = HouseFactory(name="Huis van de Wijk Het Klooster", slug="het-klooster", neighbourhood=blijdorp)
    PlaceFactory(house=klooster, name="Het Klooster", hearing_loop=True)
    house = HouseFactory(name="Huis van de Wijk Middelland", slug="middelland", neighbourhood=middelland)
    for n in range(12):  # like the demo's Middelland: twelve buurtplekken, each with hours, closures and rooms
        place = PlaceFactory(house=house, name=f"Buurtplek Middellandstraat {n + 1}")
        for weekday in (5, 6):  # bookable_room opens the place Monday to Friday
            OpeningHoursFactory(place=place, weekday=weekday, opens=dt.time(10), closes=dt.time(16))
        for month in (1, 2, 3):
            day = dt.date(2027, month, 10)
            ClosureFactory(place=place, start_date=day, end_date=day, reason="Schoonmaak")
        room = bookable_room(place=place, name="Grote zaal")  # with a rate for every renter
        RoomFacilityFactory(room=room, facility="kitchen")
        RoomFactory(place=place, name="Spreekkamer", capacity=6)
    return {"klooster": klooster, "middelland": house}


def test_network_overview_on_a_phone_shows_the_first_house_and_the_wijken_of_the_district(page, live_server, network):
    page.set_viewport_size(PHONE)
    page.goto(live_server.url + reverse("locations:house_list"))
    filters = page.locator("details.huizen-fold")
    expect(filters).not_to_have_attribute("open", "")
    first = page.locator("#results .huizen-card").first
    expect(first).to_be_in_viewport()
    box = first.bounding_box()
    assert box["y"] + 60 < PHONE["height"]  # its name is in the first screen, not only its top edge
    no_sideways_scroll(page)
    assert_accessible(page)

    page.locator("details.huizen-fold > summary").click()  # the summary opens the filters
    expect(page.get_by_label("Gebied")).to_be_visible()
    wijk = page.get_by_label("Wijk")
    expect(wijk.locator("option")).to_have_count(5)  # all wijken and "every wijk"
    page.get_by_label("Gebied").select_option("delfshaven")  # htmx refreshes the wijk list
    expect(wijk.locator("option")).to_have_count(3)
    assert wijk.locator("option").all_inner_texts()[1:] == ["Middelland", "Oud-Mathenesse"]
    expect(page.locator("#results .huizen-card")).to_have_count(1)
    wijk.select_option("middelland")
    expect(page).to_have_url(re.compile(r"neighbourhood=middelland"))
    no_sideways_scroll(page)
    assert_accessible(page)


def test_filters_stay_open_beside_the_results_on_a_wide_screen(page, live_server, network):
    page.set_viewport_size({"width": 1280, "height": 800})
    page.goto(live_server.url + reverse("locations:house_list"))
    expect(page.get_by_label("Gebied")).to_be_visible()
    assert_accessible(page)


def test_the_wijk_list_follows_the_district_without_javascript(browser, live_server, network):
    context = browser.new_context(java_script_enabled=False, locale="nl-NL", viewport=PHONE)
    page = context.new_page()
    page.goto(live_server.url + reverse("locations:house_list"))
    page.get_by_label("Gebied").select_option("noord")
    page.get_by_role("button", name="Toon huizen").click()
    assert page.get_by_label("Wijk").locator("option").all_inner_texts()[1:] == ["Blijdorp", "Liskwartier"]
    context.close()


def test_middelland_with_twelve_places_stays_short_on_a_phone(page, live_server, network):
    page.set_viewport_size(PHONE)
    page.goto(live_server.url + reverse("locations:house_detail", args=["middelland"]))
    expect(page.get_by_role("heading", level=1)).to_have_text("Huis van de Wijk Middelland")
    height = page.evaluate("document.documentElement.scrollHeight")
    assert height < 6000, height
    no_sideways_scroll(page)
    assert_accessible(page)

    summary = page.get_by_text("Openingstijden en zalen van Buurtplek Middellandstraat 3")
    summary.click()
    expect(page.get_by_role("table", name="Openingstijden van Buurtplek Middellandstraat 3")).to_be_visible()
    no_sideways_scroll(page)
    assert_accessible(page)


@pytest.fixture
def resident_with_bookings():
    resident = UserFactory(email="fatima@example.nl")
    house = HouseFactory(name="Huis van de Wijk Het Klooster", slug="het-klooster")
    house.cancellation_days = 10
    house.save()
    room = bookable_room(name="Grote zaal met een heel lange naam", place=PlaceFactory(house=house, name="Klooster"))
    series = BookingSeries.objects.create()
    first = next_weekday(1, weeks_ahead=1)  # a Tuesday 8 days ahead: within the 10-day term, so it costs the price
    weeks = [
        BookingFactory(
            room=room,
            renter=resident,
            series=series,
            start=at(first + dt.timedelta(weeks=n), 10),
            end=at(first + dt.timedelta(weeks=n), 12),
            price=Decimal("20.00"),
            purpose="Naaicursus voor buurtbewoners met een wekelijkse bijeenkomst",
        )
        for n in range(4)
    ]
    BookingFactory(room=room, renter=resident, start=at(first, 14), end=at(first, 16), status="requested")
    return {"resident": resident, "house": house, "room": room, "weeks": weeks}


def test_my_bookings_on_a_phone_and_cancelling_a_weekly_series(page, live_server, resident_with_bookings):
    resident, weeks = resident_with_bookings["resident"], resident_with_bookings["weeks"]
    log_in(page, live_server, resident)
    page.set_viewport_size(PHONE)
    page.goto(live_server.url + reverse("bookings:my_bookings"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Mijn boekingen")
    no_sideways_scroll(page)
    assert_accessible(page)

    page.get_by_role("link", name=re.compile("^Alle komende weken annuleren")).first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Een wekelijkse reeks annuleren")
    expect(page.locator(".huizen-series-week")).to_have_count(4)
    expect(page.locator(".huizen-series-week").first).to_contain_text("kost € 20,00")
    expect(page.locator(".huizen-series-total")).to_contain_text("€ 20,00")
    no_sideways_scroll(page)
    assert_accessible(page)

    page.get_by_role("button", name="Alle weken annuleren en € 20,00 betalen").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Mijn boekingen")
    expect(page.get_by_text("4 weken van Grote zaal met een heel lange naam zijn geannuleerd.")).to_be_visible()
    no_sideways_scroll(page)
    assert_accessible(page)
    assert {Booking.objects.get(pk=week.pk).status for week in weeks} == {"cancelled"}


def test_my_registrations_on_a_phone(page, live_server, db):
    resident = UserFactory()
    for n in range(3):
        activity = ActivityFactory(
            title=f"Taalcafé voor nieuwe Rotterdammers met een lange titel {n}",
            registration_required=True,
            capacity=10,
        )
        RegistrationFactory(session=SessionFactory(activity=activity), user=resident)
    log_in(page, live_server, resident)
    page.set_viewport_size(PHONE)
    page.goto(live_server.url + reverse("activities:my_registrations"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Mijn aanmeldingen")
    expect(page.get_by_role("rowheader")).to_have_count(3)
    no_sideways_scroll(page)
    assert_accessible(page)


def test_the_house_request_lists_on_a_phone(page, live_server, resident_with_bookings):
    house = resident_with_bookings["house"]
    coordinator = RoleAssignmentFactory(role="coordinator", house=house).user
    log_in(page, live_server, coordinator)
    page.set_viewport_size(PHONE)
    page.goto(live_server.url + reverse("bookings:house_requests", kwargs={"house_slug": house.slug}))
    expect(page.get_by_role("heading", level=2, name="Wachtende aanvragen")).to_be_visible()
    expect(page.get_by_role("button", name="Goedkeuren")).to_be_visible()
    no_sideways_scroll(page)
    assert_accessible(page)


def test_agenda_filters_on_registration_and_places_left_on_a_phone(page, live_server, db):
    house = HouseFactory(name="Huis van de Wijk Het Klooster")
    place = PlaceFactory(house=house, name="Huis van de Wijk Het Klooster")
    SessionFactory(activity=ActivityFactory(title="Inloop", house=house, place=place))
    yoga = ActivityFactory(title="Yoga", house=house, place=place, registration_required=True, capacity=10)
    full = ActivityFactory(title="Kookles", house=house, place=place, registration_required=True, capacity=1)
    SessionFactory(activity=yoga)
    RegistrationFactory(session=SessionFactory(activity=full))  # Kookles is full
    page.set_viewport_size(PHONE)
    page.goto(live_server.url + reverse("activities:agenda"))
    expect(page.locator(".huizen-agenda-item")).to_have_count(3)
    expect(page.get_by_text("Huis van de Wijk Het Klooster · Huis van de Wijk Het Klooster")).to_have_count(0)
    no_sideways_scroll(page)
    assert_accessible(page)

    page.locator("details.huizen-fold > summary").click()
    page.get_by_label("Aanmelden nodig").check()  # the live filter swaps the results
    expect(page.locator(".huizen-agenda-item")).to_have_count(2)
    expect(page.locator("#result-count")).to_have_text("2 activiteiten gevonden")
    page.get_by_label("Nog plek (geen wachtlijst)").check()
    expect(page.locator(".huizen-agenda-item")).to_have_count(1)
    expect(page.locator("#result-count")).to_have_text("1 activiteit gevonden")
    expect(page).to_have_url(re.compile(r"places_left=on"))
    no_sideways_scroll(page)
    assert_accessible(page)
