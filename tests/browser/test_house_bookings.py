"""The coordinator's side of room rental in the browser: approve, reject with a reason, book for a caller, and the
week calendar of the place; an axe check on every page state."""

import re

import pytest
from playwright.sync_api import expect

from accounts.models import Role
from bookings import services
from bookings.models import Booking
from tests.factories import (
    PASSWORD,
    HouseFactory,
    PlaceFactory,
    RoleAssignmentFactory,
    UserFactory,
    at,
    bookable_room,
    next_weekday,
    pass_second_factor,
)

from .conftest import assert_accessible

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def klooster():
    house = HouseFactory(name="Huis van de Wijk Het Klooster", slug="het-klooster")
    place = PlaceFactory(house=house, name="Het Klooster")
    room = bookable_room(place=place, name="Grote zaal", capacity=30)
    return house, room


def request_room(room, *, first_name, last_name, day, hour, purpose):
    return services.booking_request(
        room=room,
        start=at(day, hour),
        end=at(day, hour + 2),
        tier="resident",
        purpose=purpose,
        people=15,
        renter=UserFactory(first_name=first_name, last_name=last_name),
        rules_accepted=True,
        by=UserFactory(first_name=first_name, last_name=last_name),
    )


def log_in(page, live_server, user):
    page.context.add_cookies([{"name": "django_language", "value": "en", "url": live_server.url}])
    page.goto(live_server.url + "/accounts/login/")
    assert_accessible(page)
    page.get_by_label("Email").fill(user.email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign In").click()
    pass_second_factor(page)
    expect(page).to_have_url(live_server.url + "/start/")


def test_coordinator_decides_on_requests_books_for_a_caller_and_sees_the_week(page, live_server, klooster):
    house, room = klooster
    coordinator = RoleAssignmentFactory(role=Role.COORDINATOR, house=house).user
    tuesday = next_weekday(1)
    request_room(room, first_name="Fatima", last_name="Amrani", day=tuesday, hour=10, purpose="Verjaardag oma")
    request_room(room, first_name="Ahmed", last_name="Yilmaz", day=tuesday, hour=14, purpose="Buurtfeest")

    log_in(page, live_server, coordinator)
    page.goto(live_server.url + "/beheer/huizen/het-klooster/boekingen/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Room bookings of Huis van de Wijk Het Klooster")
    waiting = page.get_by_role("table", name="2 requests waiting")
    expect(waiting.get_by_text("Verjaardag oma")).to_be_visible()
    expect(page.get_by_text("No approved bookings to come.")).to_be_visible()
    assert_accessible(page)

    # Approve Fatima's request.
    page.get_by_role("button", name=re.compile(r"^Approve – request of Fatima Amrani")).click()
    expect(page.get_by_text(re.compile(r"^Approved: Grote zaal on .* for Fatima Amrani\."))).to_be_visible()
    expect(page.get_by_role("table", name="1 request waiting")).to_be_visible()
    expect(page.get_by_role("table", name="1 approved booking").get_by_text("Verjaardag oma")).to_be_visible()
    assert_accessible(page)

    # Reject Ahmed's, first forgetting the reason.
    page.get_by_role("link", name=re.compile(r"^Reject – request of Ahmed Yilmaz")).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Reject a request")
    expect(page.get_by_text("Buurtfeest")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("button", name="Reject the request").click()
    reason = page.get_by_label("Reason")
    expect(reason).to_have_attribute("aria-invalid", "true")
    expect(page.get_by_text("Give a reason; the renter will read it.", exact=True)).to_be_visible()
    assert_accessible(page)
    reason.fill("Die middag is er al een buurtfeest in de grote zaal")
    page.get_by_role("button", name="Reject the request").click()
    expect(page.get_by_text(re.compile(r"^Rejected: the request of Ahmed Yilmaz"))).to_be_visible()
    expect(page.get_by_text("No requests are waiting. New requests from residents appear here.")).to_be_visible()
    assert_accessible(page)

    # Someone phones: book for them, after seeing the price.
    page.get_by_role("link", name="Book for someone who phoned").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Book for someone who phoned")
    assert_accessible(page)
    page.get_by_label("Room").select_option(label="Grote zaal (Het Klooster)")
    page.get_by_label("Date").fill(tuesday.isoformat())
    page.get_by_label("Starts at").fill("13:00")
    page.get_by_label("Ends at").fill("16:00")
    page.get_by_label("Renter tier").select_option("social")
    page.get_by_label("Purpose").fill("Cursus Nederlands")
    page.get_by_label("Number of people").fill("40")  # too many for the room
    page.get_by_label("Name of the renter").fill("Stichting Taalmaatje")
    page.get_by_label(re.compile("^Phone number")).fill("010-1234567")
    page.get_by_role("button", name="Show the price").click()
    people = page.get_by_label("Number of people")
    expect(people).to_have_attribute("aria-invalid", "true")
    expect(page.get_by_text("At most 30 people fit in this room.", exact=True)).to_be_visible()
    assert_accessible(page)
    people.fill("12")
    page.get_by_role("button", name="Show the price").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Check and book")
    expect(page.get_by_text("€\xa030.00")).to_be_visible()  # three hours at 10, at most one day part of 30
    assert_accessible(page)
    page.get_by_role("button", name="Book the room").click()
    expect(page.get_by_text(re.compile(r"^Booked: Grote zaal on .* for Stichting Taalmaatje\."))).to_be_visible()
    expect(
        page.get_by_role("table", name="2 approved bookings").get_by_role(
            "cell", name=re.compile("^Stichting Taalmaatje")
        )
    ).to_be_visible()
    assert_accessible(page)

    # The week calendar of the place.
    page.get_by_role("link", name="Calendar per place").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Room calendar of Het Klooster")
    assert_accessible(page)
    page.get_by_label("Day").fill(tuesday.isoformat())
    page.get_by_label("Show").select_option("week")
    page.get_by_role("button", name="Show", exact=True).click()
    week = page.get_by_role("table", name=re.compile(r"^Grote zaal, "))
    expect(week.get_by_role("row")).to_have_count(3)  # the header and two bookings
    expect(week.get_by_role("row").nth(1)).to_contain_text("Verjaardag oma")
    expect(week.get_by_role("row").nth(1)).to_contain_text("Fatima Amrani")
    expect(week.get_by_role("row").nth(2)).to_contain_text("Stichting Taalmaatje")
    expect(week).not_to_contain_text("Buurtfeest")  # rejected: the room is free again
    assert_accessible(page)
    page.get_by_role("link", name="Next week").click()
    expect(page.get_by_text("Nothing booked or planned in this room this week.")).to_be_visible()
    assert_accessible(page)

    assert Booking.objects.filter(status="approved").count() == 2
    assert Booking.objects.filter(status="rejected").count() == 1
