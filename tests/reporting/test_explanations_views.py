"""The explanations page: a house's coordinators write, whoever sees its results reads, anyone else gets a 404."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse

from audit.models import Event
from reporting.models import Explanation
from reporting.services import explanation_set

pytestmark = pytest.mark.django_db

AMSTERDAM = ZoneInfo("Europe/Amsterdam")


def url(house_slug="het-klooster", quarter="2026Q4"):
    return reverse("reporting:explanations", args=[house_slug, quarter])


def on(clock, day: dt.date):
    clock.move_to(dt.datetime.combine(day, dt.time(9), tzinfo=AMSTERDAM))


@pytest.fixture
def in_q4(clock):
    on(clock, dt.date(2026, 11, 30))


def test_a_coordinator_writes_explanations(english, coordinator, house, in_q4):
    english.force_login(coordinator)
    page = english.get(url()).content.decode()
    assert "Explanation of 2026Q4, Huis van de Wijk Het Klooster" in page
    assert 'name="visits"' in page and 'name="room_occupancy"' in page
    assert "until 10 January 2027" in page
    response = english.post(url(), {"visits": "Minder bezoek door de verbouwing.", "sessions_held": ""})
    assert response.status_code == 302 and response["Location"] == url()
    explanation = Explanation.objects.get()
    assert (explanation.house, explanation.indicator, explanation.year, explanation.quarter) == (
        house,
        "visits",
        2026,
        4,
    )
    assert explanation.text == "Minder bezoek door de verbouwing."
    assert Event.objects.get(action="explanation.set").actor == coordinator
    page = english.get(url()).content.decode()
    assert "Minder bezoek door de verbouwing." in page and "The explanations are saved." in page


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("x" * 10_000, "Keep the explanation to 2000 characters at most (now 10000)."),
        ("NUL\x00", "Null characters are not allowed."),
        ("Escape\x1b", "Remove the invisible control characters from this text."),
    ],
)
def test_bad_text_is_refused(english, coordinator, house, in_q4, text, message):
    english.force_login(coordinator)
    response = english.post(url(), {"visits": text})
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not Explanation.objects.exists()


def test_after_the_window_the_page_reads_and_a_post_is_refused(english, coordinator, house, clock):
    on(clock, dt.date(2026, 10, 5))
    explanation_set(house=house, indicator="visits", year=2026, quarter=3, text="Zomerstop", by=coordinator)
    on(clock, dt.date(2026, 10, 11))
    english.force_login(coordinator)
    page = english.get(url(quarter="2026Q3")).content.decode()
    assert "could be written until 10 October 2026" in page
    assert "<textarea" not in page and "Zomerstop" in page
    response = english.post(url(quarter="2026Q3"), {"visits": "Te laat"})
    assert response.status_code == 400
    assert "could be written until 10 October 2026, ten days after it ended" in response.content.decode()
    assert Explanation.objects.get().text == "Zomerstop"


def test_a_quarter_not_started(english, coordinator, house, in_q4):
    english.force_login(coordinator)
    page = english.get(url(quarter="2027Q1")).content.decode()
    assert "This quarter has not started yet: it can be explained from 1 January 2027." in page
    assert "<textarea" not in page


@pytest.mark.parametrize("who", ["manager", "municipality", "administrator"])
def test_others_with_results_read_only(english, request, coordinator, house, in_q4, who):
    explanation_set(house=house, indicator="visits", year=2026, quarter=4, text="Regel een\nregel twee", by=coordinator)
    english.force_login(request.getfixturevalue(who))
    response = english.get(url())
    page = response.content.decode()
    assert response.status_code == 200
    assert "Regel een<br>regel twee" in page
    assert "<textarea" not in page
    assert coordinator.get_full_name() not in page
    assert english.post(url(), {"visits": "Overschreven"}).status_code == 404
    assert Explanation.objects.get().text == "Regel een\nregel twee"


@pytest.mark.parametrize("who", ["other_house_coordinator", "other_manager", "host", "resident"])
def test_another_house_or_no_results_is_404(client, request, house, in_q4, who):
    client.force_login(request.getfixturevalue(who))
    assert client.get(url()).status_code == 404
    assert client.post(url(), {"visits": "x"}).status_code == 404
    assert not Explanation.objects.exists()


@pytest.mark.parametrize("quarter", ["2026Q5", "2026Q0", "2026-3", "26Q3", "0001Q1", "9999Q4", "2026q3", "2026Q3x"])
def test_a_malformed_quarter_is_404(client, coordinator, house, quarter):
    client.force_login(coordinator)
    assert client.get(f"/resultaten/huizen/het-klooster/toelichting/{quarter}/").status_code == 404


def test_needs_a_login(client, house):
    assert client.get(url()).status_code == 302


def test_links_to_the_quarters_around(english, coordinator, house, in_q4):
    english.force_login(coordinator)
    page = english.get(url(quarter="2026Q1")).content.decode()
    assert url(quarter="2025Q4") in page and url(quarter="2026Q2") in page


def test_the_page_shows_the_quarters_figures_against_the_target(english, coordinator, house, in_q4):
    from decimal import Decimal

    from audit.services import SYSTEM
    from reporting.models import DayFigure
    from reporting.services import target_set

    DayFigure.objects.create(house=house, day=dt.date(2026, 10, 5), measure="visits_walk_in", value=30)
    DayFigure.objects.create(house=house, day=dt.date(2026, 11, 2), measure="visits_activity", value=12)
    DayFigure.objects.create(house=house, day=dt.date(2026, 9, 30), measure="visits_walk_in", value=1000)  # Q3
    target_set(house=house, indicator="visits", year=2026, value=Decimal(400), by=SYSTEM)  # 100 a quarter
    english.force_login(coordinator)
    page = english.get(url()).content.decode()
    row = page[page.index('<th scope="row" class="utrecht-table__header-cell">Visits</th>') :]
    row = row[: row.index("</tr>")]
    # 30 + 12 = 42 realised; by 30 November 61 of the quarter's 92 days have gone, so about 66 are expected
    assert '<td class="utrecht-table__cell huizen-number">42</td>' in row
    assert '<td class="utrecht-table__cell huizen-number">100</td>' in row
    assert "behind" in row
