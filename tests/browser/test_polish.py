"""Fixes after the browser walk of issue 9: the login page's Tab order, the house's request list and "My bookings"
on a phone, the programme list after a close-out. An axe check on every page."""

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from tests.factories import PASSWORD, UserFactory

from .conftest import assert_accessible

pytestmark = pytest.mark.django_db(transaction=True)

PHONE = {"width": 390, "height": 844}


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
