"""The door log over a week and a month: totals per place and day, the period switch, its export (CSV and XLSX),
dates from the URL, and a cost that follows the days shown, not the taps."""

import csv
import datetime as dt
import io
from zoneinfo import ZoneInfo

import openpyxl
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation

from activities import door_log, services
from audit.services import SYSTEM
from tests.factories import DoorTallyFactory, PlaceFactory, SessionFactory

pytestmark = pytest.mark.date_sensitive

AMSTERDAM = ZoneInfo("Europe/Amsterdam")


@pytest.fixture
def as_coordinator(english, coordinator):
    english.force_login(coordinator)
    return english


@pytest.fixture
def place(house):
    return PlaceFactory(house=house, name="Het Klooster")


def url(house, name="door_log"):
    return reverse(f"activities:{name}", kwargs={"house_slug": house.slug})


def at(day: dt.date, hour: int, minute: int = 0) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hour, minute), tzinfo=AMSTERDAM)


def test_periods_are_a_day_a_week_from_monday_and_a_calendar_month():
    wednesday = dt.date(2026, 3, 11)
    assert door_log.period_of("dag", wednesday) == door_log.Period("dag", wednesday, wednesday)
    week = door_log.period_of("week", wednesday)
    assert (week.first, week.last) == (dt.date(2026, 3, 9), dt.date(2026, 3, 15))
    assert (week.previous().first, week.next().first) == (dt.date(2026, 3, 2), dt.date(2026, 3, 16))
    month = door_log.period_of("maand", dt.date(2028, 2, 15))
    assert (month.first, month.last) == (dt.date(2028, 2, 1), dt.date(2028, 2, 29))
    assert (month.previous().first, month.next().first) == (dt.date(2028, 1, 1), dt.date(2028, 3, 1))
    december = door_log.period_of("maand", dt.date(2026, 12, 31))
    assert december.next().first == dt.date(2027, 1, 1) and len(december.days) == 31


@pytest.fixture
def week_of_taps(house, place, other_house):
    """Taps in the week of Monday 9 March 2026 at two places, plus taps that must not count."""
    zuid = PlaceFactory(house=house, name="Buurtplek Zuid")
    monday, wednesday = dt.date(2026, 3, 9), dt.date(2026, 3, 11)
    tally = {"house": house, "place": place}
    DoorTallyFactory(**tally, recorded_at=at(monday, 9), count=3, is_new=True, age_band="65+")
    DoorTallyFactory(**tally, recorded_at=at(monday, 23, 59), count=1)  # still Monday in Amsterdam
    DoorTallyFactory(**tally, recorded_at=at(wednesday, 10), count=2, age_band="0-12")
    DoorTallyFactory(**tally, recorded_at=at(wednesday, 11), count=5, undone_at=at(wednesday, 11, 5))  # undone
    DoorTallyFactory(**tally, recorded_at=at(dt.date(2026, 3, 16), 0, 1), count=7)  # the next week
    DoorTallyFactory(**tally, recorded_at=at(dt.date(2026, 3, 8), 23, 59), count=7)  # the week before
    DoorTallyFactory(house=house, place=zuid, recorded_at=at(wednesday, 12), count=4)
    DoorTallyFactory(house=other_house, recorded_at=at(wednesday, 9), count=50)
    session = SessionFactory(activity__house=house, activity__place=place, activity__first_date=wednesday)
    DoorTallyFactory(**tally, session=session, recorded_at=at(wednesday, 14, 5), count=6, is_new=True)
    cancelled = SessionFactory(
        activity__house=house, activity__place=place, activity__first_date=wednesday, status="cancelled"
    )
    services.session_close(session=session, participants=9, volunteers=2, by=SYSTEM)
    return {"session": session, "cancelled": cancelled, "zuid": zuid}


def test_the_week_shows_totals_per_place_and_day(as_coordinator, house, place, week_of_taps):
    response = as_coordinator.get(url(house), {"periode": "week", "datum": "2026-03-11"})
    assert response.status_code == 200
    period = response.context["period"]
    assert (period.kind, period.first, period.last) == ("week", dt.date(2026, 3, 9), dt.date(2026, 3, 15))
    places = {item["place"].name: item for item in response.context["places"]}
    klooster = places["Het Klooster"]
    assert [totals.day for totals in klooster["days"]] == [dt.date(2026, 3, 9) + dt.timedelta(n) for n in range(7)]
    monday, _tuesday, wednesday, *_rest = klooster["days"]
    assert (monday.walk_in, monday.at_sessions, monday.visitors, monday.new_visitors) == (4, 0, 4, 3)
    assert (wednesday.walk_in, wednesday.at_sessions, wednesday.visitors, wednesday.new_visitors) == (2, 6, 8, 6)
    assert (wednesday.held, wednesday.cancelled, wednesday.participants, wednesday.volunteers) == (1, 1, 9, 2)
    assert wednesday.bands == [2, 0, 0, 0] and wednesday.unknown_age == 6
    total = klooster["total"]
    assert (total.walk_in, total.at_sessions, total.visitors, total.new_visitors, total.held) == (6, 6, 12, 9, 1)
    assert total.bands == [2, 0, 0, 3] and total.unknown_age == 7
    assert places["Buurtplek Zuid"]["total"].visitors == 4
    assert response.context["all_places"].visitors == 16
    page = response.content.decode()
    assert "Door log of week 11, 9 March to 15 March 2026" in page
    assert "All places together: 16 visitors in week 11, 9 March to 15 March 2026." in page
    assert "?periode=week&amp;datum=2026-03-02" in page and "?periode=week&amp;datum=2026-03-16" in page
    assert 'aria-current="page"><strong>Week</strong>' in page
    assert "?periode=dag&amp;datum=2026-03-11" in page  # each day links to its own log


def test_the_month_adds_up_all_its_days(as_coordinator, house, place, week_of_taps):
    response = as_coordinator.get(url(house), {"periode": "maand", "datum": "2026-03-20"})
    period = response.context["period"]
    assert (period.first, period.last) == (dt.date(2026, 3, 1), dt.date(2026, 3, 31))
    klooster = response.context["places"][0]  # "Buurtplek Zuid" comes first by name
    assert klooster["place"].name == "Buurtplek Zuid"
    totals = {item["place"].name: item["total"] for item in response.context["places"]}
    assert totals["Het Klooster"].visitors == 12 + 7 + 7  # the taps of the weeks before and after are in March too
    assert len(response.context["places"][1]["days"]) == 31
    page = response.content.decode()
    assert "Door log of March 2026" in page
    assert "?periode=maand&amp;datum=2026-02-01" in page and "?periode=maand&amp;datum=2026-04-01" in page


def test_a_day_near_the_change_to_winter_time_is_counted_on_its_own_day(as_coordinator, house, place):
    sunday = dt.date(2026, 10, 25)  # 25 hours long
    DoorTallyFactory(house=house, place=place, recorded_at=at(sunday, 23, 30), count=2)
    DoorTallyFactory(house=house, place=place, recorded_at=at(sunday, 0, 30), count=1)
    response = as_coordinator.get(url(house), {"periode": "week", "datum": "2026-10-25"})
    days = {totals.day: totals.visitors for totals in response.context["places"][0]["days"]}
    assert days[sunday] == 3 and sum(days.values()) == 3


def test_the_page_in_dutch(client, coordinator, house, place):
    client.force_login(coordinator)
    with translation.override("nl"):
        response = client.get(url(house), {"periode": "maand", "datum": "2026-03-20"}, HTTP_ACCEPT_LANGUAGE="nl")
    page = response.content.decode()
    assert "Deurlog van maart 2026" in page and "Bezoekers bij Het Klooster per dag, maart 2026" in page
    assert "Inloop" in page and "Totaal" in page


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ({"datum": "0001-01-01", "periode": "week"}, "datum"),
        ({"datum": "9999-12-31", "periode": "maand"}, "datum"),
        ({"datum": "gisteren"}, "datum"),
        ({"datum": "2026-02-30", "periode": "week"}, "datum"),
        ({"datum": "2026-03-10", "periode": "jaar"}, "periode"),
        ({"datum": "2026-03-10\x00"}, "datum"),
    ],
)
def test_bad_dates_from_the_url_show_the_error_and_today(as_coordinator, house, place, query, field):
    response = as_coordinator.get(url(house), query)
    assert response.status_code == 200
    assert field in response.context["day_form"].errors
    period = response.context["period"]
    assert (period.kind, period.first) == ("dag", timezone.localdate())
    page = response.content.decode()
    assert "The door log shows today instead." in page and "<title>Error: " in page


def test_no_query_shows_today(as_coordinator, house, place):
    response = as_coordinator.get(url(house))
    assert response.context["period"] == door_log.period_of("dag", timezone.localdate())
    assert not response.context["day_form"].errors


def test_query_count_is_the_same_for_taps_on_one_day_and_on_thirty(as_coordinator, house, place):
    first = dt.date(2026, 3, 1)
    zuid = PlaceFactory(house=house, name="Buurtplek Zuid")

    def fill(day):
        DoorTallyFactory(house=house, place=place, recorded_at=at(day, 10), count=2)
        DoorTallyFactory(house=house, place=zuid, recorded_at=at(day, 11), age_band="65+")
        session = SessionFactory(activity__house=house, activity__place=place, activity__first_date=day)
        DoorTallyFactory(house=house, place=place, session=session, recorded_at=at(day, 14, 30))

    fill(first)
    query = {"periode": "maand", "datum": "2026-03-01"}
    with CaptureQueriesContext(connection) as one:
        assert as_coordinator.get(url(house), query).status_code == 200
    for n in range(1, 30):
        fill(first + dt.timedelta(days=n))
    with CaptureQueriesContext(connection) as thirty:
        response = as_coordinator.get(url(house), query)
    assert response.context["all_places"].visitors == 30 * 4
    assert len(thirty) == len(one)
    with CaptureQueriesContext(connection) as export_thirty:
        as_coordinator.get(url(house, "door_log_export"), {**query, "formaat": "csv"})
    assert len(export_thirty) <= len(one)


# --- the export ---------------------------------------------------------------------------------------------


def test_the_csv_export_has_each_place_per_day_and_totals(as_coordinator, house, place, week_of_taps):
    response = as_coordinator.get(
        url(house, "door_log_export"), {"periode": "week", "datum": "2026-03-11", "formaat": "csv"}
    )
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == f'attachment; filename="deurlog-{house.slug}-2026-w11.csv"'
    lines = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";"))
    assert lines[0][:6] == ["Place", "Date", "Walk-in visitors", "Visitors at sessions", "Visitors", "Of which new"]
    assert len(lines) == 1 + 2 * (7 + 1) + 1  # header, two places with seven days and a total, all places
    rows = {(line[0], line[1]): line[2:] for line in lines[1:]}
    assert rows[("Het Klooster", "2026-03-11")][:4] == ["2", "6", "8", "6"]
    assert rows[("Het Klooster", "Total")][:4] == ["6", "6", "12", "9"]
    assert rows[("All places", "Total")][2] == "16"


def test_the_export_is_safe_against_formulas(as_coordinator, house):
    PlaceFactory(house=house, name='=HYPERLINK("http://x")')
    query = {"periode": "dag", "datum": "2026-03-11"}
    response = as_coordinator.get(url(house, "door_log_export"), {**query, "formaat": "csv"})
    assert "'=HYPERLINK" in response.content.decode("utf-8-sig")
    response = as_coordinator.get(url(house, "door_log_export"), {**query, "formaat": "xlsx"})
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    cell = sheet.cell(row=2, column=1)
    assert cell.value == '=HYPERLINK("http://x")' and cell.data_type == "s" and cell.quotePrefix


def test_the_xlsx_export_has_real_dates_and_numbers(as_coordinator, house, place, week_of_taps):
    response = as_coordinator.get(
        url(house, "door_log_export"), {"periode": "maand", "datum": "2026-03-11", "formaat": "xlsx"}
    )
    assert response.status_code == 200
    assert response["Content-Disposition"] == f'attachment; filename="deurlog-{house.slug}-2026-03.xlsx"'
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][0] == "Place" and len(rows) == 1 + 2 * 32 + 1
    klooster = {row[1]: row for row in rows[1:] if row[0] == "Het Klooster"}
    assert klooster[dt.datetime(2026, 3, 11)][2:6] == (2, 6, 8, 6)
    assert klooster["Total"][4] == 26
    assert rows[-1][:2] == ("All places", "Total")


@pytest.mark.parametrize(
    "query",
    [
        {"datum": "0001-01-01", "periode": "week", "formaat": "csv"},
        {"datum": "9999-12-31", "periode": "maand", "formaat": "xlsx"},
        {"datum": "onzin", "formaat": "csv"},
        {"datum": "2026-03-11", "periode": "week", "formaat": "pdf"},
        {"datum": "2026-03-11", "periode": "week"},
    ],
)
def test_a_bad_export_query_goes_back_to_the_door_log(as_coordinator, house, place, query):
    response = as_coordinator.get(url(house, "door_log_export"), query)
    assert response.status_code == 302
    assert response.url.startswith(url(house) + "?")
    follow = as_coordinator.get(response.url)
    assert follow.status_code == 200
    if query.get("formaat") in ("csv", "xlsx"):
        assert follow.context["day_form"].errors
    else:
        assert "Choose CSV or Excel (XLSX) for the export." in follow.content.decode()


@pytest.mark.parametrize(
    "role", ["host", "manager", "municipality", "resident", "other_house_coordinator", "other_house_host"]
)
def test_everyone_else_gets_404_for_the_periods_and_the_export(client, request, house, place, role):
    client.force_login(request.getfixturevalue(role))
    assert client.get(url(house), {"periode": "week"}).status_code == 404
    assert client.get(url(house, "door_log_export"), {"periode": "week", "formaat": "csv"}).status_code == 404


def test_anonymous_export_goes_to_the_login(client, house):
    response = client.get(url(house, "door_log_export"), {"periode": "week", "formaat": "csv"})
    assert response.status_code == 302 and response.url.startswith(reverse("account_login"))


def test_a_session_still_to_come_is_not_counted_as_held(clock, as_coordinator, house, place):
    """Held means planned and started, as in the reports: the rest of this week's sessions are not held yet."""
    clock.move_to(dt.datetime(2026, 11, 30, 7, 0, tzinfo=AMSTERDAM))  # a Monday morning, whatever today the run has
    today = timezone.localdate()
    started = SessionFactory(
        activity__house=house, activity__place=place, activity__first_date=today, activity__start_time=dt.time(6)
    )
    SessionFactory(
        activity__house=house,
        activity__place=place,
        activity__first_date=today,
        activity__start_time=dt.time(19, 30),
        activity__end_time=dt.time(21),
    )
    SessionFactory(activity__house=house, activity__place=place, activity__first_date=today + dt.timedelta(days=2))
    assert started.start <= timezone.now()
    response = as_coordinator.get(url(house), {"periode": "week", "datum": today.isoformat()})
    (item,) = response.context["places"]
    assert item["total"].held == 1
    assert [totals.held for totals in item["days"]] == [1, 0, 0, 0, 0, 0, 0]
