"""A coordinator on a tablet: hears of a new request by e-mail, sees it waiting on the start page, switches the
e-mails off and on; and edits the rate card of a room. An axe check on every page state."""

import pytest
from django.core import mail
from playwright.sync_api import expect

from accounts.models import Role, RoleAssignment
from bookings import services
from locations.models import RoomRate
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

TUESDAY = next_weekday(1)


@pytest.fixture
def klooster():
    house = HouseFactory(name="Huis van de Wijk Het Klooster", slug="het-klooster")
    room = bookable_room(place=PlaceFactory(house=house, name="Het Klooster"), name="Grote zaal", capacity=30)
    coordinator = UserFactory(first_name="Anna", email="anna@example.nl", language="en")
    RoleAssignmentFactory(user=coordinator, role=Role.COORDINATOR, house=house)
    return house, room, coordinator


def request_room(room, *, hour):
    renter = UserFactory(first_name="Fatima", last_name="Amrani")
    return services.booking_request(
        room=room,
        start=at(TUESDAY, hour),
        end=at(TUESDAY, hour + 2),
        tier="social",
        purpose="Buurtoverleg",
        people=12,
        renter=renter,
        rules_accepted=True,
        by=renter,
    )


def log_in(page, live_server, user):
    page.context.add_cookies([{"name": "django_language", "value": "en", "url": live_server.url}])
    page.goto(live_server.url + "/accounts/login/")
    page.get_by_label("Email").fill(user.email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign In").click()
    pass_second_factor(page)
    expect(page).to_have_url(live_server.url + "/start/")


@pytest.mark.parametrize("size", [(1024, 768), (768, 1024)], ids=["landscape", "portrait"])
def test_coordinator_hears_of_a_request_and_switches_the_emails_off_and_on(page, live_server, klooster, size):
    house, room, coordinator = klooster
    page.set_viewport_size({"width": size[0], "height": size[1]})
    request_room(room, hour=10)
    notice = [message for message in mail.outbox if message.to == [coordinator.email]]
    assert len(notice) == 1 and notice[0].subject == "New request: Grote zaal"
    link = next(line for line in notice[0].body.splitlines() if line.startswith("http"))
    assert link.endswith(f"/beheer/huizen/{house.slug}/boekingen/")

    log_in(page, live_server, coordinator)
    waiting = page.get_by_role("link", name="1 request waiting")
    expect(waiting).to_be_visible()
    assert_accessible(page)
    waiting.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Room bookings of Huis van de Wijk Het Klooster")
    expect(page.get_by_text("You get an e-mail at anna@example.nl for each new request of this house.")).to_be_visible()
    assert_accessible(page)

    page.get_by_role("button", name="Stop these e-mails").click()
    expect(page.get_by_text("You no longer get e-mails about new requests of this house.")).to_be_visible()
    expect(page.get_by_role("button", name="E-mail me new requests")).to_be_visible()
    assert_accessible(page)
    assert RoleAssignment.objects.get(user=coordinator).email_booking_requests is False
    mail.outbox.clear()
    request_room(room, hour=14)
    assert [message.to for message in mail.outbox if message.to == [coordinator.email]] == []

    page.get_by_role("button", name="E-mail me new requests").click()
    expect(page.get_by_text("You get an e-mail for each new request of this house.")).to_be_visible()
    assert_accessible(page)
    page.goto(live_server.url + "/start/")
    expect(page.get_by_role("link", name="2 requests waiting")).to_be_visible()


def test_coordinator_edits_the_rate_card_of_a_room(page, live_server, klooster):
    house, room, coordinator = klooster
    page.set_viewport_size({"width": 768, "height": 1024})
    log_in(page, live_server, coordinator)
    page.get_by_role("link", name="Room rates").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Room rates of Huis van de Wijk Het Klooster")
    assert_accessible(page)

    social = page.get_by_role("group", name="Social organisation")
    social.get_by_label("Per hour (euros)").fill("-5")
    page.get_by_role("button", name="Save the room rates").click()
    social = page.get_by_role("group", name="Social organisation")
    expect(social.get_by_label("Per hour (euros)")).to_have_attribute("aria-invalid", "true")
    expect(social.get_by_text("An amount cannot be below 0.")).to_be_visible()
    assert_accessible(page)
    assert RoomRate.objects.get(room=room, tier="social").per_hour == 10

    social.get_by_label("Per hour (euros)").fill("12.5")
    commercial = page.get_by_role("group", name="Commercial")
    commercial.get_by_label("Per hour (euros)").fill("")
    commercial.get_by_label("Per day part of 4 hours (euros)").fill("")
    page.get_by_role("button", name="Save the room rates").click()
    expect(page.get_by_text("The room rates are saved. Bookings made earlier keep the price they had.")).to_be_visible()
    assert_accessible(page)
    expect(page.get_by_role("group", name="Social organisation").get_by_label("Per hour (euros)")).to_have_value(
        "12.50"
    )
    rates = {rate.tier: rate.per_hour for rate in RoomRate.objects.filter(room=room)}
    assert rates == {"initiative": 0, "resident": 15, "social": 12.5}
