"""The host at the door: counting visitors online and offline, undoing, ticking off and closing a session."""

import datetime as dt
import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from activities.models import DoorTally, Registration, Session
from huizen.dates import day_start
from locations.models import Place
from tests.factories import (
    PASSWORD,
    ActivityFactory,
    HouseFactory,
    PlaceFactory,
    RegistrationFactory,
    RoleAssignmentFactory,
    SessionFactory,
    UserFactory,
)

from .conftest import assert_accessible

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.date_sensitive]


@pytest.fixture
def door():
    house = HouseFactory(name="Huis van de Wijk Het Klooster", slug="het-klooster")
    place = PlaceFactory(house=house, name="Het Klooster", street="Stadhoudersweg", house_number="12")
    PlaceFactory(house=house, name="Buurtplek Noord")
    activity = ActivityFactory(
        house=house, place=place, title="Samen eten", first_date=timezone.localdate(), registration_required=True
    )
    # All day long, so it has started (and may be closed out) whenever the test runs.
    today = timezone.localdate()
    session = SessionFactory(activity=activity, start=day_start(today), end=day_start(today + dt.timedelta(days=1)))
    RegistrationFactory(session=session, user=UserFactory(first_name="Fatima", last_name="Amrani"))
    host = RoleAssignmentFactory(role="host", house=house).user
    return {"house": house, "place": place, "session": session, "host": host}


def active_taps() -> int:
    return DoorTally.objects.filter(undone_at__isnull=True).count()


def log_in_at_the_door(page, live_server, host):
    page.context.add_cookies([{"name": "django_language", "value": "en", "url": live_server.url}])
    page.goto(live_server.url + "/deur/")
    page.get_by_label("Email").fill(host.email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign In").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Door screen: where are you?")
    assert_accessible(page)


def test_host_counts_visitors_undoes_one_and_keeps_counting_offline(page, live_server, door):
    log_in_at_the_door(page, live_server, door["host"])
    page.get_by_role("link", name=re.compile("^Het Klooster")).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Het Klooster")
    walk_in = page.get_by_role("region", name="Walk-in")
    visitors = walk_in.locator('[data-total="count"]')
    new_visitors = walk_in.locator('[data-total="new"]')
    sync = page.locator("#door-sync")
    announcer = page.locator("#door-announce")
    expect(sync).to_have_text("Everything has been sent.")
    assert_accessible(page)

    # Three visitors, the first one new; then one is undone.
    walk_in.get_by_label("First visit").check()
    walk_in.get_by_role("button", name="+1 visitor").click()
    expect(walk_in.get_by_label("First visit")).not_to_be_checked()  # ready for the next visitor
    walk_in.get_by_role("button", name="+1 visitor").click()
    walk_in.get_by_role("button", name="+1 visitor").click()
    expect(visitors).to_have_text("3")
    expect(new_visitors).to_have_text("1")
    expect(sync).to_have_text("Everything has been sent.")
    expect(announcer).to_have_text("Recorded: +1 at Walk-in.")
    assert DoorTally.objects.count() == 3
    assert_accessible(page)

    walk_in.get_by_role("button", name="Undo last tap").click()
    expect(announcer).to_have_text("Undone: +1 at Walk-in.")
    expect(visitors).to_have_text("2")
    assert active_taps() == 2
    assert DoorTally.objects.count() == 3
    assert_accessible(page)

    # The network drops: the taps stay on the tablet and the screen says so.
    page.context.set_offline(True)
    walk_in.get_by_role("button", name="+1 visitor").click()
    walk_in.get_by_role("button", name="+1 visitor").click()
    expect(sync).to_have_text(re.compile(r"^2 taps not sent yet\."))
    expect(visitors).to_have_text("4")
    expect(announcer).to_have_text("Saved on this device, not yet sent: +1 at Walk-in.")
    assert active_taps() == 2
    assert_accessible(page)
    # A tap by mistake while offline: undoing it just takes it out of the queue.
    walk_in.get_by_role("button", name="+1 visitor").click()
    expect(sync).to_have_text(re.compile(r"^3 taps not sent yet\."))
    walk_in.get_by_role("button", name="Undo last tap").click()
    expect(announcer).to_have_text("Undone: +1 at Walk-in.")
    expect(sync).to_have_text(re.compile(r"^2 taps not sent yet\."))
    expect(visitors).to_have_text("4")

    # Back online: the queue is sent, each tap exactly once.
    page.context.set_offline(False)
    expect(sync).to_have_text("Everything has been sent.", timeout=20_000)
    expect(visitors).to_have_text("4")
    assert active_taps() == 4
    assert DoorTally.objects.count() == 5
    assert_accessible(page)

    # The server agrees after a reload.
    page.reload()
    expect(page.get_by_role("region", name="Walk-in").locator('[data-total="count"]')).to_have_text("4")


def test_host_ticks_off_a_participant_counts_a_group_and_closes_the_session(page, live_server, door):
    log_in_at_the_door(page, live_server, door["host"])
    page.get_by_role("link", name=re.compile("^Het Klooster")).click()
    session = page.get_by_role("region", name="Samen eten")
    announcer = page.locator("#door-announce")

    session.get_by_label("Fatima A.").check()
    expect(announcer).to_have_text("Fatima A. is marked present.")
    assert Registration.objects.get().attended

    group = session.get_by_label("A group: how many visitors?")
    group.fill("1")
    session.get_by_role("button", name="Add group").click()
    expect(group).to_have_attribute("aria-invalid", "true")
    expect(session.get_by_text("Enter a number from 2 to 100.")).to_be_visible()
    assert_accessible(page)
    group.fill("6")
    group.press("Enter")
    expect(session.locator('[data-total="count"]')).to_have_text("6")
    expect(page.locator("#door-sync")).to_have_text("Everything has been sent.")
    assert DoorTally.objects.get().count == 6

    session.get_by_text("Close session").first.click()  # the summary opens the form
    session.get_by_label("Participants present").fill("7")
    session.get_by_label("Volunteers present").fill("2")
    remark = session.get_by_label(re.compile("^Remark"))
    remark.fill("mevrouw Jansen was er weer")
    session.get_by_role("button", name="Close session").click()
    expect(remark).to_have_attribute("aria-invalid", "true")
    expect(session.get_by_text("Leave out personal data")).to_be_visible()
    assert Session.objects.get().closed_at is None
    assert_accessible(page)
    remark.fill("Gezellig, de soep was op.")
    session.get_by_role("button", name="Close session").click()
    expect(session.get_by_text("Samen eten is closed.")).to_be_visible()
    closed = Session.objects.get()
    assert (closed.participants_count, closed.volunteers_count) == (7, 2)
    assert closed.close_remark == "Gezellig, de soep was op."
    assert_accessible(page)


def _remembered(page, place):
    """Wait until door.js has stored the place: the heading is server-rendered, the choice is saved by the script."""
    page.wait_for_function(
        "(url) => (localStorage.getItem('huizen.door.choice.v1') || '').includes(url)",
        arg=f"/{place.house.slug}/{place.pk}/",
    )


def test_the_tablet_remembers_the_place(page, live_server, door):
    north = Place.objects.get(name="Buurtplek Noord")
    log_in_at_the_door(page, live_server, door["host"])
    page.get_by_role("link", name=re.compile("^Buurtplek Noord")).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Buurtplek Noord")
    _remembered(page, north)
    page.goto(live_server.url + "/deur/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Buurtplek Noord")
    page.get_by_role("link", name="Change place").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Door screen: where are you?")
    page.get_by_role("link", name=re.compile("^Het Klooster")).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Het Klooster")
    _remembered(page, door["place"])
    page.goto(live_server.url + "/deur/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Het Klooster")


def test_the_door_screen_is_kept_on_the_tablet_for_use_without_a_network(page, live_server, door):
    """A service worker keeps the screen and its files on the tablet, so it opens again without a network.

    Only the caching is asserted here: Chromium's offline emulation does not reliably cover a service worker's
    own requests, so a reload while "offline" in Playwright passes or fails by timing, not by our code."""
    log_in_at_the_door(page, live_server, door["host"])
    page.get_by_role("link", name=re.compile("^Het Klooster")).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Het Klooster")
    page.wait_for_function(
        """async () => navigator.serviceWorker.controller !== null
            && navigator.serviceWorker.controller.scriptURL.endsWith('/deur/sw.js')
            && !!(await caches.match(location.href, {ignoreVary: true}))
            && !!(await caches.match(document.querySelector("script[src*='door.js']").src))
            && !!(await caches.match(document.querySelector("link[href*='site.css']").href))""",
        timeout=15_000,
    )
    # Taps still go straight to the server (the worker passes POSTs through) and are stored once.
    page.get_by_role("region", name="Walk-in").get_by_role("button", name="+1 visitor").click()
    expect(page.locator("#door-sync")).to_have_text("Everything has been sent.")
    assert active_taps() == 1


def test_logging_out_removes_the_door_screen_from_the_tablet(page, live_server, door):
    log_in_at_the_door(page, live_server, door["host"])
    page.get_by_role("link", name=re.compile("^Het Klooster")).click()
    page.wait_for_function("async () => !!(await caches.match(location.href, {ignoreVary: true}))", timeout=15_000)
    page.get_by_role("button", name="Log out").click()
    expect(page.get_by_role("link", name="Log in")).to_be_visible()
    page.wait_for_function("async () => !(await caches.keys()).includes('huizen-door-v1')", timeout=10_000)
