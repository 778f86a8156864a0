"""The shared form helpers: the bounded date field, text without control characters, safe `next` redirects."""

import datetime as dt

import pytest
from django import forms
from django.core.exceptions import ValidationError
from django.test import RequestFactory
from django.utils import translation

from huizen.forms import DateField, PlainText
from huizen.redirects import safe_next
from huizen.text import one_line, single_line


@pytest.fixture(autouse=True)
def english_texts(request):
    with translation.override("nl" if "dutch" in request.node.name else "en"):
        yield


class DayForm(forms.Form):
    day = DateField()


class NoteForm(PlainText, forms.Form):
    title = forms.CharField(max_length=150)
    note = forms.CharField(required=False, widget=forms.Textarea)


@pytest.mark.parametrize("value", ["0001-01-01", "9999-12-31", "1999-12-31", "2100-01-01"])
def test_a_date_far_from_now_is_refused_with_a_message(value):
    form = DayForm({"day": value})
    assert not form.is_valid()
    assert form.errors["day"] == ["Choose a date between 2000 and 2099."]


@pytest.mark.parametrize("value", ["99999-01-01", "2026-02-30", "junk", ""])
def test_a_date_that_is_no_date_is_refused(value):
    form = DayForm({"day": value})
    assert not form.is_valid() and form.errors["day"]


def test_a_sensible_date_is_accepted():
    form = DayForm({"day": "2027-02-28"})
    assert form.is_valid() and form.cleaned_data["day"] == dt.date(2027, 2, 28)


@pytest.mark.parametrize("field", ["title", "note"])
@pytest.mark.parametrize("text", ["a\x00b", "bell\x07", "esc\x1b[31m", "del\x7f"])
def test_control_characters_are_refused_in_every_text_field(field, text):
    form = NoteForm({"title": "Koffie", field: text})
    assert not form.is_valid() and field in form.errors


def test_a_line_break_is_refused_in_a_single_line_field_and_kept_in_a_text_area():
    assert NoteForm({"title": "Koffie\nthee"}).errors["title"] == ["Write this on one line, without line breaks."]
    form = NoteForm({"title": "Koffie & thee", "note": "Eerste regel\r\nTweede regel\tmet tab"})
    assert form.is_valid(), form.errors


def test_the_messages_are_dutch_by_default():
    assert DayForm({"day": "0001-01-01"}).errors["day"] == ["Kies een datum tussen 2000 en 2099."]
    assert NoteForm({"title": "a\x01"}).errors["title"] == ["Haal de onzichtbare stuurtekens uit deze tekst."]


def test_single_line_and_one_line():
    with pytest.raises(ValidationError):
        single_line("Koffie\u2028thee")
    single_line("Koffie & thee")
    assert one_line("  Koffie\r\n &\tthee \n") == "Koffie & thee"


@pytest.mark.parametrize(
    "value, expected",
    [
        ("/agenda/?page=2", "/agenda/?page=2"),
        ("x", "/default/"),
        ("activities:agenda", "/default/"),
        ("https://evil.example/", "/default/"),
        ("//evil.example/", "/default/"),
        ("/\\evil.example/", "/default/"),
        ("", "/default/"),
    ],
)
def test_safe_next_only_follows_a_path_on_this_site(value, expected):
    assert safe_next(RequestFactory().post("/", {"next": value}), "/default/") == expected
    assert safe_next(RequestFactory().get("/", {"next": value}), "/default/") == expected
