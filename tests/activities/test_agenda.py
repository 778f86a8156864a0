"""The public agenda of the network and of one house: periods, filters, HTMX, query counts, the session page."""

import datetime as dt
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from activities import services
from activities.models import ActivityTargetGroup
from audit.services import SYSTEM
from tests.factories import (
    ActivityFactory,
    DistrictFactory,
    HouseFactory,
    NeighbourhoodFactory,
    RegistrationFactory,
    SessionFactory,
)

AMSTERDAM = ZoneInfo("Europe/Amsterdam")
NOW = dt.datetime(2026, 1, 14, 10, 0, tzinfo=AMSTERDAM)  # a Wednesday morning in winter
TODAY = NOW.date()
AGENDA = reverse("activities:agenda")


@pytest.fixture
def now(db, monkeypatch):
    monkeypatch.setattr("django.utils.timezone.now", lambda: NOW)
    return NOW


def plan(*, day=TODAY + dt.timedelta(days=1), start=dt.time(14), end=dt.time(16), groups=(), **activity):
    """One session of a new activity on `day` from `start` to `end` (Amsterdam wall-clock time)."""
    activity = ActivityFactory(first_date=day, start_time=start, end_time=end, **activity)
    for group in groups:
        ActivityTargetGroup.objects.create(activity=activity, group=group)
    return SessionFactory(activity=activity)


def titles(response):
    assert response.status_code == 200
    return {session.activity.title for session in response.context["page"].object_list}


def test_agenda_shows_sessions_by_day_with_their_facts(english, now):
    house = HouseFactory(name="Huis van de Wijk Het Klooster")
    plan(
        title="Samen eten",
        house=house,
        day=TODAY + dt.timedelta(days=2),
        start=dt.time(17, 30),
        end=dt.time(19),
        category="eating",
        groups=["seniors"],
        price=Decimal("3.50"),
        registration_required=True,
        capacity=10,
    )
    full = plan(title="Taalcafé", house=house, registration_required=True, capacity=1, category="language")
    RegistrationFactory(session=full)
    plan(title="Koffie-inloop", house=house, groups=["everyone"])

    response = english.get(AGENDA)
    html = response.content.decode()
    assert titles(response) == {"Samen eten", "Taalcafé", "Koffie-inloop"}
    days = response.context["days"]
    assert [day for day, _sessions in days] == [TODAY + dt.timedelta(days=1), TODAY + dt.timedelta(days=2)]
    assert [s.activity.title for s in days[0][1]] == ["Koffie-inloop", "Taalcafé"]
    assert "Friday 16 January" in html
    assert "17:30" in html and "19:00" in html
    assert "Huis van de Wijk Het Klooster" in html
    assert "Eating together" in html and "For people over 65" in html and "For everyone" in html
    assert "€ 3.50" in html and "Free" in html
    assert "Registration needed (10 places left)" in html
    assert "Registration needed (full, waiting list)" in html
    assert "3 activities found" in html


def test_cancelled_sessions_show_their_reason_and_moved_ones_say_so(english, now):
    cancelled = plan(title="Yoga")
    services.session_cancel(session=cancelled, reason="De docent is ziek", by=SYSTEM)
    moved = plan(title="Wijkoverleg")
    services.session_move(
        session=moved,
        start=moved.start + dt.timedelta(days=1),
        end=moved.end + dt.timedelta(days=1),
        reason="De zaal is bezet",
        by=SYSTEM,
    )
    html = english.get(AGENDA).content.decode()
    assert "Cancelled" in html and "De docent is ziek" in html
    assert "Moved" in html and "De zaal is bezet" in html
    assert "Thursday 15 January, 14:00" in html  # where it was planned first


def test_default_period_is_from_today_for_14_days_and_only_what_has_not_ended(client, now):
    plan(title="Vanochtend", day=TODAY, start=dt.time(8), end=dt.time(9, 30))  # already over
    plan(title="Nu bezig", day=TODAY, start=dt.time(9), end=dt.time(11))
    plan(title="Dag 13", day=TODAY + dt.timedelta(days=13), start=dt.time(20), end=dt.time(22))
    plan(title="Dag 14", day=TODAY + dt.timedelta(days=14), start=dt.time(9), end=dt.time(10))
    plan(title="Gisteren", day=TODAY - dt.timedelta(days=1))
    response = client.get(AGENDA)
    assert titles(response) == {"Nu bezig", "Dag 13"}
    assert (response.context["first_day"], response.context["last_day"]) == (TODAY, TODAY + dt.timedelta(days=13))


def test_period_today_this_week_and_dates(client, now):
    plan(title="Vandaag", day=TODAY, start=dt.time(19), end=dt.time(21))
    plan(title="Zondag", day=TODAY + dt.timedelta(days=4))  # Sunday 18 January
    plan(title="Maandag", day=TODAY + dt.timedelta(days=5))
    plan(title="Over een maand", day=TODAY + dt.timedelta(days=30))
    assert titles(client.get(AGENDA, {"period": "today"})) == {"Vandaag"}
    assert titles(client.get(AGENDA, {"period": "week"})) == {"Vandaag", "Zondag"}
    assert titles(client.get(AGENDA, {"date_from": "2026-01-19", "date_to": "2026-02-13"})) == {
        "Maandag",
        "Over een maand",
    }
    # Only a start date: 14 days from it.
    assert titles(client.get(AGENDA, {"date_from": "2026-02-13"})) == {"Over een maand"}


def test_each_filter_narrows_the_agenda(client, now):
    noord = DistrictFactory(name="Noord", slug="noord")
    blijdorp = NeighbourhoodFactory(district=noord, name="Blijdorp", slug="blijdorp")
    klooster = HouseFactory(name="Het Klooster", slug="het-klooster", neighbourhood=blijdorp)
    plan(title="In Blijdorp", house=klooster, category="movement", groups=["seniors"], price=Decimal("2"))
    plan(title="Voor iedereen", category="eating", groups=["everyone"])
    plan(title="Voor jongeren", category="youth", groups=["youth"])
    assert titles(client.get(AGENDA, {"district": "noord"})) == {"In Blijdorp"}
    assert titles(client.get(AGENDA, {"neighbourhood": "blijdorp"})) == {"In Blijdorp"}
    assert titles(client.get(AGENDA, {"house": "het-klooster"})) == {"In Blijdorp"}
    assert titles(client.get(AGENDA, {"category": "youth"})) == {"Voor jongeren"}
    # Activities for everyone are for every group too.
    assert titles(client.get(AGENDA, {"target_group": "seniors"})) == {"In Blijdorp", "Voor iedereen"}
    assert titles(client.get(AGENDA, {"free": "on"})) == {"Voor iedereen", "Voor jongeren"}
    assert titles(client.get(AGENDA, {"free": "on", "category": "eating"})) == {"Voor iedereen"}


@pytest.mark.parametrize(
    "query, field",
    [
        ({"category": "knutselen"}, "category"),
        ({"district": "bestaat-niet"}, "district"),
        ({"neighbourhood": "bestaat-niet"}, "neighbourhood"),
        ({"house": "bestaat-niet"}, "house"),
        ({"target_group": "katten"}, "target_group"),
        ({"period": "maand"}, "period"),
        ({"date_from": "gisteren"}, "date_from"),
        ({"date_from": "2026-02-01", "date_to": "2026-01-20"}, "date_to"),
        ({"date_from": "2026-01-20", "date_to": "2028-01-20"}, "date_to"),
    ],
)
def test_unknown_filter_values_give_a_form_error_not_a_500(english, now, query, field):
    plan(title="Iets")
    response = english.get(AGENDA, query)
    assert response.status_code == 200
    assert field in response.context["filter"].form.errors
    html = response.content.decode()
    assert "Some filters could not be used" in html and 'aria-invalid="true"' in html
    assert len(response.context["page"].object_list) == 0


def test_htmx_request_gets_only_the_results(client, now):
    plan(title="Koffie")
    response = client.get(AGENDA, {"category": "meeting"}, headers={"HX-Request": "true"})
    html = response.content.decode()
    assert response.status_code == 200
    assert "<html" not in html and "Koffie" in html
    assert 'hx-swap-oob="innerHTML"' in html  # the live count outside the swapped region
    assert "HX-Request" in response["Vary"]


def test_agenda_query_count_does_not_grow_with_the_number_of_sessions(client, now):
    plan(title="Eerste", registration_required=True, capacity=5, groups=["everyone"])
    with CaptureQueriesContext(connection) as one:
        assert client.get(AGENDA).status_code == 200
    for n in range(49):
        session = plan(title=f"Activiteit {n}", registration_required=True, capacity=5, groups=["everyone", "women"])
        RegistrationFactory(session=session)
    with CaptureQueriesContext(connection) as fifty:
        response = client.get(AGENDA)
    assert len(response.context["page"].object_list) == 50
    assert len(fifty) == len(one)


def test_agenda_is_paginated_and_keeps_the_filters(client, now, monkeypatch):
    monkeypatch.setattr("activities.views.agenda.PAGE_SIZE", 2)
    for n in range(3):
        plan(title=f"Bewegen {n}", category="movement")
    first = client.get(AGENDA, {"category": "movement"})
    assert len(first.context["page"].object_list) == 2
    assert "category=movement&amp;page=2" in first.content.decode()
    assert titles(client.get(AGENDA, {"category": "movement", "page": 2})) == {"Bewegen 2"}


def test_house_agenda_shows_only_that_house(english, now):
    house = HouseFactory(name="Het Klooster", slug="het-klooster")
    plan(title="Hier", house=house)
    plan(title="Elders")
    url = reverse("activities:house_agenda", args=["het-klooster"])
    response = english.get(url)
    assert titles(response) == {"Hier"}
    form = response.context["filter"].form
    assert "house" not in form.fields and "district" not in form.fields
    assert "Agenda of Het Klooster" in response.content.decode()
    assert titles(english.get(url, {"category": "youth"})) == set()


def test_house_agenda_of_an_unknown_house_is_404(client, db):
    assert client.get(reverse("activities:house_agenda", args=["bestaat-niet"])).status_code == 404


def test_agenda_pages_link_to_the_matching_feed(client, now):
    house = HouseFactory(slug="het-klooster")
    plan(house=house)
    html = client.get(AGENDA, {"category": "eating", "period": "week", "page": "1"}).content.decode()
    assert "http://testserver/agenda.ics?category=eating" in html
    assert "webcal://testserver/agenda.ics?category=eating" in html
    assert "agenda.ics?category=eating&amp;period" not in html  # a feed covers its own window
    html = client.get(reverse("activities:house_agenda", args=["het-klooster"])).content.decode()
    assert "http://testserver/huizen/het-klooster/agenda.ics" in html


def test_empty_agenda_says_what_to_do(english, now):
    html = english.get(AGENDA, {"category": "youth"}).content.decode()
    assert "No activities match these filters. Try another period or fewer filters." in html


def test_session_page_shows_the_activity_place_and_organiser(english, now):
    session = plan(
        title="Budgetcafé",
        description="Hulp bij post en geldzaken.",
        category="advice",
        organiser="partner",
        partner_name="Humanitas",
    )
    place = session.activity.place
    response = english.get(reverse("activities:session_detail", args=[session.pk]))
    html = response.content.decode()
    assert response.status_code == 200
    assert "Budgetcafé" in html and "Hulp bij post en geldzaken." in html
    assert f"{place.street} {place.house_number}" in html and place.postcode in html
    assert "Humanitas" in html
    assert "No registration needed: just come along." in html


def test_unknown_session_is_404(client, db):
    assert client.get(reverse("activities:session_detail", args=[999999])).status_code == 404
