"""Burenhulp from posted to done: a resident asks for help on a phone, the coordinator (desktop) asks a volunteer,
the volunteer accepts on a phone and then sees the contact, and after the day answers "did it happen?" from the
link in the e-mail. An axe check on each page."""

import datetime as dt
import re
from urllib.parse import urlsplit

import pytest
from django.conf import settings
from django.core import mail
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect

from tests.factories import RoleAssignmentFactory, UserFactory
from tests.volunteers.factories import CertificateFactory, VolunteerFactory
from volunteers.models import HelpRequest, HoursEntry, VolunteerRole
from volunteers.tasks import help as tasks

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


def test_a_request_goes_from_posted_to_done(page, live_server, house, clock):
    coordinator = RoleAssignmentFactory(role="coordinator", house=house).user
    resident = UserFactory(first_name="Wim", last_name="Visser")
    helper = VolunteerFactory(house=house, roles=[VolunteerRole.NEIGHBOUR_HELP], first_name="Sanne")
    CertificateFactory(volunteer=helper)
    wanted_on = timezone.localdate() + dt.timedelta(days=2)

    # The resident asks for help, on a phone.
    page.set_viewport_size(PHONE)
    log_in(page, live_server, resident)
    page.goto(live_server.url + reverse("volunteers:help_new") + f"?huis={house.slug}")
    assert_accessible(page)
    page.get_by_label("boodschappen", exact=True).check()
    page.get_by_label("Wat heb je nodig?").fill("Boodschappen voor de week, ik loop slecht.")
    page.get_by_label("Op welke dag?").fill(wanted_on.isoformat())
    page.get_by_label("Hoe laat?").fill("in de ochtend")
    page.get_by_label("Telefoonnummer").fill("06-12345678")
    page.get_by_label("Adres").fill("Kloosterstraat 17")
    page.get_by_role("button", name="Verstuur mijn hulpvraag").click()
    expect(page).to_have_url(re.compile(reverse("volunteers:my_help") + "$"))
    expect(page.get_by_text("Wacht op een vrijwilliger")).to_be_visible()
    assert_accessible(page)
    request = HelpRequest.objects.get()

    # The coordinator asks a volunteer, on a desktop.
    page.set_viewport_size(DESKTOP)
    log_in(page, live_server, coordinator)
    page.goto(live_server.url + reverse("volunteers:house_help", args=[house.slug]))
    assert_accessible(page)
    page.get_by_role("link", name=re.compile("boodschappen", re.I)).first.click()
    expect(page.get_by_text("06-12345678")).to_be_visible()
    assert_accessible(page)
    page.get_by_label("Vrijwilliger", exact=True).select_option(str(helper.pk))
    page.get_by_role("button", name="Vraag deze vrijwilliger").click()
    expect(page.get_by_text("De vrijwilliger krijgt de vraag per e-mail")).to_be_visible()
    assert_accessible(page)

    # The volunteer accepts on a phone, and only then sees who to call.
    page.set_viewport_size(PHONE)
    log_in(page, live_server, helper.user)
    page.goto(live_server.url + reverse("volunteers:my_help_offers"))
    expect(page.get_by_text("06-12345678")).to_have_count(0)
    assert_accessible(page)
    page.get_by_role("link", name=re.compile("Antwoord geven")).click()
    assert_accessible(page)
    page.get_by_label("Ja, ik help").check()
    page.get_by_role("button", name="Verstuur mijn antwoord").click()
    expect(page.get_by_text("06-12345678")).to_be_visible()
    expect(page.get_by_text("Kloosterstraat 17")).to_be_visible()
    assert_accessible(page)
    request.refresh_from_db()
    assert request.status == HelpRequest.Status.MATCHED

    # After the day the volunteer is asked "did it happen?" and answers from the e-mail's link.
    clock.move_to(timezone.make_aware(dt.datetime.combine(wanted_on + dt.timedelta(days=1), dt.time(8))))
    mail.outbox.clear()
    assert tasks.ask_did_it_happen() == 1
    link = re.search(r"http\S+/afsluiten/", mail.outbox[0].body).group(0)
    page.goto(live_server.url + urlsplit(link).path)
    assert_accessible(page)
    page.get_by_label("Ja, ik heb geholpen").check()
    page.get_by_label("Hoe lang duurde het (in minuten)?").fill("75")
    page.get_by_role("button", name="Sluit de hulpvraag af").click()
    expect(page.get_by_text("Bedankt! De hulpvraag is afgesloten.")).to_be_visible()
    assert_accessible(page)
    request.refresh_from_db()
    assert request.status == HelpRequest.Status.DONE
    assert HoursEntry.objects.get(help_request=request).minutes == 75


def test_a_professional_posts_on_someones_behalf_and_the_resident_cancels_their_own(page, live_server, house):
    professional = RoleAssignmentFactory(role="professional", house=house).user
    wanted_on = timezone.localdate() + dt.timedelta(days=4)

    # The professional posts for someone who phoned, on a tablet.
    page.set_viewport_size({"width": 1024, "height": 768})
    log_in(page, live_server, professional)
    page.goto(live_server.url + reverse("volunteers:help_new_on_behalf", args=[house.slug]))
    assert_accessible(page)
    page.get_by_role("button", name="Verstuur de hulpvraag").click()  # empty: the error summary
    expect(page.get_by_text("Er ging iets mis")).to_be_visible()
    assert_accessible(page)
    page.get_by_label("Naam van wie hulp nodig heeft").fill("Mevrouw De Vries")
    page.get_by_label("Diens telefoonnummer").fill("010-7654321")
    page.get_by_label("gezelschap (een bezoekje, een wandeling)").check()
    page.get_by_label("Wat heeft diegene nodig?").fill("Een kopje koffie en een praatje.")
    page.get_by_label("Op welke dag?").fill(wanted_on.isoformat())
    page.get_by_role("button", name="Verstuur de hulpvraag").click()
    expect(page.get_by_text("Mevrouw De Vries")).to_be_visible()
    assert_accessible(page)
    request = HelpRequest.objects.get()
    assert request.on_behalf and request.posted_by == professional

    # A resident cancels their own open request on a phone.
    resident = UserFactory()
    own = HelpRequest.objects.create(
        house=house, kind="groceries", description="Boodschappen", wanted_on=wanted_on, requester=resident,
        requester_name="Wim Visser", requester_phone="06-1", posted_by=resident,
    )  # fmt: skip
    page.set_viewport_size(PHONE)
    log_in(page, live_server, resident)
    page.goto(live_server.url + reverse("volunteers:my_help"))
    page.get_by_role("link", name=re.compile("^Annuleren")).click()
    assert_accessible(page)
    page.get_by_role("button", name="Annuleer de hulpvraag").click()
    expect(page.get_by_text("De hulpvraag is geannuleerd.")).to_be_visible()
    assert_accessible(page)
    own.refresh_from_db()
    assert own.status == HelpRequest.Status.CANCELLED


def test_the_request_form_looks_right_before_anything_is_typed(page, live_server, house):
    """On first load nothing is shown as wrong; the radio buttons are 24px, centred on their label, which is
    clickable over its whole height (at least 44px)."""
    page.set_viewport_size(PHONE)
    log_in(page, live_server, UserFactory())
    page.goto(live_server.url + reverse("volunteers:help_new") + f"?huis={house.slug}")
    style = "el => { const s = getComputedStyle(el); return [s.borderColor, s.backgroundColor, s.borderWidth]; }"
    description = page.locator("#id_description").evaluate(style)
    plain = page.locator("#id_wanted_time").evaluate(style)
    assert description == plain
    radio = page.locator("#id_kind_0")
    box = radio.bounding_box()
    assert round(box["width"]) == 24 and round(box["height"]) == 24
    label = page.locator('label[for="id_kind_0"]').bounding_box()
    assert label["height"] >= 44
    assert abs((box["y"] + box["height"] / 2) - (label["y"] + label["height"] / 2)) <= 2
    page.mouse.click(label["x"] + label["width"] - 4, label["y"] + 3)  # the label's corner, not its text
    expect(radio).to_be_checked()
    assert_accessible(page)
