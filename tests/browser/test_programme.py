"""Journeys through the coordinator's programme and the signal form, with an axe check on every page state."""

import datetime as dt
import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from accounts.models import Role
from activities.models import Session, Signal
from tests.factories import PASSWORD, HouseFactory, PlaceFactory, RoleAssignmentFactory, RoomFactory, pass_second_factor

from .conftest import assert_accessible

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.date_sensitive]


@pytest.fixture
def klooster():
    house = HouseFactory(name="Huis van de Wijk Het Klooster", slug="het-klooster")
    place = PlaceFactory(house=house, name="Het Klooster")
    RoomFactory(place=place, name="Grote zaal", capacity=40)
    return house


def english(page, live_server):
    page.context.add_cookies([{"name": "django_language", "value": "en", "url": live_server.url}])


def log_in(page, live_server, user):
    page.goto(live_server.url + "/accounts/login/")
    assert_accessible(page)
    page.get_by_label("Email").fill(user.email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign In").click()
    pass_second_factor(page)
    expect(page).to_have_url(live_server.url + "/start/")


WEEKDAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]


def test_coordinator_plans_a_weekly_activity_and_cancels_one_session(page, live_server, klooster):
    coordinator = RoleAssignmentFactory(role=Role.COORDINATOR, house=klooster).user
    english(page, live_server)
    log_in(page, live_server, coordinator)
    assert_accessible(page)

    page.goto(live_server.url + "/beheer/huizen/het-klooster/programma/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Programme of Huis van de Wijk Het Klooster")
    expect(page.get_by_text("No activities are planned yet.")).to_be_visible()
    assert_accessible(page)

    page.get_by_role("link", name="Plan an activity", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Plan an activity")
    assert_accessible(page)

    first = timezone.localdate() + dt.timedelta(days=1)  # four weeks from tomorrow fit the four-week overview
    page.get_by_label("Title").fill("Sjoelen")
    page.get_by_label("Category").select_option("meeting")
    page.get_by_label("people over 65").check()
    page.get_by_label("residents' initiative").check()
    page.get_by_label("Place", exact=True).select_option(label="Het Klooster")
    page.get_by_label("Room (optional)").select_option(label="Grote zaal (Het Klooster)")
    page.get_by_label("Number of places").fill("-5")  # a mistake first
    page.get_by_label("First day").fill(first.isoformat())
    page.get_by_label("Starts at").fill("19:00")
    page.get_by_label("Ends at").fill("21:00")
    page.get_by_label("Weekly, on the days chosen below").check()
    page.get_by_label(WEEKDAYS[first.weekday()]).check()
    page.get_by_label("Repeat until").fill((first + dt.timedelta(weeks=3)).isoformat())
    page.get_by_label("Skip public holidays").uncheck()
    page.get_by_role("button", name="Plan the activity").click()

    capacity = page.get_by_label("Number of places")
    expect(capacity).to_have_attribute("aria-invalid", "true")
    expect(
        page.get_by_text("Enter at least 1 place, or leave it empty when there is no limit.", exact=True)
    ).to_be_visible()
    assert_accessible(page)
    capacity.fill("16")
    page.get_by_role("button", name="Plan the activity").click()

    expect(page.get_by_text("“Sjoelen” is planned: 4 sessions.")).to_be_visible()
    sessions = page.get_by_role("table", name="4 sessions")
    expect(sessions.get_by_role("row")).to_have_count(5)  # the header and four sessions
    activities = page.get_by_role("table", name="Running and coming activities")
    expect(activities.get_by_role("rowheader", name=re.compile(r"^Sjoelen"))).to_be_visible()
    assert_accessible(page)

    page.get_by_role("link", name=re.compile(r"^Cancel – Sjoelen")).first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Cancel a session")
    assert_accessible(page)
    page.get_by_role("button", name="Cancel this session").click()  # without a reason
    expect(page.get_by_label("Reason")).to_have_attribute("aria-invalid", "true")
    assert_accessible(page)
    page.get_by_label("Reason").fill("De vrijwilligers zijn op uitje")
    page.get_by_role("button", name="Cancel this session").click()

    expect(page.get_by_text("is cancelled.")).to_be_visible()
    row = sessions.get_by_role("row").nth(1)
    expect(row).to_contain_text("cancelled")
    expect(row).to_contain_text("De vrijwilligers zijn op uitje")
    assert_accessible(page)
    assert Session.objects.filter(status=Session.Status.CANCELLED).count() == 1
    assert Session.objects.filter(status=Session.Status.PLANNED).count() == 3


def test_host_records_a_signal_after_removing_a_name(page, live_server, klooster):
    host = RoleAssignmentFactory(role=Role.HOST, house=klooster).user
    english(page, live_server)
    log_in(page, live_server, host)

    page.goto(live_server.url + "/beheer/huizen/het-klooster/signalen/nieuw/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Record a signal")
    expect(page.get_by_text("No names and no diagnoses.")).to_be_visible()
    assert_accessible(page)

    page.get_by_label("Theme").select_option("loneliness")
    page.get_by_label("Passed on to").select_option("team")
    page.get_by_label("The person agreed to pass it on").check()
    remark = page.get_by_label("Remark")
    remark.fill("Mevrouw Jansen voelt zich eenzaam sinds de verhuizing")
    page.get_by_role("button", name="Save the signal").click()

    remark = page.get_by_label("Remark")
    expect(remark).to_have_attribute("aria-invalid", "true")
    expect(remark).to_have_attribute("aria-describedby", re.compile("id_remark_error"))
    expect(page.locator("#id_remark_error")).to_contain_text("this looks like a name")
    assert_accessible(page)
    assert not Signal.objects.exists()

    remark.fill("Voelt zich eenzaam sinds de verhuizing")
    page.get_by_role("button", name="Save the signal").click()
    expect(page).to_have_url(live_server.url + "/start/")
    expect(page.get_by_text("The signal is saved. Thank you for noticing.")).to_be_visible()
    assert_accessible(page)
    signal = Signal.objects.get()
    assert (signal.theme, signal.referred_to, signal.consent) == ("loneliness", "team", True)
    assert signal.remark == "Voelt zich eenzaam sinds de verhuizing"
