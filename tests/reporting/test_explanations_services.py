"""A coordinator's explanation (toelichting) of a quarter: plain text, within the quarter and ten days after it."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from audit.models import Event
from reporting.models import Explanation
from reporting.services import explanation_set, explanation_window, explanations_set
from tests.audit.helpers import assert_event

pytestmark = pytest.mark.django_db

AMSTERDAM = ZoneInfo("Europe/Amsterdam")


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield


def on(clock, day: dt.date, hour=9):
    clock.move_to(dt.datetime.combine(day, dt.time(hour), tzinfo=AMSTERDAM))


def test_the_window_of_a_quarter():
    assert explanation_window(2026, 3) == (dt.date(2026, 7, 1), dt.date(2026, 10, 10))
    assert explanation_window(2026, 4) == (dt.date(2026, 10, 1), dt.date(2027, 1, 10))
    assert explanation_window(2028, 1) == (dt.date(2028, 1, 1), dt.date(2028, 4, 10))


def test_a_coordinator_explains_a_running_quarter(clock, house, coordinator):
    on(clock, dt.date(2026, 8, 15))
    explanation = explanation_set(
        house=house, indicator="visits", year=2026, quarter=3, text="  Zomerstop: zes weken dicht.\r\n ", by=coordinator
    )
    explanation.refresh_from_db()
    assert (explanation.text, explanation.updated_by) == ("Zomerstop: zes weken dicht.", coordinator)
    event = assert_event("explanation.set", by=coordinator, house=house, changes={"characters": [None, 27]})
    assert event.object_label == "Visits, 2026Q3"
    assert "Zomerstop" not in str(event.changes)


@pytest.mark.parametrize(
    ("day", "allowed"),
    [
        (dt.date(2026, 6, 30), False),  # before the quarter
        (dt.date(2026, 7, 1), True),
        (dt.date(2026, 9, 30), True),
        (dt.date(2026, 10, 10), True),  # the tenth day after: the final report is built on the 11th
        (dt.date(2026, 10, 11), False),
    ],
)
def test_allowed_within_the_quarter_and_ten_days_after(clock, house, coordinator, day, allowed):
    on(clock, day, hour=23)
    if allowed:
        explanation_set(house=house, indicator="visits", year=2026, quarter=3, text="Uitleg", by=coordinator)
        assert Explanation.objects.count() == 1
        return
    with pytest.raises(ValidationError) as refused:
        explanation_set(house=house, indicator="visits", year=2026, quarter=3, text="Uitleg", by=coordinator)
    expected = (
        "This quarter has not started yet: explain it once it runs."
        if day < dt.date(2026, 7, 1)
        else "Explanations of this quarter could be written until 10 October 2026, ten days after it ended; its "
        "final report has been made."
    )
    assert refused.value.messages == [expected]
    assert not Explanation.objects.exists() and not Event.objects.exists()


def test_changing_and_emptying(clock, house, coordinator):
    on(clock, dt.date(2026, 10, 5))
    explanation_set(house=house, indicator="visits", year=2026, quarter=3, text="Eerst", by=coordinator)
    explanation_set(house=house, indicator="visits", year=2026, quarter=3, text="Eerst", by=coordinator)  # same
    explanation_set(house=house, indicator="visits", year=2026, quarter=3, text="Daarna langer", by=coordinator)
    assert Explanation.objects.get().text == "Daarna langer"
    assert explanation_set(house=house, indicator="visits", year=2026, quarter=3, text="  ", by=coordinator) is None
    assert not Explanation.objects.exists()
    changes = list(Event.objects.filter(action="explanation.set").order_by("pk").values_list("changes", flat=True))
    assert changes == [{"characters": [None, 5]}, {"characters": [5, 13]}, {"characters": [13, None]}]
    # emptying what is not there records nothing
    explanation_set(house=house, indicator="visits", year=2026, quarter=3, text="", by=coordinator)
    assert Event.objects.filter(action="explanation.set").count() == 3


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("x" * 2001, "Keep the explanation to 2000 characters at most (now 2001)."),
        ("x" * 10_000, "Keep the explanation to 2000 characters at most (now 10000)."),
        ("Met een NUL\x00 erin", "Remove the invisible control characters from this text."),
        ("Escape \x1b[31m", "Remove the invisible control characters from this text."),
    ],
)
def test_bad_text_is_refused(clock, house, coordinator, text, message):
    on(clock, dt.date(2026, 8, 15))
    with pytest.raises(ValidationError) as refused:
        explanation_set(house=house, indicator="visits", year=2026, quarter=3, text=text, by=coordinator)
    assert refused.value.message_dict == {"text": [message]}
    assert not Explanation.objects.exists() and not Event.objects.exists()


def test_2000_characters_with_line_breaks_fit(clock, house, coordinator):
    on(clock, dt.date(2026, 8, 15))
    text = ("a" * 99 + "\r\n") * 20  # 2040 characters as sent, 2000 as stored (a line break is one character)
    explanation = explanation_set(house=house, indicator="visits", year=2026, quarter=3, text=text, by=coordinator)
    assert len(explanation.text) == 1999  # the last line break is trimmed


def test_unknown_indicator_or_quarter(clock, house, coordinator):
    on(clock, dt.date(2026, 8, 15))
    with pytest.raises(ValidationError):
        explanation_set(house=house, indicator="nope", year=2026, quarter=3, text="x", by=coordinator)
    with pytest.raises(ValidationError):
        explanation_set(house=house, indicator="visits", year=2026, quarter=5, text="x", by=coordinator)
    with pytest.raises(ValidationError):
        explanation_set(house=house, indicator="visits", year=1, quarter=1, text="x", by=coordinator)


def test_several_at_once_all_or_nothing(clock, house, coordinator):
    on(clock, dt.date(2026, 8, 15))
    changed = explanations_set(
        house=house,
        year=2026,
        quarter=3,
        texts={"visits": "Zomerstop", "sessions_held": "", "new_visitors": "Meer"},
        by=coordinator,
    )
    assert changed == 2
    with pytest.raises(ValidationError) as refused:
        explanations_set(
            house=house, year=2026, quarter=3, texts={"visits": "Anders", "new_visitors": "y" * 2001}, by=coordinator
        )
    assert list(refused.value.message_dict) == ["new_visitors"]
    assert Explanation.objects.get(indicator="visits").text == "Zomerstop"
    assert Event.objects.filter(action="explanation.set").count() == 2


def test_several_at_once_after_the_window(clock, house, coordinator):
    on(clock, dt.date(2026, 11, 30))
    with pytest.raises(ValidationError) as refused:
        explanations_set(
            house=house, year=2026, quarter=3, texts={"visits": "Te laat", "new_visitors": "Ook"}, by=coordinator
        )
    assert len(refused.value.messages) == 1
    assert not Explanation.objects.exists()
