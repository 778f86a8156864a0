"""Setting a target by hand: the split over the quarters, the checks, and the history it leaves."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from audit.models import Event
from audit.services import SYSTEM
from reporting.indicators import BY_CODE
from reporting.models import Target
from reporting.services import split_evenly, target_set
from tests.audit.helpers import assert_event

pytestmark = pytest.mark.django_db

D = Decimal


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield


def quarters(target):
    return [target.q1, target.q2, target.q3, target.q4]


@pytest.mark.parametrize(
    ("indicator", "value", "expected"),
    [
        ("visits", "1000", ["250", "250", "250", "250"]),
        ("visits", "1001", ["250", "250", "250", "251"]),
        ("visits", "1003", ["250", "251", "251", "251"]),
        ("visits", "3", ["0", "1", "1", "1"]),
        ("sessions_held", "0", ["0", "0", "0", "0"]),
        # hours and euros in cents: 100.10 is 10010 cents, 2502 each and two cents left for the last two quarters
        ("booking_hours_paid", "100.10", ["25.02", "25.02", "25.03", "25.03"]),
        ("booking_revenue", "1000.01", ["250.00", "250.00", "250.00", "250.01"]),
        # distinct people: split as a sum
        ("unique_participants", "90", ["22", "22", "23", "23"]),
        # a percentage is the same every quarter
        ("room_occupancy", "62.5", ["62.5", "62.5", "62.5", "62.5"]),
        ("resident_initiated_share", "30", ["30", "30", "30", "30"]),
    ],
)
def test_split_evenly(indicator, value, expected):
    assert split_evenly(BY_CODE[indicator], D(value)) == [D(amount) for amount in expected]


def test_a_house_target_split_evenly(house, municipality):
    target = target_set(house=house, indicator="visits", year=2027, value=D("1001"), by=municipality)
    target.refresh_from_db()
    assert (target.house, target.value, target.updated_by) == (house, D("1001"), municipality)
    assert quarters(target) == [D(250), D(250), D(250), D(251)]
    assert_event(
        "target.set",
        by=municipality,
        house=house,
        changes={"value": [None, "1001.00"], "q1": [None, "250.00"], "q4": [None, "251.00"]},
    )


def test_a_network_target(municipality):
    target = target_set(house=None, indicator="room_occupancy", year=2027, value=D("70"), by=municipality)
    assert target.house is None
    assert quarters(target) == [D(70)] * 4
    event = assert_event("target.set", by=municipality, house=None)
    assert event.object_label == "Room occupancy 2027, the whole network"


def test_quarters_by_hand_that_add_up(house, administrator):
    target = target_set(
        house=house,
        indicator="visits",
        year=2027,
        value=D(1000),
        quarters=[D(100), D(200), D(300), D(400)],
        by=administrator,
    )
    assert quarters(target) == [D(100), D(200), D(300), D(400)]


def test_quarters_by_hand_that_do_not_add_up_are_refused(house, municipality):
    with pytest.raises(ValidationError) as refused:
        target_set(
            house=house,
            indicator="visits",
            year=2027,
            value=D(1000),
            quarters=[D(100), D(200), D(300), D(300)],
            by=municipality,
        )
    assert refused.value.messages == [
        "The four quarters add up to 900, not to the year's 1000. Make them add up, or split the year evenly."
    ]
    assert not Target.objects.exists() and not Event.objects.exists()


def test_percentage_quarters_by_hand_need_not_add_up_but_stay_at_most_100(house, municipality):
    target = target_set(
        house=house,
        indicator="room_occupancy",
        year=2027,
        value=D(60),
        quarters=[D(50), D(60), D(60), D(70)],
        by=municipality,
    )
    assert quarters(target) == [D(50), D(60), D(60), D(70)]
    with pytest.raises(ValidationError) as refused:
        target_set(
            house=house,
            indicator="room_occupancy",
            year=2027,
            value=D(60),
            quarters=[D(50), D(60), D(60), D(101)],
            by=municipality,
        )
    assert refused.value.message_dict == {"q4": ["A percentage is at most 100."]}


def test_distinct_people_quarter_not_above_the_year(house, municipality):
    with pytest.raises(ValidationError) as refused:
        target_set(
            house=house,
            indicator="unique_participants",
            year=2027,
            value=D(100),
            quarters=[D(40), D(101), D(40), D(40)],
            by=municipality,
        )
    assert list(refused.value.message_dict) == ["q2"]


@pytest.mark.parametrize(
    ("indicator", "year", "value", "field", "message"),
    [
        ("visits", 2027, D(-1), "value", "A target cannot be negative."),
        ("room_occupancy", 2027, D("100.01"), "value", "A percentage is at most 100."),
        ("visits", 2027, D("10.5"), "value", "This indicator counts: use a whole number."),
        ("booking_revenue", 2027, D("10.555"), "value", "Use at most two decimals."),
        ("booking_revenue", 2027, D("1E+13"), "value", "This number is too large."),
        ("booking_revenue", 2027, D("NaN"), "value", "This is not a number."),
        ("visits", 1, D(10), "year", "Choose a year between 2000 and 2099."),
        ("visits", 9999, D(10), "year", "Choose a year between 2000 and 2099."),
        ("visits", 1999, D(10), "year", "Choose a year between 2000 and 2099."),
        ("no_such_thing", 2027, D(10), "indicator", "Unknown indicator “no_such_thing”."),
    ],
)
def test_bad_targets_are_refused(house, municipality, indicator, year, value, field, message):
    with pytest.raises(ValidationError) as refused:
        target_set(house=house, indicator=indicator, year=year, value=value, by=municipality)
    assert refused.value.message_dict == {field: [message]}
    assert not Target.objects.exists() and not Event.objects.exists()


def test_a_negative_quarter_is_refused(house, municipality):
    with pytest.raises(ValidationError) as refused:
        target_set(
            house=house,
            indicator="visits",
            year=2027,
            value=D(10),
            quarters=[D(-5), D(5), D(5), D(5)],
            by=municipality,
        )
    assert refused.value.message_dict == {"q1": ["A target cannot be negative."]}


def test_changing_records_old_and_new_and_the_same_again_records_nothing(house, municipality, administrator):
    target_set(house=house, indicator="visits", year=2027, value=D(1000), by=municipality)
    target = target_set(house=house, indicator="visits", year=2027, value=D(1200), by=administrator)
    assert quarters(target) == [D(300)] * 4
    assert target.updated_by == administrator
    event = Event.objects.filter(action="target.set").order_by("-pk").first()
    assert event.actor == administrator
    assert event.changes == {
        "value": ["1000.00", "1200.00"],
        "q1": ["250.00", "300.00"],
        "q2": ["250.00", "300.00"],
        "q3": ["250.00", "300.00"],
        "q4": ["250.00", "300.00"],
    }
    # The same values again (given as 1200 or 1200.00, split or by hand): nothing changes, nothing is recorded.
    target_set(house=house, indicator="visits", year=2027, value=D("1200.00"), by=municipality)
    target_set(house=house, indicator="visits", year=2027, value=D(1200), quarters=[D(300)] * 4, by=municipality)
    assert Event.objects.filter(action="target.set").count() == 2
    assert Target.objects.count() == 1


def test_only_the_quarters_changed(house, municipality):
    target_set(house=house, indicator="visits", year=2027, value=D(1000), by=municipality)
    target_set(
        house=house,
        indicator="visits",
        year=2027,
        value=D(1000),
        quarters=[D(200), D(200), D(300), D(300)],
        by=municipality,
    )
    event = Event.objects.filter(action="target.set").order_by("-pk").first()
    assert event.changes == {
        "q1": ["250.00", "200.00"],
        "q2": ["250.00", "200.00"],
        "q3": ["250.00", "300.00"],
        "q4": ["250.00", "300.00"],
    }


def test_house_and_network_targets_are_apart(house, other_house):
    target_set(house=house, indicator="visits", year=2027, value=D(100), by=SYSTEM)
    target_set(house=other_house, indicator="visits", year=2027, value=D(200), by=SYSTEM)
    target_set(house=None, indicator="visits", year=2027, value=D(1000), by=SYSTEM)
    target_set(house=None, indicator="visits", year=2028, value=D(1100), by=SYSTEM)
    assert Target.objects.count() == 4
    assert Target.objects.get(house=None, year=2027).value == D(1000)
    assert Event.objects.get(action="target.set", house=None, object_label__contains="2028").actor_kind == "system"


@pytest.mark.django_db(transaction=True)
def test_eight_people_setting_the_same_new_target_at_once_make_one_target_and_one_event(municipality):
    import threading

    from django.db import connection

    barrier = threading.Barrier(8)
    failures = []

    def set_it():
        try:
            barrier.wait(timeout=30)
            target_set(house=None, indicator="visits", year=2027, value=D(1000), by=municipality)
        except Exception as error:  # noqa: BLE001 - reported below
            failures.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=set_it) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert failures == []
    assert Target.objects.count() == 1
    assert Event.objects.filter(action="target.set").count() == 1
