"""The token of a private calendar address never reaches a log: Django's request log, the development server's
access log and gunicorn's access log all show [token] instead."""

import datetime as dt
import logging
from pathlib import Path

import pytest
from django.urls import reverse
from gunicorn.config import Config

from bookings import services
from huizen.log import RedactFeedTokens, RedactingGunicornLogger, redact
from tests.factories import UserFactory

ROOT = Path(__file__).resolve().parents[2]
TOKEN = "Zk3n9Qw-_xY2aB7cD4eF6gH8iJ0kL1mN"


@pytest.mark.parametrize(
    "line, expected",
    [
        (f"/mijn/boekingen/{TOKEN}.ics", "/mijn/boekingen/[token].ics"),
        (
            f'"GET /mijn/boekingen/{TOKEN}.ics?x=1 HTTP/1.1" 200 512',
            '"GET /mijn/boekingen/[token].ics?x=1 HTTP/1.1" 200 512',
        ),
        (f"Not Found: /mijn/boekingen/{TOKEN}.ics", "Not Found: /mijn/boekingen/[token].ics"),
        ("GET /mijn/boekingen/abc%00def.ics HTTP/1.1", "GET /mijn/boekingen/[token].ics HTTP/1.1"),
        (
            f"https://huizen.example.nl/MIJN/BOEKINGEN/{TOKEN}.ICS",
            "https://huizen.example.nl/MIJN/BOEKINGEN/[token].ICS",
        ),
        # Other addresses stay as they are.
        ("/mijn/boekingen/", "/mijn/boekingen/"),
        ("/mijn/boekingen/12/annuleren/", "/mijn/boekingen/12/annuleren/"),
        ("/mijn/boekingen/agenda/vernieuwen/", "/mijn/boekingen/agenda/vernieuwen/"),
        ("/zalen/3.ics", "/zalen/3.ics"),
        ("/agenda.ics?category=eating", "/agenda.ics?category=eating"),
    ],
)
def test_redact_replaces_only_the_feed_token(line, expected):
    assert redact(line) == expected


def test_the_feed_address_the_app_makes_is_redacted(db):
    token = services.booking_feed_for(user=UserFactory()).token
    url = reverse("bookings:my_feed", args=[token])
    assert token not in redact(f"GET {url} HTTP/1.1") and "[token]" in redact(url)


def test_djangos_request_log_holds_no_token(client, db, caplog):
    user = UserFactory()
    token = services.booking_feed_renew(user=user, by=user).token[::-1]  # an old or mistyped address: a 404
    with caplog.at_level(logging.WARNING, logger="django.request"):
        assert client.get(reverse("bookings:my_feed", args=[token])).status_code == 404
    logged = [record.getMessage() for record in caplog.records if record.name == "django.request"]
    assert logged == ["Not Found: /mijn/boekingen/[token].ics"]


def test_the_development_servers_access_log_is_redacted():
    # Our configured handler (pytest adds its own capturing handlers beside it).
    handlers = [h for h in logging.getLogger("django.server").handlers if type(h) is logging.StreamHandler]
    assert handlers and all(any(isinstance(f, RedactFeedTokens) for f in handler.filters) for handler in handlers)
    record = logging.LogRecord(
        "django.server",
        logging.INFO,
        __file__,
        1,
        '"%s" %s %s',
        (f"GET /mijn/boekingen/{TOKEN}.ics HTTP/1.1", 200, 9),
        None,
    )
    assert all(handler.filter(record) for handler in handlers)
    assert TOKEN not in record.getMessage() and "[token]" in record.getMessage()


class Response:
    status = "200 OK"
    sent = 512
    headers = [("Content-Type", "text/calendar; charset=utf-8")]


def test_gunicorns_access_log_holds_no_token():
    config = Config()
    config.set("accesslog", "-")
    config.set("access_log_format", '%(h)s "%(r)s" %(s)s %(U)s %(q)s "%(f)s" %({raw_uri}e)s')
    logger = RedactingGunicornLogger(config)
    lines = []
    handler = logging.Handler()
    handler.emit = lambda record: lines.append(record.getMessage())
    logger.access_log.addHandler(handler)
    path = f"/mijn/boekingen/{TOKEN}.ics"
    environ = {
        "REQUEST_METHOD": "GET",
        "RAW_URI": f"{path}?x=1",
        "PATH_INFO": path,
        "QUERY_STRING": "x=1",
        "SERVER_PROTOCOL": "HTTP/1.1",
        "REMOTE_ADDR": "127.0.0.1",
        "HTTP_REFERER": f"https://huizen.example.nl{path}",
    }
    logger.access(Response(), [("Host", "huizen.example.nl")], environ, dt.timedelta(milliseconds=12))
    assert len(lines) == 1
    assert TOKEN not in lines[0]
    assert '"GET /mijn/boekingen/[token].ics?x=1 HTTP/1.1" 200 /mijn/boekingen/[token].ics x=1' in lines[0]


def test_production_runs_gunicorn_with_the_redacting_logger():
    for name in ("Dockerfile", "docker-compose.yml"):
        assert "huizen.log.RedactingGunicornLogger" in (ROOT / name).read_text(), name
