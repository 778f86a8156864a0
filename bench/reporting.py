"""`make bench`, results: the network's quarterly report and the results dashboard on a generated city.

The city: 50 houses (each its own wijk, a quarter in zelfbeheer), one place each, open every day 09:00-17:00, and
door taps spread evenly over the past years, about 110 a house a day: 10 million over five years in one database
(`huizen_bench_reporting`), 2 million over the last year in another (`huizen_bench_reporting_1y`). The taps are
written in SQL (INSERT ... SELECT from generate_series, in one transaction with the table's indexes and triggers
off, the indexes built again after loading), then rolled up by `reporting.rollups.rebuild`. Each database is built
once and reused by later runs (delete it, or change BENCH_CITY_TAPS, to build it again).

Two lines, both measured in this run:

- report build vs raw quarter: the time to compute the figures of the network's report of the last full quarter
  (`reporting.reports.report_figures`: every figure the build reads from the rollups, the tables per house,
  month and breakdown, targets, completeness and suppression; not the rendering of PDF, XLSX and CSV, whose cost
  does not depend on the data) against the raw SQL aggregate of the same door figures over the taps table (per
  house, month and age band: walk-in visits, visits to activities, new visitors; and per house the days with a
  count). Ratio build/raw, goal at most 0.05. The whole `report_build`, files included, is printed beside it.
- dashboard: the p95 latency of the network dashboard (/resultaten/, as the municipality, under gunicorn, one
  client at a time, the two databases' servers taking turns in short rounds so a busy machine slows both alike) on
  the five-year database against the one-year one (ratio, goal at most 1.2), and its number of queries with 50
  houses and in a third database with the same city reduced to 1 house and a year of taps (equal).

Run alone: `python bench/reporting.py` (`make bench` runs it after the other lines).
"""

import argparse
import datetime as dt
import importlib
import json
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bench.run import PORT, SERVER_ENV, measure, start_server  # noqa: E402

DATABASE_URL = os.environ.get(
    "BENCH_REPORTING_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/huizen_bench_reporting"
)
ONE_YEAR_URL = DATABASE_URL + "_1y"
ONE_HOUSE_URL = DATABASE_URL + "_1house"
HOUSES = 50
YEARS = 5
TAPS = int(os.environ.get("BENCH_CITY_TAPS", "10000000"))  # over the five years; the one-year city gets a fifth
CHUNK = 1_000_000  # taps per INSERT ... SELECT
AGE_BANDS = ["", "", "0-12", "13-23", "24-64", "65+"]
REPORT_GOAL = 0.05
DASHBOARD_GOAL = 1.2
DASHBOARD = "/resultaten/"
DASHBOARD_REQUESTS = int(os.environ.get("BENCH_DASHBOARD_REQUESTS", "40"))  # per round and database
DASHBOARD_ROUNDS = 8
ROUNDS = 3


def optional(module: str, name: str):
    """A function of the reporting app, or None while its branch is not merged."""
    try:
        return getattr(importlib.import_module(module), name)
    except (ImportError, AttributeError):
        return None


# --- building a city (in a process of its own per database) ---------------------------------------------------


def create_database(url: str) -> None:
    import psycopg

    name = url.rsplit("/", 1)[1]
    with psycopg.connect(url.rsplit("/", 1)[0] + "/postgres", autocommit=True) as connection:
        if not connection.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
            connection.execute(f'CREATE DATABASE "{name}"')


def city(houses: int = HOUSES) -> tuple[list[int], list[int], list[str]]:
    """The houses, their places and wijken (made once; ORM, a few hundred rows)."""
    from locations.models import District, House, HouseManagement, Neighbourhood, OpeningHours, Organisation, Place

    districts = [
        District.objects.get_or_create(slug=f"bench-gebied-{n}", defaults={"name": f"Bench gebied {n}"})[0]
        for n in range(5)
    ]
    welfare, _ = Organisation.objects.get_or_create(
        slug="bench-welzijn", defaults={"name": "Bench Welzijn", "kind": "welfare"}
    )
    residents, _ = Organisation.objects.get_or_create(
        slug="bench-bewoners", defaults={"name": "Bench Bewonersstichting", "kind": "residents_foundation"}
    )
    count, houses, places, wijken = houses, [], [], []
    for number in range(count):
        wijk, _ = Neighbourhood.objects.get_or_create(
            slug=f"bench-wijk-{number:02d}",
            defaults={
                "name": f"Bench wijk {number:02d}",
                "district": districts[number % len(districts)],
                "cbs_code": f"WK99{number:04d}",
                "population": 5000 + 250 * number,
            },
        )
        house, _ = House.objects.get_or_create(
            slug=f"bench-stad-{number:02d}", defaults={"name": f"Bench stad {number:02d}", "neighbourhood": wijk}
        )
        self_managed = number % 4 == 3
        HouseManagement.objects.get_or_create(
            house=house,
            valid_from=dt.date(2016, 1, 1),
            defaults={
                "operator": residents if self_managed else welfare,
                "management_type": "self" if self_managed else "social",
            },
        )
        place, created = Place.objects.get_or_create(
            house=house,
            name=f"Bench stad {number:02d}",
            defaults={"street": "Benchstraat", "house_number": str(number + 1), "postcode": "3011 AA", "city": "Bench"},
        )
        if created:
            OpeningHours.objects.bulk_create(
                OpeningHours(place=place, weekday=day, opens=dt.time(9), closes=dt.time(17)) for day in range(7)
            )
        houses.append(house.pk)
        places.append(place.pk)
        wijken.append(wijk.slug)
    return houses, places, wijken


def write_taps(houses: list[int], places: list[int], first: dt.date, last: dt.date, wanted: int) -> float:
    """Door taps spread evenly over the days first..last (inclusive), 09:00-17:00 Amsterdam time, in SQL: one
    transaction with the table's indexes dropped and its triggers (the foreign key checks) off, the indexes built
    again at the end. Returns the seconds it took (0 when the taps were there)."""
    from django.db import connection, transaction

    table = "activities_doortally"
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT count(*) FROM {table} WHERE house_id = ANY(%s)", [houses])
        if cursor.fetchone()[0] == wanted:
            return 0.0
    started = time.perf_counter()
    print(f"Writing {wanted:,} door taps for {len(houses)} houses from {first} to {last} in SQL...", flush=True)
    days = (last - first).days + 1
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(f"TRUNCATE {table}")  # a database of the bench's own: an earlier, different city goes
        cursor.execute(
            "SELECT conname, pg_get_constraintdef(oid) FROM pg_constraint WHERE conrelid = %s::regclass "
            "AND contype = 'u'",
            [table],
        )
        constraints = cursor.fetchall()
        for name, _definition in constraints:
            cursor.execute(f'ALTER TABLE {table} DROP CONSTRAINT "{name}"')
        cursor.execute(
            "SELECT indexname, indexdef FROM pg_indexes WHERE tablename = %s AND indexname NOT IN "
            "(SELECT conname FROM pg_constraint WHERE conrelid = %s::regclass)",
            [table, table],
        )
        indexes = cursor.fetchall()
        for name, _definition in indexes:
            cursor.execute(f'DROP INDEX "{name}"')
        cursor.execute(f"ALTER TABLE {table} DISABLE TRIGGER ALL")  # the ids are the city's own
        for start in range(0, wanted, CHUNK):
            cursor.execute(
                f"INSERT INTO {table} (house_id, place_id, session_id, tap_id, recorded_at, received_at, count, "
                "is_new, age_band, recorded_by_id, undone_at) "
                "SELECT (%s::bigint[])[1 + g %% %s], (%s::bigint[])[1 + g %% %s], NULL, gen_random_uuid(), at, at, "
                "1 + ((g / %s) %% 4 = 0)::int, (g / %s) %% 13 = 0, (%s::text[])[1 + (g / %s) %% %s], NULL, NULL "
                "FROM generate_series(%s::bigint, %s::bigint) AS g, LATERAL (SELECT "
                "((%s::date + ((g * %s) / %s)::int) + make_interval(mins => 540 + ((g * 7919) %% 480)::int)) "
                "AT TIME ZONE 'Europe/Amsterdam' AS at) AS t",
                [
                    houses,
                    len(houses),
                    places,
                    len(places),
                    len(houses),
                    len(houses),
                    AGE_BANDS,
                    len(houses),
                    len(AGE_BANDS),
                    start,
                    min(start + CHUNK, wanted) - 1,
                    first,
                    days,
                    wanted,
                ],
            )
            print(f"  {min(start + CHUNK, wanted):,} taps", flush=True)
        cursor.execute(f"ALTER TABLE {table} ENABLE TRIGGER ALL")
        cursor.execute("SET LOCAL maintenance_work_mem = '512MB'")
        for _name, definition in indexes:
            cursor.execute(definition)
        for name, definition in constraints:
            cursor.execute(f'ALTER TABLE {table} ADD CONSTRAINT "{name}" {definition}')
    with connection.cursor() as cursor:
        cursor.execute(f"ANALYZE {table}")
    return time.perf_counter() - started


def roll_up(houses: list[int], first: dt.date, last: dt.date) -> float | None:
    """The daily rollups of the city, through `reporting.rollups.rebuild`, once. None while that is not merged."""
    from audit.services import SYSTEM
    from reporting.models import DayFigure

    rebuild = optional("reporting.rollups", "rebuild")
    if rebuild is None:
        return None
    if DayFigure.objects.filter(house_id__in=houses, day__lte=first + dt.timedelta(days=7)).exists():
        return 0.0
    seen = optional("reporting.rollups", "taps_seen_up_to_now")
    started = time.perf_counter()
    print(f"Rolling up {len(houses)} houses from {first} to {last} (reporting.rollups.rebuild)...", flush=True)
    if seen is not None:
        seen()
    rebuild(start=first, end=last, house_ids=houses, by=SYSTEM)
    return time.perf_counter() - started


def targets(houses: list[int], year: int) -> None:
    """A visits target per house and for the network, this year and last, so the dashboard shows progress."""
    from decimal import Decimal

    from django.utils import timezone

    from reporting.models import Target

    rows = []
    for for_year in (year - 1, year):
        for house in [*houses, None]:
            value = Decimal(40_000 if house else 40_000 * len(houses))
            if not Target.objects.filter(house_id=house, indicator="visits", year=for_year).exists():
                quarter = value / 4
                rows.append(
                    Target(
                        house_id=house,
                        indicator="visits",
                        year=for_year,
                        value=value,
                        q1=quarter,
                        q2=quarter,
                        q3=quarter,
                        q4=quarter,
                        updated_at=timezone.now(),
                    )
                )
    Target.objects.bulk_create(rows)


def municipality_session() -> str:
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.sessions.backends.cached_db import SessionStore

    from accounts.models import Role, RoleAssignment, User

    user, _ = User.objects.get_or_create(email="gemeente@bench.invalid")
    RoleAssignment.objects.get_or_create(user=user, role=Role.MUNICIPALITY)
    session = SessionStore()
    session[SESSION_KEY] = str(user.pk)
    session[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
    session[HASH_SESSION_KEY] = user.get_session_auth_hash()
    session.create()
    return session.session_key


def prepare(years: int, houses: int) -> None:
    """Build (or find) the city of `houses` houses with `years` of taps (at the same rate per house and day) in the
    database of DATABASE_URL; print what the measuring process needs as JSON on the last line."""
    create_database(os.environ["DATABASE_URL"])
    import django

    django.setup()
    from django.core.management import call_command
    from django.utils import timezone

    call_command("migrate", verbosity=0)
    houses, places, wijken = city(houses)
    today = timezone.localdate()
    last = today - dt.timedelta(days=1)
    first = today - dt.timedelta(days=365 * years)
    from django.db import connection

    with connection.cursor() as cursor:  # an existing city keeps the days it was built with
        cursor.execute(
            "SELECT min(recorded_at), max(recorded_at) FROM activities_doortally WHERE house_id = ANY(%s)", [houses]
        )
        earliest, latest = cursor.fetchone()
    wanted = TAPS * years * len(houses) // (YEARS * HOUSES)
    taps_seconds = write_taps(houses, places, first, last, wanted)
    if taps_seconds == 0 and earliest is not None:
        first, last = timezone.localdate(earliest), timezone.localdate(latest)
    rollup_seconds = roll_up(houses, first, last)
    with connection.cursor() as cursor:  # statistics as autovacuum keeps them, whenever the rollups were made
        cursor.execute("ANALYZE reporting_dayfigure")
    targets(houses, today.year)
    print(
        json.dumps(
            {
                "houses": houses,
                "wijken": wijken,
                "taps": wanted,
                "first": first.isoformat(),
                "last": last.isoformat(),
                "taps_seconds": taps_seconds,
                "rollup_seconds": rollup_seconds,
                "session": municipality_session(),
            }
        ),
        flush=True,
    )


def run_prepare(url: str, years: int, houses: int = HOUSES) -> dict:
    env = {**os.environ, **SERVER_ENV, "DATABASE_URL": url, "PYTHONPATH": str(ROOT)}
    command = [sys.executable, __file__, "--prepare", str(years), "--houses", str(houses)]
    process = subprocess.run(command, cwd=ROOT, env=env, stdout=subprocess.PIPE, text=True)
    lines = process.stdout.strip().splitlines()
    print("\n".join(lines[:-1]), flush=True) if len(lines) > 1 else None
    if process.returncode or not lines:
        raise SystemExit(f"building the city in {url.rsplit('/', 1)[1]} failed")
    return json.loads(lines[-1])


# --- measuring ------------------------------------------------------------------------------------------------


def timed(function, repeat: int = ROUNDS) -> float:
    """The median of `repeat` runs after one to warm up, in milliseconds."""
    function()
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        function()
        times.append((time.perf_counter() - started) * 1000)
    return statistics.median(times)


RAW_SQL = """
SELECT house_id, date_trunc('month', recorded_at AT TIME ZONE 'Europe/Amsterdam') AS month, age_band,
       sum(count) FILTER (WHERE session_id IS NULL) AS walk_in,
       sum(count) FILTER (WHERE session_id IS NOT NULL) AS activity,
       sum(count) FILTER (WHERE is_new) AS new
FROM activities_doortally
WHERE recorded_at >= %s AND recorded_at < %s AND undone_at IS NULL
GROUP BY house_id, month, age_band
"""
RAW_DAYS_SQL = """
SELECT house_id, count(DISTINCT (place_id, (recorded_at AT TIME ZONE 'Europe/Amsterdam')::date))
FROM activities_doortally
WHERE recorded_at >= %s AND recorded_at < %s AND undone_at IS NULL
GROUP BY house_id
"""


def raw_quarter(start, end) -> dict[int, int]:
    """The raw aggregate of the network's door figures over the taps table from `start` to `end`: per house, month
    and age band the walk-in visits, visits to activities and new visitors, and per house the days with a count.
    Returns the walk-in visits per house (to check that the rollups say the same)."""
    from django.db import connection

    per_house: dict[int, int] = {}
    with connection.cursor() as cursor:
        cursor.execute(RAW_SQL, [start, end])
        for house, _month, _band, walk_in, _activity, _new in cursor.fetchall():
            per_house[house] = per_house.get(house, 0) + (walk_in or 0)
        cursor.execute(RAW_DAYS_SQL, [start, end])
        cursor.fetchall()
    return per_house


def report_lines(built: dict) -> list[str]:
    from django.utils import timezone

    from audit.services import SYSTEM
    from huizen.dates import days_between
    from reporting import selectors

    today = timezone.localdate()
    year, quarter = selectors.quarter_of(today)
    year, quarter = (year, quarter - 1) if quarter > 1 else (year - 1, 4)
    period = selectors.Period.quarter(year, quarter)
    start, end = days_between(period.start, period.end)
    houses = built["houses"]
    raw_ms = timed(lambda: raw_quarter(start, end))
    raw = raw_quarter(start, end)
    rolled = selectors.indicator_values(house_ids=houses, start=period.start, end=period.end, group_by=("house",))
    differ = [house for house in houses if raw.get(house, 0) != rolled.get((house,), {}).get("visits_walk_in", 0)]
    label = f"{year}Q{quarter}"
    lines = [f"raw SQL over the taps table, {label} per house, month and age band, and days counted: {raw_ms:.1f} ms"]
    if differ:
        lines.append(f"WARNING: the rollups' walk-in visits differ from the raw taps for {len(differ)} houses")
    report_figures = optional("reporting.reports", "report_figures")
    report_build = optional("reporting.reports", "report_build")
    if report_figures is None:
        lines.append("report build vs raw quarter: not measured: reporting.reports is not on this branch yet")
        return lines
    build_ms = timed(lambda: report_figures(house=None, year=year, quarter=quarter))
    ratio = build_ms / raw_ms
    met = "met" if ratio <= REPORT_GOAL else "NOT met"
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as queries:
        report_figures(house=None, year=year, quarter=quarter)
    in_sql = sum(float(query["time"]) for query in queries.captured_queries) * 1000
    lines.append(
        f"network report {label}, its figures (report_figures: every read of the rollups, tables per house, month "
        f"and breakdown, year to date, suppression; no rendering): {build_ms:.1f} ms "
        f"({len(queries)} queries, {in_sql:.0f} ms of them in SQL)"
    )
    if report_build is not None:
        started = time.perf_counter()
        report_build(
            house=None, year=year, quarter=quarter, kind="provisional", by=SYSTEM, run_key=f"bench-{time.time()}"
        )
        lines.append(f"  the whole report_build with PDF, XLSX and CSV, once: {time.perf_counter() - started:.1f} s")
    lines.append(f"report build vs raw quarter: ratio {ratio:.3f} against goal at most {REPORT_GOAL:.2f}: {met}")
    return lines


def query_count(url: str) -> int:
    """Queries of the dashboard as the municipality in the database of `url` (a process of its own)."""
    env = {**os.environ, **SERVER_ENV, "DATABASE_URL": url, "PYTHONPATH": str(ROOT)}
    command = [sys.executable, __file__, "--count-queries"]
    process = subprocess.run(command, cwd=ROOT, env=env, stdout=subprocess.PIPE, text=True)
    if process.returncode:
        raise SystemExit(f"counting the dashboard's queries in {url.rsplit('/', 1)[1]} failed")
    return int(process.stdout.strip().splitlines()[-1])


def count_queries() -> None:
    import django

    django.setup()
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from accounts.models import User

    client = Client(HTTP_HOST="127.0.0.1")
    client.force_login(User.objects.get(email="gemeente@bench.invalid"))
    client.get(DASHBOARD)  # the session and the user, loaded once
    with CaptureQueriesContext(connection) as queries:
        response = client.get(DASHBOARD)
    if response.status_code != 200:
        raise SystemExit(f"dashboard: status {response.status_code}")
    print(len(queries))


def dashboard_lines(five: dict, one: dict, single: dict, workers: int) -> list[str]:
    lines = []
    if optional("reporting.views.dashboard", "dashboard") is None:
        return ["dashboard: not measured: the results dashboard is not on this branch yet"]
    one_house, fifty = query_count(ONE_HOUSE_URL), query_count(DATABASE_URL)
    same = "met" if one_house == fifty else "NOT met"
    servers = {
        "5 years": (PORT + 1, DATABASE_URL, five["session"]),
        "1 year": (PORT + 2, ONE_YEAR_URL, one["session"]),
    }
    running = [start_server(workers, port=port, env={"DATABASE_URL": url}) for port, url, _session in servers.values()]
    try:

        def get(session):
            headers = {"Host": "127.0.0.1", "Cookie": f"sessionid={session}"}
            return lambda: ("GET", DASHBOARD, None, headers)

        for port, _url, session in servers.values():  # warm up
            measure("dashboard", get(session), requests=10, concurrency=1, port=port)
        latencies: dict[str, list[float]] = {name: [] for name in servers}
        for number in range(DASHBOARD_ROUNDS):
            order = list(servers) if number % 2 == 0 else list(reversed(servers))
            for name in order:
                port, _url, session = servers[name]
                result = measure(
                    f"dashboard {name}", get(session), requests=DASHBOARD_REQUESTS, concurrency=1, port=port
                )
                latencies[name] += result["latencies"]
    finally:
        for server in running:
            server.terminate()
            server.wait(timeout=10)

    def p95(values):
        return sorted(values)[int(len(values) * 0.95) - 1] * 1000

    one_year, five_years = p95(latencies["1 year"]), p95(latencies["5 years"])
    ratio = five_years / one_year
    met = "met" if ratio <= DASHBOARD_GOAL else "NOT met"
    lines.append(
        f"dashboard {DASHBOARD} as the municipality, {DASHBOARD_REQUESTS} requests x {DASHBOARD_ROUNDS} rounds per "
        f"database, one client: p95 {one_year:.1f} ms with 1 year, {five_years:.1f} ms with 5 years"
    )
    lines.append(
        f"dashboard p95 with 5 years vs 1 year: ratio {ratio:.2f} against goal at most {DASHBOARD_GOAL:.2f}: {met}"
    )
    lines.append(
        f"dashboard queries with 1 house vs {len(five['houses'])} houses: {one_house} vs {fifty}: equal: {same}"
    )
    return lines


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--workers", type=int, default=2, help="gunicorn workers")
    parser.add_argument("--prepare", type=int, help=argparse.SUPPRESS)  # internal: build one city
    parser.add_argument("--houses", type=int, default=HOUSES, help=argparse.SUPPRESS)
    parser.add_argument("--count-queries", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.prepare:
        prepare(args.prepare, args.houses)
        return
    if args.count_queries:
        count_queries()
        return
    five = run_prepare(DATABASE_URL, YEARS)
    one = run_prepare(ONE_YEAR_URL, 1)
    single = run_prepare(ONE_HOUSE_URL, 1, houses=1)
    os.environ.update({**SERVER_ENV, "DATABASE_URL": DATABASE_URL})
    import django

    django.setup()
    header = (
        f"\nResults on a generated city of {len(five['houses'])} houses: {five['taps']:,} door taps over {YEARS} years "
        f"({five['first']} to {five['last']}) and {one['taps']:,} over the last year, written in SQL"
    )
    built = [
        f"{what} {name}: {seconds:.0f} s"
        for name, city in (("5 years", five), ("1 year", one))
        for what, seconds in (("taps", city["taps_seconds"]), ("rollups", city["rollup_seconds"]))
        if seconds
    ]
    print(header + (f" (built in this run: {', '.join(built)})" if built else " (built by an earlier run)"))
    if five["rollup_seconds"] is None:
        print("report build vs raw quarter, dashboard: not measured: reporting.rollups is not on this branch yet")
        return
    print("\n".join(report_lines(five)))
    print("\n".join(dashboard_lines(five, one, single, args.workers)))


if __name__ == "__main__":
    main()
