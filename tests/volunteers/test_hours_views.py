"""The pages of hours and allowance: who sees what, bad input, query counts, the export and the statement."""

import csv
import datetime as dt
import io
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse
from openpyxl import load_workbook
from pypdf import PdfReader

from tests.factories import HouseFactory
from tests.volunteers.factories import HoursEntryFactory, VolunteerFactory
from volunteers.models import AllowancePayment, HoursEntry, Volunteer

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _monday(clock):
    """These tests name their dates: they run on Monday 30 November 2026, whatever HUIZEN_TEST_NOW says."""
    clock.move_to(dt.datetime(2026, 11, 30, 7, tzinfo=ZoneInfo("Europe/Amsterdam")))


@pytest.fixture
def volunteer(house):
    return VolunteerFactory(house=house, start_date=dt.date(2025, 1, 1))


def _hours_url(house):
    return reverse("volunteers:house_hours", args=[house.slug])


def _allowances_url(house):
    return reverse("volunteers:allowances", args=[house.slug])


# --- the volunteer's own -----------------------------------------------------------------------------------------


def test_my_hours_shows_own_hours_of_every_source(client, volunteer):
    HoursEntryFactory(volunteer=volunteer, source=HoursEntry.Source.SHIFT, minutes=210, date=dt.date(2026, 11, 3))
    HoursEntryFactory(
        volunteer=volunteer, source=HoursEntry.Source.NEIGHBOUR_HELP, minutes=60, date=dt.date(2026, 11, 4)
    )
    HoursEntryFactory(volunteer=volunteer, status=HoursEntry.Status.SUBMITTED, minutes=45, date=dt.date(2026, 11, 5))
    other = VolunteerFactory(house=volunteer.house)
    HoursEntryFactory(volunteer=other, minutes=600, description="Niet van mij")
    client.force_login(volunteer.user)
    response = client.get(reverse("volunteers:my_hours"))
    assert response.status_code == 200
    text = response.content.decode()
    assert "4:30" in text  # approved: 3:30 + 1:00
    assert "0:45" in text
    assert "Niet van mij" not in text and "10:00" not in text
    assert "Uren doorgeven" in text
    assert "Waarvan uit" not in text
    header = text[text.index("<thead") : text.index("</thead>")]
    assert ["Uit diensten", "Uit burenhulp", "Zelf doorgegeven"] == [
        name for name in ("Uit diensten", "Uit burenhulp", "Zelf doorgegeven") if name in header
    ]
    november = text[text.index(">November<") :]
    november = november[: november.index("</tr>")]
    assert 'data-label="Uit diensten">3:30<' in november and 'data-label="Uit burenhulp">1:00<' in november


def test_submit_saves_and_bad_input_gives_dutch_errors(client, volunteer):
    client.force_login(volunteer.user)
    url = reverse("volunteers:hours_submit")
    good = {"huis": volunteer.pk, "datum": "2026-11-27", "uren": "2", "minuten": "15", "omschrijving": "Koffie"}
    response = client.post(url, good)
    assert response.status_code == 302
    assert HoursEntry.objects.get().minutes == 135
    for bad in (
        {"datum": "0001-01-01"},
        {"datum": "9999-12-31"},
        {"datum": "2026-12-01"},
        {"uren": "abc"},
        {"uren": "0", "minuten": "0"},
        {"uren": "24", "minuten": "1"},
        {"omschrijving": "x" * 10_000},
        {"omschrijving": "a\x00b"},
        {"huis": "999999"},
    ):
        response = client.post(url, {**good, **bad})
        assert response.status_code == 400, bad
        assert "Er ging iets mis" in response.content.decode() or "error-summary" in response.content.decode()
    assert HoursEntry.objects.count() == 1


def test_cannot_enter_hours_for_someone_else(client, volunteer, resident):
    mine = VolunteerFactory(user=resident, house=HouseFactory())
    client.force_login(resident)
    data = {"huis": volunteer.pk, "datum": "2026-11-27", "uren": "2", "minuten": "0", "omschrijving": "x"}
    assert client.post(reverse("volunteers:hours_submit"), data).status_code == 400
    assert not HoursEntry.objects.filter(volunteer=volunteer).exists()
    assert mine.pk


def test_statement_pdf_has_totals(client, volunteer):
    HoursEntryFactory(volunteer=volunteer, minutes=180, date=dt.date(2026, 3, 10))
    AllowancePayment.objects.create(
        volunteer=volunteer, month=dt.date(2026, 3, 1), hours=3, amount=Decimal("16.80"), paid_on=dt.date(2026, 4, 1)
    )
    client.force_login(volunteer.user)
    response = client.get(reverse("volunteers:hours_statement", args=[2026]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(response.content)).pages)
    assert "3:00" in text and "16,80" in text and volunteer.house.name in text
    assert "210,00" in text  # the monthly cap of the year


def test_statement_of_someone_without_volunteering_is_404(client, resident):
    client.force_login(resident)
    assert client.get(reverse("volunteers:hours_statement", args=[2026])).status_code == 404


# --- the coordinator's ----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("who", "status"),
    [
        ("coordinator", 200),
        ("manager", 200),
        ("other_house_coordinator", 404),
        ("other_manager", 404),
        ("municipality", 404),
        ("host", 404),
        ("professional", 404),
        ("resident", 404),
    ],
)
def test_house_pages_per_role(client, request, house, who, status):
    client.force_login(request.getfixturevalue(who))
    assert client.get(_hours_url(house)).status_code == status
    assert client.get(_allowances_url(house)).status_code == status
    export = reverse("volunteers:hours_export", args=[house.slug])
    assert client.get(export).status_code == status


def test_manager_sees_but_does_not_decide(client, house, manager, volunteer):
    entry = HoursEntryFactory(volunteer=volunteer, status=HoursEntry.Status.SUBMITTED)
    client.force_login(manager)
    assert "Goedkeuren" not in client.get(_hours_url(house)).content.decode()
    url = reverse("volunteers:hours_decide", args=[house.slug, entry.pk])
    assert client.post(url, {"besluit": "goedkeuren"}).status_code == 404
    assert client.post(_allowances_url(house), {}).status_code == 404


def test_decide_another_houses_entry_is_404(client, house, other_house, coordinator):
    entry = HoursEntryFactory(volunteer=VolunteerFactory(house=other_house), status=HoursEntry.Status.SUBMITTED)
    client.force_login(coordinator)
    url = reverse("volunteers:hours_decide", args=[house.slug, entry.pk])
    assert client.post(url, {"besluit": "goedkeuren"}).status_code == 404


def test_approve_and_reject(client, house, coordinator, volunteer):
    first = HoursEntryFactory(volunteer=volunteer, status=HoursEntry.Status.SUBMITTED)
    second = HoursEntryFactory(volunteer=volunteer, status=HoursEntry.Status.SUBMITTED)
    client.force_login(coordinator)
    page = client.get(_hours_url(house)).content.decode()
    assert "Uren die wachten op goedkeuring" in page
    client.post(reverse("volunteers:hours_decide", args=[house.slug, first.pk]), {"besluit": "goedkeuren"})
    url = reverse("volunteers:hours_decide", args=[house.slug, second.pk])
    response = client.post(url, {"besluit": "afwijzen", "reden": ""})
    assert response.status_code == 400
    client.post(url, {"besluit": "afwijzen", "reden": "Dubbel"})
    first.refresh_from_db()
    second.refresh_from_db()
    assert (first.status, second.status) == (HoursEntry.Status.APPROVED, HoursEntry.Status.REJECTED)


def _many(house, count):
    for number in range(count):
        volunteer = VolunteerFactory(house=house)
        HoursEntryFactory(volunteer=volunteer, status=HoursEntry.Status.SUBMITTED, date=dt.date(2026, 11, 2))
        HoursEntryFactory(volunteer=volunteer, date=dt.date(2026, 11, 3), description=f"Klus {number}")
        AllowancePayment.objects.create(
            volunteer=volunteer, month=dt.date(2026, 10, 1), hours=3, amount=Decimal(10), paid_on=dt.date(2026, 11, 1)
        )


@pytest.mark.parametrize("name", ["volunteers:house_hours", "volunteers:allowances", "volunteers:hours_export"])
def test_query_counts_do_not_grow_with_rows(client, house, coordinator, django_assert_max_num_queries, name):
    client.force_login(coordinator)
    url = reverse(name, args=[house.slug])
    _many(house, 1)
    client.get(url)
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as one:
        assert client.get(url).status_code == 200
    _many(house, 19)
    with CaptureQueriesContext(connection) as twenty:
        assert client.get(url).status_code == 200
    assert len(twenty) == len(one)


def test_export_is_formula_safe(client, house, coordinator, volunteer):
    HoursEntryFactory(volunteer=volunteer, date=dt.date(2026, 11, 3), description='=HYPERLINK("http://x","y")')
    client.force_login(coordinator)
    url = reverse("volunteers:hours_export", args=[house.slug])
    response = client.get(url, {"periode": "maand", "jaar": "2026", "maand": "11", "formaat": "csv"})
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";"))
    assert rows[1][5] == '\'=HYPERLINK("http://x","y")'
    assert rows[1][2] == "3,00"
    response = client.get(url, {"periode": "jaar", "jaar": "2026", "maand": "1", "formaat": "xlsx"})
    sheet = load_workbook(io.BytesIO(response.content)).active
    cell = sheet.cell(row=2, column=6)
    assert cell.value.startswith("=HYPERLINK") and cell.data_type == "s" and cell.quotePrefix


def test_bad_period_is_a_dutch_form_error(client, house, coordinator):
    client.force_login(coordinator)
    for bad in ({"jaar": "9999"}, {"jaar": "abc"}, {"maand": "13"}, {"periode": "x\x00"}):
        response = client.get(_hours_url(house), bad)
        assert response.status_code == 400


def test_coordinator_downloads_a_volunteers_statement(client, house, coordinator, other_house, volunteer):
    client.force_login(coordinator)
    url = reverse("volunteers:house_hours_statement", args=[house.slug, volunteer.pk, 2026])
    assert client.get(url).status_code == 200
    stranger = VolunteerFactory(house=other_house)
    url = reverse("volunteers:house_hours_statement", args=[house.slug, stranger.pk, 2026])
    assert client.get(url).status_code == 404


# --- allowance ------------------------------------------------------------------------------------------------


def test_payment_form_defaults_to_the_months_approved_hours(client, house, coordinator, volunteer):
    HoursEntryFactory(volunteer=volunteer, minutes=600, date=dt.date(2026, 10, 6))
    client.force_login(coordinator)
    data = {"vrijwilliger": volunteer.pk, "jaar": "2026", "maand": "10", "uren": "", "bedrag": "50,00"}
    response = client.post(_allowances_url(house), {**data, "betaald_op": "2026-11-27"})
    assert response.status_code == 302
    payment = AllowancePayment.objects.get()
    assert payment.hours == Decimal("10.00") and payment.amount == Decimal("50.00")


def test_payment_form_defaults_to_the_hours_not_paid_yet(client, house, coordinator, volunteer):
    HoursEntryFactory(volunteer=volunteer, minutes=600, date=dt.date(2026, 10, 6))
    client.force_login(coordinator)
    data = {"vrijwilliger": volunteer.pk, "jaar": "2026", "maand": "10", "betaald_op": "2026-11-27"}
    assert client.post(_allowances_url(house), {**data, "uren": "4", "bedrag": "20,00"}).status_code == 302
    assert client.post(_allowances_url(house), {**data, "uren": "", "bedrag": "30,00"}).status_code == 302
    assert sorted(AllowancePayment.objects.values_list("hours", flat=True)) == [Decimal(4), Decimal(6)]
    response = client.post(_allowances_url(house), {**data, "uren": "", "bedrag": "1,00"})
    assert response.status_code == 400
    assert "al allemaal betaald" in response.content.decode()
    response = client.post(_allowances_url(house), {**data, "uren": "1", "bedrag": "1,00"})
    assert response.status_code == 400
    assert "nog hoogstens 0 uur over" in response.content.decode()
    assert AllowancePayment.objects.count() == 2


def test_payment_over_a_cap_shows_the_reason(client, house, coordinator, volunteer):
    HoursEntryFactory(volunteer=volunteer, minutes=600, date=dt.date(2026, 10, 6))
    client.force_login(coordinator)
    data = {"vrijwilliger": volunteer.pk, "jaar": "2026", "maand": "10", "uren": "10", "betaald_op": "2026-11-27"}
    response = client.post(_allowances_url(house), {**data, "bedrag": "60"})
    assert response.status_code == 400
    assert "maximum van € 5,60 per uur" in response.content.decode()
    for bad in ({"bedrag": "abc"}, {"bedrag": "1e400"}, {"uren": "-1"}, {"betaald_op": "0001-01-01"}, {"jaar": "2027"}):
        response = client.post(_allowances_url(house), {**data, "bedrag": "10", **bad})
        assert response.status_code == 400, bad
    assert not AllowancePayment.objects.exists()


def test_number_errors_are_clear_dutch_without_a_decimal_point(client, house, coordinator, volunteer):
    HoursEntryFactory(volunteer=volunteer, minutes=600, date=dt.date(2026, 10, 6))
    client.force_login(coordinator)
    data = {"vrijwilliger": volunteer.pk, "jaar": "2026", "maand": "10", "uren": "1", "betaald_op": "2026-11-27"}
    for bad, message in (
        ({"bedrag": "0"}, "bijvoorbeeld 12,50"),
        ({"bedrag": "-3"}, "bijvoorbeeld 12,50"),
        ({"bedrag": "1,234"}, "hoogstens 2 cijfers na de komma"),
        ({"bedrag": "12345678"}, "€ 999.999,99"),
        ({"bedrag": "5", "uren": "0"}, "bijvoorbeeld 12,5"),
        ({"bedrag": "5", "jaar": "1999"}, "van 2000 tot en met 2099"),
    ):
        page = client.post(_allowances_url(house), {**data, **bad}).content.decode()
        assert message in page, bad
        assert "0.01" not in page and "Zorg ervoor" not in page, bad
    client.force_login(volunteer.user)
    url = reverse("volunteers:hours_submit")
    good = {"huis": volunteer.pk, "datum": "2026-11-27", "uren": "2", "omschrijving": "Koffie"}
    for bad, message in (
        ({"uren": "25"}, "hele uren in van 0 tot en met 24"),
        ({"uren": "1,5"}, "hele uren in van 0 tot en met 24"),
        ({"minuten": "60"}, "minuten in van 0 tot en met 59"),
    ):
        page = client.post(url, {**good, **bad}).content.decode()
        assert message in page and "Zorg ervoor" not in page, bad
    assert client.post(url, {**good, "minuten": ""}).status_code == 302  # empty minutes: 0
    assert HoursEntry.objects.get(volunteer=volunteer, status=HoursEntry.Status.SUBMITTED).minutes == 120
    assert not AllowancePayment.objects.exists()


def test_payment_for_another_houses_volunteer_is_refused(client, house, other_house, coordinator):
    stranger = VolunteerFactory(house=other_house)
    client.force_login(coordinator)
    data = {"vrijwilliger": stranger.pk, "jaar": "2026", "maand": "10", "uren": "1", "bedrag": "1"}
    response = client.post(_allowances_url(house), {**data, "betaald_op": "2026-11-27"})
    assert response.status_code == 400
    assert not AllowancePayment.objects.exists()


def test_my_hours_query_count_does_not_grow(client, volunteer):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.force_login(volunteer.user)
    url = reverse("volunteers:my_hours")
    HoursEntryFactory(volunteer=volunteer, date=dt.date(2026, 11, 2))
    client.get(url)
    with CaptureQueriesContext(connection) as one:
        client.get(url)
    for day in range(3, 23):
        HoursEntryFactory(volunteer=volunteer, date=dt.date(2026, 11, day))
    with CaptureQueriesContext(connection) as twenty:
        client.get(url)
    assert len(twenty) == len(one)


def test_start_page_links_the_coordinator_to_hours_and_allowances(client, house, coordinator, manager):
    client.force_login(coordinator)
    page = client.get(reverse("start")).content.decode()
    assert reverse("volunteers:house_hours", args=[house.slug]) in page
    assert reverse("volunteers:allowances", args=[house.slug]) in page


def test_admin_edits_caps_with_history_and_only_reads_hours(client, administrator, volunteer):
    from audit.models import Event
    from volunteers.models import AllowanceCaps

    client.force_login(administrator)
    caps = AllowanceCaps.objects.get(year=2026)
    url = reverse("admin:volunteers_allowancecaps_change", args=[caps.pk])
    data = {
        "year": "2026",
        "adult_age": "21",
        "hourly_adult": "5.70",
        "hourly_young": "3.30",
        "monthly": "210.00",
        "yearly": "2100.00",
    }
    assert client.post(url, data).status_code == 302
    caps.refresh_from_db()
    assert caps.hourly_adult == Decimal("5.70")
    assert Event.objects.filter(action="admin.change", object_id=str(caps.pk)).exists()
    entry = HoursEntryFactory(volunteer=volunteer)
    assert client.get(reverse("admin:volunteers_hoursentry_change", args=[entry.pk])).status_code == 200
    assert client.get(reverse("admin:volunteers_hoursentry_add")).status_code == 403
    assert client.get(reverse("admin:volunteers_allowancepayment_changelist")).status_code == 200


def test_statement_is_in_the_volunteers_language(volunteer):
    from volunteers.views.hours import statement_html

    volunteer.user.language = "en"
    volunteer.user.save(update_fields=["language"])
    HoursEntryFactory(volunteer=volunteer, minutes=90, date=dt.date(2026, 2, 10))
    html = statement_html([volunteer], 2026)
    assert "Volunteer statement 2026" in html and "February" in html and "1:30" in html


def test_payment_form_names_volunteers_without_a_date_of_birth(client, house, coordinator):
    VolunteerFactory(house=house, first_name="Joris", last_name="Kok", user=None, date_of_birth=None)
    client.force_login(coordinator)
    assert "Joris Kok (geboortedatum ontbreekt)" in client.get(_allowances_url(house)).content.decode()


def test_coordinator_records_hours_for_a_volunteer_without_account(client, house, coordinator, other_house):
    paper = VolunteerFactory(house=house, user=None, first_name="Joris", start_date=dt.date(2025, 1, 1))
    client.force_login(coordinator)
    url = reverse("volunteers:hours_record", args=[house.slug])
    data = {"huis": paper.pk, "datum": "2026-11-26", "uren": "3", "minuten": "0", "omschrijving": "Bar"}
    assert client.post(url, data).status_code == 302
    entry = HoursEntry.objects.get()
    assert (entry.volunteer, entry.status, entry.minutes) == (paper, HoursEntry.Status.APPROVED, 180)
    response = client.post(url, {**data, "datum": "2026-12-25"})
    assert response.status_code == 400 and "Er ging iets mis" in response.content.decode()
    stranger = VolunteerFactory(house=other_house)
    assert client.post(url, {**data, "huis": stranger.pk}).status_code == 400
    assert HoursEntry.objects.count() == 1


def test_record_form_offers_the_houses_accepted_volunteers(client, house, coordinator, other_house):
    paper = VolunteerFactory(house=house, user=None, first_name="Joris", last_name="Kok")
    VolunteerFactory(house=house, first_name="Wacht", last_name="Nog", status=Volunteer.Status.APPLIED)
    stranger = VolunteerFactory(house=other_house, first_name="Ver", last_name="Weg")
    client.force_login(coordinator)
    page = client.get(_hours_url(house)).content.decode()
    record = page[page.index('name="huis"') :]
    record = record[: record.index("</select>")]
    assert f'<option value="{paper.pk}"' in record and "Joris Kok</option>" in record
    assert "Wacht Nog" not in record and f'value="{stranger.pk}"' not in record


def test_only_coordinators_record_hours(client, house, manager, volunteer):
    client.force_login(manager)
    url = reverse("volunteers:hours_record", args=[house.slug])
    data = {"huis": volunteer.pk, "datum": "2026-11-26", "uren": "3", "minuten": "0", "omschrijving": "Bar"}
    assert client.post(url, data).status_code == 404
    assert not HoursEntry.objects.exists()
