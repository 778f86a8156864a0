import pytest
from playwright.sync_api import expect

from tests.factories import (
    PASSWORD,
    HouseFactory,
    PlaceFactory,
    RoleAssignmentFactory,
    bookable_room,
    pass_second_factor,
)

from .conftest import assert_accessible

pytestmark = pytest.mark.django_db(transaction=True)


def test_coordinator_lets_a_room_confirm_requests_at_once(page, live_server):
    house = HouseFactory(name="Huis van de Wijk Het Klooster", slug="het-klooster")
    room = bookable_room(place=PlaceFactory(house=house, name="Het Klooster"), name="Grote zaal")
    coordinator = RoleAssignmentFactory(role="coordinator", house=house).user
    page.context.add_cookies([{"name": "django_language", "value": "en", "url": live_server.url}])
    page.goto(live_server.url + "/accounts/login/")
    page.get_by_label("Email").fill(coordinator.email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign In").click()
    pass_second_factor(page)
    page.get_by_role("link", name="Rental terms").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Rental terms of Huis van de Wijk Het Klooster")
    assert_accessible(page)

    page.get_by_label("Online requests need approval").uncheck()
    page.get_by_label("Deposit for private parties").fill("-10")
    page.get_by_role("button", name="Save the rental terms").click()
    expect(page.get_by_label("Deposit for private parties")).to_have_attribute("aria-invalid", "true")
    assert_accessible(page)

    page.get_by_label("Deposit for private parties").fill("25")
    page.get_by_label("Online requests need approval").uncheck()
    page.get_by_role("button", name="Save the rental terms").click()
    expect(page.get_by_text("The rental terms are saved.")).to_be_visible()
    assert_accessible(page)
    room.refresh_from_db()
    assert room.requires_approval is False
