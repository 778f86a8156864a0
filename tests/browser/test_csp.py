"""The Content-Security-Policy is on in the browser tests too, and the main pages break none of it: no inline script,
no inline <style>, nothing from elsewhere. Chromium reports every refusal on the console; none may appear."""

import datetime as dt
import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from accounts.models import Role
from tests.factories import (
    PASSWORD,
    ActivityFactory,
    HouseFactory,
    PlaceFactory,
    RoleAssignmentFactory,
    SessionFactory,
    SignalFactory,
    UserFactory,
    bookable_room,
    pass_second_factor,
)

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def violations(page):
    """The CSP refusals Chromium reports on the console while the test runs."""
    seen: list[str] = []

    def listen(message):
        if "Content Security Policy" in message.text or "Refused to" in message.text:
            seen.append(f"{page.url}: {message.text}")

    page.on("console", listen)
    return seen


@pytest.fixture
def house():
    house = HouseFactory(name="Huis van de Wijk Het Klooster", slug="het-klooster")
    place = PlaceFactory(house=house, name="Het Klooster")
    room = bookable_room(place=place, name="Grote zaal", capacity=30)
    today = timezone.localdate()
    activity = ActivityFactory(
        house=house, place=place, title="Samen eten", first_date=today, registration_required=True
    )
    SessionFactory(activity=activity)
    SessionFactory(activity=ActivityFactory(house=house, place=place, first_date=today + dt.timedelta(days=1)))
    SignalFactory(house=house)
    return house, room


def visit(page, url: str) -> None:
    response = page.goto(url)
    assert response.status < 400, url
    assert "script-src 'self'" in response.headers["content-security-policy"]
    page.wait_for_load_state("networkidle")


def log_in(page, live_server, user):
    page.context.clear_cookies()
    page.context.add_cookies([{"name": "django_language", "value": "en", "url": live_server.url}])
    page.goto(live_server.url + "/accounts/login/")
    page.get_by_label("Email").fill(user.email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign In").click()
    pass_second_factor(page)
    expect(page.get_by_role("heading", level=1)).to_be_visible()


def test_the_main_pages_break_no_rule_of_the_policy(page, live_server, house, violations):
    house, room = house
    base = live_server.url
    page.context.add_cookies([{"name": "django_language", "value": "en", "url": base}])
    for path in ("/", "/agenda/", f"/huizen/{house.slug}/agenda/", "/zalen/", f"/zalen/{room.pk}/", "/accounts/login/"):
        visit(page, base + path)
    # htmx at work: a filter change swaps the results without a full page load.
    visit(page, base + "/agenda/")
    page.get_by_label("When").select_option("week")
    expect(page.locator("#results")).to_be_visible()
    page.wait_for_load_state("networkidle")

    log_in(page, live_server, RoleAssignmentFactory(role=Role.COORDINATOR, house=house).user)
    manage = f"{base}/beheer/huizen/{house.slug}"
    for path in ("/programma/", "/programma/nieuw/", "/deurlog/", "/signalen/", "/boekingen/", "/kalender/"):
        visit(page, manage + path)
    visit(page, base + "/start/")

    log_in(page, live_server, RoleAssignmentFactory(role=Role.HOST, house=house).user)
    visit(page, base + "/deur/")
    page.get_by_role("link", name=re.compile("^Het Klooster")).click()
    page.wait_for_load_state("networkidle")
    page.get_by_role("button", name="+1 visitor").first.click()
    expect(page.locator("#door-sync")).to_have_text("Everything has been sent.")

    log_in(page, live_server, UserFactory())
    for path in ("/mijn/aanmeldingen/", "/mijn/boekingen/"):
        visit(page, base + path)
    assert violations == []


def test_an_inline_script_would_be_refused_and_reported(page, live_server, violations):
    """The check above can see a violation: an inline script added to a page is refused and shows on the console."""
    page.goto(live_server.url + "/")
    page.evaluate("""() => { const s = document.createElement('script'); s.textContent = 'window.ran = 1';
        document.body.appendChild(s); }""")
    page.wait_for_timeout(200)
    assert page.evaluate("() => window.ran") is None
    assert any("Content Security Policy" in text for text in violations)
