"""Accessibility for everyone (issue 9): the statement, label in name, Dutch content marked as Dutch, live filters that
wait for a complete value, named scrolling tables, reflow at 320 px, and the error summary that takes the focus."""

import re

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect

from accounts.models import Role
from tests.factories import (
    PASSWORD,
    ActivityFactory,
    BookingFactory,
    HouseFactory,
    PlaceFactory,
    RegistrationFactory,
    RoleAssignmentFactory,
    SessionFactory,
    SignalFactory,
    UserFactory,
    bookable_room,
)

from .conftest import assert_accessible

pytestmark = pytest.mark.django_db(transaction=True)

PHONE = {"width": 390, "height": 844}
NARROW = {"width": 320, "height": 640}
LONG_WORD = "Buurtbewonersontmoetingsmiddagactiviteitencommissievergadering"


@pytest.fixture
def klooster():
    house = HouseFactory(name="Huis van de Wijk Het Klooster", slug="het-klooster")
    place = PlaceFactory(house=house, name="Het Klooster")
    room = bookable_room(place=place, name="Grote zaal")
    activity = ActivityFactory(
        house=house, place=place, title="Yoga op dinsdag", description="Rustig bewegen op een stoel."
    )
    session = SessionFactory(activity=activity)
    return {"house": house, "place": place, "room": room, "activity": activity, "session": session}


def log_in(page, live_server, user):
    """A session for `user` without going through the login form (the login page is tested on its own below)."""
    client = Client()
    client.force_login(user)
    cookie = client.cookies[settings.SESSION_COOKIE_NAME].value
    page.context.add_cookies([{"name": settings.SESSION_COOKIE_NAME, "value": cookie, "url": live_server.url}])


def english(page, live_server):
    page.context.add_cookies([{"name": "django_language", "value": "en", "url": live_server.url}])


def page_width(page) -> int:
    return page.evaluate("document.documentElement.scrollWidth")


# --- 1. the accessibility statement ---------------------------------------------------------------------------


def test_the_statement_is_linked_in_the_footer_and_reads_in_both_languages(page, live_server, settings, klooster):
    settings.ACCESSIBILITY_CONTACT_EMAIL = "meldpunt@huizen.example.nl"
    page.goto(live_server.url + reverse("activities:agenda"))
    page.get_by_role("contentinfo").get_by_role("link", name="Toegankelijkheidsverklaring").click()
    expect(page).to_have_url(live_server.url + "/toegankelijkheid/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Toegankelijkheidsverklaring")
    expect(page.get_by_role("heading", name="Status: voldoet gedeeltelijk")).to_be_visible()
    expect(page.get_by_text("Laatst gecontroleerd op 30 november 2026.")).to_be_visible()
    expect(page.get_by_text("Je krijgt binnen 5 werkdagen antwoord.", exact=False)).to_be_visible()
    mail = page.get_by_role("link", name="meldpunt@huizen.example.nl")
    expect(mail).to_have_attribute("href", "mailto:meldpunt@huizen.example.nl")
    expect(page.get_by_role("link", name="Website van de Nationale ombudsman")).to_be_visible()
    expect(page.get_by_role("contentinfo").get_by_role("link", name="Toegankelijkheidsverklaring")).to_have_attribute(
        "aria-current", "page"
    )
    assert_accessible(page)

    page.get_by_role("button", name="English").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Accessibility statement")
    expect(page.get_by_text("Last checked on 30 November 2026.")).to_be_visible()
    expect(page.get_by_role("heading", name="Status: partially compliant")).to_be_visible()
    assert_accessible(page)


# --- 2. label in name -----------------------------------------------------------------------------------------


def test_the_axe_check_catches_a_name_that_leaves_out_the_visible_words(page):
    page.set_content(
        '<!DOCTYPE html><html lang="nl"><head><title>Proef</title></head><body><main><h1>Proef</h1>'
        '<a href="/x" aria-label="Yoga op dinsdag afgelasten">Annuleren</a></main></body></html>'
    )
    with pytest.raises(AssertionError, match="label-content-name-mismatch"):
        assert_accessible(page)


def visible_words_in_names(page) -> list[str]:
    """Links and buttons whose accessible name (from aria-label or aria-labelledby) leaves out their visible text."""
    return page.evaluate(
        """() => [...document.querySelectorAll('a[href], button')].filter((el) => {
            const visible = el.innerText.trim().replace(/\\s+/g, ' ').toLowerCase();
            const label = el.getAttribute('aria-label')
                || (el.getAttribute('aria-labelledby') || '').split(' ').map(
                    (id) => (document.getElementById(id) || {}).textContent || '').join(' ');
            return visible && label && !label.trim().replace(/\\s+/g, ' ').toLowerCase().includes(visible);
        }).map((el) => el.outerHTML.slice(0, 200))"""
    )


def walk(page, live_server, paths):
    for path in paths:
        page.goto(live_server.url + path)
        assert visible_words_in_names(page) == [], path
        assert_accessible(page)


def test_visible_text_is_part_of_every_name_for_visitors_and_residents(page, live_server, klooster):
    house, session = klooster["house"], klooster["session"]
    walk(
        page,
        live_server,
        [
            reverse("locations:house_list"),
            reverse("locations:house_detail", args=[house.slug]),
            reverse("activities:agenda"),
            reverse("activities:session_detail", args=[session.pk]),
            reverse("bookings:room_search"),
            reverse("bookings:room_detail", args=[klooster["room"].pk]),
        ],
    )
    resident = UserFactory()
    RegistrationFactory(session=session, user=resident)
    BookingFactory(room=klooster["room"], renter=resident)
    log_in(page, live_server, resident)
    walk(
        page,
        live_server,
        [reverse("start"), reverse("activities:my_registrations"), reverse("bookings:my_bookings")],
    )
    expect(page.get_by_role("link", name=re.compile(r"^Annuleren"))).to_have_count(1)


def test_visible_text_is_part_of_every_name_for_coordinators_and_hosts(page, live_server, klooster):
    house, session = klooster["house"], klooster["session"]
    BookingFactory(room=klooster["room"], status="requested", renter=UserFactory(first_name="Fatima"))
    SignalFactory(house=house, remark="Mevrouw komt niet meer naar de koffie.")
    coordinator = RoleAssignmentFactory(role=Role.COORDINATOR, house=house).user
    log_in(page, live_server, coordinator)
    walk(
        page,
        live_server,
        [
            reverse("start"),
            reverse("activities:programme", args=[house.slug]),
            reverse("bookings:house_requests", args=[house.slug]),
            reverse("activities:signal_list", args=[house.slug]),
        ],
    )
    page.goto(live_server.url + reverse("activities:programme", args=[house.slug]))
    day = timezone.localtime(session.start).day
    cancel = page.get_by_role("link", name=f"Annuleren – Yoga op dinsdag op {day} december")
    expect(cancel).to_be_visible()
    expect(cancel).to_have_text(re.compile(r"^Annuleren"))
    page.goto(live_server.url + reverse("bookings:house_requests", args=[house.slug]))
    expect(page.get_by_role("button", name=re.compile(r"^Goedkeuren – aanvraag van "))).to_have_count(1)
    expect(page.get_by_role("link", name=re.compile(r"^Afwijzen – aanvraag van "))).to_have_count(1)

    host = RoleAssignmentFactory(role=Role.HOST, house=house).user
    page.context.clear_cookies()
    log_in(page, live_server, host)
    walk(page, live_server, [reverse("start"), reverse("activities:door_start")])


# --- 3. Dutch content in the English interface ----------------------------------------------------------------


def test_dutch_content_is_marked_as_dutch_in_the_english_interface(page, live_server, klooster):
    session = klooster["session"]
    english(page, live_server)
    page.goto(live_server.url + reverse("activities:session_detail", args=[session.pk]))
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.get_by_role("heading", level=1).locator('[lang="nl"]')).to_have_text("Yoga op dinsdag")
    expect(page.locator('main [lang="nl"]', has_text="Rustig bewegen op een stoel.")).to_be_visible()
    assert_accessible(page)
    page.goto(live_server.url + reverse("activities:agenda"))
    expect(page.locator('#results [lang="nl"]', has_text="Yoga op dinsdag")).to_be_visible()


# --- 4. live filters ------------------------------------------------------------------------------------------


def test_typing_a_date_asks_for_results_once_and_adds_no_history(page, live_server, klooster):
    page.set_viewport_size(PHONE)
    page.goto(live_server.url + reverse("activities:agenda"))
    expect(page.locator("#result-count")).to_have_text("1 activiteit gevonden")
    history = page.evaluate("history.length")
    requests = []
    page.on("request", lambda request: request.headers.get("hx-request") and requests.append(request.url))

    page.evaluate(
        """() => { window.countUpdates = 0; new MutationObserver(() => { window.countUpdates += 1; }).observe(
            document.getElementById('result-count'), {childList: true, characterData: true, subtree: true}); }"""
    )

    page.locator("details[data-fold-narrow] > summary").click()  # on a phone the filters start folded
    start = page.get_by_label("Vanaf")
    start.click()
    start.press_sequentially("12122026", delay=60)  # the year goes 0002, 0020, 0202, 2026 (day and month: either order)
    expect(page).to_have_url(re.compile(r"date_from=2026-12-12"))
    page.wait_for_timeout(800)  # nothing more comes after the pause
    assert len(requests) == 1, requests
    assert "date_from=2026-12-12" in requests[0]
    assert page.evaluate("history.length") == history
    expect(page.locator("#result-count")).to_have_text("0 activiteiten gevonden")  # the session is tomorrow
    assert page.evaluate("window.countUpdates") == 1, "the status region is updated (announced) once"
    assert_accessible(page)

    page.get_by_label("Vanaf").press_sequentially("0", delay=60)  # a partial change of the day gives one more
    page.wait_for_timeout(800)
    assert len(requests) <= 2
    assert page.evaluate("history.length") == history


def test_typing_a_number_asks_for_results_after_a_pause(page, live_server, klooster):
    page.goto(live_server.url + reverse("bookings:room_search"))
    history = page.evaluate("history.length")
    requests = []
    page.on("request", lambda request: request.headers.get("hx-request") and requests.append(request.url))
    page.get_by_label("Aantal personen").press_sequentially("150", delay=80)
    expect(page).to_have_url(re.compile(r"people=150"))
    page.wait_for_timeout(700)
    assert len(requests) == 1, requests
    page.get_by_label("Aantal personen").press("Tab")  # leaving the field changes nothing more: no new request
    page.wait_for_timeout(700)
    assert len(requests) == 1, requests
    assert page.evaluate("history.length") == history
    expect(page.locator("#result-count")).to_have_text("0 ruimtes gevonden")


def test_a_select_filter_still_asks_for_results_at_once(page, live_server, klooster):
    page.goto(live_server.url + reverse("locations:house_list"))
    history = page.evaluate("history.length")
    with page.expect_request(lambda request: request.headers.get("hx-request") == "true"):
        page.get_by_label("Gebied").select_option(index=0)
        page.get_by_label("Gebied").select_option(index=1)
    expect(page.locator("#result-count")).to_contain_text("gevonden")
    assert page.evaluate("history.length") == history


# --- 5. scrolling tables, focus style and reflow ---------------------------------------------------------------


def test_a_table_that_scrolls_sideways_is_a_named_focusable_region(page, live_server, klooster):
    house = klooster["house"]
    coordinator = RoleAssignmentFactory(role=Role.COORDINATOR, house=house).user
    log_in(page, live_server, coordinator)
    page.set_viewport_size(NARROW)
    page.goto(live_server.url + reverse("activities:programme", args=[house.slug]))
    wrap = page.locator(".huizen-table-wrap").first
    assert wrap.evaluate("el => el.scrollWidth > el.clientWidth"), "the programme table is wider than a small phone"
    expect(wrap).to_have_attribute("role", "region")
    expect(wrap).to_have_attribute("tabindex", "0")
    caption = wrap.locator("caption")
    expect(page.get_by_role("region", name=caption.inner_text())).to_have_count(1)
    wrap.focus()
    page.keyboard.press("ArrowRight")
    page.wait_for_function("el => el.scrollLeft > 0", arg=wrap.element_handle())
    assert page_width(page) <= 320
    assert_accessible(page)


def test_links_and_fields_show_the_themes_focus_style(page, live_server, klooster):
    page.goto(live_server.url + reverse("activities:agenda"))
    page.keyboard.press("Tab")  # the skip link
    page.keyboard.press("Tab")
    focused = page.evaluate(
        "() => { const s = getComputedStyle(document.activeElement); return [document.activeElement.tagName, "
        "s.outlineStyle, s.backgroundColor]; }"
    )
    assert focused[0] == "A"
    assert focused[1] == "dashed"
    assert focused[2] == "rgb(255, 221, 0)"
    page.get_by_label("Vanaf").focus()
    page.keyboard.press("Shift+Tab")
    page.keyboard.press("Tab")
    assert page.evaluate("getComputedStyle(document.activeElement).outlineStyle") == "dashed"


def test_pages_reflow_at_320_pixels(page, live_server, settings, klooster):
    settings.ACCESSIBILITY_CONTACT_EMAIL = "toegankelijkheid.meldingen@huizenvandewijk-rotterdam.example.nl"
    house, session = klooster["house"], klooster["session"]
    activity = klooster["activity"]
    activity.title = LONG_WORD
    activity.save(update_fields=["title"])
    page.set_viewport_size(NARROW)
    for path in [
        reverse("locations:house_list"),
        reverse("locations:house_detail", args=[house.slug]),
        reverse("activities:agenda"),
        reverse("activities:session_detail", args=[session.pk]),
        reverse("bookings:room_search"),
        reverse("accessibility"),
        reverse("account_login"),
    ]:
        page.goto(live_server.url + path)
        assert page_width(page) <= 320, path
    expect(page.get_by_role("link", name="Inloggen", exact=True).first).to_be_visible()

    # Staff tables scroll inside their own box; their visually hidden link texts do not widen the page.
    BookingFactory(room=klooster["room"], status="requested")
    log_in(page, live_server, RoleAssignmentFactory(role=Role.COORDINATOR, house=house).user)
    for path in [
        reverse("activities:programme", args=[house.slug]),
        reverse("bookings:house_requests", args=[house.slug]),
    ]:
        page.goto(live_server.url + path)
        assert page_width(page) <= 320, path


# --- 6. the error summary -------------------------------------------------------------------------------------


def test_our_form_opens_with_an_error_summary_that_links_to_the_fields(page, live_server, klooster):
    house = klooster["house"]
    coordinator = RoleAssignmentFactory(role=Role.COORDINATOR, house=house).user
    log_in(page, live_server, coordinator)
    page.goto(live_server.url + reverse("activities:activity_create", args=[house.slug]))
    page.locator("form.utrecht-form").first.evaluate("form => form.noValidate = true")
    page.get_by_role("button", name="Activiteit plannen").click()
    summary = page.locator("[data-error-summary]")
    expect(summary.get_by_role("heading", name="Er ging iets mis")).to_be_visible()
    expect(summary).to_be_focused()  # site.js moved the focus here
    link = summary.get_by_role("link", name=re.compile(r"^Titel: "))
    expect(link).to_have_attribute("href", "#id_title")
    assert_accessible(page)
    link.click()
    expect(page.locator("#id_title")).to_be_focused()


def test_the_login_page_opens_with_an_error_summary(page, live_server, klooster):
    user = UserFactory()
    page.goto(live_server.url + reverse("account_login"))
    page.get_by_label("E-mailadres").fill(user.email)
    page.get_by_label("Wachtwoord").fill(PASSWORD + "x")
    page.get_by_role("button", name="Inloggen").click()
    summary = page.locator("[data-error-summary]")
    expect(summary.get_by_role("heading", name="Er ging iets mis")).to_be_visible()
    expect(summary).to_be_focused()  # site.js moved the focus here
    assert_accessible(page)


def test_the_sign_up_page_links_each_field_with_an_error(page, live_server):
    UserFactory(email="bezet@example.nl")
    page.goto(live_server.url + reverse("account_signup"))
    page.locator("form.utrecht-form").first.evaluate("form => form.noValidate = true")
    page.get_by_label("E-mailadres").fill("bezet@example.nl")
    page.get_by_role("button", name=re.compile("Account aanmaken|Registreren|Aanmelden")).last.click()
    summary = page.locator("[data-error-summary]")
    expect(summary).to_be_visible()
    expect(summary).to_be_focused()  # site.js moved the focus here
    first = summary.get_by_role("link").first
    target = first.get_attribute("href")[1:]
    first.click()
    expect(page.locator(f"#{target}")).to_be_focused()
    assert_accessible(page)


def test_a_select_shows_its_arrow_and_its_text_stays_clear_of_it(live_server, page, klooster):
    """The theme draws no arrow on a select, which then looks like a text field: ours does."""
    page.set_viewport_size(PHONE)
    page.goto(live_server.url + reverse("locations:house_list"))
    select = page.locator("select").first
    style = select.evaluate(
        "el => { const s = getComputedStyle(el); return [s.backgroundImage, parseFloat(s.paddingRight)]; }"
    )
    assert "select-arrow" in style[0]
    arrow = re.search(r'url\("?([^")]+)"?\)', style[0]).group(1)
    assert page.request.get(arrow).ok, arrow  # the image is really there, not a 404 behind a right-looking URL
    assert style[1] >= 30  # the longest choice does not run under the arrow
    assert_accessible(page)
