"""Room rental from end to end: a resident signs up, verifies the e-mail address from the outbox, finds a free
room, requests it (preview, then confirm); the coordinator approves it; the resident finds it confirmed in
'My bookings' and cancels it. An axe check on every page state."""

import re

import pytest
from django.core import mail
from playwright.sync_api import expect

from bookings.models import Booking
from tests.factories import (
    PASSWORD,
    BookingFactory,
    DistrictFactory,
    HouseFactory,
    NeighbourhoodFactory,
    PlaceFactory,
    RoleAssignmentFactory,
    RoomFacilityFactory,
    at,
    bookable_room,
    next_weekday,
    pass_second_factor,
)

from .conftest import assert_accessible

pytestmark = pytest.mark.django_db(transaction=True)

RESIDENT_EMAIL = "fatima@example.nl"
RESIDENT_PASSWORD = "een-lang-wachtwoord-42"


@pytest.fixture
def rental():
    noord = DistrictFactory(name="Noord", slug="noord")
    blijdorp = NeighbourhoodFactory(district=noord, name="Blijdorp", slug="blijdorp")
    house = HouseFactory(name="Huis van de Wijk Het Klooster", slug="het-klooster", neighbourhood=blijdorp)
    house.house_rules = "Om 17:00 uur is de zaal leeg en opgeruimd. Niet roken."
    house.cancellation_days = 7
    house.save()
    place = PlaceFactory(house=house, name="Het Klooster", street="Stadhoudersweg", postcode="3039 CA")
    room = bookable_room(name="Grote zaal", capacity=40, place=place)
    RoomFacilityFactory(room=room, facility="kitchen")
    busy = bookable_room(name="Kleine zaal", capacity=12)
    day = next_weekday(1, weeks_ahead=2)  # a Tuesday more than a week ahead: cancelling is free
    BookingFactory(room=busy, start=at(day, 9), end=at(day, 17))
    coordinator = RoleAssignmentFactory(role="coordinator", house=house).user
    return {"house": house, "room": room, "day": day, "coordinator": coordinator}


def english(context, live_server):
    context.add_cookies([{"name": "django_language", "value": "en", "url": live_server.url}])


def test_resident_books_a_room_the_coordinator_approves_and_the_resident_cancels(page, browser, live_server, rental):
    english(page.context, live_server)
    day = rental["day"]

    # Sign up and verify the e-mail address from the outbox.
    page.goto(live_server.url + "/accounts/signup/")
    assert_accessible(page)
    page.get_by_label("First name").fill("Fatima")
    page.get_by_label("Email").fill(RESIDENT_EMAIL)
    page.get_by_label("Password", exact=True).fill(RESIDENT_PASSWORD)
    page.get_by_label("Password (again)").fill(RESIDENT_PASSWORD)
    page.get_by_role("button", name="Sign Up").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(re.compile("Verify Your Email Address", re.I))
    assert_accessible(page)
    (message,) = mail.outbox
    assert message.to == [RESIDENT_EMAIL]
    link = re.search(r"https?://[^/\s]+(/accounts/confirm-email/[^\s]+/)", message.body).group(1)
    page.goto(live_server.url + link)
    assert_accessible(page)
    page.get_by_role("button", name="Confirm").click()
    assert_accessible(page)

    # Log in (when confirming did not already do so).
    if page.get_by_role("button", name="Log out").count() == 0:
        page.goto(live_server.url + "/accounts/login/")
        page.get_by_label("Email").fill(RESIDENT_EMAIL)
        page.get_by_label("Password").fill(RESIDENT_PASSWORD)
        page.get_by_role("button", name="Sign In").click()
        pass_second_factor(page)
    expect(page.get_by_role("button", name="Log out")).to_be_visible()

    # Search a room that is free on the day and time.
    page.goto(live_server.url + "/zalen/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Rent a room")
    expect(page.locator("#result-count")).to_have_text("2 rooms found")
    assert_accessible(page)
    page.get_by_label("Date").fill(day.isoformat())
    page.get_by_label("From", exact=True).fill("10:00")
    page.get_by_label("Until", exact=True).fill("12:00")
    page.get_by_label("Number of people").fill("15")
    page.get_by_label("Number of people").press("Tab")  # a change event: HTMX swaps the results in place
    expect(page.locator("#result-count")).to_have_text("1 room found")
    expect(page).to_have_url(re.compile(r"start=10%3A00"))
    expect(page.locator("#results").get_by_role("link", name="Kleine zaal")).to_have_count(0)
    assert_accessible(page)

    # The room page: facts, rates, rules and the week with the chosen day.
    page.locator("#results").get_by_role("link", name="Grote zaal").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Grote zaal")
    expect(page.get_by_text("Om 17:00 uur is de zaal leeg en opgeruimd.")).to_be_visible()
    expect(page.get_by_role("table", name=re.compile("Grote zaal, week of"))).to_be_visible()
    expect(page.get_by_role("link", name="Subscribe to this room's calendar")).to_be_visible()
    assert_accessible(page)

    # Request it: the form takes over the search, then the preview, then confirm.
    page.get_by_role("link", name="Request this room").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Request Grote zaal")
    expect(page.get_by_label("Date")).to_have_value(day.isoformat())
    expect(page.get_by_label("Number of people")).to_have_value("15")
    assert_accessible(page)
    page.get_by_label("What is the room for?").fill("Vergadering bewonerscommissie")
    page.get_by_label("Social organisation").check()
    page.get_by_role("button", name="Check and see the price").click()
    # Forgot the house rules: the error is at the checkbox, nothing is booked.
    expect(page.get_by_text("Accept the house rules to book.", exact=True)).to_be_visible()
    expect(page.locator("[data-error-summary]")).to_be_focused()  # the summary lists and links the field
    expect(page.locator("[data-error-summary]")).to_contain_text("Nothing is booked yet.")
    expect(page.get_by_label("I have read the house rules and accept them")).to_have_attribute("aria-invalid", "true")
    assert_accessible(page)
    page.get_by_label("I have read the house rules and accept them").check()
    page.get_by_role("button", name="Check and see the price").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Check your request")
    expect(page.get_by_text("€ 20.00")).to_be_visible()
    assert_accessible(page)
    assert not Booking.objects.filter(renter__email=RESIDENT_EMAIL).exists()
    page.get_by_role("button", name="Confirm").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("My bookings")
    expect(page.get_by_text("Your request for Grote zaal is sent and waits for approval by the house.")).to_be_visible()
    row = page.get_by_role("row").filter(has_text="Grote zaal")
    expect(row).to_contain_text("Waiting for approval")
    assert_accessible(page)
    booking = Booking.objects.get(renter__email=RESIDENT_EMAIL)
    assert booking.status == Booking.Status.REQUESTED

    # The coordinator approves it, in a browser of their own.
    context = browser.new_context(locale="en-GB", timezone_id="Europe/Amsterdam")
    english(context, live_server)
    coordinator_page = context.new_page()
    coordinator_page.set_default_timeout(10_000)
    coordinator_page.goto(live_server.url + "/accounts/login/")
    coordinator_page.get_by_label("Email").fill(rental["coordinator"].email)
    coordinator_page.get_by_label("Password").fill(PASSWORD)
    coordinator_page.get_by_role("button", name="Sign In").click()
    pass_second_factor(coordinator_page)
    coordinator_page.goto(live_server.url + "/beheer/huizen/het-klooster/boekingen/")
    expect(coordinator_page.get_by_role("row").filter(has_text="Vergadering bewonerscommissie")).to_be_visible()
    assert_accessible(coordinator_page)
    coordinator_page.get_by_role("button", name=re.compile(r"^Approve")).click()
    expect(coordinator_page.get_by_text(re.compile(r"^Approved: Grote zaal"))).to_be_visible()
    assert_accessible(coordinator_page)
    context.close()
    booking.refresh_from_db()
    assert booking.status == Booking.Status.APPROVED

    # The resident finds it confirmed and cancels it, free of charge this far ahead.
    page.reload()
    row = page.get_by_role("row").filter(has_text="Grote zaal")
    expect(row).to_contain_text("Confirmed")
    expect(row).to_contain_text("Free of charge now")
    assert_accessible(page)
    row.get_by_role("link", name=re.compile(r"^Cancel the booking of Grote zaal")).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Cancel a booking")
    expect(page.get_by_text(re.compile(r"^Cancelling is free of charge until"))).to_be_visible()
    assert_accessible(page)
    page.get_by_role("button", name="Cancel free of charge").click()
    expect(page.get_by_text(re.compile(r"^Your booking of Grote zaal on .* is cancelled\.$"))).to_be_visible()
    expect(page.get_by_text("You have no bookings still to come.")).to_be_visible()
    page.get_by_text("Cancelled or not possible (1)").click()  # listed apart, folded
    expect(page.get_by_role("row").filter(has_text="Grote zaal")).to_contain_text("Cancelled by you")
    assert_accessible(page)
    booking.refresh_from_db()
    assert booking.status == Booking.Status.CANCELLED and booking.cancellation_cost == 0
    # Requested, approved, cancelled: the resident heard of each (after the sign-up confirmation); the coordinator
    # heard of the request.
    coordinator = rental["coordinator"]
    assert [m.to for m in mail.outbox[1:] if m.to != [coordinator.email]] == [[RESIDENT_EMAIL]] * 3
    assert [m.subject for m in mail.outbox if m.to == [coordinator.email]] == ["Nieuwe aanvraag: Grote zaal"]


def test_room_search_works_without_javascript(browser, live_server, rental):
    context = browser.new_context(java_script_enabled=False, locale="en-GB")
    english(context, live_server)
    page = context.new_page()
    page.goto(live_server.url + "/zalen/")
    page.get_by_label("Date").fill(rental["day"].isoformat())
    page.get_by_label("From", exact=True).fill("10:00")
    page.get_by_label("Until", exact=True).fill("12:00")
    page.get_by_role("button", name="Show rooms").click()
    expect(page.locator("#result-count")).to_have_text("1 room found")
    expect(page.locator("#results").get_by_role("link", name="Grote zaal")).to_be_visible()
    context.close()  # axe needs JavaScript; the same page is checked with it in the journey above
