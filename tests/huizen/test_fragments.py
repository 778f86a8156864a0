"""Shared template fragments exist once, in templates/fragments/, and the pages of every app use them."""

from pathlib import Path

import pytest
from django.template import engines
from django.utils import translation

TEMPLATES = Path(__file__).resolve().parents[2] / "templates"
SHARED = ["form_errors.html", "breadcrumb.html", "choice_group.html", "result_count.html", "filter_errors.html"]


@pytest.mark.parametrize("name", SHARED)
def test_a_shared_fragment_exists_once(name):
    copies = sorted(str(path.relative_to(TEMPLATES)) for path in TEMPLATES.rglob(name))
    assert copies == [f"fragments/{name}"]


@pytest.mark.parametrize(
    ("kind", "count", "english", "dutch"),
    [("house", 1, "1 house found", "1 huis gevonden"), ("room", 2, "2 rooms found", "2 ruimtes gevonden")],
)
def test_the_result_count_says_what_was_found_in_both_languages(kind, count, english, dutch):
    template = engines["django"].from_string("{% load ui %}{% found kind count %}")
    with translation.override("en"):
        assert template.render({"kind": kind, "count": count}) == english
    with translation.override("nl"):
        assert template.render({"kind": kind, "count": count}) == dutch


def test_the_result_count_asks_to_check_the_filters_when_they_have_errors():
    template = engines["django"].get_template("fragments/result_count.html")
    page = type("Page", (), {"paginator": type("Paginator", (), {"count": 3})()})()
    context = {"kind": "activity", "page": page, "check_label": "Check the filters"}
    with translation.override("en"):
        assert template.render({**context, "filter": {"errors": {"date": ["bad"]}}}) == "Check the filters"
        assert template.render({**context, "filter": {"errors": {}}}) == "3 activities found"


@pytest.mark.parametrize("markup", ['class="utrecht-breadcrumb-nav"', "huizen-form-errors"])
def test_the_markup_of_a_shared_piece_is_written_once(markup):
    holders = sorted(
        str(path.relative_to(TEMPLATES)) for path in TEMPLATES.rglob("*.html") if markup in path.read_text()
    )
    assert all(holder.startswith("fragments/") or "request_errors" in holder for holder in holders), holders


def test_the_breadcrumb_marks_the_page_itself_as_current(rf):
    request = rf.get("/zalen/3/")
    template = engines["django"].from_string(
        '{% load ui %}{% breadcrumb "bookings:room_search" "Rooms" current="Zaal" %}'
    )
    html = template.render({"request": request})
    assert '<a class="utrecht-breadcrumb-nav__link utrecht-link" href="/zalen/">Rooms</a>' in html
    assert 'href="/zalen/3/" aria-current="page">Zaal</a>' in html
