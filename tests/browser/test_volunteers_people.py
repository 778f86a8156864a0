"""Volunteers, people: a resident signs up on a phone; a coordinator accepts them at a desk and records a VOG; the
same by keyboard only; the coordinator's other pages. An axe check on every page."""

import datetime as dt

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from tests.factories import UserFactory
from tests.volunteers.factories import CertificateFactory, VolunteerFactory
from volunteers.models import Certificate, Volunteer

from .conftest import assert_accessible

pytestmark = pytest.mark.django_db(transaction=True)

PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1366, "height": 900}


def log_in(page, live_server, user):
    client = Client()
    client.force_login(user)
    cookie = client.cookies[settings.SESSION_COOKIE_NAME].value
    page.context.add_cookies([{"name": settings.SESSION_COOKIE_NAME, "value": cookie, "url": live_server.url}])


def test_a_resident_signs_up_on_a_phone(page, live_server, house, coordinator):
    resident = UserFactory(first_name="Fatma")
    page.set_viewport_size(PHONE)
    log_in(page, live_server, resident)
    page.goto(live_server.url + reverse("start"))
    page.get_by_role("link", name="Vrijwilliger worden").click()
    assert_accessible(page)
    page.get_by_role("link", name=f"Aanmelden bij {house.name}").click()
    assert_accessible(page)
    page.get_by_role("button", name="Aanmelden").click()  # nothing chosen: the error summary
    assert page.locator(".huizen-error-summary").is_visible()
    assert_accessible(page)
    page.get_by_label("kok").check()
    page.locator("#id_availability_0").check()
    page.locator("#id_phone").fill("0612345678")
    box = page.get_by_role("button", name="Aanmelden").bounding_box()
    assert box["height"] >= 44
    page.get_by_role("button", name="Aanmelden").click()
    page.wait_for_url("**/mijn/vrijwilligerswerk/")
    assert house.name in page.content()
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    assert_accessible(page)
    volunteer = Volunteer.objects.get(user=resident)
    assert volunteer.status == Volunteer.Status.APPLIED and volunteer.availability == ["mon_morning"]


def test_on_a_phone_every_sign_up_choice_is_a_full_width_row(page, live_server, house):
    page.set_viewport_size(PHONE)
    log_in(page, live_server, UserFactory())
    page.goto(live_server.url + reverse("volunteers:signup_houses"))
    item = page.locator(".huizen-signup-house").first
    assert item.evaluate("e => getComputedStyle(e).listStyleType") == "none"  # no bullet beside a wrapped link
    page.goto(live_server.url + reverse("volunteers:signup", args=[house.slug]))
    rows = page.locator(".huizen-signup-form .huizen-choices .utrecht-form-field--checkbox")
    form_width = page.locator(".huizen-signup-form .huizen-choices").first.bounding_box()["width"]
    tops = set()
    for index in range(rows.count()):
        box = rows.nth(index).bounding_box()
        assert box["height"] >= 44 and box["width"] >= form_width - 1, index
        label = rows.nth(index).locator("label").bounding_box()
        assert label["height"] >= 44, index
        tops.add(round(box["y"]))
    assert len(tops) == rows.count()  # one choice a row
    page.get_by_text("kok", exact=True).click()  # the label, anywhere on the row, checks the box
    assert page.get_by_label("kok").is_checked()
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    assert_accessible(page)


def test_a_coordinator_accepts_and_records_a_vog(page, live_server, house, coordinator):
    volunteer = VolunteerFactory(house=house, first_name="Bram", status=Volunteer.Status.APPLIED, start_date=None,
                                 roles=["host"])  # fmt: skip
    page.set_viewport_size(DESKTOP)
    log_in(page, live_server, coordinator)
    page.goto(live_server.url + reverse("start"))
    page.get_by_role("link", name="Vrijwilligers", exact=True).first.click()
    assert_accessible(page)
    page.get_by_role("link", name=str(volunteer)).click()
    assert_accessible(page)
    page.get_by_label("Aannemen").check()
    with page.expect_navigation():
        page.get_by_role("button", name="Besluit opslaan").click()
    assert_accessible(page)
    page.locator("#id_certificate-kind").select_option("vog")
    page.locator("#id_certificate-issued_on").fill((timezone.localdate() - dt.timedelta(days=10)).isoformat())
    with page.expect_navigation():
        page.get_by_role("button", name="Certificaat vastleggen").click()
    assert_accessible(page)
    volunteer.refresh_from_db()
    assert volunteer.status == Volunteer.Status.ACCEPTED
    assert Certificate.objects.filter(volunteer=volunteer, kind="vog").exists()
    for name in ("volunteer_edit",):
        page.goto(live_server.url + reverse(f"volunteers:{name}", args=[house.slug, volunteer.pk]))
        assert_accessible(page)
    for name in ("volunteer_new", "paper_form", "house_settings"):
        page.goto(live_server.url + reverse(f"volunteers:{name}", args=[house.slug]))
        assert_accessible(page)
    page.goto(live_server.url + reverse("volunteers:house_volunteers", args=[house.slug]) + "?due=on&idle=on")
    assert_accessible(page)


def test_keyboard_only_record_a_certificate(page, live_server, house, coordinator):
    volunteer = VolunteerFactory(house=house, first_name="Kiki", roles=["bar"])
    CertificateFactory(volunteer=volunteer, kind="iva", issued_on=timezone.localdate() - dt.timedelta(days=1000))
    page.set_viewport_size(DESKTOP)
    log_in(page, live_server, coordinator)
    page.goto(live_server.url + reverse("volunteers:volunteer_detail", args=[house.slug, volunteer.pk]))
    page.locator("#id_certificate-kind").focus()
    page.keyboard.press("Tab")
    issued = timezone.localdate() - dt.timedelta(days=2)
    assert page.evaluate("document.activeElement.id") == "id_certificate-issued_on"
    page.locator("#id_certificate-issued_on").fill(issued.isoformat())  # the date picker takes typed digits
    # Enter in the field sends the form (implicit submission), as a keyboard user would.
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert_accessible(page)
    assert volunteer.certificates.count() == 2
