"""A resident finds an activity in the agenda, logs in, registers, finds it under 'my registrations' and cancels."""

import datetime as dt
import re
from decimal import Decimal

import pytest
from django.core import mail
from django.utils import timezone
from playwright.sync_api import expect

from activities.models import ActivityTargetGroup, Registration
from tests.factories import (
    PASSWORD,
    ActivityFactory,
    DistrictFactory,
    HouseFactory,
    NeighbourhoodFactory,
    PlaceFactory,
    SessionFactory,
    UserFactory,
    pass_second_factor,
)

from .conftest import assert_accessible

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def programme():
    noord = DistrictFactory(name="Noord", slug="noord")
    blijdorp = NeighbourhoodFactory(district=noord, name="Blijdorp", slug="blijdorp")
    house = HouseFactory(name="Huis van de Wijk Het Klooster", slug="het-klooster", neighbourhood=blijdorp)
    place = PlaceFactory(house=house, name="Het Klooster", street="Stadhoudersweg", postcode="3039 CA")
    tomorrow = timezone.localdate() + dt.timedelta(days=1)
    language = ActivityFactory(
        house=house,
        place=place,
        title="Taalcafé",
        description="Nederlands oefenen in een kleine groep.",
        category="language",
        first_date=tomorrow,
        start_time=dt.time(10),
        end_time=dt.time(11, 30),
        registration_required=True,
        capacity=8,
    )
    ActivityTargetGroup.objects.create(activity=language, group="newcomers")
    SessionFactory(activity=language)
    coffee = ActivityFactory(house=house, place=place, title="Koffie-inloop", first_date=tomorrow, price=Decimal("0"))
    SessionFactory(activity=coffee)
    return house


def test_resident_finds_an_activity_registers_and_cancels(page, live_server, programme):
    resident = UserFactory()
    page.context.add_cookies([{"name": "django_language", "value": "en", "url": live_server.url}])

    page.goto(live_server.url + "/agenda/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Agenda")
    expect(page.locator("#results .huizen-agenda-item")).to_have_count(2)
    expect(page.get_by_role("link", name="Subscribe in your calendar app")).to_be_visible()
    assert_accessible(page)

    page.get_by_label("Category").select_option("language")  # HTMX swaps the results in place
    expect(page.locator("#results .huizen-agenda-item")).to_have_count(1)
    expect(page.locator("#result-count")).to_have_text("1 activity found")
    expect(page).to_have_url(re.compile(r"category=language"))
    expect(page.get_by_text("Registration needed (8 places left)")).to_be_visible()
    assert_accessible(page)

    page.get_by_role("link", name="Taalcafé").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Taalcafé")
    expect(page.get_by_text("Stadhoudersweg")).to_be_visible()
    assert_accessible(page)
    detail_url = page.url

    # Not logged in yet: the button leads to the login form and back.
    page.get_by_role("button", name="Register").click()
    expect(page).to_have_url(re.compile(r"/accounts/login/"))
    assert_accessible(page)
    page.get_by_label("Email").fill(resident.email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign In").click()
    pass_second_factor(page)
    expect(page).to_have_url(detail_url)
    assert_accessible(page)

    page.get_by_role("button", name="Register").click()
    expect(page.get_by_text("You are registered. We have sent you a confirmation by e-mail.")).to_be_visible()
    expect(page.get_by_text("You are registered.", exact=True)).to_be_visible()
    expect(page.get_by_role("button", name="Cancel my registration")).to_be_visible()
    assert_accessible(page)
    assert Registration.objects.get(user=resident).status == Registration.Status.CONFIRMED
    assert [message.to for message in mail.outbox] == [[resident.email]]

    page.locator("#main").get_by_role("link", name="My registrations").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("My registrations")
    row = page.get_by_role("row").filter(has_text="Taalcafé")
    expect(row).to_contain_text("Registered")
    assert_accessible(page)

    row.get_by_role("button", name=re.compile(r"^Cancel – Taalcafé on ")).click()
    expect(page.get_by_text("Your registration for Taalcafé is cancelled.")).to_be_visible()
    expect(page.get_by_text("You have no registrations for activities still to come.")).to_be_visible()
    assert_accessible(page)
    assert Registration.objects.get(user=resident).status == Registration.Status.CANCELLED


def test_agenda_filters_work_without_javascript(browser, live_server, programme):
    context = browser.new_context(java_script_enabled=False, locale="en-GB")
    context.add_cookies([{"name": "django_language", "value": "en", "url": live_server.url}])
    page = context.new_page()
    page.goto(live_server.url + "/huizen/het-klooster/agenda/")
    expect(page.locator("#results .huizen-agenda-item")).to_have_count(2)
    page.get_by_label("Category").select_option("language")
    page.get_by_role("button", name="Show activities").click()
    expect(page.locator("#results .huizen-agenda-item")).to_have_count(1)
    expect(page.get_by_role("link", name="Taalcafé")).to_be_visible()
    context.close()  # axe needs JavaScript; the same page is checked with it in the journey above


def test_house_agenda_and_a_filter_error_are_accessible(page, live_server, programme):
    page.context.add_cookies([{"name": "django_language", "value": "en", "url": live_server.url}])
    page.goto(live_server.url + "/huizen/het-klooster/agenda/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Agenda of Huis van de Wijk Het Klooster")
    expect(page.locator("#results .huizen-agenda-item")).to_have_count(2)
    expect(page.get_by_label("District")).to_have_count(0)  # the house is fixed
    assert_accessible(page)

    page.goto(live_server.url + "/huizen/het-klooster/agenda/?date_from=2030-02-01&date_to=2030-01-01")
    expect(page.get_by_text("The end date must be on or after the start date.").first).to_be_visible()
    expect(page.get_by_label("Until")).to_have_attribute("aria-invalid", "true")
    expect(page.locator("#result-count")).to_have_text("Check the filters")
    assert_accessible(page)
