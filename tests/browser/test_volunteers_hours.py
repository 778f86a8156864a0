"""Hours and allowance in the browser: a volunteer enters hours on a phone and downloads the year's statement; a
coordinator approves hours on a desktop and exports them. An axe check on every page."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from django.conf import settings
from django.test import Client
from playwright.sync_api import expect

from tests.volunteers.factories import HoursEntryFactory, VolunteerFactory
from volunteers.models import HoursEntry

from .conftest import assert_accessible

pytestmark = pytest.mark.django_db(transaction=True)

PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 900}


@pytest.fixture(autouse=True)
def _monday(clock):
    """These tests name their dates: they run on Monday 30 November 2026, whatever HUIZEN_TEST_NOW says."""
    clock.move_to(dt.datetime(2026, 11, 30, 7, tzinfo=ZoneInfo("Europe/Amsterdam")))


def log_in(page, live_server, user):
    client = Client()
    client.force_login(user)
    cookie = client.cookies[settings.SESSION_COOKIE_NAME].value
    page.context.add_cookies([{"name": settings.SESSION_COOKIE_NAME, "value": cookie, "url": live_server.url}])


def test_volunteer_enters_hours_on_a_phone_and_downloads_the_statement(page, live_server, house):
    volunteer = VolunteerFactory(house=house, start_date=dt.date(2025, 1, 1))
    HoursEntryFactory(volunteer=volunteer, source=HoursEntry.Source.SHIFT, minutes=210, date=dt.date(2026, 11, 3))
    page.set_viewport_size(PHONE)
    log_in(page, live_server, volunteer.user)
    page.goto(live_server.url + "/mijn/uren/")
    expect(page.get_by_role("heading", name="Mijn uren", level=1)).to_be_visible()
    assert_accessible(page)
    # a mistake first: a day in the future
    page.get_by_label("Datum").fill("2026-12-24")
    page.get_by_label("Aantal uren").fill("2")
    page.get_by_label("Minuten").fill("30")
    page.get_by_label("Wat heb je gedaan?").fill("Soep gekookt")
    page.get_by_role("button", name="Uren doorgeven").click()
    expect(page.get_by_role("heading", name="Er ging iets mis")).to_be_visible()
    assert_accessible(page)
    page.get_by_label("Datum").fill("2026-11-27")
    page.get_by_role("button", name="Uren doorgeven").click()
    expect(page.get_by_text("Bedankt! Je uren zijn opgeslagen.")).to_be_visible()
    expect(page.get_by_text("Soep gekookt")).to_be_visible()
    assert_accessible(page)
    assert HoursEntry.objects.get(status=HoursEntry.Status.SUBMITTED).minutes == 150
    button = page.get_by_role("button", name="Uren doorgeven")
    assert button.bounding_box()["height"] >= 44
    statement = page.get_by_role("link", name="Download het overzicht van 2026")
    assert statement.bounding_box()["height"] >= 44
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    with page.expect_download() as download:
        page.get_by_role("link", name="Download het overzicht van 2026").click()
    assert download.value.suggested_filename.endswith(".pdf")


def test_coordinator_approves_and_exports(page, live_server, house, coordinator):
    volunteer = VolunteerFactory(house=house, first_name="Fatima", last_name="El Amrani")
    HoursEntryFactory(volunteer=volunteer, status=HoursEntry.Status.SUBMITTED, description="Bar gedraaid")
    HoursEntryFactory(volunteer=volunteer, status=HoursEntry.Status.SUBMITTED, description="Geen werk")
    page.set_viewport_size(DESKTOP)
    log_in(page, live_server, coordinator)
    page.goto(live_server.url + f"/beheer/huizen/{house.slug}/uren/")
    assert_accessible(page)
    rows = page.get_by_role("row").filter(has_text="Bar gedraaid")
    rows.get_by_role("button", name="Goedkeuren").click()
    expect(page.get_by_text("Uren goedgekeurd.")).to_be_visible()
    page.get_by_role("row").filter(has_text="Geen werk").get_by_role("link", name="Niet goedkeuren").click()
    assert_accessible(page)
    page.get_by_role("button", name="Niet goedkeuren").click()
    expect(page.get_by_role("heading", name="Er ging iets mis")).to_be_visible()
    assert_accessible(page)
    page.get_by_label("Reden").fill("Dit hoort niet bij het huis.")
    page.get_by_role("button", name="Niet goedkeuren").click()
    expect(page.get_by_text("Uren niet goedgekeurd.")).to_be_visible()
    expect(page.get_by_text("Er wachten geen uren op goedkeuring.")).to_be_visible()
    assert_accessible(page)
    with page.expect_download() as download:
        page.get_by_role("link", name="CSV downloaden").click()
    assert download.value.suggested_filename.endswith(".csv")
    page.get_by_role("link", name="Vrijwilligersvergoedingen").first.click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Vrijwilligersvergoedingen")
    assert_accessible(page)


def test_coordinator_records_hours_for_a_volunteer_without_account(page, live_server, house, coordinator):
    paper = VolunteerFactory(house=house, user=None, first_name="Joris", last_name="Kok")
    VolunteerFactory(house=house, first_name="Anna", last_name="de Vries")
    page.set_viewport_size(DESKTOP)
    log_in(page, live_server, coordinator)
    page.goto(live_server.url + f"/beheer/huizen/{house.slug}/uren/")
    page.get_by_text("Uren invoeren voor een vrijwilliger").click()
    select = page.get_by_label("Vrijwilliger", exact=True)
    options = select.locator("option").all_inner_texts()
    assert "Joris Kok" in options and "Anna de Vries" in options
    select.select_option(label="Joris Kok")
    page.get_by_label("Datum").last.fill("2026-11-26")
    page.get_by_label("Aantal uren").fill("3")  # minutes left empty: 0
    page.get_by_label("Wat er gedaan is").fill("Bar")
    page.get_by_role("button", name="Uren invoeren").click()
    expect(page.get_by_text("De uren zijn ingevoerd en goedgekeurd.")).to_be_visible()
    assert_accessible(page)
    entry = HoursEntry.objects.get(volunteer=paper)
    assert (entry.minutes, entry.status) == (180, HoursEntry.Status.APPROVED)
