"""Informal carers in the browser: a professional registers a carer with consent, logs a support contact with the
keyboard only, and takes a waardering application at the desk; the coordinator awards it and downloads the
payment list. An axe check on every page state (desktop)."""

import datetime as dt
import re
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from playwright.sync_api import expect

from accounts.models import Role
from locations.models import Organisation
from tests.factories import PASSWORD, HouseFactory, OrganisationFactory, RoleAssignmentFactory, pass_second_factor
from volunteers.models import Carer, SupportContact, WaarderingApplication, WaarderingRules

from .conftest import assert_accessible

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def _monday(clock):
    """These tests are about the waardering window of 2026: they run on Monday 30 November 2026, whatever today."""
    clock.move_to(dt.datetime(2026, 11, 30, 7, 0, tzinfo=ZoneInfo("Europe/Amsterdam")))


def log_in(page, live_server, user):
    page.context.add_cookies([{"name": "django_language", "value": "en", "url": live_server.url}])
    page.goto(live_server.url + "/accounts/login/")
    page.get_by_label("Email").fill(user.email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign In").click()
    pass_second_factor(page)
    expect(page).to_have_url(live_server.url + "/start/")


def test_a_carer_is_registered_supported_and_applies_for_the_waardering(page, live_server):
    page.set_viewport_size({"width": 1280, "height": 900})
    house = HouseFactory(name="Huis van de Wijk Het Klooster", slug="het-klooster")
    professional = RoleAssignmentFactory(role=Role.PROFESSIONAL, house=house).user
    coordinator = RoleAssignmentFactory(role=Role.COORDINATOR, house=house).user
    WaarderingRules.objects.create(
        municipality=OrganisationFactory(kind=Organisation.Kind.MUNICIPALITY),
        year=2026,
        amount=Decimal("100.00"),
        opens_on=dt.date(2026, 11, 1),
        closes_on=dt.date(2026, 12, 31),
    )

    log_in(page, live_server, professional)
    assert_accessible(page)
    page.get_by_role("link", name="Informal carers").first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Informal carers of Huis van de Wijk Het Klooster")
    expect(page.get_by_text("No carers registered yet.")).to_be_visible()
    assert_accessible(page)

    # Register, first forgetting the consent.
    page.get_by_role("link", name="Register a carer").click()
    expect(page.get_by_text("Write nothing down about the person cared for.")).to_be_visible()
    assert_accessible(page)
    page.get_by_label("First name").fill("Fatma")
    page.get_by_label(re.compile("^Surname")).fill("Yilmaz")
    page.get_by_label(re.compile("^Phone number")).fill("06-12345678")
    page.get_by_label("Relation to the person cared for").select_option("parent")
    page.get_by_label("Hours of care a week").select_option("24_plus")
    page.get_by_label("Caring since").fill("2023-02-01")
    expect(page.get_by_label("What was agreed")).to_have_value(re.compile("^The carer agrees"))
    page.get_by_role("button", name="Register the carer").click()
    consent = page.get_by_label("The carer agreed that we keep these details")
    expect(consent).to_have_attribute("aria-invalid", "true")
    assert not Carer.objects.exists()
    assert_accessible(page)
    consent.check()
    page.get_by_role("button", name="Register the carer").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Fatma Yilmaz")
    expect(page.get_by_text("The carer is registered.")).to_be_visible()
    expect(page.get_by_text(re.compile(r"^Given on 30 November 2026, recorded by"))).to_be_visible()
    assert_accessible(page)

    # Log a contact with the keyboard only: the kind, then Tab to the button (today is filled in).
    page.get_by_label("Kind of support").focus()
    page.keyboard.press("End")  # the last kind: referral to a mantelzorgmakelaar
    for _ in range(8):  # the date's day, month and year, the note, then the button
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.textContent") == "Log the contact":
            break
    expect(page.get_by_role("button", name="Log the contact")).to_be_focused()
    page.keyboard.press("Enter")
    expect(page.get_by_text("The contact is logged.")).to_be_visible()
    expect(page.get_by_role("cell", name="Referral to a mantelzorgmakelaar")).to_be_visible()
    assert SupportContact.objects.get().kind == "broker"
    assert_accessible(page)

    # The waardering at the desk, first with a wrong IBAN.
    page.get_by_role("link", name="Apply for the waardering 2026").click()
    expect(page.get_by_text("This carer qualifies by the rules.")).to_be_visible()
    assert_accessible(page)
    page.get_by_label(re.compile("^Name of the account holder")).fill("F. Yilmaz")
    page.get_by_label(re.compile("^IBAN")).fill("NL91 ABNA 0417 1643 01")
    page.get_by_role("button", name="Save the application").click()
    expect(page.get_by_text("This IBAN is not right: check the letters and digits.", exact=True)).to_be_visible()
    assert_accessible(page)
    page.get_by_label(re.compile("^IBAN")).fill("NL91 ABNA 0417 1643 00")
    page.get_by_role("button", name="Save the application").click()
    expect(page.get_by_text("The application is saved.")).to_be_visible()
    expect(page.get_by_text(re.compile("waiting for a decision"))).to_be_visible()
    assert_accessible(page)

    # The coordinator awards it and sees it in the list.
    page.context.clear_cookies()
    log_in(page, live_server, coordinator)
    page.goto(live_server.url + "/beheer/huizen/het-klooster/mantelzorgers/")
    page.get_by_role("link", name="Fatma Yilmaz").click()
    page.get_by_role("link", name="Decide – waardering 2026").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Decide on the waardering")
    assert_accessible(page)
    page.get_by_label("Decision").select_option("award")
    page.get_by_role("button", name="Save the decision").click()
    expect(page.get_by_text("The decision is saved.")).to_be_visible()
    assert WaarderingApplication.objects.get().status == "awarded"
    page.goto(live_server.url + "/beheer/huizen/het-klooster/mantelzorgers/")
    expect(page.get_by_role("table", name="1 carer").get_by_text("awarded")).to_be_visible()
    assert_accessible(page)
    with page.expect_download() as download:
        page.get_by_role("link", name="Payment list (CSV)").click()
    assert download.value.suggested_filename == "mantelzorgwaardering-het-klooster-2026.csv"


def test_the_other_carer_pages_and_the_municipalitys_overview_pass_axe(page, live_server):
    from tests.volunteers.factories import CarerFactory

    page.set_viewport_size({"width": 1280, "height": 900})
    house = HouseFactory(name="Huis van de Wijk Het Klooster", slug="het-klooster")
    coordinator = RoleAssignmentFactory(role=Role.COORDINATOR, house=house).user
    municipality = RoleAssignmentFactory(role=Role.MUNICIPALITY, house=None).user
    rules = WaarderingRules.objects.create(
        municipality=OrganisationFactory(kind=Organisation.Kind.MUNICIPALITY),
        year=2026,
        amount=Decimal("100.00"),
        opens_on=dt.date(2026, 11, 1),
        closes_on=dt.date(2026, 12, 31),
    )
    carer = CarerFactory(house=house, first_name="Kees", last_name="Visser", consent_recorded_by=coordinator)
    WaarderingApplication.objects.create(
        carer=carer, rules=rules, year=2026, applied_on=dt.date(2026, 11, 2), payee_name="K. Visser",
        iban="NL91ABNA0417164300", status="awarded", amount=Decimal("100.00"),
    )  # fmt: skip

    log_in(page, live_server, coordinator)
    base = f"{live_server.url}/beheer/huizen/het-klooster/mantelzorgers/{carer.pk}/"
    page.goto(base + "wijzigen/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Change a carer's details")
    page.get_by_label(re.compile("^Phone number")).fill("")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_label(re.compile("^Phone number"))).to_have_attribute("aria-invalid", "true")
    assert_accessible(page)
    page.goto(base + "contact/")
    page.get_by_label("Date").fill("2027-01-01")
    page.get_by_role("button", name="Log the contact").click()
    expect(page.get_by_text("The date cannot be in the future.", exact=True)).to_be_visible()
    assert_accessible(page)
    page.goto(base + "beeindigen/")
    assert_accessible(page)
    page.get_by_role("button", name="End the support").click()
    expect(page.get_by_text("Support ended on 30 November 2026")).to_be_visible()
    assert_accessible(page)

    page.context.clear_cookies()
    log_in(page, live_server, municipality)
    page.goto(live_server.url + "/mantelzorgwaardering/")
    expect(
        page.get_by_role("table", name="Awarded in 2026").get_by_role("rowheader", name="Huis van de Wijk Het Klooster")
    ).to_be_visible()
    expect(page.get_by_text("Kees")).to_have_count(0)
    assert_accessible(page)


def test_the_consent_checkbox_is_24px_and_its_label_centred_and_clickable(page, live_server):
    page.set_viewport_size({"width": 1280, "height": 900})
    house = HouseFactory()
    professional = RoleAssignmentFactory(role=Role.PROFESSIONAL, house=house).user
    log_in(page, live_server, professional)
    page.goto(live_server.url + f"/beheer/huizen/{house.slug}/mantelzorgers/nieuw/")
    box = page.locator("#id_consent").bounding_box()
    assert round(box["width"]) == 24 and round(box["height"]) == 24
    label = page.locator('label[for="id_consent"]').bounding_box()
    assert label["height"] >= 44
    assert abs((box["y"] + box["height"] / 2) - (label["y"] + label["height"] / 2)) <= 2
    page.locator('label[for="id_consent"]').click()
    expect(page.locator("#id_consent")).to_be_checked()
    assert_accessible(page)
