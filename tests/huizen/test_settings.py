"""The production mode, checked in a fresh process as it would start."""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PRODUCTION = {
    "DJANGO_SETTINGS_MODULE": "huizen.settings",
    "DEBUG": "false",
    "ALLOWED_HOSTS": "huizen.example.nl",
    "SITE_URL": "https://huizen.example.nl",
    "SECRET_KEY": "a-long-random-production-secret-key-for-this-check-only-7f3k2j9x",
}


def manage(*args, env):
    clean = {
        k: v
        for k, v in os.environ.items()
        if k not in {"SECRET_KEY", "DEBUG", "ALLOWED_HOSTS", "SITE_URL", "DJANGO_ALLOW_ASYNC_UNSAFE"}
    }
    return subprocess.run(
        [sys.executable, "manage.py", *args], cwd=ROOT, env={**clean, **env}, capture_output=True, text=True
    )


def test_production_refuses_to_start_without_a_secret_key():
    result = manage("check", env={**PRODUCTION, "SECRET_KEY": ""})
    assert result.returncode != 0
    assert "SECRET_KEY is not set" in result.stderr


def test_production_refuses_to_start_without_allowed_hosts():
    result = manage("check", env={**PRODUCTION, "ALLOWED_HOSTS": ""})
    assert result.returncode != 0
    assert "ALLOWED_HOSTS" in result.stderr


def test_production_refuses_to_start_without_the_sites_address():
    """Links in e-mails need the site's real address; ALLOWED_HOSTS ("*", ".example.nl") cannot give it."""
    result = manage("check", env={**PRODUCTION, "SITE_URL": ""})
    assert result.returncode != 0
    assert "SITE_URL is not set" in result.stderr


def test_production_passes_the_deploy_check_without_warnings():
    result = manage("check", "--deploy", "--fail-level", "WARNING", env=PRODUCTION)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout
