"""A passkey as the second login step, in the browser, with Chromium's virtual authenticator (a CDP session): a
coordinator without a second factor logs in, is sent to set-up, chooses a passkey instead of the app, adds one, sees
the recovery codes and reaches the start page; logs out; logs in again with the password and then the passkey. An
axe check on each page."""

import re

import pytest
from playwright.sync_api import expect

from accounts.models import Role
from audit.models import Event
from tests.factories import PASSWORD, RoleAssignmentFactory

from .conftest import assert_accessible

pytestmark = pytest.mark.django_db(transaction=True)

DESKTOP = {"width": 1280, "height": 900}


def _virtual_authenticator(page):
    cdp = page.context.new_cdp_session(page)
    cdp.send("WebAuthn.enable")
    cdp.send(
        "WebAuthn.addVirtualAuthenticator",
        {
            "options": {
                "protocol": "ctap2",
                "transport": "internal",
                "hasResidentKey": True,
                "hasUserVerification": True,
                "isUserVerified": True,
            }
        },
    )
    return cdp


def _log_in(page, live_server, email):
    page.goto(live_server.url + "/accounts/login/")
    page.get_by_label("E-mailadres").fill(email)
    page.get_by_label("Wachtwoord").fill(PASSWORD)
    page.get_by_role("button", name="Inloggen").click()


def test_a_coordinator_sets_up_a_passkey_and_logs_in_with_it(page, live_server, house):
    page.set_viewport_size(DESKTOP)
    _virtual_authenticator(page)
    coordinator = RoleAssignmentFactory(role=Role.COORDINATOR, house=house, user__second_factor=False).user

    _log_in(page, live_server, coordinator.email)
    expect(page).to_have_url(live_server.url + "/accounts/2fa/totp/activate/")
    offer = page.get_by_role("link", name="Gebruik liever een passkey")
    expect(offer).to_be_visible()  # the browser supports passkeys
    assert_accessible(page)
    offer.click()

    expect(page).to_have_url(live_server.url + "/accounts/2fa/webauthn/add/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Passkey toevoegen")
    page.get_by_label("Naam van de passkey").fill("Laptop thuis")
    assert_accessible(page)
    page.get_by_role("button", name="Maak de passkey").click()

    # The recovery codes that come with a first second factor, then the start page.
    expect(page.get_by_role("heading", level=1)).to_have_text("Herstelcodes")
    assert_accessible(page)
    page.get_by_role("link", name="Ik heb ze bewaard: verder").click()
    expect(page).to_have_url(live_server.url + "/start/")
    assert Event.objects.filter(action="mfa.activate", changes__type="webauthn").count() == 1

    # The second step's page lists the passkey.
    page.goto(live_server.url + "/accounts/2fa/")
    expect(page.get_by_text("Aan: je kunt inloggen met 1 passkey.")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("link", name="Je passkeys").click()
    expect(page.locator("[data-passkeys]")).to_contain_text("Laptop thuis")
    assert_accessible(page)
    page.get_by_role("link", name="Andere naam Laptop thuis").click()
    expect(page).to_have_url(re.compile(r"/accounts/reauthenticate/"))  # a change: the password again
    page.get_by_label("Wachtwoord").fill(PASSWORD)
    page.get_by_label("Wachtwoord").press("Enter")
    expect(page.get_by_role("heading", level=1)).to_have_text("Andere naam voor de passkey")
    page.get_by_label("Naam van de passkey").fill("Laptop op kantoor")
    assert_accessible(page)
    page.get_by_role("button", name="Opslaan").click()
    expect(page.locator("[data-passkeys]")).to_contain_text("Laptop op kantoor")

    page.get_by_role("button", name="Uitloggen").first.click()
    expect(page.get_by_role("link", name="Inloggen", exact=True).first).to_be_visible()  # logged out

    # Logging in again: the password, then the passkey as the second step.
    _log_in(page, live_server, coordinator.email)
    expect(page).to_have_url(live_server.url + "/accounts/2fa/authenticate/")
    passkey_button = page.get_by_role("button", name="Gebruik je passkey")
    expect(passkey_button).to_be_visible()
    assert_accessible(page)
    passkey_button.click()
    expect(page).to_have_url(live_server.url + "/start/")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Welkom")
