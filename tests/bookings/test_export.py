"""The export of a house's bookings for invoicing: CSV and XLSX, local times, right prices, no formula injection."""

import csv
import datetime as dt
import io
from decimal import Decimal

import openpyxl
import pytest
from django.conf import settings
from django.urls import reverse

from bookings.models import Booking
from huizen.spreadsheets import escape_cell, needs_escaping
from tests.factories import BookingFactory, PlaceFactory, UserFactory, at, bookable_room

WINTER_DAY = dt.date(2030, 1, 15)  # a Tuesday, UTC+1
SUMMER_DAY = dt.date(2030, 7, 16)  # a Tuesday, UTC+2
HEADER = [
    "Date",
    "Start",
    "End",
    "Room",
    "Place",
    "Renter",
    "E-mail or phone",
    "Renter tier",
    "Purpose",
    "People",
    "Status",
    "Price (EUR)",
    "Deposit (EUR)",
    "Cancellation cost (EUR)",
]
ATTACKS = ['=HYPERLINK("http://evil")', "+1+1", "@SUM(A1)", "-2+3", "\tTAB", "\rCR"]


@pytest.fixture
def as_coordinator(client, coordinator):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    client.force_login(coordinator)
    return client


@pytest.fixture
def room(house):
    return bookable_room(place=PlaceFactory(house=house, name="Het Klooster"), name="Grote zaal")


def export_url(house):
    return reverse("bookings:house_export", kwargs={"house_slug": house.slug})


def download(client, house, **query):
    query = {"van": "2030-01-01", "tot": "2030-12-31", **query}
    response = client.get(export_url(house), query)
    assert response.status_code == 200, response.content[:500]
    return response


def read_csv(response) -> list[list[str]]:
    body = response.content
    assert body.startswith(b"\xef\xbb\xbf")  # the byte order mark, so Excel reads UTF-8
    return list(csv.reader(io.StringIO(body.decode("utf-8-sig"), newline=""), delimiter=";"))


def read_xlsx(response):
    return openpyxl.load_workbook(io.BytesIO(response.content)).active


# --- the escaping function ---------------------------------------------------------------------------------------


@pytest.mark.parametrize("value", ATTACKS + ["=1+1", "+31 6 12345678", "-", "@"])
def test_text_a_spreadsheet_would_run_gets_an_apostrophe(value):
    assert needs_escaping(value)
    assert escape_cell(value) == "'" + value


@pytest.mark.parametrize("value", ["", "Verjaardag", "Taal = leuk", "1+1", " =spatie", "'al veilig", "é=mc2"])
def test_ordinary_text_is_left_alone(value):
    assert not needs_escaping(value)
    assert escape_cell(value) == value


# --- CSV ---------------------------------------------------------------------------------------------------------


def test_csv_has_a_header_local_times_and_dutch_amounts(as_coordinator, house, room):
    renter = UserFactory(first_name="Fatima", last_name="Amrani", email="fatima@example.nl")
    BookingFactory(
        room=room,
        start=at(WINTER_DAY, 10),
        end=at(WINTER_DAY, 12, 30),
        renter=renter,
        tier="resident",
        purpose="Verjaardag oma",
        people=25,
        price=Decimal("45.50"),
        deposit=Decimal("100.00"),
    )
    BookingFactory(room=room, start=at(SUMMER_DAY, 19), end=at(SUMMER_DAY, 22), renter=renter, price=Decimal("0"))

    response = download(as_coordinator, house)

    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == 'attachment; filename="boekingen-het-klooster-2030-01-01-2030-12-31.csv"'
    rows = read_csv(response)
    assert rows[0] == HEADER
    assert rows[1] == [
        "2030-01-15",
        "10:00",
        "12:30",
        "Grote zaal",
        "Het Klooster",
        "Fatima Amrani",
        "fatima@example.nl",
        "Private resident",
        "Verjaardag oma",
        "25",
        "Approved",
        "45,50",
        "100,00",
        "0,00",
    ]
    assert rows[2][:3] == ["2030-07-16", "19:00", "22:00"]  # summer time: still the time on the clock
    assert len(rows) == 3


def test_phone_bookings_show_the_caller(as_coordinator, house, room):
    BookingFactory(
        room=room,
        start=at(WINTER_DAY, 10),
        end=at(WINTER_DAY, 12),
        renter=None,
        contact_name="Stichting Taalmaatje",
        contact_phone="010-1234567",
        contact_email="taal@example.nl",
    )
    row = read_csv(download(as_coordinator, house))[1]
    assert row[5:7] == ["Stichting Taalmaatje", "010-1234567, taal@example.nl"]


@pytest.mark.parametrize("attack", ATTACKS)
def test_csv_cells_that_look_like_formulas_start_with_an_apostrophe(as_coordinator, house, room, attack):
    BookingFactory(
        room=room,
        start=at(WINTER_DAY, 10),
        end=at(WINTER_DAY, 12),
        purpose=attack,
        renter=None,
        contact_name=attack,
        contact_phone="+31 10 1234567",
    )
    row = read_csv(download(as_coordinator, house))[1]
    assert row[5] == "'" + attack and row[8] == "'" + attack
    assert row[6] == "'+31 10 1234567"
    assert all(not cell.startswith(("=", "+", "-", "@", "\t", "\r")) for cell in row)


# --- XLSX ---------------------------------------------------------------------------------------------------------


def test_xlsx_has_a_header_real_dates_times_and_numbers(as_coordinator, house, room):
    BookingFactory(
        room=room,
        start=at(SUMMER_DAY, 9, 30),
        end=at(SUMMER_DAY, 11),
        renter=UserFactory(first_name="Ahmed", last_name="Yilmaz"),
        tier="commercial",
        purpose="Training",
        people=12,
        price=Decimal("45.00"),
        status="cancelled",
        occupancy=None,
        cancellation_cost=Decimal("45.00"),
        decision_reason="",
    )
    response = download(as_coordinator, house, formaat="xlsx")
    assert response["Content-Type"] == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    assert response["Content-Disposition"].endswith('.xlsx"')
    sheet = read_xlsx(response)
    assert [cell.value for cell in sheet[1]] == HEADER
    row = [cell.value for cell in sheet[2]]
    assert row[0] == dt.datetime(2030, 7, 16)  # a real date (openpyxl reads dates as datetimes)
    assert row[1:3] == [dt.time(9, 30), dt.time(11, 0)]
    assert row[3:9] == ["Grote zaal", "Het Klooster", "Ahmed Yilmaz", row[6], "Commercial", "Training"]
    assert row[9] == 12 and row[10] == "Cancelled"
    assert row[11:] == [45, 0, 45]
    assert sheet["J2"].data_type == "n" and sheet["L2"].data_type == "n" and sheet["A2"].is_date
    assert sheet.max_row == 2


@pytest.mark.parametrize("attack", ATTACKS)
def test_xlsx_writes_formula_lookalikes_as_strings(as_coordinator, house, room, attack):
    BookingFactory(
        room=room,
        start=at(WINTER_DAY, 10),
        end=at(WINTER_DAY, 12),
        purpose=attack,
        renter=None,
        contact_name=attack,
        contact_phone="010",
    )
    sheet = read_xlsx(download(as_coordinator, house, formaat="xlsx"))
    for cell in (sheet["F2"], sheet["I2"]):
        assert cell.data_type == "s"  # text, never a formula ("f")
        assert cell.value == attack.replace("\r", "_x000D_")  # openpyxl shows a carriage return as OOXML writes it
        assert cell.quotePrefix  # and it stays text when someone edits the cell in Excel


# --- what is in it -------------------------------------------------------------------------------------------------


def test_by_default_only_what_is_invoiced_and_with_alle_every_status(as_coordinator, house, room):
    day = WINTER_DAY
    BookingFactory(room=room, start=at(day, 9), end=at(day, 10), purpose="goedgekeurd")
    BookingFactory(room=room, start=at(day, 10), end=at(day, 11), purpose="aangevraagd", status="requested")
    for purpose, cost in (("laat geannuleerd", Decimal("20.00")), ("gratis geannuleerd", Decimal("0"))):
        BookingFactory(
            room=room,
            start=at(day, 11),
            end=at(day, 12),
            purpose=purpose,
            status="cancelled",
            occupancy=None,
            cancellation_cost=cost,
        )
    BookingFactory(
        room=room, start=at(day, 12), end=at(day, 13), purpose="afgewezen", status="rejected", occupancy=None
    )

    purposes = [row[8] for row in read_csv(download(as_coordinator, house))[1:]]
    assert sorted(purposes) == ["goedgekeurd", "laat geannuleerd"]
    everything = [row[8] for row in read_csv(download(as_coordinator, house, alle="on"))[1:]]
    assert len(everything) == 5 and Booking.objects.count() == 5


def test_the_period_is_in_local_days(as_coordinator, house, room):
    # 00:30 in Amsterdam on 1 February is still 31 January in UTC; it belongs to February.
    BookingFactory(room=room, start=at(dt.date(2030, 2, 1), 0, 30), end=at(dt.date(2030, 2, 1), 1, 30), purpose="feb")
    BookingFactory(room=room, start=at(dt.date(2030, 1, 31), 23), end=at(dt.date(2030, 1, 31), 23, 30), purpose="jan")
    february = read_csv(download(as_coordinator, house, van="2030-02-01", tot="2030-02-28"))
    assert [row[8] for row in february[1:]] == ["feb"]
    assert february[1][:2] == ["2030-02-01", "00:30"]
    january = read_csv(download(as_coordinator, house, van="2030-01-01", tot="2030-01-31"))
    assert [row[8] for row in january[1:]] == ["jan"]


def test_another_house_never_appears(as_coordinator, house, room, other_house):
    other = bookable_room(place=PlaceFactory(house=other_house), name="Zaal elders")
    BookingFactory(room=other, start=at(WINTER_DAY, 10), end=at(WINTER_DAY, 12), purpose="elders")
    BookingFactory(room=room, start=at(WINTER_DAY, 10), end=at(WINTER_DAY, 12), purpose="hier")
    text = download(as_coordinator, house, alle="on").content.decode("utf-8-sig")
    assert "hier" in text and "elders" not in text
    sheet = read_xlsx(download(as_coordinator, house, formaat="xlsx", alle="on"))
    values = " ".join(str(cell.value) for row in sheet for cell in row)
    assert "hier" in values and "elders" not in values


def test_an_empty_period_gives_just_the_header(as_coordinator, house, room):
    assert read_csv(download(as_coordinator, house)) == [HEADER]
    sheet = read_xlsx(download(as_coordinator, house, formaat="xlsx"))
    assert sheet.max_row == 1 and [cell.value for cell in sheet[1]] == HEADER


# --- bad input and who may -----------------------------------------------------------------------------------------


def test_without_a_query_the_page_shows_the_form(as_coordinator, house, room):
    response = as_coordinator.get(export_url(house))
    assert response.status_code == 200
    page = response.content.decode()
    assert "Export bookings" in page and "approved bookings, and cancelled bookings that cost" in page


@pytest.mark.parametrize(
    ("query", "field", "message"),
    [
        ({"van": "1-1-2030"}, "van", "Enter a valid date."),
        ({"van": "2030-02-30"}, "van", "Enter a valid date."),
        ({"tot": ""}, "tot", "This field is required."),
        ({"van": "2030-03-01", "tot": "2030-02-01"}, "tot", "The end date must be on or after the start date."),
        ({"van": "2030-01-01", "tot": "2031-06-01"}, "tot", "Choose at most a year at a time."),
        ({"formaat": "pdf"}, "formaat", "Select a valid choice."),
        ({"van": "9999-06-01", "tot": "9999-12-31"}, "tot", "Choose a date between 2000 and 2099."),
    ],
)
def test_a_bad_query_is_a_clear_400_not_a_500(as_coordinator, house, room, query, field, message):
    response = as_coordinator.get(export_url(house), {"van": "2030-01-01", "tot": "2030-01-31", **query})
    assert response.status_code == 400
    assert any(message in error for error in response.context["form"].errors[field])
    page = response.content.decode()
    assert f'id="id_{field}_error"' in page and "Export bookings" in page


@pytest.mark.parametrize("role", ["host", "manager", "municipality", "resident", "other_house_coordinator"])
def test_only_the_house_may_export(client, house, room, request, role):
    BookingFactory(room=room, start=at(WINTER_DAY, 10), end=at(WINTER_DAY, 12))
    client.force_login(request.getfixturevalue(role))
    assert client.get(export_url(house), {"van": "2030-01-01", "tot": "2030-12-31"}).status_code == 404


def test_anonymous_visitors_must_log_in(client, house, room):
    response = client.get(export_url(house), {"van": "2030-01-01", "tot": "2030-12-31"})
    assert response.status_code == 302 and response.url.startswith(reverse("account_login"))


def test_the_administrator_may_export(client, house, room, administrator):
    client.force_login(administrator)
    assert client.get(export_url(house), {"van": "2030-01-01", "tot": "2030-12-31"}).status_code == 200
