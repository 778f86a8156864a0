"""Browser tests: Playwright drives Debian's Chromium against the live test server; axe-core checks each page."""

import datetime as dt
import json
import os
from pathlib import Path

import pytest
from django.conf import settings

# Playwright's sync API runs an event loop in this thread; the ORM calls in the tests themselves are fine.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
AXE_SCRIPT = Path(settings.BASE_DIR) / "node_modules" / "axe-core" / "axe.min.js"


def pytest_collection_modifyitems(items):
    for item in items:
        if "tests/browser/" in str(item.fspath).replace(os.sep, "/"):
            item.add_marker(pytest.mark.browser)


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    return {
        **browser_type_launch_args,
        "executable_path": CHROMIUM,
        "args": [
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
        ],
    }


@pytest.fixture
def browser_context_args(browser_context_args):
    return {**browser_context_args, "locale": "nl-NL", "timezone_id": "Europe/Amsterdam"}


def install_clock(context) -> None:
    """Chromium keeps its own clock: give the pages of `context` the tests' clock (HUIZEN_TEST_NOW, ticking on), so
    page scripts that read the date (door.js: today's key, the time of a tap) agree with the server. Call it on a
    context you make yourself with `browser.new_context()` when its pages' scripts read the date. A test that moves
    the `clock` fixture moves the page's clock too (`page.clock.fast_forward(...)`)."""
    context.clock.install(time=dt.datetime.now(dt.UTC))


@pytest.fixture
def context(context, clock):
    install_clock(context)
    return context


@pytest.fixture
def page(page):
    page.set_default_timeout(10_000)
    return page


def assert_accessible(page) -> None:
    """No axe-core violations of any impact (WCAG 2.1 A and AA rules and best practice) on the page as it is now.

    The experimental rule `label-content-name-mismatch` (WCAG 2.5.3, label in name) runs too: a link or button that
    reads "Annuleren" must have "Annuleren" in its accessible name (extend it with visually hidden text instead of
    an aria-label)."""
    # Evaluated over the DevTools protocol, not added as a <script>: the Content-Security-Policy refuses inline script.
    page.evaluate(AXE_SCRIPT.read_text())
    result = page.evaluate(
        """async () => await axe.run(document, {
            runOnly: {type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice']},
            rules: {'label-content-name-mismatch': {enabled: true}},
            resultTypes: ['violations'],
        })"""
    )
    violations = result["violations"]
    report = [
        {"id": v["id"], "impact": v["impact"], "help": v["help"], "nodes": [n["target"] for n in v["nodes"][:5]]}
        for v in violations
    ]
    assert not violations, f"axe found on {page.url}:\n{json.dumps(report, indent=2)}"
