"""Rosters in the browser: a volunteer signs up for a door shift on a phone and asks for a stand-in; a coordinator
fills a gap on a desktop; a host confirms today's shifts on a tablet. axe-core on every page."""

import datetime as dt
import re

import pytest
from django.conf import settings
from django.test import Client
from django.utils import timezone
from playwright.sync_api import expect

from tests.factories import HouseFactory, PlaceFactory, RoleAssignmentFactory
from tests.volunteers.factories import CertificateFactory, ShiftAssignmentFactory, ShiftFactory, VolunteerFactory
from volunteers.models import HoursEntry, ShiftAssignment, VolunteerRole

from .conftest import assert_accessible

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.date_sensitive]

PHONE = {"width": 390, "height": 844}
TABLET = {"width": 1024, "height": 768}
DESKTOP = {"width": 1366, "height": 900}


def log_in(page, live_server, user):
    client = Client()
    client.force_login(user)
    cookie = client.cookies[settings.SESSION_COOKIE_NAME].value
    page.context.add_cookies([{"name": settings.SESSION_COOKIE_NAME, "value": cookie, "url": live_server.url}])


def host_volunteer(house, **kwargs):
    volunteer = VolunteerFactory(house=house, roles=[VolunteerRole.HOST], **kwargs)
    CertificateFactory(volunteer=volunteer)
    return volunteer


@pytest.fixture
def klooster():
    house = HouseFactory(name="Huis van de Wijk Het Klooster", slug="het-klooster")
    place = PlaceFactory(house=house, name="Het Klooster")
    return house, place


def test_volunteer_signs_up_and_asks_for_stand_in(page, live_server, klooster):
    house, place = klooster
    volunteer = host_volunteer(house, first_name="Noor", last_name="Bakker")
    host_volunteer(house, first_name="Ria", last_name="Smit")
    ShiftFactory(house=house, place=place, title="Deur ochtend", date=timezone.localdate() + dt.timedelta(days=2))
    page.set_viewport_size(PHONE)
    log_in(page, live_server, volunteer.user)
    page.goto(live_server.url + "/mijn/diensten/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Mijn diensten")
    assert_accessible(page)
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    page.get_by_role("button", name=re.compile("^Aanmelden")).click()
    expect(page.get_by_role("status")).to_contain_text("Je bent ingeroosterd")
    # After the POST-redirect the focus is on the message, not on <body>.
    expect(page.get_by_role("status")).to_be_focused()
    assert_accessible(page)
    page.get_by_role("button", name=re.compile("^Vraag om een vervanger")).click()
    expect(page.get_by_role("status")).to_contain_text("We hebben het de andere vrijwilligers gevraagd")
    expect(page.get_by_role("status")).to_be_focused()
    assert ShiftAssignment.objects.get(volunteer=volunteer).status == ShiftAssignment.Status.STAND_IN_WANTED
    assert_accessible(page)
    page.get_by_role("link", name="Mijn diensten in mijn agenda").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Mijn diensten in mijn agenda")
    assert_accessible(page)
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]


def test_coordinator_fills_a_gap(page, live_server, klooster):
    house, place = klooster
    coordinator = RoleAssignmentFactory(role="coordinator", house=house).user
    ShiftFactory(house=house, place=place, title="Deur middag", people_needed=1)
    later = ShiftFactory(
        house=house, place=place, title="Deur avond", people_needed=1, date=timezone.localdate() + dt.timedelta(days=3)
    )
    away = host_volunteer(house, first_name="Anna", last_name="Afwezig")
    wanted = ShiftAssignmentFactory(shift=later, volunteer=away, status=ShiftAssignment.Status.STAND_IN_WANTED)
    free = host_volunteer(house, first_name="Vera", last_name="Vrij")
    page.set_viewport_size(DESKTOP)
    log_in(page, live_server, coordinator)
    page.goto(live_server.url + f"/beheer/huizen/{house.slug}/rooster/")
    expect(page.locator("#roster-gaps")).to_contain_text("Gaten de komende twee weken: 2")
    assert_accessible(page)
    page.get_by_role("link", name=re.compile("^Invullen")).first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Deur middag")
    assert_accessible(page)
    page.get_by_label("Vera Vrij").check()
    page.get_by_role("button", name="Inroosteren").click()
    expect(page.get_by_role("status")).to_contain_text("De vrijwilliger is ingeroosterd")
    assert ShiftAssignment.objects.filter(volunteer=free).exists()
    assert_accessible(page)
    page.get_by_role("link", name="Terug naar het rooster").click()
    expect(page.locator("#roster-gaps")).to_contain_text("Gaten de komende twee weken: 1")
    # The other gap: Anna asked for a stand-in on a full shift; Vera takes her place over.
    page.get_by_role("link", name=re.compile("^Invullen")).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Deur avond")
    page.get_by_label("Vera Vrij").check()
    page.get_by_role("button", name="Inroosteren").click()
    expect(page.get_by_role("status")).to_contain_text("Vera V. neemt de dienst van Anna A. over.")
    expect(page.get_by_role("status")).to_be_focused()
    assert_accessible(page)
    wanted.refresh_from_db()
    assert wanted.status == ShiftAssignment.Status.HANDED_OVER
    page.get_by_role("link", name="Terug naar het rooster").click()
    expect(page.locator("#roster-gaps")).to_contain_text("Gaten de komende twee weken: 0")
    page.goto(live_server.url + f"/beheer/huizen/{house.slug}/rooster/diensten/nieuw/")
    assert_accessible(page)
    page.get_by_role("button", name="Wekelijkse dienst plannen").click()
    expect(page.locator("[data-error-summary]")).to_be_visible()
    assert_accessible(page)


def test_host_confirms_todays_shifts(page, live_server, klooster, clock):
    house, place = klooster
    host = RoleAssignmentFactory(role="host", house=house).user
    today = timezone.localdate()
    shift = ShiftFactory(
        house=house,
        place=place,
        title="Deur ochtend",
        date=today,
        start=timezone.now() - dt.timedelta(hours=1),
        end=timezone.now() + dt.timedelta(hours=2),
    )
    assignment = ShiftAssignmentFactory(
        shift=shift, volunteer=host_volunteer(house, first_name="Ria", last_name="Smit")
    )
    page.set_viewport_size(TABLET)
    log_in(page, live_server, host)
    page.goto(live_server.url + f"/deur/{house.slug}/diensten/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Diensten van vandaag")
    assert_accessible(page)
    button = page.get_by_role("button", name=re.compile("^Was er"))
    assert button.bounding_box()["height"] >= 44
    button.click()
    expect(page.get_by_role("status")).to_contain_text("Ria S. was er")
    expect(page.get_by_role("status")).to_be_focused()
    assert HoursEntry.objects.filter(assignment=assignment).exists()
    assert_accessible(page)
    page.get_by_role("button", name=re.compile("^Ongedaan maken")).click()
    expect(page.get_by_role("status")).to_contain_text("Ongedaan gemaakt")
    assert not HoursEntry.objects.exists()


def test_volunteer_with_many_shifts_reaches_open_shifts_and_cancels_with_confirmation(page, live_server, klooster):
    house, place = klooster
    coordinator = RoleAssignmentFactory(role="coordinator", house=house).user
    volunteer = host_volunteer(house, first_name="Noor", last_name="Bakker")
    today = timezone.localdate()
    for days in range(1, 60, 2):  # thirty own shifts, mornings
        ShiftAssignmentFactory(
            shift=ShiftFactory(house=house, place=place, title=f"Deur {days}", date=today + dt.timedelta(days=days)),
            volunteer=volunteer,
        )
    afternoon = today + dt.timedelta(days=2)
    ShiftFactory(
        house=house,
        place=place,
        title="Open middag",
        date=afternoon,
        start=timezone.make_aware(dt.datetime.combine(afternoon, dt.time(14))),
        end=timezone.make_aware(dt.datetime.combine(afternoon, dt.time(16))),
    )
    page.set_viewport_size(PHONE)
    log_in(page, live_server, volunteer.user)
    page.goto(live_server.url + "/mijn/diensten/")
    assert_accessible(page)
    # Keyboard: the summary's "Open diensten (1)" is a few Tabs away and leads to the first "Aanmelden".
    link = page.get_by_role("link", name="Open diensten (1)")
    for _tab in range(15):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.textContent.trim()") == "Open diensten (1)":
            break
    expect(link).to_be_focused()
    page.keyboard.press("Enter")
    expect(page.locator("#open")).to_be_focused()
    page.keyboard.press("Tab")
    expect(page.get_by_role("button", name=re.compile("^Aanmelden"))).to_be_focused()
    # Cancelling asks first, then tells the coordinator (a gap this week).
    page.get_by_role("link", name=re.compile("^Afmelden – Deur 1 ")).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Afmelden voor deze dienst?")
    assert_accessible(page)
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    page.get_by_role("button", name="Ja, meld me af").click()
    expect(page.get_by_role("status")).to_contain_text("Je staat niet meer op deze dienst")
    expect(page.get_by_role("status")).to_be_focused()
    assert not ShiftAssignment.objects.filter(
        volunteer=volunteer, shift__title="Deur 1", status__in=ShiftAssignment.ACTIVE
    ).exists()
    assert coordinator.email
