"""Template tripwires that the template engine does not catch itself."""

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_no_template_has_a_comment_over_several_lines():
    """`{# … #}` is a one-line comment: one that spans lines is shown to the user as text. Use {% comment %}."""
    found = []
    for path in ROOT.glob("**/templates/**/*.html"):
        if ".venv" in path.parts or "node_modules" in path.parts:
            continue
        for match in re.finditer(r"\{#(?:(?!#\}).)*$", path.read_text(), flags=re.M):
            found.append(f"{path.relative_to(ROOT)}: {match.group(0)[:60]}")
    assert not found, found
