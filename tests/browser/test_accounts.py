"""A resident on a phone (390x844) signs up with a name and English as their language, confirms the address with
the link from the e-mail (and is logged in straight away), lands on the start page with the resident's links, and
changes their details. An axe check on every page."""

import re

import pytest
from django.core import mail
from playwright.sync_api import expect

from accounts.models import User

from .conftest import assert_accessible

pytestmark = pytest.mark.django_db(transaction=True)

PHONE = {"width": 390, "height": 844}
EMAIL = "noor@example.nl"
PASSWORD = "een-lang-wachtwoord-42"


def fits_the_phone(page):
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"], page.url


def test_a_resident_signs_up_on_a_phone_confirms_and_lands_on_the_start_page(page, live_server):
    page.set_viewport_size(PHONE)

    # Sign up (the site is in Dutch), with English as the language for e-mails.
    page.goto(live_server.url + "/accounts/signup/")
    assert_accessible(page)
    fits_the_phone(page)
    page.get_by_label("Voornaam").fill("Noor")
    page.get_by_label("Achternaam of de eerste letter ervan").fill("B")
    page.get_by_label("E-mailadres").fill(EMAIL)
    page.get_by_label("Wachtwoord", exact=True).fill(PASSWORD)
    page.get_by_label("Wachtwoord (herhaal)").fill(PASSWORD)
    language = page.get_by_label("Voorkeurstaal")
    expect(language).to_have_value("nl")  # it starts as the language of the page
    language.select_option(label="English")
    page.get_by_role("button", name="Registreren").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(re.compile("Verifieer je e-mailadres"))
    assert_accessible(page)
    fits_the_phone(page)

    # The e-mail is in English, names the site and carries the link.
    (message,) = mail.outbox
    assert message.to == [EMAIL]
    assert message.subject.startswith("[Huizen van de Wijk] ")
    assert message.body.startswith("Hello from Huizen van de Wijk!")
    link = re.search(r"https?://[^/\s]+(/accounts/confirm-email/[^\s]+/)", message.body).group(1)

    # Confirming logs the person in straight away and leads to the start page.
    page.goto(live_server.url + link)
    assert_accessible(page)
    fits_the_phone(page)
    page.get_by_role("button", name="Bevestigen").click()
    expect(page).to_have_url(live_server.url + "/start/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Welkom, Noor B")
    assert_accessible(page)
    fits_the_phone(page)
    for name in [
        "Agenda: wat er te doen is in de huizen",
        "Mijn aanmeldingen",
        "Een ruimte huren",
        "Mijn boekingen",
        "Mijn gegevens: naam en taal",
    ]:
        expect(page.get_by_role("main").get_by_role("link", name=name)).to_be_visible()
    expect(page.get_by_text("Je bent nog nergens voor aangemeld.")).to_be_visible()

    user = User.objects.get(email=EMAIL)
    assert (user.first_name, user.last_name, user.language) == ("Noor", "B", "en")

    # My details: a name left empty gives a Dutch error; saving (with English kept) switches the site to English.
    page.get_by_role("link", name="Mijn gegevens: naam en taal").click()
    assert_accessible(page)
    fits_the_phone(page)
    expect(page.get_by_label("Voorkeurstaal")).to_have_value("en")
    page.get_by_label("Voornaam").fill("")
    page.get_by_role("button", name="Opslaan").click()
    expect(page.locator("[data-error-summary]")).to_contain_text("Vul je voornaam in.")
    expect(page.get_by_label("Voornaam")).to_have_attribute("aria-invalid", "true")
    assert_accessible(page)
    page.get_by_label("Voornaam").fill("Noortje")
    page.get_by_role("button", name="Opslaan").click()
    expect(page.get_by_text("Your details are saved.")).to_be_visible()
    expect(page.get_by_role("heading", level=1)).to_have_text("My details")
    assert_accessible(page)
    user.refresh_from_db()
    assert user.first_name == "Noortje"
