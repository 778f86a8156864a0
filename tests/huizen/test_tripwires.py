"""The suite's tripwires: a template using a variable it was not given, and an error logged during a test, fail
the test. Each is shown here by running a small test file in a pytest of its own (pytester)."""

import pytest

pytest_plugins = ["pytester"]

TEMPLATE_TEST = """
import pytest
from django.template import engines

def test_unknown_variable():
    engines["django"].from_string("Hello {{ nobody }}").render({})

@pytest.mark.ignore_template_errors
def test_unknown_variable_allowed():
    engines["django"].from_string("Hello {{ nobody }}").render({})

def test_known_variable():
    assert engines["django"].from_string("Hello {{ who }}").render({"who": "Sam"}) == "Hello Sam"
"""

LOG_TEST = """
import logging
import pytest

def test_logs_an_error():
    logging.getLogger("huizen").error("Something broke")

@pytest.mark.allow_error_log
def test_expects_an_error(caplog):
    logging.getLogger("huizen").error("Something broke")
    assert "Something broke" in caplog.text

def test_logs_a_warning():
    logging.getLogger("huizen").warning("Just so you know")
"""


@pytest.fixture
def run(pytester, request):
    """Run a test file next to our own conftest and settings, in a fresh pytest."""
    root = request.config.rootpath
    pytester.makeconftest(
        (root / "tests" / "conftest.py").read_text().replace("from .factories", "from tests.factories")
    )
    pytester.syspathinsert(root)

    def run(source):
        pytester.makepyfile(test_it=source)
        return pytester.runpytest_subprocess(
            "-p",
            "no:randomly",
            "-p",
            "no:cacheprovider",
            "--ds=huizen.settings_test",
            "-q",
            f"--rootdir={pytester.path}",
            "-c",
            str(root / "pyproject.toml"),
        )

    return run


def test_an_unknown_template_variable_fails_the_test(run):
    result = run(TEMPLATE_TEST)
    result.assert_outcomes(passed=2, failed=1)
    result.stdout.fnmatch_lines(["*Undefined template variable 'nobody'*"])


def test_an_error_logged_during_a_test_fails_it(run):
    result = run(LOG_TEST)
    result.assert_outcomes(passed=3, errors=1)
    result.stdout.fnmatch_lines(["*An error was logged during the test*", "*huizen: Something broke*"])
