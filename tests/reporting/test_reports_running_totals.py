"""The year-to-date (running) columns of a report, worked out by hand: sums add up month by month, a ratio is the
ratio of the running sums (not the average of the months' ratios), different people are counted once."""

import datetime as dt
from decimal import Decimal

import pytest
from django.utils import translation

from reporting.models import DayFigure
from reporting.reports import report_figures
from tests.factories import HouseFactory, PlaceFactory

pytestmark = pytest.mark.django_db


def test_running_totals_per_month():
    house = HouseFactory()
    place = PlaceFactory(house=house)
    rows = [
        (dt.date(2026, 1, 12), "visits_walk_in", 10),
        (dt.date(2026, 2, 3), "visits_walk_in", 20),
        (dt.date(2026, 3, 31), "visits_walk_in", 5),
        (dt.date(2026, 1, 12), "room_minutes_used", 60),
        (dt.date(2026, 1, 12), "room_minutes_open", 600),
        (dt.date(2026, 2, 3), "room_minutes_used", 240),
        (dt.date(2026, 2, 3), "room_minutes_open", 600),
        (dt.date(2026, 3, 31), "room_minutes_open", 800),
    ]
    for day, measure, value in rows:
        DayFigure.objects.create(house=house, place=place, day=day, measure=measure, value=value)
    figures = report_figures(house=house, year=2026, quarter=1)
    by_code = {item["code"]: item for item in figures["indicators"]}
    visits = by_code["visits_walk_in"]["tables"]["months"]["cumulative"]
    assert visits == {"1": "10.00", "2": "30.00", "3": "35.00"}
    occupancy = by_code["room_occupancy"]["tables"]["months"]["cumulative"]
    # January 60/600 = 10%; to February 300/1200 = 25%; to March 300/2000 = 15%.
    assert {month: Decimal(value) for month, value in occupancy.items()} == {"1": 10, "2": 25, "3": 15}


def test_the_xlsx_names_units_in_dutch_words():
    import io

    import openpyxl

    from reporting.render import xlsx

    house = HouseFactory()
    DayFigure.objects.create(
        house=house, place=PlaceFactory(house=house), day=dt.date(2026, 7, 6), measure="visits_walk_in", value=12
    )
    with translation.override("nl"):  # the report's language, whatever an earlier test left active
        figures = report_figures(house=house, year=2026, quarter=3)
        book = openpyxl.load_workbook(io.BytesIO(xlsx.render(figures)))
    units = {row[1] for row in book["Overzicht"].iter_rows(min_row=2, values_only=True) if row and row[1]}
    assert {"aantal", "procent", "uren", "euro"} <= units
