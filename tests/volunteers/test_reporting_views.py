"""The volunteering indicators on the results pages and in the quarterly reports: who sees them (counts, never
names), what the pages cost, and the suppression of small counts of carers in what leaves the organisation.

The clock reads Monday 2026-11-30 07:00 in Amsterdam; the report is of 2026Q3, which has ended."""

import csv
import datetime as dt
import io
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import translation

from audit.services import SYSTEM
from reporting.models import ReportFile, Target
from reporting.reports import _running_totals, report_build
from reporting.rollups import derive
from tests.factories import UserFactory
from tests.volunteers.factories import CarerFactory, HoursEntryFactory, SupportContactFactory, VolunteerFactory
from volunteers.models import HoursEntry

pytestmark = pytest.mark.django_db

DASHBOARD = "/resultaten/"
JULY_6, AUG_3 = dt.date(2026, 7, 6), dt.date(2026, 8, 3)
OCT_5 = dt.date(2026, 10, 5)


@pytest.fixture(autouse=True)
def _monday_morning(clock):
    clock.move_to(dt.datetime(2026, 11, 30, 7, 0, tzinfo=ZoneInfo("Europe/Amsterdam")))


def carers_with_contacts(house, number, day, *, surname="Verborgen"):
    for index in range(number):
        carer = CarerFactory(house=house, first_name=f"Geheim{index}", last_name=surname)
        SupportContactFactory(carer=carer, date=day)


def derive_all(house, first, last):
    derive(house_ids=[house.pk], start=first, end=last)


# --- the dashboard: counts, never names -------------------------------------------------------------------------


@pytest.mark.parametrize("who", ["manager", "municipality"])
def test_a_manager_and_the_municipality_see_counts_of_carers_but_no_names(client, request, house, who):
    carers_with_contacts(house, 3, OCT_5)
    volunteer = VolunteerFactory(house=house, first_name="Zichtbaarniet", user=None)
    HoursEntryFactory(volunteer=volunteer, date=OCT_5, minutes=150)
    derive_all(house, OCT_5, OCT_5)
    client.force_login(request.getfixturevalue(who))
    for url in (DASHBOARD + "?periode=2026Q4", f"/resultaten/huizen/{house.slug}/?periode=2026Q4"):
        response = client.get(url)
        assert response.status_code == 200
        page = response.content.decode()
        assert "Mantelzorgers ondersteund" in page
        assert "Vrijwilligersuren" in page
        assert "Steuncontacten met mantelzorgers" in page
        assert "Verborgen" not in page and "Geheim" not in page
        assert "Zichtbaarniet" not in page
    drill = client.get(f"/resultaten/huizen/{house.slug}/carers_supported/?periode=2026Q4")
    assert drill.status_code == 200
    assert drill.context["total"] == 3
    assert "Verborgen" not in drill.content.decode()
    hours = client.get(f"/resultaten/huizen/{house.slug}/volunteer_hours/?periode=2026Q4")
    assert hours.context["total"] == Decimal("2.5")
    with translation.override("nl"):  # the hours area's label, in Dutch once it is translated
        own = str(HoursEntry.Source.OWN.label)
    assert [row["label"] for row in hours.context["breakdowns"][0]["rows"]] == [own]


def test_a_coordinator_sees_their_own_house_and_not_another(client, house, other_house, coordinator):
    carers_with_contacts(other_house, 2, OCT_5)
    client.force_login(coordinator)
    assert client.get(f"/resultaten/huizen/{house.slug}/carers_supported/").status_code == 200
    assert client.get(f"/resultaten/huizen/{other_house.slug}/carers_supported/").status_code == 404
    assert client.get(f"/resultaten/huizen/{other_house.slug}/").status_code == 404


@pytest.mark.parametrize("who", ["host", "resident", "professional"])
def test_people_without_results_get_no_dashboard(client, request, house, who):
    client.force_login(request.getfixturevalue(who))
    assert client.get(DASHBOARD).status_code == 404
    assert client.get(f"/resultaten/huizen/{house.slug}/volunteer_hours/").status_code == 404


def _queries(client, url) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries)


@pytest.mark.parametrize("url", [DASHBOARD, "/resultaten/indicator/volunteers_active/"])
def test_the_dashboard_queries_do_not_grow_with_volunteers_hours(client, municipality, house, url):
    def one_more():
        volunteer = VolunteerFactory(house=house, user=UserFactory())
        HoursEntryFactory(volunteer=volunteer, date=OCT_5)
        SupportContactFactory(carer=CarerFactory(house=house), date=OCT_5)

    one_more()
    derive_all(house, OCT_5, OCT_5)
    client.force_login(municipality)
    client.get(url)
    one = _queries(client, url)
    for _number in range(19):
        one_more()
    derive_all(house, OCT_5, OCT_5)
    assert _queries(client, url) == one


# --- the quarterly report -----------------------------------------------------------------------------------


def build(house, run_key="run-1"):
    with translation.override("en"):
        return report_build(house=house, year=2026, quarter=3, kind="provisional", by=SYSTEM, run_key=run_key)


def indicator(version, code):
    return next(item for item in version.figures["indicators"] if item["code"] == code)


def csv_rows(version) -> list[dict]:
    content = bytes(ReportFile.objects.get(version=version, format="csv").content)
    return list(csv.DictReader(io.StringIO(content.decode("utf-8-sig")), delimiter=";"))


def test_three_carers_supported_are_suppressed_in_the_report_and_hours_are_not(house):
    carers_with_contacts(house, 3, JULY_6)
    volunteer = VolunteerFactory(house=house)
    HoursEntryFactory(volunteer=volunteer, date=AUG_3, minutes=120)
    derive_all(house, JULY_6, AUG_3)
    version = build(house)
    carers = indicator(version, "carers_supported")
    assert carers["quarter"] is None  # 3 people: hidden, as every figure from 1 to 4
    assert carers["tables"]["total"]["total"] is None
    contacts = indicator(version, "support_contacts")
    assert contacts["quarter"] is None  # 3 contacts
    hours = indicator(version, "volunteer_hours")
    assert hours["quarter"] == "2.00"  # hours are not people: published
    assert hours["tables"]["hours_source"]["cells"] == {"none|own": "2.00"}
    active = indicator(version, "volunteers_active")
    assert active["quarter"] is None  # one volunteer
    rows = csv_rows(version)
    carer_values = {row["Value"] for row in rows if row["Indicator code"] == "carers_supported"}
    assert "3" not in carer_values and "<5" in carer_values
    assert "Verborgen" not in bytes(ReportFile.objects.get(version=version, format="csv").content).decode()


def test_five_carers_supported_are_published_with_their_target(house):
    carers_with_contacts(house, 5, JULY_6)
    SupportContactFactory(carer=CarerFactory(house=house), date=dt.date(2026, 4, 1))  # Q2: year to date only
    derive_all(house, dt.date(2026, 4, 1), JULY_6)
    Target.objects.create(
        house=house, indicator="carers_supported", year=2026, value=Decimal(24), q1=Decimal(6), q2=Decimal(6),
        q3=Decimal(6), q4=Decimal(6), updated_at=dt.datetime(2026, 1, 5, 9, tzinfo=dt.UTC),
    )  # fmt: skip
    version = build(house)
    carers = indicator(version, "carers_supported")
    assert carers["quarter"] == "5.00"
    assert carers["year_to_date"] == "6.00"
    assert carers["target_quarter"] == "6.00"
    assert carers["status"] == "behind"
    # April's one carer is hidden, so the published running totals after it are too (they would give it away);
    # computed, January to July is 6 different carers.
    assert carers["tables"]["months"]["cumulative"]["7"] is None
    running = _running_totals([house.pk], 2026, [4, 7, 9])
    assert (running[4]["carers_supported"], running[7]["carers_supported"], running[9]["carers_supported"]) == (1, 6, 6)


def test_a_volunteer_in_two_months_counts_once_in_the_running_total(house):
    people = [VolunteerFactory(house=house, user=UserFactory()) for _number in range(5)]
    for volunteer in people:
        HoursEntryFactory(volunteer=volunteer, date=JULY_6)
        HoursEntryFactory(volunteer=volunteer, date=AUG_3)
    derive_all(house, JULY_6, AUG_3)
    version = build(house)
    active = indicator(version, "volunteers_active")
    assert active["quarter"] == "5.00"
    assert active["tables"]["months"]["cells"]["7|total"] == "5.00"
    assert active["tables"]["months"]["cells"]["8|total"] == "5.00"
    assert active["tables"]["months"]["cumulative"]["8"] == "5.00"  # the same five, not ten


# --- targets ----------------------------------------------------------------------------------------------------


def test_the_municipality_sets_targets_for_volunteer_hours_and_carers(client, municipality, house):
    client.force_login(municipality)
    page = client.get("/resultaten/doelen/?jaar=2027").content.decode()
    assert "Vrijwilligersuren" in page and "Mantelzorgers ondersteund" in page
    hours = client.post(
        f"/resultaten/doelen/{house.slug}/volunteer_hours/2027/", {"value": "1250,5", "split": "evenly"}
    )
    assert hours.status_code == 302
    assert Target.objects.get(house=house, indicator="volunteer_hours").value == Decimal("1250.50")
    carers = client.post(
        f"/resultaten/doelen/{house.slug}/carers_supported/2027/",
        {"value": "40", "split": "by_hand", "q1": "10", "q2": "12", "q3": "12", "q4": "41"},
    )
    assert carers.status_code == 400  # a quarter cannot have more people than the year: the form again
    assert "een kwartaal" in carers.content.decode().lower()
    assert not Target.objects.filter(indicator="carers_supported").exists()
    bad = client.post(f"/resultaten/doelen/{house.slug}/certificates_valid/2027/", {"value": "101", "split": "evenly"})
    assert bad.status_code == 400  # a percentage is at most 100
    assert not Target.objects.filter(indicator="certificates_valid").exists()
