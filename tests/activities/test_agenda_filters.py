"""The agenda's filters on 'registration needed' and 'places left': ticked boxes narrow the list (unticked ones do
not mean the opposite), they work through the live filter (HTMX), in the feeds, and the query count stays fixed."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation

from tests.factories import ActivityFactory, RegistrationFactory, SessionFactory

AMSTERDAM = ZoneInfo("Europe/Amsterdam")
NOW = dt.datetime(2026, 1, 14, 10, 0, tzinfo=AMSTERDAM)
TODAY = NOW.date()
AGENDA = reverse("activities:agenda")


@pytest.fixture
def now(db, monkeypatch):
    monkeypatch.setattr("django.utils.timezone.now", lambda: NOW)
    return NOW


def plan(title, *, confirmed=0, **activity):
    activity = ActivityFactory(
        title=title, first_date=TODAY + dt.timedelta(days=1), start_time=dt.time(14), end_time=dt.time(16), **activity
    )
    session = SessionFactory(activity=activity)
    for _n in range(confirmed):
        RegistrationFactory(session=session, status="confirmed")
    return session


@pytest.fixture
def programme(now):
    plan("Inloop")  # no registration
    plan("Yoga", registration_required=True, capacity=10, confirmed=3)  # places left
    plan("Kookles", registration_required=True, capacity=2, confirmed=2)  # full
    plan("Lezing", registration_required=True, capacity=None)  # registration, no limit
    cancelled = plan("Koor", registration_required=True, capacity=10)
    cancelled.status = "cancelled"
    cancelled.save()


def titles(response):
    assert response.status_code == 200
    return sorted(session.activity.title for session in response.context["page"].object_list)


def test_registration_needed_shows_only_activities_that_ask_for_it(client, programme):
    assert titles(client.get(AGENDA)) == ["Inloop", "Kookles", "Koor", "Lezing", "Yoga"]
    assert titles(client.get(AGENDA, {"registration": "on"})) == ["Kookles", "Koor", "Lezing", "Yoga"]


def test_places_left_leaves_out_full_and_cancelled_sessions(client, programme):
    assert titles(client.get(AGENDA, {"places_left": "on"})) == ["Inloop", "Lezing", "Yoga"]
    assert titles(client.get(AGENDA, {"places_left": "on", "registration": "on"})) == ["Lezing", "Yoga"]


def test_the_count_follows_the_filters_in_the_live_filter(client, programme):
    with translation.override("en"):
        client.cookies["django_language"] = "en"
        response = client.get(AGENDA, {"registration": "on", "places_left": "on"}, headers={"HX-Request": "true"})
    html = response.content.decode()
    assert "<html" not in html and 'hx-swap-oob="innerHTML"' in html
    assert "2 activities found" in html
    assert "Yoga" in html and "Lezing" in html and "Kookles" not in html


def test_the_boxes_are_in_the_filter_form(client, programme):
    client.cookies["django_language"] = "en"
    html = client.get(AGENDA).content.decode()
    assert 'type="checkbox" name="registration"' in html and 'type="checkbox" name="places_left"' in html
    assert "Registration needed" in html and "Places left (no waiting list)" in html


def test_the_feed_uses_the_same_filters(client, programme):
    body = client.get(reverse("activities:agenda_feed"), {"places_left": "on", "registration": "on"}).content.decode()
    assert "Yoga" in body and "Lezing" in body
    assert "Kookles" not in body and "Inloop" not in body


def test_places_left_costs_the_same_queries_with_one_or_fifty_sessions(client, now):
    plan("Eerste", registration_required=True, capacity=5, confirmed=1)
    with CaptureQueriesContext(connection) as one:
        assert len(client.get(AGENDA, {"places_left": "on"}).context["page"].object_list) == 1
    for n in range(49):
        plan(f"Activiteit {n}", registration_required=True, capacity=5, confirmed=1)
    with CaptureQueriesContext(connection) as fifty:
        assert len(client.get(AGENDA, {"places_left": "on"}).context["page"].object_list) == 50
    assert len(fifty) == len(one)
