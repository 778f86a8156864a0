"""Every user-facing text is extracted, translated into Dutch and compiled."""

import shutil
import subprocess
import sys
from pathlib import Path

import polib
import pytest

ROOT = Path(__file__).resolve().parents[2]
CATALOGUES = [ROOT / "locale" / "nl" / "LC_MESSAGES", ROOT / "locale_overrides" / "nl" / "LC_MESSAGES"]


@pytest.mark.parametrize("folder", CATALOGUES, ids=["ours", "overrides"])
def test_catalogue_is_complete_and_compiled(folder):
    po = polib.pofile(str(folder / "django.po"))
    assert not po.untranslated_entries(), [e.msgid for e in po.untranslated_entries()]
    assert not po.fuzzy_entries(), [e.msgid for e in po.fuzzy_entries()]
    compiled = {(e.msgctxt, e.msgid): (e.msgstr, e.msgstr_plural) for e in polib.mofile(str(folder / "django.mo"))}
    source = {(e.msgctxt, e.msgid): (e.msgstr, e.msgstr_plural) for e in po.translated_entries()}
    assert compiled == source, "django.mo is stale: run `make messages`"


SKIP = shutil.ignore_patterns(
    ".git", ".venv", "node_modules", "tests", "staticfiles", "__pycache__", "*.sqlite3", "test-results"
)


@pytest.mark.skipif(not shutil.which("xgettext"), reason="needs GNU gettext (installed by .ci/run)")
def test_every_message_in_the_code_is_in_the_catalogue(tmp_path):
    """Run makemessages over a copy of the sources and compare: no text may be missing from the catalogue."""
    copy = tmp_path / "src"
    shutil.copytree(ROOT, copy, ignore=SKIP)
    result = subprocess.run(
        [sys.executable, "manage.py", "makemessages", "--locale", "nl", "--no-obsolete"],
        cwd=copy,
        env={"PATH": "/usr/bin:/bin", "DEBUG": "true"},
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stderr
    fresh = {e.msgid for e in polib.pofile(str(copy / "locale" / "nl" / "LC_MESSAGES" / "django.po"))}
    ours = {e.msgid for e in polib.pofile(str(ROOT / "locale" / "nl" / "LC_MESSAGES" / "django.po"))}
    assert fresh - ours == set(), "texts missing from the catalogue: run `make messages` and translate them"
