"""The privacy statement on a phone (reached from the footer) and the administrator's retention page: an
administrator changes a period with the keyboard, is refused outside the limits, and the statement shows the new
period. An axe check on each page."""

import re

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse
from playwright.sync_api import expect

from privacy.models import RetentionPeriod
from privacy.retention import CATEGORIES

from .conftest import assert_accessible

pytestmark = pytest.mark.django_db(transaction=True)

PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 900}


def log_in(page, live_server, user):
    page.context.clear_cookies()
    client = Client()
    client.force_login(user)
    cookie = client.cookies[settings.SESSION_COOKIE_NAME].value
    page.context.add_cookies([{"name": settings.SESSION_COOKIE_NAME, "value": cookie, "url": live_server.url}])


def test_a_resident_reads_the_privacy_statement_on_a_phone(page, live_server):
    page.set_viewport_size(PHONE)
    page.goto(live_server.url + reverse("accessibility"))
    page.get_by_role("contentinfo").get_by_role("link", name="Privacyverklaring").click()
    expect(page).to_have_url(re.compile(reverse("privacy:statement") + "$"))
    expect(page.get_by_role("heading", level=1, name="Privacyverklaring")).to_be_visible()
    expect(page.get_by_role("heading", level=3)).to_have_count(len(CATEGORIES))
    expect(page.get_by_text("400 dagen na de activiteit")).to_be_visible()
    expect(page.get_by_role("link", name="Mijn gegevens")).to_be_visible()
    assert_accessible(page)


def test_an_administrator_changes_a_period_with_the_keyboard(page, live_server, administrator):
    page.set_viewport_size(DESKTOP)
    log_in(page, live_server, administrator)
    page.goto(live_server.url + reverse("admin:privacy_retentionperiod_changelist"))
    expect(page.get_by_role("heading", name="Bewaartermijnen")).to_be_visible()
    assert_accessible(page)

    page.get_by_role("link", name="Wijzig de termijn van Aanmeldingen voor activiteiten").focus()
    page.keyboard.press("Enter")
    field = page.get_by_label("Bewaren (dagen)")
    expect(field).to_have_value("400")
    assert_accessible(page)

    field.fill("1000")
    field.press("Enter")
    expect(page.get_by_text("Kies een termijn van 30 tot 730 dagen")).to_be_visible()
    expect(page.get_by_label("Bewaren (dagen)")).to_have_attribute("aria-invalid", "true")
    assert_accessible(page)
    assert not RetentionPeriod.objects.exists()

    page.get_by_label("Bewaren (dagen)").fill("200")
    page.get_by_label("Bewaren (dagen)").press("Enter")
    expect(page).to_have_url(re.compile(reverse("admin:privacy_retentionperiod_changelist") + "$"))
    expect(page.get_by_text("200 dagen na de activiteit").first).to_be_visible()
    assert RetentionPeriod.objects.get(category="registrations").days == 200

    page.goto(live_server.url + reverse("privacy:statement"))
    expect(page.get_by_text("200 dagen na de activiteit")).to_be_visible()
