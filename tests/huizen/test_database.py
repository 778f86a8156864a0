"""The database connection as the settings make it: PostgreSQL without JIT, SQLite as before."""

import subprocess
import sys
from pathlib import Path

import pytest
from django.db import connection

ROOT = Path(__file__).resolve().parents[2]


def database_settings(url: str) -> str:
    code = "from django.conf import settings; print(settings.DATABASES['default'])"
    result = subprocess.run(
        [sys.executable, "-c", f"import django; django.setup(); {code}"],
        cwd=ROOT,
        env={"PATH": "/usr/bin:/bin", "DJANGO_SETTINGS_MODULE": "huizen.settings", "DATABASE_URL": url},
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stderr
    return result.stdout


def test_postgresql_connections_are_made_without_jit():
    assert "'options': '-c jit=off'" in database_settings("postgres://u:p@db.invalid:5432/huizen")
    # Options given in the address are kept beside it.
    kept = database_settings("postgres://u:p@db.invalid:5432/huizen?options=-c%20statement_timeout%3D5000")
    assert "'options': '-c statement_timeout=5000 -c jit=off'" in kept


def test_sqlite_keeps_its_own_options():
    options = database_settings("sqlite:////tmp/huizen-test.sqlite3")
    assert "'timeout': 30" in options and "'transaction_mode': 'IMMEDIATE'" in options
    assert "jit" not in options


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL only")
def test_jit_is_off_in_a_postgresql_connection(db):
    with connection.cursor() as cursor:
        cursor.execute("SHOW jit")
        assert cursor.fetchone()[0] == "off"
