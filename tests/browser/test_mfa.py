"""The second login step in the browser: a coordinator without one logs in with the form, is made to set up the
authenticator app (the code computed from the key shown on the page), reaches the start page, sees the sessions
page, logs out, and logs in again with a recovery code, by keyboard only. An axe check on each page."""

import re

import pytest
from playwright.sync_api import expect

from accounts.models import Role
from tests.factories import PASSWORD, RoleAssignmentFactory, totp_code

from .conftest import assert_accessible

pytestmark = pytest.mark.django_db(transaction=True)

DESKTOP = {"width": 1280, "height": 900}


def _tab_to(page, selector: str, limit: int = 40) -> None:
    """Press Tab until the element matching `selector` has the focus (the keyboard user's way there)."""
    for _ in range(limit):
        if page.evaluate("(s) => document.activeElement && document.activeElement.matches(s)", selector):
            return
        page.keyboard.press("Tab")
    raise AssertionError(f"Tab never reached {selector}")


def test_a_coordinator_is_made_to_set_up_the_app_and_then_uses_a_recovery_code(page, live_server, house):
    page.set_viewport_size(DESKTOP)
    coordinator = RoleAssignmentFactory(role=Role.COORDINATOR, house=house, user__second_factor=False).user

    page.goto(live_server.url + "/accounts/login/")
    page.get_by_label("E-mailadres").fill(coordinator.email)
    page.get_by_label("Wachtwoord").fill(PASSWORD)
    page.get_by_role("button", name="Inloggen").click()

    # Straight to setting up: no staff page opens before it.
    expect(page).to_have_url(live_server.url + "/accounts/2fa/totp/activate/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Tweede stap bij inloggen instellen")
    assert_accessible(page)
    page.goto(live_server.url + f"/beheer/huizen/{house.slug}/geschiedenis/")
    expect(page).to_have_url(live_server.url + "/accounts/2fa/totp/activate/")

    secret = page.locator("[data-totp-secret]").inner_text().strip()
    expect(page.get_by_role("img", name=re.compile("QR-code"))).to_be_visible()
    code_field = page.get_by_label("Code uit de app")
    expect(code_field).to_have_attribute("autocomplete", "one-time-code")
    expect(code_field).to_have_attribute("inputmode", "numeric")
    code_field.fill("000000" if totp_code(secret) != "000000" else "111111")
    page.get_by_role("button", name="Aanzetten").click()
    expect(page.locator("[data-error-summary]")).to_contain_text("Deze code klopt niet")
    assert_accessible(page)
    page.get_by_label("Code uit de app").fill(totp_code(secret))
    page.get_by_role("button", name="Aanzetten").click()

    # The recovery codes, once set up.
    expect(page.get_by_role("heading", level=1)).to_have_text("Herstelcodes")
    codes = [code.strip() for code in page.locator("[data-recovery-codes] li").all_inner_texts()]
    assert len(codes) == 10
    assert_accessible(page)
    page.get_by_role("link", name="Ik heb ze bewaard: verder").click()
    expect(page).to_have_url(live_server.url + "/start/")
    assert_accessible(page)

    # The second step's own page and the sessions page, from the start page.
    page.get_by_role("link", name="Tweede stap bij inloggen").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Tweede stap bij inloggen")
    expect(page.get_by_text("Nog 10 van de 10 codes over.")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("link", name="Waar je bent ingelogd").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Waar je bent ingelogd")
    expect(page.get_by_text("(dit apparaat)")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("button", name="Uitloggen").first.click()
    expect(page.get_by_role("link", name="Inloggen", exact=True).first).to_be_visible()  # logged out

    # Logging in again, by keyboard only, with a recovery code instead of the app's code.
    page.goto(live_server.url + "/accounts/login/")
    _tab_to(page, "input[name=login]")
    page.keyboard.type(coordinator.email)
    _tab_to(page, "input[name=password]")
    page.keyboard.type(PASSWORD)
    page.keyboard.press("Enter")
    expect(page).to_have_url(live_server.url + "/accounts/2fa/authenticate/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Inlogcode")
    assert_accessible(page)
    _tab_to(page, "input[name=code]")
    page.keyboard.type(codes[0])
    page.keyboard.press("Enter")
    expect(page).to_have_url(live_server.url + "/start/")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Welkom")

    # The same recovery code does not work twice.
    page.get_by_role("button", name="Uitloggen").first.click()
    expect(page.get_by_role("link", name="Inloggen", exact=True).first).to_be_visible()  # logged out
    page.goto(live_server.url + "/accounts/login/")
    page.get_by_label("E-mailadres").fill(coordinator.email)
    page.get_by_label("Wachtwoord").fill(PASSWORD)
    page.get_by_role("button", name="Inloggen").click()
    page.get_by_label("Inlogcode").fill(codes[0])
    page.get_by_role("button", name="Inloggen").click()
    expect(page.locator("[data-error-summary]")).to_contain_text("Deze code klopt niet")
    assert_accessible(page)


def test_new_recovery_codes_turning_off_and_the_password_again_pass_axe(page, live_server, house):
    page.set_viewport_size({"width": 390, "height": 844})  # a phone
    coordinator = RoleAssignmentFactory(role=Role.COORDINATOR, house=house).user
    page.goto(live_server.url + "/accounts/login/")
    page.get_by_label("E-mailadres").fill(coordinator.email)
    page.get_by_label("Wachtwoord").fill(PASSWORD)
    page.get_by_role("button", name="Inloggen").click()
    page.get_by_label("Inlogcode").fill(totp_code())
    page.get_by_role("button", name="Inloggen").click()
    expect(page).to_have_url(live_server.url + "/start/")

    page.goto(live_server.url + "/accounts/2fa/")
    page.get_by_role("link", name="Nieuwe codes maken").click()
    # Even just after logging in: new codes for an existing app ask for the password again (not the first set-up).
    expect(page).to_have_url(re.compile(r"/accounts/reauthenticate/"))
    page.get_by_label("Wachtwoord").fill(PASSWORD)
    page.get_by_label("Wachtwoord").press("Enter")
    expect(page.get_by_role("heading", level=1)).to_have_text("Herstelcodes")
    assert_accessible(page)
    page.get_by_role("button", name="Nieuwe codes maken").click()
    expect(page.locator("[data-recovery-codes] li")).to_have_count(10)

    page.goto(live_server.url + "/accounts/2fa/")
    page.get_by_role("link", name="Uitzetten of overzetten naar een nieuwe telefoon").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Tweede stap uitzetten")
    assert_accessible(page)
    page.get_by_role("button", name="Uitzetten").click()
    # Staff without the app: straight back to setting it up.
    expect(page).to_have_url(re.compile(r"/accounts/2fa/"))
    page.goto(live_server.url + "/start/")
    expect(page).to_have_url(live_server.url + "/accounts/2fa/totp/activate/")

    # A session older than a few minutes: the password again before changing the second step.
    page.clock.fast_forward("00:10:00")
    from django.conf import settings as django_settings
    from django.test import Client

    client = Client()
    client.force_login(coordinator)
    page.context.clear_cookies()
    page.context.add_cookies(
        [
            {
                "name": django_settings.SESSION_COOKIE_NAME,
                "value": client.cookies[django_settings.SESSION_COOKIE_NAME].value,
                "url": live_server.url,
            }
        ]
    )
    page.goto(live_server.url + "/accounts/2fa/totp/activate/")
    expect(page).to_have_url(re.compile(r"/accounts/reauthenticate/"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Bevestig dat jij het bent")
    assert_accessible(page)
