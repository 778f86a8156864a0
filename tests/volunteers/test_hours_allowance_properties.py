"""Allowance caps as properties (Hypothesis): whatever approved hours and payments are tried, across month and year
boundaries and around the 21st birthday, the accepted payments never claim more hours than were approved in their
month (together), never exceed a cap, and a payment is refused exactly when one rule would be broken. Also: two
payments at once cannot both fit (threads on PostgreSQL), and the demo keeps to the caps."""

import datetime as dt
import threading
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.factories import HouseFactory, UserFactory
from tests.volunteers.factories import HoursEntryFactory, VolunteerFactory
from volunteers.models import AllowanceCaps, AllowancePayment, HoursEntry
from volunteers.services.hours import age_on, allowance_pay

MONTHS = [dt.date(2025, month, 1) for month in range(1, 13)] + [dt.date(2026, month, 1) for month in range(1, 13)]
PAID_ON = dt.date(2026, 11, 27)
BIRTHDAYS = [
    dt.date(2004, 12, 15),
    dt.date(2005, 6, 30),
    dt.date(2005, 1, 1),
    dt.date(2004, 2, 29),
    dt.date(1980, 3, 3),
]


@pytest.fixture(autouse=True)
def _monday(clock):
    """These tests name their dates: they run on Monday 30 November 2026, whatever HUIZEN_TEST_NOW says."""
    clock.move_to(dt.datetime(2026, 11, 30, 7, tzinfo=ZoneInfo("Europe/Amsterdam")))


payment = st.tuples(
    st.sampled_from(MONTHS),
    st.one_of(
        st.decimals(min_value=Decimal("0.25"), max_value=Decimal("12"), places=2),
        st.decimals(min_value=Decimal("0.25"), max_value=Decimal("60"), places=2),
    ),
    st.decimals(min_value=Decimal("0.01"), max_value=Decimal("400"), places=2),
)
# approved minutes per month (0: none); some months without any
approved_per_month = st.dictionaries(st.sampled_from(MONTHS), st.integers(min_value=0, max_value=45 * 60), max_size=10)


def _approve(volunteer, month, minutes):
    """Approved hours in `month`, plus waiting and rejected hours that must not count."""
    day = 1
    while minutes > 0:
        HoursEntryFactory(volunteer=volunteer, date=month.replace(day=day), minutes=min(minutes, 20 * 60))
        minutes -= 20 * 60
        day += 1
    for status in (HoursEntry.Status.SUBMITTED, HoursEntry.Status.REJECTED):
        HoursEntryFactory(volunteer=volunteer, date=month.replace(day=25), minutes=8 * 60, status=status)


def _would_exceed(caps, born, month, hours, amount, approved_minutes, accepted) -> bool:
    """The rules written out plainly: the model the service is checked against. The hours paid for a month stay
    within its approved hours; the amount paid for the month within those hours times the hourly cap; the month
    and the year within their caps."""
    last_day = (month.replace(day=28) + dt.timedelta(days=4)).replace(day=1) - dt.timedelta(days=1)
    hourly = caps.hourly_young if age_on(born, last_day) < caps.adult_age else caps.hourly_adult
    hours_in_month = sum(h for m, h, _a in accepted if m == month) + hours
    in_month = sum(a for m, _h, a in accepted if m == month)
    in_year = sum(a for m, _h, a in accepted if m.year == month.year)
    return (
        hours_in_month * 60 > approved_minutes
        or in_month + amount > hours_in_month * hourly
        or in_month + amount > caps.monthly
        or in_year + amount > caps.yearly
    )


@pytest.mark.django_db
@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    born=st.sampled_from(BIRTHDAYS),
    approved=approved_per_month,
    payments=st.lists(payment, min_size=1, max_size=25),
)
def test_accepted_payments_never_exceed_a_cap_and_refusals_are_exact(coordinator, born, approved, payments):
    volunteer = VolunteerFactory(date_of_birth=born, start_date=dt.date(2024, 1, 1))
    for month, minutes in approved.items():
        _approve(volunteer, month, minutes)
    caps = {caps.year: caps for caps in AllowanceCaps.objects.all()}
    accepted = []
    for month, hours, amount in payments:
        expected_refusal = _would_exceed(caps[month.year], born, month, hours, amount, approved.get(month, 0), accepted)
        try:
            allowance_pay(volunteer=volunteer, month=month, hours=hours, amount=amount, paid_on=PAID_ON, by=coordinator)
        except ValidationError:
            assert expected_refusal, (month, hours, amount)
        else:
            assert not expected_refusal, (month, hours, amount)
            accepted.append((month, hours, amount))
    stored = list(AllowancePayment.objects.filter(volunteer=volunteer))
    assert len(stored) == len(accepted)
    for year, year_caps in caps.items():
        assert sum(p.amount for p in stored if p.month.year == year) <= year_caps.yearly
    for month in MONTHS:
        in_month = [p for p in stored if p.month == month]
        hours = sum((p.hours for p in in_month), Decimal(0))
        assert hours * 60 <= approved.get(month, 0)
        assert sum(p.amount for p in in_month) <= caps[month.year].monthly
        assert sum(p.amount for p in in_month) <= hours * caps[month.year].hourly_adult


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(connection.vendor != "postgresql", reason="row locks need PostgreSQL")
def test_two_payments_at_once_cannot_both_fit():
    coordinator = UserFactory()
    volunteer = VolunteerFactory(house=HouseFactory(), date_of_birth=dt.date(1970, 1, 1))
    _approve(volunteer, dt.date(2026, 5, 1), 60 * 60)
    barrier = threading.Barrier(2)
    results = []

    def pay():
        try:
            barrier.wait()
            allowance_pay(
                volunteer=volunteer,
                month=dt.date(2026, 5, 1),
                hours=Decimal(30),
                amount=Decimal(150),
                paid_on=PAID_ON,
                by=coordinator,
            )
            results.append("paid")
        except ValidationError:
            results.append("refused")
        finally:
            connection.close()

    threads = [threading.Thread(target=pay) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(results) == ["paid", "refused"]
    assert AllowancePayment.objects.filter(volunteer=volunteer).count() == 1


@pytest.mark.django_db
def test_demo_keeps_to_the_caps(house, other_house):
    from volunteers.demo.hours import seed

    people = {
        house.slug: [
            VolunteerFactory(house=house, start_date=dt.date(2024, 6, 1), date_of_birth=dt.date(1960 + n, 2, 3))
            for n in range(5)
        ],
        other_house.slug: [VolunteerFactory(house=other_house, start_date=dt.date(2025, 9, 1)) for _ in range(3)],
    }
    seed(today=dt.date(2026, 11, 30), volunteers=people)
    for status in HoursEntry.Status:
        assert HoursEntry.objects.filter(status=status, volunteer__house=house).exists()
    near = people[house.slug][0]
    paid = sum(p.amount for p in AllowancePayment.objects.filter(volunteer=near, month__year=2026))
    assert Decimal(1900) <= paid <= Decimal(2100)
    assert AllowancePayment.objects.filter(month__year=2025).exists()
