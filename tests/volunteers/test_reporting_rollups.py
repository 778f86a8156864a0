"""The volunteers app's measures in the daily rollups (`reporting.rollups._derive_volunteering`) and its indicators
(`reporting.selectors.indicator_values`), each worked out by hand from rows made with factories.

The clock reads Monday 2026-11-30 07:00 in Amsterdam; the days used here lie before it."""

import datetime as dt
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from locations.models import Organisation
from reporting.indicators import BY_CODE, INDICATORS, Aggregation, Source
from reporting.models import DayFigure
from reporting.rollups import MEASURES, derive
from reporting.selectors import PEOPLE, Period, indicator_values
from tests.factories import AMSTERDAM, OrganisationFactory, UserFactory
from tests.volunteers.factories import (
    CarerFactory,
    CertificateFactory,
    HelpRequestFactory,
    HoursEntryFactory,
    SupportContactFactory,
    VolunteerFactory,
)
from volunteers.models import (
    CertificateKind,
    HelpRequest,
    HoursEntry,
    SupportKind,
    Volunteer,
    VolunteerRole,
    WaarderingApplication,
    WaarderingRules,
)

pytestmark = pytest.mark.django_db

OCT_5, OCT_6 = dt.date(2026, 10, 5), dt.date(2026, 10, 6)
VOLUNTEERING = (
    "volunteers_new",
    "volunteer_minutes",
    "certificate_needed",
    "certificate_valid",
    "support_contacts",
    "waarderingen_awarded",
    "help_requests_matched",
    "help_requests_completed",
)


@pytest.fixture(autouse=True)
def _monday_morning(clock):
    clock.move_to(dt.datetime(2026, 11, 30, 7, 0, tzinfo=ZoneInfo("Europe/Amsterdam")))


def figure(house, day, measure, dimension="", member="") -> Decimal:
    rows = DayFigure.objects.filter(house=house, day=day, measure=measure, dimension=dimension, member=member)
    return sum((row.value for row in rows), Decimal(0))


def local(day: dt.date, hour: int, minute: int = 0) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hour, minute), tzinfo=AMSTERDAM)


def derive_house(house, first, last=None):
    return derive(house_ids=[house.pk], start=first, end=last or first)


def values(house, start, end, **kwargs):
    return indicator_values(house_ids=[house.pk], start=start, end=end, **kwargs)


# --- the registry ---------------------------------------------------------------------------------------------


def test_the_measures_are_per_house_documented_and_of_the_new_sources():
    for name in VOLUNTEERING:
        measure = MEASURES[name]
        assert measure.per == "house" and measure.definition
        assert measure.source in (Source.VOLUNTEERS, Source.CARERS, Source.NEIGHBOUR_HELP)
    assert MEASURES["volunteer_minutes"].breakdowns == ("hours_source",)
    assert MEASURES["support_contacts"].breakdowns == ("support_kind",)


def test_every_distinct_indicator_names_its_counter():
    distinct = {i.code: i.people for i in INDICATORS if i.aggregation == Aggregation.DISTINCT}
    assert distinct == {
        "unique_participants": "registrations",
        "volunteers_active": "volunteers",
        "carers_supported": "carers",
    }
    assert set(distinct.values()) <= set(PEOPLE)


def test_the_new_indicators_and_what_is_suppressed():
    assert BY_CODE["volunteer_hours"].suppressed is False  # hours are not people
    assert BY_CODE["certificates_valid"].suppressed is False
    assert BY_CODE["certificates_valid"].cap == 100
    assert BY_CODE["carers_supported"].suppressed is True
    assert BY_CODE["volunteers_active"].suppressed is True
    for code in ("volunteers_new", "support_contacts", "waarderingen_awarded"):
        assert BY_CODE[code].aggregation == Aggregation.SUM


# --- each measure -----------------------------------------------------------------------------------------------


def test_new_volunteers_are_counted_on_their_start_date_if_they_started(house, other_house):
    VolunteerFactory(house=house, start_date=OCT_5)
    VolunteerFactory(house=house, start_date=OCT_5, status=Volunteer.Status.STOPPED, end_date=OCT_6)  # did start
    VolunteerFactory(house=house, start_date=OCT_5, status=Volunteer.Status.DECLINED)  # never started
    VolunteerFactory(house=house, start_date=None, status=Volunteer.Status.APPLIED)
    VolunteerFactory(house=house, start_date=OCT_6)
    VolunteerFactory(house=other_house, start_date=OCT_5)
    derive_house(house, OCT_5, OCT_6)
    assert figure(house, OCT_5, "volunteers_new") == 2
    assert figure(house, OCT_6, "volunteers_new") == 1
    assert not DayFigure.objects.filter(house=house, measure="volunteers_new", place__isnull=False).exists()
    assert values(house, OCT_5, OCT_6)[()]["volunteers_new"] == 3


def test_volunteer_minutes_count_approved_hours_by_source(house, other_house):
    volunteer = VolunteerFactory(house=house)
    HoursEntryFactory(volunteer=volunteer, date=OCT_5, minutes=180, source=HoursEntry.Source.OWN)
    HoursEntryFactory(volunteer=volunteer, date=OCT_5, minutes=210, source=HoursEntry.Source.SHIFT)
    HoursEntryFactory(volunteer=volunteer, date=OCT_5, minutes=45, source=HoursEntry.Source.NEIGHBOUR_HELP)
    HoursEntryFactory(volunteer=volunteer, date=OCT_5, minutes=60, status=HoursEntry.Status.SUBMITTED)
    HoursEntryFactory(volunteer=volunteer, date=OCT_5, minutes=90, status=HoursEntry.Status.REJECTED)
    HoursEntryFactory(volunteer__house=other_house, date=OCT_5, minutes=600)
    derive_house(house, OCT_5)
    assert figure(house, OCT_5, "volunteer_minutes") == 435  # 180 + 210 + 45; waiting and rejected not
    assert figure(house, OCT_5, "volunteer_minutes", "hours_source", "shift") == 210
    assert figure(house, OCT_5, "volunteer_minutes", "hours_source", "own") == 180
    assert figure(house, OCT_5, "volunteer_minutes", "hours_source", "neighbour_help") == 45
    result = values(house, OCT_5, OCT_5)[()]
    assert result["volunteer_hours"] == Decimal("7.3")  # 435 / 60 = 7.25, shown to a tenth
    by_source = values(house, OCT_5, OCT_5, group_by=("member",), dimension="hours_source")
    assert by_source[("shift",)]["volunteer_hours"] == Decimal("3.5")


def test_certificates_are_valid_on_the_expiry_day_and_not_the_day_after(house):
    host = VolunteerFactory(house=house, start_date=dt.date(2025, 1, 1), roles=[VolunteerRole.HOST])
    CertificateFactory(volunteer=host, kind=CertificateKind.VOG, issued_on=dt.date(2023, 10, 6), valid_until=OCT_5)
    derive_house(house, OCT_5, OCT_6)
    assert figure(house, OCT_5, "certificate_needed") == 1
    assert figure(house, OCT_5, "certificate_valid") == 1  # the last day it is valid
    assert figure(house, OCT_6, "certificate_needed") == 1
    assert figure(house, OCT_6, "certificate_valid") == 0
    assert values(house, OCT_5, OCT_5)[()]["certificates_valid"] == 100
    assert values(house, OCT_5, OCT_6)[()]["certificates_valid"] == 50  # 1 of 2 volunteer-days


def test_certificates_needed_only_of_active_volunteers_in_roles_that_need_one(house):
    start = dt.date(2025, 1, 1)
    # A bar volunteer who also hosts needs an IVA and a VOG: with only the VOG, not valid.
    both = VolunteerFactory(house=house, start_date=start, roles=[VolunteerRole.BAR, VolunteerRole.HOST])
    CertificateFactory(volunteer=both, kind=CertificateKind.VOG, issued_on=dt.date(2025, 1, 1))
    # Both certificates: valid.
    complete = VolunteerFactory(house=house, start_date=start, roles=[VolunteerRole.BAR, VolunteerRole.HOST])
    CertificateFactory(volunteer=complete, kind=CertificateKind.VOG, issued_on=dt.date(2025, 1, 1))
    CertificateFactory(volunteer=complete, kind=CertificateKind.IVA, issued_on=dt.date(2025, 1, 1))
    # A cook needs none; a certificate issued after the day does not count; started later; stopped before.
    VolunteerFactory(house=house, start_date=start, roles=[VolunteerRole.COOK])
    late = VolunteerFactory(house=house, start_date=start, roles=[VolunteerRole.HOST])
    CertificateFactory(volunteer=late, kind=CertificateKind.VOG, issued_on=OCT_6)
    VolunteerFactory(house=house, start_date=OCT_6, roles=[VolunteerRole.HOST])
    VolunteerFactory(
        house=house, start_date=start, end_date=dt.date(2026, 10, 4), status=Volunteer.Status.STOPPED,
        roles=[VolunteerRole.HOST],
    )  # fmt: skip
    VolunteerFactory(house=house, start_date=None, status=Volunteer.Status.APPLIED, roles=[VolunteerRole.HOST])
    derive_house(house, OCT_5, OCT_6)
    assert figure(house, OCT_5, "certificate_needed") == 3  # both, complete, late
    assert figure(house, OCT_5, "certificate_valid") == 1  # complete
    assert figure(house, OCT_6, "certificate_needed") == 4  # and the one who started on the 6th
    assert figure(house, OCT_6, "certificate_valid") == 2  # complete, late (issued that day)


def test_support_contacts_by_kind_and_by_the_carers_house(house, other_house):
    carer = CarerFactory(house=house)
    SupportContactFactory(carer=carer, date=OCT_5, kind=SupportKind.LISTENING)
    SupportContactFactory(carer=carer, date=OCT_5, kind=SupportKind.LISTENING)
    SupportContactFactory(carer=CarerFactory(house=house), date=OCT_5, kind=SupportKind.RESPITE)
    SupportContactFactory(carer=CarerFactory(house=other_house), date=OCT_5)
    derive_house(house, OCT_5)
    assert figure(house, OCT_5, "support_contacts") == 3
    assert figure(house, OCT_5, "support_contacts", "support_kind", "listening") == 2
    assert figure(house, OCT_5, "support_contacts", "support_kind", "respite") == 1
    result = values(house, OCT_5, OCT_5)[()]
    assert result["support_contacts"] == 3
    assert result["carers_supported"] == 2


def _application(carer, *, decided_at, status=WaarderingApplication.Status.AWARDED):
    municipality = OrganisationFactory(kind=Organisation.Kind.MUNICIPALITY)
    rules = WaarderingRules.objects.create(
        municipality=municipality, year=2026, amount=Decimal("100"),
        opens_on=dt.date(2026, 1, 1), closes_on=dt.date(2026, 12, 31),
    )  # fmt: skip
    return WaarderingApplication.objects.create(
        carer=carer, rules=rules, year=2026, applied_on=dt.date(2026, 9, 1), status=status,
        amount=Decimal("100") if status == WaarderingApplication.Status.AWARDED else None, decided_at=decided_at,
    )  # fmt: skip


def test_waarderingen_awarded_on_the_amsterdam_day_of_the_decision(house):
    _application(CarerFactory(house=house), decided_at=local(OCT_5, 23, 30))  # 21:30 UTC: still the 5th here
    _application(CarerFactory(house=house), decided_at=local(OCT_6, 0, 30))  # 22:30 UTC on the 5th: the 6th
    _application(CarerFactory(house=house), decided_at=local(OCT_5, 12), status=WaarderingApplication.Status.REFUSED)
    derive_house(house, OCT_5, OCT_6)
    assert figure(house, OCT_5, "waarderingen_awarded") == 1
    assert figure(house, OCT_6, "waarderingen_awarded") == 1


def test_burenhulp_matched_and_completed_on_their_amsterdam_days(house):
    volunteer = VolunteerFactory(house=house, roles=[VolunteerRole.NEIGHBOUR_HELP])
    common = {"house": house, "volunteer": volunteer, "wanted_on": OCT_6}
    HelpRequestFactory(**common, status=HelpRequest.Status.MATCHED, matched_at=local(OCT_5, 23, 30))
    HelpRequestFactory(
        **common, status=HelpRequest.Status.DONE, matched_at=local(OCT_5, 9), closed_at=local(OCT_6, 23, 59)
    )
    HelpRequestFactory(
        **common, status=HelpRequest.Status.NOT_HAPPENED, matched_at=local(OCT_5, 9), closed_at=local(OCT_6, 12)
    )
    HelpRequestFactory(house=house, status=HelpRequest.Status.OPEN)  # never matched
    derive_house(house, OCT_5, OCT_6)
    assert figure(house, OCT_5, "help_requests_matched") == 3  # matched at 23:30 local on the 5th counts there
    assert figure(house, OCT_6, "help_requests_matched") == 0
    assert figure(house, OCT_6, "help_requests_completed") == 1  # done; "did not happen" is no completion
    result = values(house, OCT_5, OCT_6)[()]
    assert (result["help_requests_matched"], result["help_requests_completed"]) == (3, 1)


# --- different people ---------------------------------------------------------------------------------------


def test_a_volunteer_with_hours_in_january_and_february_counts_once_in_the_quarter(house, other_house):
    ann = VolunteerFactory(house=house)
    HoursEntryFactory(volunteer=ann, date=dt.date(2026, 1, 12))
    HoursEntryFactory(volunteer=ann, date=dt.date(2026, 2, 9))
    bob = VolunteerFactory(house=house)
    HoursEntryFactory(volunteer=bob, date=dt.date(2026, 2, 10))
    HoursEntryFactory(volunteer=VolunteerFactory(house=house), date=dt.date(2026, 2, 11), status="submitted")
    HoursEntryFactory(volunteer=VolunteerFactory(house=other_house), date=dt.date(2026, 2, 11))
    q1 = Period.quarter(2026, 1)
    assert values(house, q1.start, q1.end)[()]["volunteers_active"] == 2
    monthly = values(house, q1.start, q1.end, group_by=("month",))
    assert monthly[(dt.date(2026, 1, 1),)]["volunteers_active"] == 1
    assert monthly[(dt.date(2026, 2, 1),)]["volunteers_active"] == 2
    by_place = values(house, q1.start, q1.end, group_by=("place",))
    assert by_place[(None,)]["volunteers_active"] == 2  # hours belong to no place: the house as a whole
    both = indicator_values(house_ids=[house.pk, other_house.pk], start=q1.start, end=q1.end, group_by=("house",))
    assert both[(house.pk,)]["volunteers_active"] == 2
    assert both[(other_house.pk,)]["volunteers_active"] == 1


def test_carers_supported_count_each_carer_once_over_months(house):
    ans = CarerFactory(house=house)
    SupportContactFactory(carer=ans, date=dt.date(2026, 7, 1))
    SupportContactFactory(carer=ans, date=dt.date(2026, 8, 1))
    SupportContactFactory(carer=CarerFactory(house=house), date=dt.date(2026, 8, 2))
    q3 = Period.quarter(2026, 3)
    assert values(house, q3.start, q3.end)[()]["carers_supported"] == 2
    monthly = values(house, q3.start, q3.end, group_by=("month",))
    assert monthly[(dt.date(2026, 7, 1),)]["carers_supported"] == 1
    assert monthly[(dt.date(2026, 8, 1),)]["carers_supported"] == 2


def test_counting_different_people_is_one_query_per_counter(house, django_assert_num_queries):
    for number in range(5):
        HoursEntryFactory(volunteer=VolunteerFactory(house=house), date=dt.date(2026, 2, 1 + number))
    wanted = [BY_CODE["volunteers_active"], BY_CODE["carers_supported"]]
    with django_assert_num_queries(2):
        indicator_values(
            house_ids=[house.pk], start=dt.date(2026, 1, 1), end=dt.date(2026, 3, 31), group_by=("month",),
            indicators=wanted,
        )  # fmt: skip


# --- cost ---------------------------------------------------------------------------------------------------


def test_the_derive_does_not_grow_with_volunteers_or_hours(house):
    def count_queries():
        with CaptureQueriesContext(connection) as queries:
            derive_house(house, OCT_5, OCT_6)
        return len(queries)

    def one_more(number):
        volunteer = VolunteerFactory(house=house, roles=[VolunteerRole.HOST], user=UserFactory())
        CertificateFactory(volunteer=volunteer)
        HoursEntryFactory(volunteer=volunteer, date=OCT_5 if number % 2 else OCT_6)
        SupportContactFactory(carer=CarerFactory(house=house), date=OCT_5)

    one_more(0)
    one = count_queries()
    for number in range(1, 20):
        one_more(number)
    assert count_queries() == one
    assert figure(house, OCT_5, "certificate_needed") == 20
