"""A small hand-built quarter (2026Q3) of two houses, as rollup rows, for the report tests.

Het Klooster has two places: Zaal (walk-in 30 on 6 July, an eating activity with 12 visitors on 3 August) and
Hoek (walk-in 2 on 7 July, a movement activity with 2 visitors on 4 August). Visits in the quarter: 30 + 12 at
Zaal = 42, 2 + 2 at Hoek = 4 (below 5: suppressed), 46 in all. De Larenkamp: walk-in 40 in September."""

import datetime as dt
from decimal import Decimal

from reporting.models import DayFigure, Explanation, Target
from tests.factories import PlaceFactory


def figure(house, place, day, measure, value, dimension="", member=""):
    return DayFigure.objects.create(
        house=house,
        place=place,
        day=day,
        measure=measure,
        dimension=dimension,
        member=member,
        value=Decimal(value),
    )


def quarter_of_two_houses(house, other_house, *, explain_by=None):
    zaal = PlaceFactory(house=house, name="Zaal")
    hoek = PlaceFactory(house=house, name="Hoek")
    larenkamp = PlaceFactory(house=other_house, name="Larenkamp")
    figure(house, zaal, dt.date(2026, 7, 6), "visits_walk_in", 30)
    figure(house, hoek, dt.date(2026, 7, 7), "visits_walk_in", 2)
    figure(house, zaal, dt.date(2026, 8, 3), "visits_activity", 12)
    figure(house, zaal, dt.date(2026, 8, 3), "visits_activity", 12, "category", "eating")
    figure(house, hoek, dt.date(2026, 8, 4), "visits_activity", 2)
    figure(house, hoek, dt.date(2026, 8, 4), "visits_activity", 2, "category", "movement")
    figure(house, zaal, dt.date(2026, 8, 3), "sessions_held", 10)
    figure(other_house, larenkamp, dt.date(2026, 9, 1), "visits_walk_in", 40)
    Target.objects.create(
        house=house,
        indicator="visits",
        year=2026,
        value=Decimal(200),
        q1=Decimal(50),
        q2=Decimal(50),
        q3=Decimal(50),
        q4=Decimal(50),
        updated_at=dt.datetime(2026, 1, 5, 9, tzinfo=dt.UTC),
    )
    Explanation.objects.create(
        house=house,
        indicator="visits",
        year=2026,
        quarter=3,
        text="In augustus was het huis drie weken dicht voor de verbouwing.",
        updated_at=dt.datetime(2026, 10, 2, 9, tzinfo=dt.UTC),
        updated_by=explain_by,
    )
    return zaal, hoek, larenkamp
