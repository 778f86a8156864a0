"""With Redis unreachable the site degrades instead of failing: logging in (rate limited still), logged-in pages and
the door's taps keep working; /healthz tells the load balancer the broker is down."""

import datetime as dt
import logging
import runpy
import time
import uuid
from pathlib import Path

import pytest
from django.contrib.sessions.models import Session
from django.core.cache import cache
from django.urls import reverse
from django.utils import timezone

from activities.models import DoorTally
from huizen import cache as fallback_cache
from huizen.tasks import clear_expired_sessions
from tests.factories import PASSWORD, PlaceFactory, totp_code

SETTINGS = Path(__file__).resolve().parents[2] / "huizen" / "settings.py"
DEAD_REDIS = "redis://127.0.0.1:1/0"  # nothing listens on port 1


@pytest.fixture
def redis_down(settings, monkeypatch):
    """The cache and session settings that settings.py makes for a REDIS_URL, with that Redis unreachable, and
    allauth's own login limits (the test settings turn them off)."""
    monkeypatch.setenv("REDIS_URL", DEAD_REDIS)
    production = runpy.run_path(str(SETTINGS))
    settings.REDIS_URL = DEAD_REDIS
    settings.CACHES = production["CACHES"]  # pytest-django resets Django's cache handler on this change
    settings.SESSION_ENGINE = production["SESSION_ENGINE"]
    del settings.ACCOUNT_RATE_LIMITS
    fallback_cache._down_until.clear()
    yield
    if hasattr(cache, "_memory"):
        cache._memory.clear()
    fallback_cache._down_until.clear()


def test_logging_in_works_without_redis(client, coordinator, redis_down, caplog):
    with caplog.at_level(logging.WARNING, logger="huizen.cache"):
        response = client.post(reverse("account_login"), {"login": coordinator.email, "password": PASSWORD})
        assert response["Location"] == reverse("mfa_authenticate")  # staff: the second step
        response = client.post(reverse("mfa_authenticate"), {"code": totp_code()})
    assert response.status_code == 302
    assert response["Location"] == reverse("start")
    assert client.get(reverse("start")).status_code == 200
    assert ["Redis cache unreachable" in record.getMessage() for record in caplog.records] == [True]


def test_the_login_still_limits_guesses_without_redis(client, coordinator, redis_down):
    for _attempt in range(5):
        response = client.post(reverse("account_login"), {"login": coordinator.email, "password": "wrong"})
        assert response.status_code == 200
    response = client.post(reverse("account_login"), {"login": coordinator.email, "password": PASSWORD})
    assert response.status_code == 200  # not logged in: too many failed attempts, even with the right password
    assert client.get(reverse("start")).status_code == 302


def test_staff_and_resident_pages_work_without_redis(client, coordinator, resident, house, redis_down):
    client.force_login(coordinator)
    assert client.get(reverse("start")).status_code == 200
    assert client.get(reverse("bookings:house_requests", args=[house.slug])).status_code == 200
    client.force_login(resident)
    assert client.get(reverse("start")).status_code == 200
    assert client.get(reverse("bookings:my_bookings")).status_code == 200


def test_the_door_takes_taps_without_redis(client, host, house, redis_down):
    place = PlaceFactory(house=house)
    client.force_login(host)
    tap = {
        "tap_id": str(uuid.uuid4()),
        "place": place.pk,
        "session": None,
        "recorded_at": timezone.localtime().isoformat(),
        "count": 2,
        "is_new": False,
        "age_band": "",
    }
    response = client.post(
        reverse("activities:door_taps", args=[house.slug]), {"taps": [tap]}, content_type="application/json"
    )
    assert response.status_code == 200
    assert response.json() == {"stored": [tap["tap_id"]], "rejected": []}
    assert DoorTally.objects.get().count == 2


@pytest.mark.allow_error_log  # a 503 is logged as an error
def test_healthz_still_reports_the_broker_down(client, db, redis_down):
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json() == {"status": "error", "database": "ok", "broker": "error"}


def test_a_dead_redis_is_tried_once_per_pause_not_on_every_call(db, redis_down, monkeypatch):
    connects = []
    original = cache._cache.get_client

    def counting_get_client(*args, **kwargs):
        connects.append(1)
        return original(*args, **kwargs)

    monkeypatch.setattr(cache._cache, "get_client", counting_get_client)
    started = time.monotonic()
    for number in range(50):
        cache.set(f"key-{number}", number)
        assert cache.get(f"key-{number}") == number  # served from this process's memory meanwhile
    assert time.monotonic() - started < 1
    assert len(connects) == 1
    assert cache.add("lock", True) is True and cache.add("lock", True) is False  # allauth's lock still works


def test_expired_sessions_are_cleared_daily(client, resident, settings):
    client.force_login(resident)
    Session.objects.create(session_key="x" * 32, session_data="", expire_date=timezone.now() - dt.timedelta(seconds=1))
    clear_expired_sessions.delay().get()
    assert list(Session.objects.values_list("session_key", flat=True)) == [client.session.session_key]
    assert settings.CELERY_BEAT_SCHEDULE["clear-expired-sessions"]["task"] == "huizen.tasks.clear_expired_sessions"
