"""Demo results: the rollups over the demo's history, targets for last year and this year, a few explanations,
and the reports of the last quarter that ended, so every dashboard and a previous quarter's reports are there to open.

Everything goes through the services (targets, explanations, rollups, report builds), as the schedule and the
municipality would. Targets are set near what the demo houses realise, some a little above and some a little below,
so the dashboard shows houses ahead, on track and behind. Running the seed again changes nothing: targets already
set are left alone, and the reports are built once per quarter (their run keys are the schedule's).
"""

import datetime as dt
import random
from decimal import ROUND_HALF_UP, Decimal

from django.utils import timezone

from accounts.models import Role, RoleAssignment
from audit.services import SCHEDULE, SYSTEM
from locations.models import House

from . import indicators, rollups
from .models import DayFigure, Explanation, Target
from .reports import report_build, schedule_run_key
from .selectors import Period, indicator_values, quarter_of
from .services import explanation_open, explanation_set, target_set

# The indicators the demo municipality agreed targets for (the others are shown without one).
TARGETED = (
    "visits",
    "new_visitors",
    "sessions_held",
    "resident_initiated_share",
    "participants_closeout",
    "room_occupancy",
    "volunteer_hours",  # the volunteers app's demo hours and carers, seeded before these results
    "carers_supported",
)
EXPLANATIONS = {
    "visits": "In de zomervakantie was de inloop drie weken dicht; daarna kwamen de vaste bezoekers snel terug.",
    "resident_initiated_share": (
        "Twee nieuwe bewonersinitiatieven (een naaiatelier en een kookclub) draaien sinds september."
    ),
    "room_occupancy": "De grote zaal was zes weken buiten gebruik door een lekkage.",
}


def seed_results(*, history_start: dt.date) -> dict:
    """Derive the rollups, set targets, write explanations and build last quarter's reports."""
    today = timezone.localdate()
    rows = 0
    if not DayFigure.objects.exists():  # a second run finds the history rolled up already
        rollups.taps_seen_up_to_now()  # the history is rolled up in one go below, not tap by tap
        rows = rollups.rebuild(start=history_start, end=today, by=SYSTEM)
    targets = 0
    if not Target.objects.exists():
        targets = _seed_targets(today)
    last_quarter = Period.current_quarter(today).previous()
    year, quarter = quarter_of(last_quarter.start)
    _seed_explanations(year, quarter)
    reports = _seed_reports(year, quarter)
    return {"rows": rows, "targets": targets, "reports": reports}


def _seed_targets(today: dt.date) -> int:
    """Targets per house for last year and this one, near last year's figures (a year of demo history)."""
    last_year = Period.year(today.year - 1)
    basis_period = Period(today - dt.timedelta(days=364), today, "year")  # the year of history behind the demo
    houses = list(House.objects.order_by("pk"))
    ids = [house.pk for house in houses]
    realised = indicator_values(
        house_ids=ids, start=basis_period.start, end=basis_period.end, group_by=("house",),
        indicators=[indicators.get(code) for code in TARGETED],
    )  # fmt: skip
    count = 0
    network: dict[str, Decimal] = {}
    for house in houses:
        rng = random.Random(f"targets-{house.slug}")
        values = realised.get((house.pk,), {})
        for code in TARGETED:
            indicator = indicators.get(code)
            basis = values.get(code)
            if not basis:
                continue
            factor = Decimal(rng.choice(["0.85", "0.95", "1.0", "1.05", "1.15"]))
            value = (basis * factor).quantize(Decimal(1), rounding=ROUND_HALF_UP)
            if indicator.cap is not None:
                value = min(value, indicator.cap)
            for year in (last_year.start.year, today.year):
                target_set(house=house, indicator=code, year=year, value=value, by=SYSTEM)
                count += 1
            if indicator.aggregation != indicators.Aggregation.RATIO:
                network[code] = network.get(code, Decimal(0)) + value
    for code, value in network.items():
        target_set(house=None, indicator=code, year=today.year, value=value, by=SYSTEM)
        count += 1
    return count


def _seed_explanations(year: int, quarter: int) -> None:
    """The demo coordinators explained a few figures of the last quarter, in the days after it ended. That window
    has usually closed by the time the demo is built, so this history is written as it was left (like the door
    counts in activities.demo); explanations of the running quarter go through the service."""
    quarter_end = Period.quarter(year, quarter).end
    written = timezone.make_aware(dt.datetime.combine(quarter_end + dt.timedelta(days=3), dt.time(10)))
    for assignment in RoleAssignment.objects.filter(role=Role.COORDINATOR).select_related("house", "user"):
        if Explanation.objects.filter(house=assignment.house, year=year, quarter=quarter).exists():
            continue
        for code, text in EXPLANATIONS.items():
            if explanation_open(year, quarter):
                explanation_set(
                    house=assignment.house, indicator=code, year=year, quarter=quarter, text=text, by=assignment.user
                )
            else:
                Explanation.objects.create(
                    house=assignment.house, indicator=code, year=year, quarter=quarter, text=text,
                    updated_at=written, updated_by=assignment.user,
                )  # fmt: skip


def _seed_reports(year: int, quarter: int) -> int:
    """The reports of the last quarter that ended, as the schedule builds them: provisional on its first day,
    final ten days later (if that day has come). To keep `make run` quick, only the network's and those of the
    demo coordinators' houses; the other houses' reports are built with "build now" on the reports page."""
    today = timezone.localdate()
    quarter_end = Period.quarter(year, quarter).end
    kinds = ["provisional"] + (["final"] if today >= quarter_end + dt.timedelta(days=11) else [])
    coordinated = RoleAssignment.objects.filter(role=Role.COORDINATOR).values("house_id")
    built = 0
    for house in [None, *House.objects.filter(pk__in=coordinated).order_by("name")]:
        # The network shows both versions; a house only its final one, if there is one.
        for kind in kinds if house is None else kinds[-1:]:
            report_build(
                house=house, year=year, quarter=quarter, kind=kind, by=SCHEDULE,
                run_key=schedule_run_key(year, quarter, kind, house),
            )  # fmt: skip
            built += 1
    return built
