"""Fixes after the browser walk of issue 9: the login page's Tab order, the house's request list and "My bookings"
on a phone, the programme list after a close-out. An axe check on every page."""

import datetime as dt

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect

from accounts.models import Role
from bookings import services
from tests.factories import (
    PASSWORD,
    BookingFactory,
    HouseFactory,
    PlaceFactory,
    RoleAssignmentFactory,
    UserFactory,
    at,
    bookable_room,
    next_weekday,
)

from .conftest import assert_accessible

pytestmark = pytest.mark.django_db(transaction=True)

PHONE = {"width": 390, "height": 844}
TABLET = {"width": 1024, "height": 768}


def log_in(page, live_server, user):
    """A session for `user` without going through the login form (tested on its own below)."""
    client = Client()
    client.force_login(user)
    cookie = client.cookies[settings.SESSION_COOKIE_NAME].value
    page.context.add_cookies([{"name": settings.SESSION_COOKIE_NAME, "value": cookie, "url": live_server.url}])


def test_tab_goes_from_the_email_address_to_the_password_on_the_login_page(page, live_server):
    user = UserFactory()
    page.set_viewport_size(PHONE)
    page.goto(live_server.url + reverse("account_login"))
    assert_accessible(page)
    email = page.get_by_label("E-mailadres")
    email.focus()
    email.fill(user.email)
    page.keyboard.press("Tab")
    expect(page.get_by_label("Wachtwoord", exact=True)).to_be_focused()
    page.keyboard.type(PASSWORD)
    page.keyboard.press("Tab")
    expect(page.get_by_label("Onthouden")).to_be_focused()
    page.keyboard.press("Tab")
    expect(page.get_by_role("button", name="Inloggen")).to_be_focused()
    # The "forgotten password" link comes after the button and still leads to the reset page.
    page.keyboard.press("Tab")
    link = page.get_by_role("link", name="Wachtwoord vergeten?")
    expect(link).to_be_focused()
    expect(link).to_have_attribute("href", reverse("account_reset_password"))
    page.keyboard.press("Shift+Tab")
    page.keyboard.press("Enter")
    expect(page).not_to_have_url(live_server.url + reverse("account_login"))
    assert_accessible(page)


def test_the_house_request_list_on_a_phone_folds_its_filters_so_the_first_request_is_near(page, live_server):
    house = HouseFactory(name="Huis van de Wijk Het Klooster", slug="het-klooster")
    room = bookable_room(place=PlaceFactory(house=house, name="Het Klooster"), name="Grote zaal", capacity=30)
    renter = UserFactory(first_name="Fatima", last_name="Amrani")
    tuesday = next_weekday(1)
    services.booking_request(
        room=room,
        start=at(tuesday, 10),
        end=at(tuesday, 12),
        tier="resident",
        purpose="Verjaardag oma",
        people=15,
        renter=renter,
        rules_accepted=True,
        by=renter,
    )
    log_in(page, live_server, RoleAssignmentFactory(role=Role.COORDINATOR, house=house).user)
    page.set_viewport_size(PHONE)
    page.goto(live_server.url + reverse("bookings:house_requests", args=[house.slug]))
    filters = page.locator("details.huizen-fold")
    expect(filters).not_to_have_attribute("open", "")
    expect(page.get_by_label("Ruimte")).to_be_hidden()
    first = page.get_by_role("table", name="1 aanvraag wacht").get_by_role("row").nth(1)
    top = first.evaluate("row => row.getBoundingClientRect().top + window.scrollY")
    assert top < 2 * PHONE["height"], top
    # The heading of the waiting requests is on the first screen.
    heading = page.get_by_role("heading", name="Wachtende aanvragen")
    assert heading.evaluate("h => h.getBoundingClientRect().bottom + window.scrollY") < PHONE["height"]
    assert_accessible(page)
    # The filters open with one tap on their heading.
    page.locator("summary.huizen-fold__summary").click()
    expect(page.get_by_label("Ruimte")).to_be_visible()
    assert_accessible(page)


def test_the_house_request_list_keeps_its_filters_open_on_a_tablet(page, live_server):
    house = HouseFactory(slug="het-klooster")
    log_in(page, live_server, RoleAssignmentFactory(role=Role.COORDINATOR, house=house).user)
    page.set_viewport_size(TABLET)
    page.goto(live_server.url + reverse("bookings:house_requests", args=[house.slug]))
    expect(page.get_by_label("Ruimte")).to_be_visible()
    assert_accessible(page)


def test_my_bookings_on_a_phone_lists_cancelled_weeks_apart_and_folded(page, live_server):
    resident = UserFactory()
    room = bookable_room(place=PlaceFactory(name="Het Klooster"), name="Grote zaal")
    tuesday = next_weekday(1)
    for week, status in enumerate(["approved", "cancelled", "approved", "rejected"]):
        day = tuesday + dt.timedelta(weeks=week)
        claim = {} if status == "approved" else {"occupancy": None}
        BookingFactory(
            room=room,
            renter=resident,
            start=at(day, 10),
            end=at(day, 12),
            status=status,
            purpose=f"Week {week + 1}",
            **claim,
        )
    log_in(page, live_server, resident)
    page.set_viewport_size(PHONE)
    page.goto(live_server.url + reverse("bookings:my_bookings"))
    coming = page.get_by_role("table", name="Je boekingen die nog komen")
    expect(coming.get_by_text("Week 1")).to_be_visible()
    expect(coming.get_by_text("Week 3")).to_be_visible()
    expect(coming.get_by_text("Week 2")).to_have_count(0)
    expect(coming.get_by_text("Geannuleerd")).to_have_count(0)
    expect(page.get_by_text("Week 2")).to_be_hidden()  # folded away
    assert_accessible(page)
    page.get_by_text("Geannuleerd of niet mogelijk (2)").click()
    stopped = page.get_by_role("table", name="Je geannuleerde of afgewezen boekingen die nog zouden komen")
    expect(stopped.get_by_text("Week 2")).to_be_visible()
    expect(stopped.get_by_text("Week 4")).to_be_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    assert_accessible(page)


def test_the_programme_shows_a_closed_out_session_as_afgesloten(page, live_server):
    from activities import services as activity_services
    from tests.factories import ActivityFactory, SessionFactory

    house = HouseFactory(slug="het-klooster")
    place = PlaceFactory(house=house)
    today = timezone.localdate()
    activity = ActivityFactory(house=house, place=place, first_date=today, title="Vroege wandeling")
    start = dt.datetime.combine(today, dt.time(6), tzinfo=timezone.get_current_timezone())
    session = SessionFactory(activity=activity, start=start, end=start + dt.timedelta(minutes=45))
    host = RoleAssignmentFactory(role=Role.HOST, house=house).user
    activity_services.session_close(session=session, participants=8, volunteers=1, by=host)
    log_in(page, live_server, RoleAssignmentFactory(role=Role.COORDINATOR, house=house).user)
    for size in (TABLET, {"width": 768, "height": 1024}):
        page.set_viewport_size(size)
        page.goto(live_server.url + reverse("activities:programme", args=[house.slug]))
        sessions = page.locator("section[aria-labelledby=sessions-heading]")
        row = sessions.get_by_role("row").filter(has_text="Vroege wandeling")
        expect(row).to_contain_text("afgesloten")
        expect(row).not_to_contain_text("gepland")
        assert_accessible(page)
