"""`make bench`: the app under gunicorn on PostgreSQL, measured against a bare Django view in the same run.

For each write path it prints throughput and p50/p95 latency, and the throughput ratio to the baseline (a view
that inserts one row and does nothing else). Both run on the same server, database and client, alternating, so
the ratio holds on any machine. Traffic goes to 127.0.0.1 only, with a bounded number of requests.
"""

import argparse
import datetime
import http.client
import itertools
import json
import os
import secrets
import statistics
import subprocess
import sys
import threading
import time
import urllib.parse
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PORT = int(os.environ.get("BENCH_PORT", "8099"))
DATABASE_URL = os.environ.get("BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/huizen_bench")
GOALS = {"door tap": 0.6}
BOOKING_ROOMS = 20
SLOTS_PER_DAY = 23  # one-hour slots from 00:00 to 23:00

SERVER_ENV = {
    "DJANGO_SETTINGS_MODULE": "bench.settings",
    "DATABASE_URL": DATABASE_URL,
    "DEBUG": "false",
    "SECRET_KEY": "bench-only-" + "k" * 50,
    "ALLOWED_HOSTS": "127.0.0.1",
    "SITE_URL": "http://127.0.0.1",
    "SECURE_SSL_REDIRECT": "false",
    "CONN_MAX_AGE": "600",
    "LOG_LEVEL": "WARNING",
    # As in production: Redis for the cache and the sessions.
    "REDIS_URL": os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/14"),
}


def prepare_database() -> dict:
    """Create the bench database if needed, migrate it, and make a host with a logged-in session."""
    import psycopg

    name = DATABASE_URL.rsplit("/", 1)[1]
    admin_url = DATABASE_URL.rsplit("/", 1)[0] + "/postgres"
    with psycopg.connect(admin_url, autocommit=True) as connection:
        if not connection.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
            connection.execute(f'CREATE DATABASE "{name}"')
    os.environ.update(SERVER_ENV)
    import django

    django.setup()
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.sessions.backends.db import SessionStore
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    from accounts.models import Role, RoleAssignment, User
    from locations.models import District, House, HouseManagement, Neighbourhood, Organisation, Place

    district, _ = District.objects.get_or_create(slug="bench", defaults={"name": "Bench"})
    wijk, _ = Neighbourhood.objects.get_or_create(
        slug="bench", defaults={"name": "Bench", "district": district, "cbs_code": "WK999999", "population": 10000}
    )
    operator, _ = Organisation.objects.get_or_create(slug="bench", defaults={"name": "Bench", "kind": "welfare"})
    house, _ = House.objects.get_or_create(slug="bench-huis", defaults={"name": "Bench huis", "neighbourhood": wijk})
    HouseManagement.objects.get_or_create(
        house=house, valid_from="2016-01-01", defaults={"operator": operator, "management_type": "social"}
    )
    place, _ = Place.objects.get_or_create(
        house=house,
        name="Bench",
        defaults={"street": "Benchstraat", "house_number": "1", "postcode": "3011 AA", "city": "Rotterdam"},
    )
    host, _ = User.objects.get_or_create(email="host@bench.invalid")
    RoleAssignment.objects.get_or_create(user=host, role=Role.HOST, house=house)

    # Room rental: rooms open day and night with a rate, and a resident with a verified address.
    from allauth.account.models import EmailAddress
    from django.db.models import Max

    from bookings.models import Booking
    from locations.models import RenterTier, Room, RoomRate

    rooms = []
    for number in range(BOOKING_ROOMS):
        room, _ = Room.objects.get_or_create(
            place=place,
            name=f"Zaal {number}",
            defaults={
                "capacity": 30,
                "evening_use": True,
                "requires_approval": True,
                "min_booking_minutes": 30,
                "max_booking_minutes": 24 * 60,
                "book_ahead_days": 3650,
            },
        )
        RoomRate.objects.get_or_create(room=room, tier=RenterTier.SOCIAL, defaults={"per_hour": 10, "per_day_part": 30})
        rooms.append(room.pk)
    renter, _ = User.objects.get_or_create(email="renter@bench.invalid")
    EmailAddress.objects.get_or_create(user=renter, email=renter.email, defaults={"verified": True, "primary": True})
    # Slots nobody booked before: from the day after the last booking of an earlier run.
    last = Booking.objects.filter(room_id__in=rooms).aggregate(last=Max("end"))["last"]
    first_free_day = max(2, (last.date() - datetime.date.today()).days + 2) if last else 2
    from django.contrib.sessions.backends.cached_db import SessionStore as CachedSessionStore

    def logged_in(user) -> str:
        session = CachedSessionStore() if os.environ.get("REDIS_URL") else SessionStore()
        session[SESSION_KEY] = str(user.pk)
        session[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
        session[HASH_SESSION_KEY] = user.get_session_auth_hash()
        session.create()
        return session.session_key

    return {
        "session": logged_in(host),
        "renter_session": logged_in(renter),
        "house": house.slug,
        "place": place.pk,
        "rooms": rooms,
        "first_free_day": first_free_day,
    }


def start_server(workers: int, *, port: int = PORT, env: dict | None = None) -> subprocess.Popen:
    """gunicorn on 127.0.0.1:`port` with the bench settings (`env` overrides them, e.g. another database)."""
    server = subprocess.Popen(
        [
            str(Path(sys.executable).parent / "gunicorn"),  # the virtualenv's
            "huizen.wsgi",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            str(workers),
            "--log-level",
            "warning",
        ],
        cwd=ROOT,
        env={**os.environ, **SERVER_ENV, **(env or {})},
    )
    for _ in range(100):
        try:
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
            connection.request("GET", "/healthz", headers={"Host": "127.0.0.1"})
            if connection.getresponse().status in (200, 503):
                return server
        except OSError:
            time.sleep(0.1)
    server.kill()
    raise SystemExit("gunicorn did not start")


def measure(name, make_request, *, requests: int, concurrency: int, ok=(200,), port: int = PORT) -> dict:
    """Send `requests` requests from `concurrency` threads (keep-alive connections) to the server on `port`;
    collect latencies. `ok`: the statuses that mean success; a redirect counts only when it goes to "My bookings"."""
    latencies: list[float] = []
    failures: list[int] = []
    lock = threading.Lock()
    per_thread = requests // concurrency

    def worker():
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        mine = []
        for _ in range(per_thread):
            method, path, body, headers = make_request()
            started = time.perf_counter()
            connection.request(method, path, body=body, headers=headers)
            response = connection.getresponse()
            response.read()
            mine.append(time.perf_counter() - started)
            location = response.getheader("Location") or ""
            if response.status not in ok or (response.status == 302 and not location.startswith("/mijn/")):
                failures.append(f"{response.status} {location}".strip())
        connection.close()
        with lock:
            latencies.extend(mine)

    threads = [threading.Thread(target=worker) for _ in range(concurrency)]
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.perf_counter() - started
    if failures:
        raise SystemExit(f"{name}: {len(failures)} requests failed (status {sorted(set(failures))})")
    latencies.sort()
    return {
        "name": name,
        "latencies": latencies,
        "throughput": len(latencies) / elapsed,
        "p50": statistics.median(latencies) * 1000,
        "p95": latencies[int(len(latencies) * 0.95) - 1] * 1000,
    }


FEED_P50_GOAL_MS = 100  # the network's agenda feed (/agenda.ics), as a calendar app fetches it


def bench_agenda_feed(args) -> list[str]:
    """The network's agenda feed: a demo-sized programme (200 weekly activities from 13 weeks back to 9 weeks
    ahead, 4,600 sessions), the first request building the feed and the following ones served from the cache,
    as calendar apps fetch it. Needs the server running; returns the lines to print."""
    from django.conf import settings
    from django.core.cache import cache
    from django.utils import timezone

    from activities import feeds
    from activities.models import Activity, ActivityTargetGroup, Category, Session
    from locations.models import House

    house = House.objects.get(slug="bench-huis")
    Session.objects.filter(activity__house=house, activity__title__startswith="Bench feed").delete()
    Activity.objects.filter(house=house, title__startswith="Bench feed").delete()
    place = house.places.first()
    today = timezone.localdate()
    categories = [value for value, _label in Category.choices]
    activities = Activity.objects.bulk_create(
        Activity(
            house=house,
            place=place,
            title=f"Bench feed {number}",
            description="Koffie, thee en een praatje met de buurt. " * 3,
            category=categories[number % len(categories)],
            organiser="professional",
            first_date=today - datetime.timedelta(weeks=13),
            start_time=datetime.time(9 + number % 10),
            end_time=datetime.time(10 + number % 10),
            weekdays=[number % 7],
        )
        for number in range(200)
    )
    ActivityTargetGroup.objects.bulk_create(ActivityTargetGroup(activity=a, group="everyone") for a in activities)
    zone = timezone.get_default_timezone()
    sessions = []
    for number, activity in enumerate(activities):
        first = today - datetime.timedelta(weeks=13, days=today.weekday()) + datetime.timedelta(days=number % 7)
        for week in range(23):
            day = first + datetime.timedelta(weeks=week)
            start = datetime.datetime.combine(day, activity.start_time, tzinfo=zone)
            sessions.append(Session(activity=activity, start=start, end=start + datetime.timedelta(hours=1)))
    Session.objects.bulk_create(sessions, batch_size=1000)
    # Built afresh: not the feed an earlier run left in the cache.
    cache.delete(feeds.cache_key(scope="", filters=[], language=settings.LANGUAGE_CODE, base_url="http://127.0.0.1/"))

    def agenda_feed():
        return "GET", "/agenda.ics", None, {"Host": "127.0.0.1"}

    connection = http.client.HTTPConnection("127.0.0.1", PORT, timeout=60)
    started = time.perf_counter()
    connection.request(*agenda_feed()[:2], headers=agenda_feed()[3])
    response = connection.getresponse()
    body = response.read()
    cold = (time.perf_counter() - started) * 1000
    connection.close()
    if response.status != 200:
        raise SystemExit(f"agenda feed: status {response.status}")
    requests = max(args.concurrency, min(args.requests, 400))
    results = [
        measure("agenda feed", agenda_feed, requests=requests, concurrency=args.concurrency) for _ in range(args.rounds)
    ]
    result = sorted(results, key=lambda r: r["p50"])[len(results) // 2]
    met = "met" if result["p50"] <= FEED_P50_GOAL_MS else "NOT met"
    return [
        f"agenda feed  {result['throughput']:8.0f} {result['p50']:8.1f} {result['p95']:8.1f}"
        f"   ({len(sessions)} sessions; {body.count(b'BEGIN:VEVENT')} events, {len(body) // 1024} kB;"
        f" first request, building it: {cold:.0f} ms)",
        f"agenda feed: p50 {result['p50']:.1f} ms against goal {FEED_P50_GOAL_MS} ms: {met}",
    ]


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--requests", type=int, default=2000, help="requests per measurement")
    parser.add_argument("--concurrency", type=int, default=4)
    parser.add_argument("--workers", type=int, default=2, help="gunicorn workers")
    parser.add_argument("--rounds", type=int, default=3, help="alternating rounds; the median round counts")
    args = parser.parse_args()

    setup = prepare_database()
    csrf = secrets.token_hex(16)  # a 32-character secret: the cookie and the header carry the same value
    cookie = f"sessionid={setup['session']}; csrftoken={csrf}"
    common = {"Host": "127.0.0.1", "Content-Type": "application/json"}

    def baseline():
        return "POST", "/bench/baseline/", b"{}", common

    def door_tap():
        tap = {
            "tap_id": str(uuid.uuid4()),
            "place": setup["place"],
            "session": None,
            "recorded_at": time.strftime("%Y-%m-%dT%H:%M:%S+00:00", time.gmtime()),
            "count": 1,
            "is_new": False,
            "age_band": "",
        }
        body = json.dumps({"taps": [tap]}).encode()
        headers = {**common, "Cookie": cookie, "X-CSRFToken": csrf}
        return "POST", f"/deur/{setup['house']}/tikken/", body, headers

    booking_cookie = f"sessionid={setup['renter_session']}; csrftoken={csrf}"
    slots = itertools.count()
    slot_lock = threading.Lock()

    def booking_request():
        """A resident confirms a one-hour request, each on a slot nobody asked for before."""
        with slot_lock:
            number = next(slots)
        room = setup["rooms"][number % BOOKING_ROOMS]
        day = datetime.date.today() + datetime.timedelta(
            days=setup["first_free_day"] + number // (BOOKING_ROOMS * SLOTS_PER_DAY)
        )
        hour = (number // BOOKING_ROOMS) % SLOTS_PER_DAY
        form = {
            "date": day.isoformat(),
            "start": f"{hour:02d}:00",
            "end": f"{hour + 1:02d}:00",
            "purpose": "Vergadering",
            "people": "10",
            "tier": "social",
            "weeks": "1",
            "rules_accepted": "on",
            "confirm": "1",
        }
        headers = {
            "Host": "127.0.0.1",
            "Content-Type": "application/x-www-form-urlencoded",
            "Cookie": booking_cookie,
            "X-CSRFToken": csrf,
        }
        return "POST", f"/zalen/{room}/boeken/", urllib.parse.urlencode(form).encode(), headers

    paths = {"baseline": baseline, "door tap": door_tap, "booking": booking_request}
    expected = {"booking": (302,)}
    server = start_server(args.workers)
    try:
        for name, make_request in paths.items():  # warm up connections, caches and the JIT-less interpreter
            measure(
                name,
                make_request,
                requests=min(200, args.requests),
                concurrency=args.concurrency,
                ok=expected.get(name, (200,)),
            )
        rounds: dict[str, list[dict]] = {name: [] for name in paths}
        for _ in range(args.rounds):
            for name, make_request in paths.items():
                rounds[name].append(
                    measure(
                        name,
                        make_request,
                        requests=args.requests,
                        concurrency=args.concurrency,
                        ok=expected.get(name, (200,)),
                    )
                )
        feed_lines = bench_agenda_feed(args)
    finally:
        server.terminate()
        server.wait(timeout=10)

    def median_round(results):
        return sorted(results, key=lambda result: result["throughput"])[len(results) // 2]

    base = median_round(rounds["baseline"])
    print(
        f"\nPostgreSQL, gunicorn {args.workers} workers, {args.concurrency} clients, {args.requests} requests x "
        f"{args.rounds} rounds (median round)"
    )
    print(f"{'path':<12} {'req/s':>8} {'p50 ms':>8} {'p95 ms':>8} {'ratio':>7}")
    verdicts = []
    for name in paths:
        result = median_round(rounds[name])
        ratio = result["throughput"] / base["throughput"]
        print(f"{name:<12} {result['throughput']:8.0f} {result['p50']:8.1f} {result['p95']:8.1f} {ratio:7.2f}")
        if name in GOALS:
            met = "met" if ratio >= GOALS[name] else "NOT met"
            verdicts.append(f"{name}: ratio {ratio:.2f} against goal {GOALS[name]:.2f}: {met}")
    print("\n".join(verdicts))
    print("\n".join(feed_lines))
    door_history(args, setup)
    reporting_lines(args)


# --- the door's reads against five years of taps ------------------------------------------------------------

DOOR_HISTORY_ROWS = int(os.environ.get("BENCH_DOOR_ROWS", "3000000"))  # a city's five years: about 10 million
DOOR_HISTORY_YEARS = 5
DOOR_HISTORY_PLACES = 4  # the history is spread over the measured place and three others
DOOR_TODAY_TAPS = 300  # taps today at each measured place, so both screens show the same figures
DOOR_HISTORY_GOAL = 1.2
DOOR_REQUESTS = int(os.environ.get("BENCH_DOOR_REQUESTS", "400"))


def door_history(args, setup) -> None:
    """The door screen and its totals at a place with five years of taps, against a place with none before
    today; both have the same taps today. The history is written in SQL (generate_series), not through the
    ORM, once per bench database. Prints the p50 of each and the ratio (goal: at most 1.2)."""
    import datetime as dt

    from django.db import connection
    from django.utils import timezone

    from huizen.dates import days_between
    from locations.models import House, Place

    house = House.objects.get(slug=setup["house"])
    address = {"street": "Benchstraat", "house_number": "2", "postcode": "3011 AA", "city": "Rotterdam"}
    names = ["Deur zonder historie", "Deur met historie"] + [f"Deur elders {n}" for n in range(DOOR_HISTORY_PLACES - 1)]
    places = [Place.objects.get_or_create(house=house, name=name, defaults=address)[0].pk for name in names]
    empty, history, spread = places[0], places[1], places[1:]
    today_start, today_end = days_between(timezone.localdate(), timezone.localdate())
    first = today_start - dt.timedelta(days=365 * DOOR_HISTORY_YEARS)
    columns = "house_id, place_id, session_id, tap_id, recorded_at, received_at, count, is_new, age_band"
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM activities_doortally WHERE place_id = ANY(%s) AND recorded_at < %s",
            [spread, today_start],
        )
        have = cursor.fetchone()[0]
        if have < DOOR_HISTORY_ROWS:
            print(
                f"Writing {DOOR_HISTORY_ROWS - have:,} door taps over {DOOR_HISTORY_YEARS} years in SQL...", flush=True
            )
            step = (today_start - first).total_seconds() / DOOR_HISTORY_ROWS
            for chunk in range(have, DOOR_HISTORY_ROWS, 500_000):
                cursor.execute(
                    f"INSERT INTO activities_doortally ({columns}) "
                    "SELECT %s, (%s::bigint[])[1 + g %% %s], NULL, gen_random_uuid(), at, at, 1 + g %% 3, g %% 7 = 0, "
                    "(ARRAY['', '0-12', '13-23', '24-64', '65+'])[1 + g %% 5] "
                    "FROM generate_series(%s, %s) AS g, "
                    "LATERAL (SELECT %s - make_interval(secs => (g + 1) * %s) AS at) t",
                    [
                        house.pk,
                        spread,
                        len(spread),
                        chunk,
                        min(chunk + 500_000, DOOR_HISTORY_ROWS) - 1,
                        today_start,
                        step,
                    ],
                )
            cursor.execute("ANALYZE activities_doortally")
        # Today: the same taps at both measured places, from midnight until now.
        now = timezone.now()
        cursor.execute(
            "DELETE FROM activities_doortally WHERE place_id IN (%s, %s) AND recorded_at >= %s",
            [empty, history, today_start],
        )
        for place in (empty, history):
            cursor.execute(
                f"INSERT INTO activities_doortally ({columns}) "
                "SELECT %s, %s, NULL, gen_random_uuid(), at, at, 1, g %% 4 = 0, '' FROM generate_series(1, %s) AS g, "
                "LATERAL (SELECT %s + (%s - %s) * (g::float8 / (%s + 1)) AS at) t",
                [house.pk, place, DOOR_TODAY_TAPS, today_start, now, today_start, DOOR_TODAY_TAPS],
            )
        cursor.execute("SELECT count(*) FROM activities_doortally WHERE place_id = %s", [history])
        at_place = cursor.fetchone()[0]
    connection.close()

    headers = {"Host": "127.0.0.1", "Cookie": f"sessionid={setup['session']}"}

    def get(path):
        return lambda: ("GET", path, None, headers)

    paths = {}
    for label, place in (("empty", empty), ("history", history)):
        paths[("screen", label)] = get(f"/deur/{setup['house']}/{place}/")
        paths[("totals", label)] = get(f"/deur/{setup['house']}/{place}/totalen/")
    server = start_server(args.workers)
    try:
        for key, make_request in paths.items():  # warm up
            measure(" ".join(key), make_request, requests=min(100, DOOR_REQUESTS), concurrency=args.concurrency)
        rounds = {key: [] for key in paths}
        for number in range(args.rounds):
            order = list(paths) if number % 2 == 0 else list(reversed(paths))  # neither side always goes first
            for key in order:
                result = measure(" ".join(key), paths[key], requests=DOOR_REQUESTS, concurrency=args.concurrency)
                rounds[key].append(result["p50"])
    finally:
        server.terminate()
        server.wait(timeout=10)
    print(
        f"\nDoor reads: {DOOR_HISTORY_ROWS:,} taps over {DOOR_HISTORY_YEARS} years ({at_place:,} at the measured "
        f"place) against none, {DOOR_TODAY_TAPS} taps today at each; {DOOR_REQUESTS} requests x {args.rounds} rounds"
    )
    print(f"{'path':<12} {'p50 empty':>10} {'p50 5 yr':>10} {'ratio':>7}")
    verdicts = []
    for name in ("screen", "totals"):
        alone, full = statistics.median(rounds[(name, "empty")]), statistics.median(rounds[(name, "history")])
        ratio = full / alone
        print(f"{'door ' + name:<12} {alone:10.1f} {full:10.1f} {ratio:7.2f}")
        met = "met" if ratio <= DOOR_HISTORY_GOAL else "NOT met"
        verdicts.append(
            f"door {name} with history: ratio {ratio:.2f} against goal at most {DOOR_HISTORY_GOAL:.2f}: {met}"
        )
    print("\n".join(verdicts))


def reporting_lines(args) -> None:
    """The results lines (bench/reporting.py) run in a process of their own: they use other databases."""
    command = [sys.executable, str(ROOT / "bench" / "reporting.py"), "--workers", str(args.workers)]
    result = subprocess.run(command, cwd=ROOT, env={**os.environ, "PYTHONPATH": str(ROOT)})
    if result.returncode:
        raise SystemExit(f"bench/reporting.py failed (exit {result.returncode})")


if __name__ == "__main__":
    sys.path.insert(0, str(ROOT))
    main()
