"""iCalendar feeds: valid RFC 5545 parsed back with `icalendar`, Amsterdam times in winter and summer, stable
UIDs, cancelled sessions, the window, the filters, and no personal data."""

import datetime as dt
import re
from decimal import Decimal
from zoneinfo import ZoneInfo

import icalendar
import pytest
from django.conf import settings
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from activities import feeds, services
from activities.models import Session
from audit.services import SYSTEM
from tests.factories import ActivityFactory, HouseFactory, RegistrationFactory, SessionFactory

AMSTERDAM = ZoneInfo("Europe/Amsterdam")
NOW = dt.datetime(2026, 2, 2, 12, 0, tzinfo=AMSTERDAM)  # window: 26 January to 30 March 2026 (12:00)
FEED = reverse("activities:agenda_feed")
HOUSE_FEED = reverse("activities:house_feed", args=["het-klooster"])
EMAIL = re.compile(r"[\w.+-]+@[\w-]+(\.[\w-]+)+")


@pytest.fixture
def now(db, monkeypatch):
    monkeypatch.setattr("django.utils.timezone.now", lambda: NOW)
    return NOW


def plan(*, day, start=dt.time(14), end=dt.time(16), **activity):
    return SessionFactory(activity=ActivityFactory(first_date=day, start_time=start, end_time=end, **activity))


def parse(response) -> icalendar.Calendar:
    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    return icalendar.Calendar.from_ical(response.content)


def events_by_summary(calendar) -> dict[str, icalendar.Event]:
    return {str(event["SUMMARY"]): event for event in calendar.walk("VEVENT")}


def test_feed_round_trip_keeps_amsterdam_wall_clock_time_in_winter_and_summer(client, now):
    winter = plan(day=dt.date(2026, 2, 10), start=dt.time(14), end=dt.time(16), title="Winterkoffie")
    summer = plan(day=dt.date(2026, 3, 29), start=dt.time(19), end=dt.time(21, 30), title="Zomeravond")
    calendar = parse(client.get(FEED))

    assert str(calendar["VERSION"]) == "2.0"
    assert str(calendar["PRODID"]).startswith("-//")
    assert str(calendar["X-WR-CALNAME"])
    assert str(calendar["X-PUBLISHED-TTL"]) == "PT6H"
    assert [str(tz["TZID"]) for tz in calendar.walk("VTIMEZONE")] == ["Europe/Amsterdam"]
    calendar.validate()

    events = events_by_summary(calendar)
    for session, title, wall_start, wall_end, offset in [
        (winter, "Winterkoffie", dt.time(14), dt.time(16), dt.timedelta(hours=1)),
        (summer, "Zomeravond", dt.time(19), dt.time(21, 30), dt.timedelta(hours=2)),
    ]:
        event = events[title]
        start, end = event.decoded("DTSTART"), event.decoded("DTEND")
        assert event["DTSTART"].params["TZID"] == "Europe/Amsterdam"
        assert str(start.tzinfo) == "Europe/Amsterdam"
        assert (start.time(), end.time()) == (wall_start, wall_end)
        assert start.utcoffset() == offset
        assert start == session.start and end == session.end  # the same instant as stored
        assert event.decoded("DTSTAMP").tzinfo is not None


def test_each_event_has_a_uid_that_stays_the_same_between_requests(client, now):
    plan(day=dt.date(2026, 2, 10), title="Een")
    plan(day=dt.date(2026, 2, 11), title="Twee")
    first = {str(e["SUMMARY"]): str(e["UID"]) for e in parse(client.get(FEED)).walk("VEVENT")}
    second = {str(e["SUMMARY"]): str(e["UID"]) for e in parse(client.get(FEED)).walk("VEVENT")}
    assert first == second
    assert len(set(first.values())) == 2
    assert all(re.fullmatch(r"session-\d+@testserver", uid) for uid in first.values())


def test_event_holds_summary_location_description_and_status(client, now):
    session = plan(
        day=dt.date(2026, 2, 10),
        title="Budgetcafé",
        description="Hulp bij post en geldzaken.",
        organiser="partner",
        partner_name="Humanitas",
        price=Decimal("2.50"),
        registration_required=True,
        capacity=8,
    )
    place = session.activity.place
    event = events_by_summary(parse(client.get(FEED)))["Budgetcafé"]
    assert str(event["STATUS"]) == "CONFIRMED"
    assert f"{place.street} {place.house_number}" in str(event["LOCATION"])
    assert place.city in str(event["LOCATION"])
    description = str(event["DESCRIPTION"])
    assert "Hulp bij post en geldzaken." in description and "Humanitas" in description
    assert str(event["URL"]) == f"http://testserver/agenda/bijeenkomst/{session.pk}/"


def test_cancelled_session_is_status_cancelled_with_its_reason(client, now):
    session = plan(day=dt.date(2026, 2, 10), title="Yoga")
    services.session_cancel(session=session, reason="De docent is ziek", by=SYSTEM)
    (event,) = parse(client.get(FEED)).walk("VEVENT")
    assert str(event["STATUS"]) == "CANCELLED"
    assert "De docent is ziek" in str(event["DESCRIPTION"])


def test_feed_holds_no_personal_data(client, now):
    house = HouseFactory(email="info@hetklooster.nl")
    session = plan(day=dt.date(2026, 2, 10), house=house, registration_required=True, capacity=1)
    first = RegistrationFactory(session=session)
    second = RegistrationFactory(session=session, status="waiting")
    body = client.get(FEED).content.decode()
    for user in (first.user, second.user):
        assert user.email not in body and user.last_name not in body
    without_uids = "\n".join(line for line in body.splitlines() if not line.startswith("UID:"))
    assert not EMAIL.search(without_uids)
    assert "ATTENDEE" not in body and "ORGANIZER" not in body


def test_feed_covers_the_past_week_to_eight_weeks_ahead(client, now):
    today = NOW.date()
    plan(day=today - dt.timedelta(days=8), title="Te oud")
    plan(day=today - dt.timedelta(days=6), title="Vorige week")
    plan(day=today + dt.timedelta(weeks=8, days=-1), title="Over acht weken")
    plan(day=today + dt.timedelta(weeks=8, days=1), title="Te ver")
    assert set(events_by_summary(parse(client.get(FEED)))) == {"Vorige week", "Over acht weken"}


def test_feed_takes_the_agenda_filters(client, now):
    plan(day=dt.date(2026, 2, 10), title="Samen eten", category="eating")
    plan(day=dt.date(2026, 2, 10), title="Bewegen", category="movement", price=Decimal("1"))
    assert set(events_by_summary(parse(client.get(FEED, {"category": "eating"})))) == {"Samen eten"}
    assert set(events_by_summary(parse(client.get(FEED, {"free": "on"})))) == {"Samen eten"}
    # The period of the page does not narrow a subscription.
    assert len(parse(client.get(FEED, {"period": "today"})).walk("VEVENT")) == 2


def test_feed_with_unknown_filter_values_is_a_clear_400(client, now):
    response = client.get(FEED, {"category": "knutselen"})
    assert response.status_code == 400
    assert "category" in response.content.decode()


def test_house_feed_holds_only_that_house(client, now):
    house = HouseFactory(name="Het Klooster", slug="het-klooster")
    plan(day=dt.date(2026, 2, 10), house=house, title="Hier")
    plan(day=dt.date(2026, 2, 10), title="Elders")
    calendar = parse(client.get(reverse("activities:house_feed", args=["het-klooster"])))
    assert set(events_by_summary(calendar)) == {"Hier"}
    assert "Het Klooster" in str(calendar["X-WR-CALNAME"])


def test_house_feed_of_an_unknown_house_is_404(client, db):
    assert client.get(reverse("activities:house_feed", args=["bestaat-niet"])).status_code == 404


def test_feed_query_count_does_not_grow_with_the_number_of_sessions(client, now):
    plan(day=dt.date(2026, 2, 10), title="Eerste")
    with CaptureQueriesContext(connection) as one:
        parse(client.get(FEED))
    for n in range(49):
        plan(day=dt.date(2026, 2, 10), title=f"Sessie {n}")
    cache.clear()  # build it again, not from the cache
    with CaptureQueriesContext(connection) as fifty:
        assert len(parse(client.get(FEED)).walk("VEVENT")) == 50
    assert len(fifty) == len(one)


# --- bounded and cached -----------------------------------------------------------------------------------


def test_feed_holds_at_most_max_events_the_earliest_first(client, now):
    activity = ActivityFactory(first_date=NOW.date(), title="Elk uur")
    first = NOW - dt.timedelta(days=6)
    Session.objects.bulk_create(
        Session(activity=activity, start=first + dt.timedelta(hours=n), end=first + dt.timedelta(hours=n, minutes=30))
        for n in range(feeds.MAX_EVENTS + 100)
    )
    events = parse(client.get(FEED)).walk("VEVENT")
    assert len(events) == feeds.MAX_EVENTS
    starts = sorted(event.decoded("DTSTART") for event in events)
    assert starts[0] == first
    assert starts[-1] == first + dt.timedelta(hours=feeds.MAX_EVENTS - 1)


def test_a_repeated_request_is_served_from_the_cache_without_queries(client, now):
    plan(day=dt.date(2026, 2, 10), title="Samen eten", category="eating")
    house = HouseFactory(slug="het-klooster")
    plan(day=dt.date(2026, 2, 10), title="Hier", house=house, category="eating")
    for url, query in [(FEED, {}), (FEED, {"category": "eating"}), (HOUSE_FEED, {"category": "eating"})]:
        first = client.get(url, query)
        with CaptureQueriesContext(connection) as queries:
            second = client.get(url, query)
        assert len(queries) == 0, (url, query)
        assert second.content == first.content
        assert events_by_summary(parse(second))


def test_a_change_shows_once_the_cached_feed_expires(client, now):
    plan(day=dt.date(2026, 2, 10), title="Eerste")
    assert set(events_by_summary(parse(client.get(FEED)))) == {"Eerste"}
    plan(day=dt.date(2026, 2, 11), title="Tweede")
    assert set(events_by_summary(parse(client.get(FEED)))) == {"Eerste"}  # still the cached feed
    cache.clear()  # what CACHE_SECONDS later does
    assert set(events_by_summary(parse(client.get(FEED)))) == {"Eerste", "Tweede"}


def test_each_filter_and_language_has_its_own_cached_feed(client, now):
    plan(day=dt.date(2026, 2, 10), title="Samen eten", category="eating")
    plan(day=dt.date(2026, 2, 10), title="Bewegen", category="movement")
    assert set(events_by_summary(parse(client.get(FEED, {"category": "eating"})))) == {"Samen eten"}
    assert set(events_by_summary(parse(client.get(FEED, {"category": "movement"})))) == {"Bewegen"}
    assert set(events_by_summary(parse(client.get(FEED)))) == {"Samen eten", "Bewegen"}
    # The period and unknown parameters do not change what a feed holds, so they share its cache entry.
    with CaptureQueriesContext(connection) as queries:
        same = client.get(FEED, {"category": "eating", "period": "today", "utm_source": "x"})
    assert len(queries) == 0
    assert set(events_by_summary(parse(same))) == {"Samen eten"}
    dutch = parse(client.get(FEED, {"category": "eating"}))
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    english = parse(client.get(FEED, {"category": "eating"}))
    assert str(dutch.walk("VEVENT")[0]["CATEGORIES"].cats[0]) == "samen eten"
    assert str(english.walk("VEVENT")[0]["CATEGORIES"].cats[0]) == "eating together"


def test_house_feed_filters_stay_within_the_house(client, now):
    house = HouseFactory(slug="het-klooster")
    plan(day=dt.date(2026, 2, 10), house=house, title="Hier eten", category="eating")
    plan(day=dt.date(2026, 2, 10), house=house, title="Hier bewegen", category="movement")
    plan(day=dt.date(2026, 2, 10), title="Elders eten", category="eating")
    assert set(events_by_summary(parse(client.get(HOUSE_FEED, {"category": "eating"})))) == {"Hier eten"}


def test_public_feed_has_http_caching_headers_and_answers_304_when_unchanged(client, now):
    plan(day=dt.date(2026, 2, 10), title="Eerste")
    response = client.get(FEED)
    assert response["Cache-Control"] == f"public, max-age={feeds.CACHE_SECONDS}"
    assert response["ETag"].startswith('"')
    assert response["Last-Modified"]
    again = client.get(FEED, HTTP_IF_NONE_MATCH=response["ETag"])
    assert again.status_code == 304
    assert again.content == b""
    assert client.get(FEED, HTTP_IF_NONE_MATCH='"something-else"').status_code == 200


def test_filters_that_cannot_be_used_are_not_cached(client, now):
    assert client.get(FEED, {"category": "knutselen"}).status_code == 400
    assert client.get(FEED, {"category": "knutselen"}).status_code == 400
    assert client.get(reverse("activities:house_feed", args=["bestaat-niet"])).status_code == 404
    HouseFactory(slug="bestaat-niet")
    assert client.get(reverse("activities:house_feed", args=["bestaat-niet"])).status_code == 200


def test_empty_repeated_or_ignored_parameters_share_the_cached_feed(client, now):
    """Parameters that do not change what a feed holds cannot be varied to build it again and again."""
    house = HouseFactory(slug="het-klooster")
    plan(day=dt.date(2026, 2, 10), house=house, title="Hier", category="eating", price=Decimal("0"))
    client.get(FEED)
    client.get(FEED, {"free": "on"})
    client.get(HOUSE_FEED)
    same = [
        (FEED, "free=&category=&district="),
        (FEED, "category=&category=&target_group="),
        (FEED, "free=yes"),
        (FEED, "free=1&free=on"),
        (HOUSE_FEED, "district=elders&house=ander-huis&neighbourhood=x"),  # a house's feed has no such filters
    ]
    for url, query in same:
        with CaptureQueriesContext(connection) as queries:
            assert client.get(f"{url}?{query}").status_code == 200
        assert len(queries) == 0, query
