"""The volunteering indicators on the results dashboard in a browser: a manager (desktop) sees the volunteer hours
and the carers supported of their house, opens the volunteer hours one level down, and axe checks each page."""

import datetime as dt
import re
from zoneinfo import ZoneInfo

import pytest
from playwright.sync_api import expect

from reporting.rollups import derive
from tests.factories import PASSWORD, HouseFactory, RoleAssignmentFactory, UserFactory, pass_second_factor
from tests.volunteers.factories import CarerFactory, HoursEntryFactory, SupportContactFactory, VolunteerFactory
from volunteers.models import HoursEntry

from .conftest import assert_accessible

pytestmark = pytest.mark.django_db(transaction=True)

OCT_5 = dt.date(2026, 10, 5)


@pytest.fixture(autouse=True)
def _monday_morning(clock):
    clock.move_to(dt.datetime(2026, 11, 30, 7, 0, tzinfo=ZoneInfo("Europe/Amsterdam")))


def log_in(page, live_server, user):
    page.goto(live_server.url + "/accounts/login/")
    page.get_by_label("E-mailadres").fill(user.email)
    page.get_by_label("Wachtwoord").fill(PASSWORD)
    page.get_by_role("button", name="Inloggen").click()
    pass_second_factor(page)
    expect(page.get_by_role("heading", level=1)).to_be_visible()


def test_a_manager_sees_volunteer_hours_and_carers_on_the_dashboard(page, live_server):
    house = HouseFactory(name="Huis van de Wijk Het Klooster", slug="het-klooster")
    operator = house.managements.get().operator
    manager = RoleAssignmentFactory(role="manager", house=None, organisation=operator).user
    for number in range(3):
        volunteer = VolunteerFactory(house=house, user=UserFactory())
        HoursEntryFactory(volunteer=volunteer, date=OCT_5, minutes=90 + 30 * number, source=HoursEntry.Source.SHIFT)
    for _number in range(6):
        SupportContactFactory(carer=CarerFactory(house=house, last_name="Nietzichtbaar"), date=OCT_5)
    derive(house_ids=[house.pk], start=OCT_5, end=OCT_5)

    page.set_viewport_size({"width": 1280, "height": 900})
    log_in(page, live_server, manager)
    page.goto(live_server.url + "/resultaten/?periode=2026Q4")
    figures = page.locator(".huizen-results-figures")
    expect(figures.get_by_role("link", name="Vrijwilligersuren")).to_be_visible()
    expect(figures.get_by_role("link", name="Mantelzorgers ondersteund")).to_be_visible()
    expect(page.locator("body")).not_to_contain_text("Nietzichtbaar")
    assert_accessible(page)

    page.goto(live_server.url + "/resultaten/huizen/het-klooster/volunteer_hours/?periode=2026Q4")
    expect(page.get_by_role("heading", level=1)).to_contain_text(re.compile("Vrijwilligersuren"))
    expect(page.locator("main")).to_contain_text("6,0")  # 90 + 120 + 150 minutes
    assert_accessible(page)
