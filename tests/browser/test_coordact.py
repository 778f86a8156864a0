"""Coordinator journeys: editing an activity, ending a weekly series, and the door log over a week and a month
with its export. An axe check on every page state."""

import csv
import datetime as dt
import io
import re
from zoneinfo import ZoneInfo

import pytest
from playwright.sync_api import expect

from accounts.models import Role
from activities import services
from activities.models import Activity, Session
from audit.services import SYSTEM
from locations.models import RoomOccupancy
from tests.factories import (
    PASSWORD,
    DoorTallyFactory,
    HouseFactory,
    PlaceFactory,
    RegistrationFactory,
    RoleAssignmentFactory,
    RoomFactory,
    pass_second_factor,
)

from .conftest import assert_accessible

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.date_sensitive]

AMSTERDAM = ZoneInfo("Europe/Amsterdam")


@pytest.fixture(autouse=True)
def monday_morning(clock):
    """These tests name their days (a series ending on 14 December 2026): they run on Monday 30 November 2026,
    07:00 in Amsterdam, whatever today `make test-dates` picks."""
    clock.move_to(dt.datetime(2026, 11, 30, 7, 0, tzinfo=AMSTERDAM))


NEXT_MONDAY = dt.date(2026, 12, 7)  # the clock reads Monday 30 November 2026, 07:00


@pytest.fixture
def klooster():
    house = HouseFactory(name="Huis van de Wijk Het Klooster", slug="het-klooster")
    place = PlaceFactory(house=house, name="Het Klooster")
    zaal = RoomFactory(place=place, name="Grote zaal", capacity=40)
    RoomFactory(place=place, name="Keuken", capacity=12)
    serre = RoomFactory(place=place, name="Serre", capacity=20)
    activity = services.activity_create(
        house=house,
        place=place,
        room=zaal,
        title="Sjoelen",
        category="meeting",
        organiser="residents",
        first_date=NEXT_MONDAY,
        start_time=dt.time(19, 0),
        end_time=dt.time(21, 0),
        weekdays=[0],
        until=NEXT_MONDAY + dt.timedelta(weeks=3),
        capacity=16,
        registration_required=True,
        skip_holidays=False,
        by=SYSTEM,
    )
    # The serre is taken on the second Monday.
    second = activity.sessions.order_by("start")[1]
    RoomOccupancy.objects.create(room=serre, start=second.start, end=second.end, kind="booking")
    RegistrationFactory(session=activity.sessions.order_by("start").last())
    return house


def log_in(page, live_server, user):
    page.context.add_cookies([{"name": "django_language", "value": "en", "url": live_server.url}])
    page.goto(live_server.url + "/accounts/login/")
    page.get_by_label("Email").fill(user.email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign In").click()
    pass_second_factor(page)
    expect(page).to_have_url(live_server.url + "/start/")


def test_coordinator_edits_an_activity_and_ends_the_series(page, live_server, klooster):
    page.set_viewport_size({"width": 1024, "height": 768})
    coordinator = RoleAssignmentFactory(role=Role.COORDINATOR, house=klooster).user
    log_in(page, live_server, coordinator)
    page.goto(live_server.url + "/beheer/huizen/het-klooster/programma/")
    assert_accessible(page)

    page.get_by_role("link", name="Change – Sjoelen").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Change Sjoelen")
    assert_accessible(page)

    page.get_by_label("Title").fill("Sjoelen en kaarten")
    page.get_by_label("Number of places").fill("0")  # a mistake first
    page.get_by_label("Room for the coming sessions").select_option(label="Serre (Het Klooster)")  # taken once
    page.get_by_role("button", name="Save the changes").click()
    expect(page.get_by_label("Number of places")).to_have_attribute("aria-invalid", "true")
    expect(page.locator("[data-error-summary]")).to_contain_text(
        "Enter at least 1 place, or leave it empty when there is no limit."
    )
    assert_accessible(page)

    page.get_by_label("Number of places").fill("12")
    page.get_by_role("button", name="Save the changes").click()
    room = page.get_by_label("Room for the coming sessions")
    expect(room).to_have_attribute("aria-invalid", "true")
    expect(page.locator("[data-error-summary]")).to_contain_text(
        re.compile(r"Serre is already in use on 14-12-2026 19:00")
    )
    assert_accessible(page)
    assert Activity.objects.get().title == "Sjoelen"  # nothing saved

    room.select_option(label="Keuken (Het Klooster)")
    page.get_by_role("button", name="Save the changes").click()
    expect(page.get_by_text("“Sjoelen en kaarten” is saved.")).to_be_visible()
    expect(page.get_by_text("4 coming sessions have the new room.")).to_be_visible()
    activities = page.get_by_role("table", name="Running and coming activities")
    expect(activities.get_by_role("cell", name="Het Klooster, Keuken")).to_be_visible()
    assert_accessible(page)

    page.get_by_role("link", name="End the series – Sjoelen en kaarten").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("End the series Sjoelen en kaarten")
    assert_accessible(page)
    page.get_by_label("Cancel from this day on").fill("2026-12-14")
    page.get_by_role("button", name="End the series").click()  # without a reason
    expect(page.get_by_label("Reason")).to_have_attribute("aria-invalid", "true")
    assert_accessible(page)
    page.get_by_label("Reason").fill("De cursus is klaar")
    page.get_by_role("button", name="End the series").click()
    ended = "“Sjoelen en kaarten” ends: 3 sessions from 14 December 2026 on are cancelled."
    expect(page.get_by_text(ended)).to_be_visible()
    assert_accessible(page)
    statuses = list(Session.objects.order_by("start").values_list("status", flat=True))
    assert statuses == ["planned", "cancelled", "cancelled", "cancelled"]


def test_coordinator_reads_the_door_log_per_week_and_month_and_downloads_it(page, live_server, klooster):
    page.set_viewport_size({"width": 1024, "height": 768})
    place = klooster.places.get()
    for day, count in [(dt.date(2026, 11, 23), 3), (dt.date(2026, 11, 25), 2), (dt.date(2026, 11, 30), 1)]:
        recorded = dt.datetime.combine(day, dt.time(6, 30), tzinfo=AMSTERDAM)
        DoorTallyFactory(house=klooster, place=place, recorded_at=recorded, count=count)
    coordinator = RoleAssignmentFactory(role=Role.COORDINATOR, house=klooster).user
    log_in(page, live_server, coordinator)
    page.goto(live_server.url + "/beheer/huizen/het-klooster/programma/")
    page.get_by_role("link", name="Door log").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Door log of Monday 30 November 2026")
    assert_accessible(page)

    page.get_by_role("navigation", name="Day, week or month").get_by_role("link", name="Week").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Door log of week 49, 30 November to 6 December 2026")
    assert_accessible(page)
    page.get_by_role("link", name=re.compile(r"^Previous \(week 48")).click()
    table = page.get_by_role("table", name=re.compile("Visitors at Het Klooster per day"))
    expect(table.get_by_role("row", name=re.compile("^Total"))).to_contain_text("5")
    assert_accessible(page)

    page.get_by_role("navigation", name="Day, week or month").get_by_role("link", name="Month").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Door log of November 2026")
    expect(table.get_by_role("row")).to_have_count(1 + 30 + 1)
    expect(table.get_by_role("row", name=re.compile("^Total"))).to_contain_text("6")
    assert_accessible(page)

    with page.expect_download() as download_info:
        page.get_by_role("link", name="CSV").click()
    download = download_info.value
    assert download.suggested_filename == "deurlog-het-klooster-2026-11.csv"
    lines = list(csv.reader(io.StringIO(open(download.path(), encoding="utf-8-sig").read()), delimiter=";"))
    assert lines[-1][:2] == ["All places", "Total"] and lines[-1][4] == "6"

    page.get_by_role("combobox", name="Period").select_option("week")
    page.get_by_role("textbox", name="Date").fill("2026-11-25")
    page.get_by_role("button", name="Show", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Door log of week 48, 23 November to 29 November 2026")
    assert_accessible(page)
