"""People as fixtures: a host, coordinator, manager, municipality officer, administrator and resident,
and the same roles for another house. And the clock every test runs on.

The clock: every test starts at one fixed instant, HUIZEN_TEST_NOW (ISO 8601; without an offset it is Amsterdam
time), by default Monday 2026-11-30 07:00 in Amsterdam, so the suite never depends on the day it runs. Time ticks on
from there (the live server of the browser tests runs in a thread of this process and sees the same clock). Tests
marked `date_sensitive` are run again on other "todays" by `make test-dates`."""

import datetime as dt
import importlib
import os
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.conf import settings
from django.core.cache import cache

from accounts.models import Role
from huizen.celery import app as celery_app
from locations.selectors import current_management

from .factories import HouseFactory, RoleAssignmentFactory, UserFactory

DEFAULT_NOW = "2026-11-30T07:00:00+01:00"  # a Monday morning in Amsterdam


def frozen_now() -> dt.datetime:
    """The instant every test starts at: HUIZEN_TEST_NOW, or DEFAULT_NOW (a Monday)."""
    value = os.environ.get("HUIZEN_TEST_NOW") or DEFAULT_NOW
    try:
        moment = dt.datetime.fromisoformat(value)
    except ValueError:
        raise pytest.UsageError(f"HUIZEN_TEST_NOW={value!r} is not an ISO 8601 date and time") from None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=ZoneInfo("Europe/Amsterdam"))
    return moment


def pytest_configure(config):
    config.addinivalue_line(
        "markers",
        "date_sensitive: the outcome depends on the date or time of day; `make test-dates` runs it on several todays",
    )
    # From collection on (module-level dates in test files, session fixtures) the clock already reads HUIZEN_TEST_NOW.
    config._huizen_clock = time_machine.travel(frozen_now(), tick=True)
    config._huizen_clock.start()


def pytest_unconfigure(config):
    if clock := getattr(config, "_huizen_clock", None):
        clock.stop()


def pytest_report_header(config):
    return f"clock: every test starts at {frozen_now().isoformat()} (HUIZEN_TEST_NOW)"


@pytest.fixture(autouse=True)
def clock():
    """Every test starts at HUIZEN_TEST_NOW and time ticks on from there. Request `clock` to move it
    (`clock.shift(dt.timedelta(minutes=11))`, `clock.move_to(...)`): a time_machine Traveller."""
    with time_machine.travel(frozen_now(), tick=True) as traveller:
        yield traveller


@pytest.fixture
def english(client):
    """The test client with English chosen (the site is Dutch unless the visitor switches)."""
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


_DB_FIXTURES = {"db", "transactional_db", "live_server", "_django_db_helper"}


@pytest.fixture(autouse=True)
def _volunteer_reference_data(request):
    """The reference data volunteers' migration 0002 writes (which roles need which certificate, the allowance caps)
    is wiped by every test with a real transaction (they empty the tables when they end, and on PostgreSQL some run
    before others): put it back, when missing, for each test that uses the database."""
    names = set(request.fixturenames)
    if not (names & _DB_FIXTURES or request.node.get_closest_marker("django_db")):
        return
    request.getfixturevalue("_django_db_helper")
    from volunteers.models import AllowanceCaps, RoleCertificate

    if RoleCertificate.objects.exists() and AllowanceCaps.objects.exists():
        return
    from django.apps import apps

    reference = importlib.import_module("volunteers.migrations.0002_reference_data")
    reference.add(apps, None)


@pytest.fixture(autouse=True, scope="session")
def _celery_eager():
    celery_app.conf.task_always_eager = True
    celery_app.conf.task_eager_propagates = True


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """The test database only: the access log's TRUNCATE guard (privacy migration 0003) is switched off, so that
    Django can empty the tables between transactional tests (the browser tests). The test of the guard switches it
    on again inside its own transaction."""
    from django.db import connection

    with django_db_blocker.unblock():
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("ALTER TABLE privacy_accessrecord DISABLE TRIGGER privacy_access_no_truncate")


@pytest.fixture(autouse=True)
def _empty_cache():
    """Each test starts with an empty cache (a feed cached by one test is not served to the next)."""
    cache.clear()


@pytest.fixture
def house(db):
    return HouseFactory(name="Huis van de Wijk Het Klooster", slug="het-klooster")


@pytest.fixture
def other_house(db):
    return HouseFactory(name="Huis van de Wijk De Larenkamp", slug="de-larenkamp")


def _with_role(role, **scope):
    return RoleAssignmentFactory(role=role, **scope).user


@pytest.fixture
def host(house):
    return _with_role(Role.HOST, house=house)


@pytest.fixture
def coordinator(house):
    return _with_role(Role.COORDINATOR, house=house)


@pytest.fixture
def professional(house):
    return _with_role(Role.PROFESSIONAL, house=house)


@pytest.fixture
def manager(house):
    return _with_role(Role.MANAGER, house=None, organisation=current_management(house).operator)


@pytest.fixture
def municipality(db):
    return _with_role(Role.MUNICIPALITY, house=None)


@pytest.fixture
def administrator(db):
    return UserFactory(is_staff=True, is_superuser=True, second_factor=True)


@pytest.fixture
def resident(db):
    return UserFactory()


@pytest.fixture
def other_house_coordinator(other_house):
    return _with_role(Role.COORDINATOR, house=other_house)


@pytest.fixture
def other_house_host(other_house):
    return _with_role(Role.HOST, house=other_house)


@pytest.fixture
def other_manager(other_house):
    return _with_role(Role.MANAGER, house=None, organisation=current_management(other_house).operator)


# --- Tripwire: an error logged during a test fails it ------------------------------------------------------
# A 500, a failed task or a swallowed exception is logged at ERROR; the test that caused it fails, unless it is
# marked `@pytest.mark.allow_error_log` (it expects the error, and may assert on it through `caplog`).
# (`logging` is imported here so that this block stays apart from the rest of the file.)


@pytest.fixture(autouse=True)
def _fail_on_error_log(request):
    import logging

    class ErrorRecords(logging.Handler):
        def __init__(self):
            super().__init__(level=logging.ERROR)
            self.records: list[logging.LogRecord] = []

        def emit(self, record):
            self.records.append(record)

    handler = ErrorRecords()
    root = logging.getLogger()
    root.addHandler(handler)
    try:
        yield
    finally:
        root.removeHandler(handler)
    if handler.records and request.node.get_closest_marker("allow_error_log") is None:
        lines = "\n".join(f"{record.name}: {record.getMessage()}" for record in handler.records)
        pytest.fail(f"An error was logged during the test (mark it allow_error_log if it is expected):\n{lines}")
