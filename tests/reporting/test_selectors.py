"""Periods, indicator values from the rollups, unique participants, completeness and progress against targets.

Every expected number is worked out by hand from the rows the test writes."""

import datetime as dt
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from activities.models import Registration, Session
from reporting import indicators
from reporting.models import DayFigure, Target
from reporting.selectors import (
    Period,
    Status,
    completeness,
    compute,
    indicator_values,
    measure_sums,
    period_target,
    scope_target,
    target_progress,
    targets_of,
)
from tests.factories import (
    ActivityFactory,
    HouseFactory,
    OpeningHoursFactory,
    PlaceFactory,
    RegistrationFactory,
    SessionFactory,
    UserFactory,
    at,
)

pytestmark = pytest.mark.django_db
D = Decimal


def figure(house, day, measure, value, *, place=None, dimension="", member=""):
    return DayFigure.objects.create(
        house=house, place=place, day=day, measure=measure, dimension=dimension, member=member, value=value
    )


# --- periods ---


@pytest.mark.parametrize(
    ("text", "start", "end", "key"),
    [
        ("2026Q3", dt.date(2026, 7, 1), dt.date(2026, 9, 30), "2026Q3"),
        ("2026-k4", dt.date(2026, 10, 1), dt.date(2026, 12, 31), "2026Q4"),
        ("2028", dt.date(2028, 1, 1), dt.date(2028, 12, 31), "2028"),
        ("2028-02", dt.date(2028, 2, 1), dt.date(2028, 2, 29), "2028-02"),
    ],
)
def test_periods_parse(text, start, end, key):
    period = Period.parse(text)
    assert (period.start, period.end, period.key) == (start, end, key)


@pytest.mark.parametrize(
    "text", ["", "9999Q9", "0001-01-01", "2026Q5", "1999Q1", "2100", "2026-13", "x" * 10_000, "2026\x00Q1"]
)
def test_bad_periods_are_refused(text):
    with pytest.raises(ValueError):
        Period.parse(text)


def test_period_days_and_elapsed():
    quarter = Period.quarter(2026, 4)
    assert quarter.days == 92
    assert quarter.elapsed_days(dt.date(2026, 9, 30)) == 0
    assert quarter.elapsed_days(dt.date(2026, 11, 30)) == 31 + 30  # October and November
    assert quarter.elapsed_days(dt.date(2027, 1, 5)) == 92
    assert quarter.previous() == Period.quarter(2026, 3)
    assert Period.quarter(2027, 1).previous() == Period.quarter(2026, 4)
    assert [m.month for m in quarter.months()] == [10, 11, 12]


# --- values ---


def test_sums_and_ratios_over_a_period():
    house = HouseFactory()
    place = PlaceFactory(house=house)
    inside, outside = dt.date(2026, 7, 10), dt.date(2026, 10, 1)
    figure(house, inside, "visits_walk_in", 12, place=place)
    figure(house, inside + dt.timedelta(days=1), "visits_walk_in", 8, place=place)
    figure(house, inside, "visits_activity", 5, place=place)
    figure(house, outside, "visits_walk_in", 100, place=place)  # the next quarter
    figure(house, inside, "room_minutes_used", 90, place=place)
    figure(house, inside, "room_minutes_open", 480, place=place)
    figure(house, inside, "sessions_held", 3, place=place)
    figure(house, inside, "sessions_resident", 1, place=place)
    figure(house, inside, "booking_minutes_paid", 150, place=place)
    q3 = Period.quarter(2026, 3)
    values = indicator_values(house_ids=[house.pk], start=q3.start, end=q3.end)[()]
    assert values["visits"] == 25  # 12 + 8 + 5
    assert values["visits_walk_in"] == 20
    assert values["room_occupancy"] == D("18.8")  # 90 / 480 = 18.75%, rounded half up
    assert values["resident_initiated_share"] == D("33.3")  # 1 of 3
    assert values["booking_hours_paid"] == D("2.5")  # 150 minutes
    assert values["booking_hours_free"] == 0


def test_a_ratio_without_denominator_has_no_value_and_occupancy_is_capped():
    occupancy = indicators.get("room_occupancy")
    assert compute(occupancy, {}) is None
    assert compute(occupancy, {"room_minutes_used": D(600), "room_minutes_open": D(480)}) == 100
    assert compute(indicators.get("visits"), {}) == 0


def test_grouped_by_house_place_month_and_member():
    house, other = HouseFactory(), HouseFactory()
    north, south = PlaceFactory(house=house), PlaceFactory(house=house)
    figure(house, dt.date(2026, 7, 31), "sessions_held", 2, place=north, dimension="category", member="eating")
    figure(house, dt.date(2026, 8, 1), "sessions_held", 3, place=south, dimension="category", member="eating")
    figure(house, dt.date(2026, 8, 2), "sessions_held", 4, place=south, dimension="category", member="movement")
    figure(other, dt.date(2026, 8, 2), "sessions_held", 7, dimension="category", member="eating")
    start, end = dt.date(2026, 7, 1), dt.date(2026, 9, 30)
    by_month = indicator_values(
        house_ids=[house.pk], start=start, end=end, group_by=("month", "member"), dimension="category"
    )
    assert by_month[(dt.date(2026, 7, 1), "eating")]["sessions_held"] == 2
    assert by_month[(dt.date(2026, 8, 1), "eating")]["sessions_held"] == 3
    assert by_month[(dt.date(2026, 8, 1), "movement")]["sessions_held"] == 4
    assert "visits_walk_in" not in by_month[(dt.date(2026, 8, 1), "eating")]  # not broken down by category
    by_place = measure_sums(house_ids=[house.pk, other.pk], start=start, end=end, group_by=("house", "place"))
    assert by_place == {}  # only breakdown rows were written: no totals
    per_house = measure_sums(
        house_ids=[house.pk, other.pk], start=start, end=end, group_by=("house",), dimension="category"
    )
    assert per_house == {(house.pk,): {"sessions_held": 9}, (other.pk,): {"sessions_held": 7}}


def test_unique_participants_count_people_once_over_the_period():
    house = HouseFactory()
    activity = ActivityFactory(house=house, category="eating")
    first = SessionFactory(activity=activity, start=at(dt.date(2026, 7, 7), 10), end=at(dt.date(2026, 7, 7), 12))
    second = SessionFactory(activity=activity, start=at(dt.date(2026, 8, 4), 10), end=at(dt.date(2026, 8, 4), 12))
    cancelled = SessionFactory(
        activity=activity,
        start=at(dt.date(2026, 8, 11), 10),
        end=at(dt.date(2026, 8, 11), 12),
        status=Session.Status.CANCELLED,
    )
    ann, bob, cor = UserFactory(), UserFactory(), UserFactory()
    for session, user in [(first, ann), (first, bob), (second, ann), (cancelled, cor)]:
        RegistrationFactory(session=session, user=user, status=Registration.Status.CONFIRMED)
    RegistrationFactory(session=second, user=cor, status=Registration.Status.WAITING)
    q3 = Period.quarter(2026, 3)
    values = indicator_values(house_ids=[house.pk], start=q3.start, end=q3.end, group_by=("house",))
    assert values[(house.pk,)]["unique_participants"] == 2  # Ann twice, Bob; Cor waited or was cancelled
    monthly = indicator_values(house_ids=[house.pk], start=q3.start, end=q3.end, group_by=("month",))
    assert monthly[(dt.date(2026, 7, 1),)]["unique_participants"] == 2
    assert monthly[(dt.date(2026, 8, 1),)]["unique_participants"] == 1


def test_the_query_count_does_not_grow_with_the_houses():
    def count(houses):
        start, end = dt.date(2026, 7, 1), dt.date(2026, 9, 30)
        for house in houses:
            figure(house, start, "visits_walk_in", 3)
        ids = [h.pk for h in houses]
        with CaptureQueriesContext(connection) as queries:
            indicator_values(house_ids=ids, start=start, end=end, group_by=("house",))
            completeness(house_ids=ids, start=start, end=end)
        return len(queries)

    assert count([HouseFactory()]) == count([HouseFactory() for _ in range(50)])


def test_completeness_per_house():
    house = HouseFactory()
    with_hours, without_hours = PlaceFactory(house=house), PlaceFactory(house=house)
    OpeningHoursFactory(place=with_hours)
    day = dt.date(2026, 7, 6)
    figure(house, day, "sessions_held", 4, place=with_hours)
    figure(house, day, "sessions_not_closed", 1, place=with_hours)
    for offset in range(3):  # three open days, one without a count
        figure(house, day + dt.timedelta(days=offset), "opening_minutes", 480, place=with_hours)
    figure(house, day + dt.timedelta(days=2), "open_days_without_count", 1, place=with_hours)
    result = completeness(house_ids=[house.pk], start=dt.date(2026, 7, 1), end=dt.date(2026, 9, 30))[house.pk]
    assert (result.sessions_held, result.sessions_not_closed) == (4, 1)
    assert (result.open_days, result.open_days_without_count) == (3, 1)
    assert (result.places, result.places_without_hours) == (2, 1)
    assert result.closed_share == 75
    assert result.counted_share == 67  # 2 of 3, rounded
    assert not result.is_complete
    assert without_hours.pk  # the place without opening hours is counted above


# --- targets ---


def make_target(house, code, year, value, quarters):
    return Target.objects.create(
        house=house,
        indicator=code,
        year=year,
        value=value,
        q1=quarters[0],
        q2=quarters[1],
        q3=quarters[2],
        q4=quarters[3],
        updated_at=timezone.now(),
    )


def test_progress_of_a_sum_is_pro_rata_and_of_a_ratio_the_target():
    q4 = Period.quarter(2026, 4)
    today = dt.date(2026, 11, 30)  # 61 of the quarter's 92 days gone
    visits = indicators.get("visits")
    behind = target_progress(indicator=visits, target_value=D(920), realised=D(500), period=q4, today=today)
    assert behind.expected == 610  # 920 × 61 / 92
    assert behind.status == Status.BEHIND
    assert str(behind.label) == "achter op schema" or str(behind.label) == "behind"
    on_track = target_progress(indicator=visits, target_value=D(920), realised=D(600), period=q4, today=today)
    assert on_track.status == Status.ON_TRACK  # within 5% of 610
    ahead = target_progress(indicator=visits, target_value=D(920), realised=D(700), period=q4, today=today)
    assert ahead.status == Status.AHEAD
    share = indicators.get("resident_initiated_share")
    ratio = target_progress(indicator=share, target_value=D(30), realised=D("27.0"), period=q4, today=today)
    assert (ratio.expected, ratio.status) == (30, Status.BEHIND)
    none = target_progress(indicator=visits, target_value=None, realised=D(1), period=q4, today=today)
    assert none.status == Status.NO_TARGET and none.sign == "–"
    not_started = target_progress(
        indicator=visits, target_value=D(920), realised=D(0), period=Period.quarter(2027, 1), today=today
    )
    assert not_started.status == Status.NO_DATA


def test_targets_for_a_period_and_a_group_of_houses():
    north, south = HouseFactory(), HouseFactory()
    visits, share = indicators.get("visits"), indicators.get("resident_initiated_share")
    make_target(north, "visits", 2026, 1200, [300, 300, 300, 300])
    make_target(south, "visits", 2026, 600, [100, 100, 200, 200])
    make_target(north, "resident_initiated_share", 2026, 30, [30, 30, 30, 30])
    make_target(south, "resident_initiated_share", 2026, 20, [20, 20, 20, 20])
    make_target(None, "visits", 2026, 5000, [1250, 1250, 1250, 1250])
    targets = targets_of(house_ids=[north.pk, south.pk], year=2026, network=True)
    assert (None, "visits") in targets
    houses = [north.pk, south.pk]
    assert scope_target(visits, targets, houses, Period.quarter(2026, 3)) == 500  # 300 + 200
    assert scope_target(visits, targets, houses, Period.year(2026)) == 1800
    assert scope_target(share, targets, houses, Period.quarter(2026, 3)) == 25  # the average of 30 and 20
    assert scope_target(visits, targets, houses, Period.quarter(2027, 1)) is None
    without = HouseFactory()  # a house without a target: the group has none (its visits count in the realised)
    assert scope_target(visits, targets, [*houses, without.pk], Period.quarter(2026, 3)) is None
    month = period_target(targets[(north.pk, "visits")], visits, Period.month(2026, 8))
    assert month == 100  # a third of the quarter's 300


def test_counting_only_people_reads_no_rollups(django_assert_num_queries):
    house = HouseFactory()
    people = [indicators.get("unique_participants")]
    with django_assert_num_queries(1):  # the registrations only
        indicator_values(house_ids=[house.pk], start=dt.date(2026, 7, 1), end=dt.date(2026, 9, 30), indicators=people)
