"""A resident, on a phone, logs in, opens Mijn gegevens, downloads everything as JSON, and deletes their account
with the keyboard only; afterwards the login no longer works. An axe check on each page."""

import json
import re

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from activities.models import Registration
from privacy.models import AccessRecord
from privacy.services.access import access_record, subject_of
from privacy.services.mydata import is_erased
from tests.factories import PASSWORD, BookingFactory, RegistrationFactory, SessionFactory, UserFactory
from tests.volunteers.factories import HelpRequestFactory

from .conftest import assert_accessible

pytestmark = pytest.mark.django_db(transaction=True)

PHONE = {"width": 390, "height": 844}


def log_in_with_the_form(page, live_server, email, password):
    page.goto(live_server.url + reverse("account_login"))
    page.get_by_label("E-mailadres").fill(email)
    page.get_by_label("Wachtwoord", exact=True).fill(password)
    page.get_by_role("button", name="Inloggen").click()


def test_a_resident_sees_downloads_and_erases_their_data(page, live_server, house, coordinator):
    resident = UserFactory(first_name="Fatima", last_name="El Amrani", email="fatima@example.nl")
    registration = RegistrationFactory(
        user=resident, session=SessionFactory(activity__house=house, activity__title="Taalcafé")
    )
    BookingFactory(renter=resident, price=0)
    HelpRequestFactory(requester=resident, house=house)
    access_record(
        by=coordinator,
        what=AccessRecord.What.REGISTRATIONS,
        via="activities:session_registrations",
        subjects=[subject_of(registration)],
        house=house,
    )
    page.set_viewport_size(PHONE)

    log_in_with_the_form(page, live_server, resident.email, PASSWORD)
    expect(page).not_to_have_url(re.compile(reverse("account_login")))
    page.get_by_role("navigation", name="Hoofdmenu").get_by_role("link", name="Mijn gegevens").click()
    expect(page).to_have_url(re.compile(reverse("privacy:my_data") + "$"))
    expect(page.get_by_role("heading", name="Mijn gegevens", level=1)).to_be_visible()
    expect(page.get_by_text("Taalcafé")).to_be_visible()
    who_looked = page.get_by_role("table", name="Wie heeft mijn gegevens bekeken")
    expect(who_looked).to_contain_text("Huis van de Wijk Het Klooster")
    assert_accessible(page)

    with page.expect_download() as download_info:
        page.get_by_role("link", name="Download al mijn gegevens (JSON-bestand)").first.click()
    download = download_info.value
    assert download.suggested_filename.startswith("mijn-gegevens-") and download.suggested_filename.endswith(".json")
    data = json.loads(open(download.path(), encoding="utf-8").read())
    assert data["account"]["email"] == "fatima@example.nl"
    assert data["registrations"][0]["session__activity__title"] == "Taalcafé"
    assert len(data["who_looked"]) == 1

    page.get_by_role("link", name="Account verwijderen").last.click()
    expect(page.get_by_role("heading", name="Account verwijderen", level=1)).to_be_visible()
    expect(page.get_by_role("heading", name="Wat blijft")).to_be_visible()
    assert_accessible(page)

    # Keyboard only: Tab to the password, a wrong one first.
    password = page.get_by_label("Je wachtwoord")
    for _ in range(40):
        page.keyboard.press("Tab")
        if password.evaluate("element => element === document.activeElement"):
            break
    expect(password).to_be_focused()
    page.keyboard.type("niet-mijn-wachtwoord")
    page.keyboard.press("Tab")
    expect(page.get_by_role("checkbox")).to_be_focused()
    page.keyboard.press("Space")
    page.keyboard.press("Tab")
    expect(page.get_by_role("button", name="Account verwijderen")).to_be_focused()
    page.keyboard.press("Enter")
    summary = page.locator("[data-error-summary]")
    expect(summary).to_be_focused()
    expect(summary).to_contain_text("Dat is niet je wachtwoord. Er is niets verwijderd.")
    assert_accessible(page)
    resident.refresh_from_db()
    assert not is_erased(resident)

    # The error links to the password field; then the right password, the tick, and Enter.
    page.keyboard.press("Tab")
    page.keyboard.press("Enter")
    expect(password).to_be_focused()
    page.keyboard.type(PASSWORD)
    page.keyboard.press("Tab")
    checkbox = page.get_by_role("checkbox")
    expect(checkbox).to_be_focused()
    if not checkbox.is_checked():
        page.keyboard.press("Space")
    expect(checkbox).to_be_checked()
    page.keyboard.press("Tab")
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(reverse("privacy:erased") + "$"))
    expect(page.get_by_role("heading", name="Je account is verwijderd")).to_be_visible()
    expect(page.get_by_role("button", name="Uitloggen")).to_have_count(0)
    assert_accessible(page)
    resident.refresh_from_db()
    assert is_erased(resident)
    assert Registration.objects.filter(user=resident).count() == 1

    # The old login no longer works.
    log_in_with_the_form(page, live_server, "fatima@example.nl", PASSWORD)
    expect(page.locator("[data-error-summary]")).to_be_visible()
    expect(page).to_have_url(re.compile(reverse("account_login")))
