"""Allowance caps as properties (Hypothesis): whatever payments are tried, across month and year boundaries and
around the 21st birthday, the accepted ones never exceed a cap, and a payment is refused exactly when one cap
would be exceeded. Also: two payments at once cannot both fit (threads on PostgreSQL), and the demo keeps to the
caps."""

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
from tests.volunteers.factories import VolunteerFactory
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
    st.decimals(min_value=Decimal("0.25"), max_value=Decimal("60"), places=2),
    st.decimals(min_value=Decimal("0.01"), max_value=Decimal("400"), places=2),
)


def _would_exceed(caps, born, month, hours, amount, accepted) -> bool:
    """The rules written out plainly: the model the service is checked against."""
    last_day = (month.replace(day=28) + dt.timedelta(days=4)).replace(day=1) - dt.timedelta(days=1)
    hourly = caps.hourly_young if age_on(born, last_day) < caps.adult_age else caps.hourly_adult
    in_month = sum(a for m, _h, a in accepted if m == month)
    in_year = sum(a for m, _h, a in accepted if m.year == month.year)
    return amount > hours * hourly or in_month + amount > caps.monthly or in_year + amount > caps.yearly


@pytest.mark.django_db
@settings(max_examples=50, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(born=st.sampled_from(BIRTHDAYS), payments=st.lists(payment, min_size=1, max_size=25))
def test_accepted_payments_never_exceed_a_cap_and_refusals_are_exact(coordinator, born, payments):
    volunteer = VolunteerFactory(date_of_birth=born, start_date=dt.date(2024, 1, 1))
    caps = {caps.year: caps for caps in AllowanceCaps.objects.all()}
    accepted = []
    for month, hours, amount in payments:
        expected_refusal = _would_exceed(caps[month.year], born, month, hours, amount, accepted)
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
        assert sum(p.amount for p in stored if p.month == month) <= caps[month.year].monthly
    for p in stored:
        assert p.amount <= p.hours * caps[p.month.year].hourly_adult


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(connection.vendor != "postgresql", reason="row locks need PostgreSQL")
def test_two_payments_at_once_cannot_both_fit():
    coordinator = UserFactory()
    volunteer = VolunteerFactory(house=HouseFactory(), date_of_birth=dt.date(1970, 1, 1))
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
