"""A filtered list's links keep its filters: the query string is built by one helper, `huizen.query`."""

from pathlib import Path

from django.test import RequestFactory

from huizen.query import query_without

ROOT = Path(__file__).resolve().parents[2]
APPS = ["accounts", "activities", "audit", "bench", "bookings", "huizen", "locations"]


def test_query_without_drops_only_the_named_parameters():
    request = RequestFactory().get("/", {"action": "booking.approve", "page": "3", "q": "zaal"})
    assert query_without(request, "page") == "action=booking.approve&q=zaal"


def test_no_view_builds_the_query_string_itself():
    copies = [
        str(path.relative_to(ROOT))
        for app in APPS
        if (ROOT / app).is_dir()
        for path in (ROOT / app).rglob("*.py")
        if "GET.copy()" in path.read_text() and path != ROOT / "huizen" / "query.py"
    ]
    assert copies == [], "use huizen.query.query_without"
