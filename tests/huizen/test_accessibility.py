"""Accessibility for everyone (issue 9), on the server side: the statement, Dutch content marked as Dutch, the error
summary, and tripwires on the templates (no aria-label hiding a link's words, live filters that replace the URL)."""

import datetime as dt
import re
from pathlib import Path

import pytest
from django import forms
from django.template import engines
from django.urls import reverse
from django.utils import translation

from tests.factories import ActivityFactory, SessionFactory

TEMPLATES = Path(__file__).resolve().parents[2] / "templates"


def render(source: str, context: dict | None = None) -> str:
    return engines["django"].from_string(source).render(context or {})


# --- the statement --------------------------------------------------------------------------------------------


def test_the_statement_is_in_dutch_with_the_contact_address_and_the_date_of_the_check(client, db, settings):
    settings.ACCESSIBILITY_CONTACT_EMAIL = "meldpunt@huizen.example.nl"
    settings.ACCESSIBILITY_CHECKED_ON = dt.date(2026, 11, 2)
    settings.ACCESSIBILITY_RESPONSE_DAYS = 5
    response = client.get("/toegankelijkheid/")
    assert response.status_code == 200
    html = response.content.decode()
    assert '<h1 class="utrecht-heading-1">Toegankelijkheidsverklaring</h1>' in html
    assert "Status: voldoet gedeeltelijk" in html
    assert "Laatst gecontroleerd op 2 november 2026." in html
    assert 'href="mailto:meldpunt@huizen.example.nl"' in html
    assert "Je krijgt binnen 5 werkdagen antwoord." in html
    assert "Nationale ombudsman" in html
    assert "axe-core" in html


def test_the_statement_is_in_english_too(client, db, english):
    html = client.get(reverse("accessibility")).content.decode()
    assert '<h1 class="utrecht-heading-1">Accessibility statement</h1>' in html
    assert "Status: partially compliant" in html
    assert "Last checked on 30 November 2026." in html


@pytest.mark.parametrize("name", ["locations:house_list", "activities:agenda", "account_login"])
def test_every_page_links_the_statement_in_its_footer(client, db, name):
    html = client.get(reverse(name)).content.decode()
    footer = html[html.index("<footer") : html.index("</footer>")]
    assert f'href="{reverse("accessibility")}"' in footer
    assert "Toegankelijkheidsverklaring" in footer


# --- Dutch content --------------------------------------------------------------------------------------------


def test_content_is_marked_dutch_only_in_another_interface_language():
    source = "{% load dutch %}{{ value|dutch }}"
    with translation.override("nl"):
        assert render(source, {"value": "Yoga <op> dinsdag"}) == "Yoga &lt;op&gt; dinsdag"
    with translation.override("en"):
        assert render(source, {"value": "Yoga <op> dinsdag"}) == '<span lang="nl">Yoga &lt;op&gt; dinsdag</span>'
        assert render(source, {"value": ""}) == ""
        assert render("{% load dutch %}{{ value|linebreaksbr|dutch }}", {"value": "a\nb"}) == (
            '<span lang="nl">a<br>b</span>'
        )


def test_a_session_shows_its_title_description_and_reason_as_dutch_in_english(client, db, english):
    activity = ActivityFactory(title="Yoga op dinsdag", description="Rustig bewegen.")
    session = SessionFactory(activity=activity, status="cancelled", change_reason="De docent is ziek.")
    html = client.get(reverse("activities:session_detail", args=[session.pk])).content.decode()
    assert '<h1 class="utrecht-heading-1"><span lang="nl">Yoga op dinsdag</span></h1>' in html
    assert '<span lang="nl">Rustig bewegen.</span>' in html
    assert '<span lang="nl">De docent is ziek.</span>' in html
    agenda = client.get(reverse("activities:agenda")).content.decode()
    assert '<span lang="nl">Yoga op dinsdag</span>' in agenda


def test_the_dutch_interface_needs_no_extra_marks(client, db):
    session = SessionFactory(activity=ActivityFactory(title="Yoga op dinsdag"))
    html = client.get(reverse("activities:session_detail", args=[session.pk])).content.decode()
    assert '<h1 class="utrecht-heading-1">Yoga op dinsdag</h1>' in html
    assert 'lang="nl"><' not in html.split("<main", 1)[1]


# --- the error summary ----------------------------------------------------------------------------------------


class ExampleForm(forms.Form):
    title = forms.CharField(label="Titel")
    people = forms.IntegerField(label="Aantal mensen")
    token = forms.CharField(widget=forms.HiddenInput)

    def clean(self):
        raise forms.ValidationError("Dat kan niet op deze dag.")


def test_the_error_summary_has_a_heading_and_links_every_field_with_an_error():
    form = ExampleForm(data={"people": "veel"})
    with translation.override("nl"):
        html = render('{% include "fragments/form_errors.html" %}', {"form": form})
    assert 'tabindex="-1" data-error-summary aria-labelledby="form-error-summary-title"' in html
    assert '<h2 class="utrecht-heading-2 huizen-error-summary__title" id="form-error-summary-title">' in html
    assert "Er ging iets mis" in html
    assert "Dat kan niet op deze dag." in html
    assert '<a class="utrecht-link" href="#id_title" data-error-link>Titel: Dit veld is verplicht.</a>' in html
    assert 'href="#id_people" data-error-link>Aantal mensen: Voer een geheel getal in.</a>' in html
    assert 'href="#id_token"' not in html  # a hidden field has nothing to focus: its error is a general one
    assert html.count("Dit veld is verplicht.") == 2


def test_no_summary_without_errors_and_one_id_per_form_prefix():
    assert render('{% include "fragments/form_errors.html" %}', {"form": ExampleForm()}).strip() == ""
    form = ExampleForm(data={}, prefix="zaal-3")
    html = render('{% include "fragments/form_errors.html" %}', {"form": form})
    assert 'id="zaal-3-error-summary"' in html


def test_the_login_page_shows_the_error_summary(client, db):
    response = client.post(reverse("account_login"), {"login": "niemand@example.nl", "password": "fout"})
    html = response.content.decode()
    assert "data-error-summary" in html
    assert "Er ging iets mis" in html


# --- tripwires on the templates -------------------------------------------------------------------------------


def templates():
    return [path for path in TEMPLATES.rglob("*.html") if "admin" not in path.parts]


def test_no_link_or_button_hides_its_words_behind_an_aria_label():
    """WCAG 2.5.3: extend the visible words with visually hidden text instead (class huizen-visually-hidden)."""
    offenders = [
        str(path.relative_to(TEMPLATES))
        for path in templates()
        if re.search(r"<(a|button)\b[^>]*\baria-label=", path.read_text())
    ]
    assert offenders == []


def test_live_filters_replace_the_url_and_wait_for_a_complete_value():
    live = [path for path in templates() if 'hx-target="#results"' in path.read_text() and "<form" in path.read_text()]
    assert len(live) >= 3
    for path in live:
        text = path.read_text()
        assert "hx-push-url" not in text, path
        assert 'hx-replace-url="true"' in text, path
        assert "data-live-filter" in text, path
        # The form itself asks only on the site.js event; a select outside the filter (the wijk list) may ask on change.
        for form in re.findall(r"<form[^>]*>", text):
            if 'hx-target="#results"' in form:
                assert 'hx-trigger="change' not in form, path


def test_booking_purposes_place_notes_and_house_rules_are_marked_dutch_in_english(client, db, english):
    from tests.factories import BookingFactory, UserFactory, bookable_room

    renter = UserFactory()
    room = bookable_room(name="Grote zaal")
    place, house = room.place, room.place.house
    place.accessibility_notes = "Eén trede bij de ingang."
    place.save()
    house.house_rules = "Laat de zaal netjes achter."
    house.save()
    booking = BookingFactory(room=room, renter=renter, purpose="Naailes voor buurvrouwen")
    client.force_login(renter)
    bookings = client.get(reverse("bookings:my_bookings")).content.decode()
    assert '<span lang="nl">Naailes voor buurvrouwen</span>' in bookings
    cancel = client.get(reverse("bookings:booking_cancel", args=[booking.pk])).content.decode()
    assert '<span lang="nl">Naailes voor buurvrouwen</span>' in cancel
    house_page = client.get(reverse("locations:house_detail", args=[house.slug])).content.decode()
    assert '<span lang="nl">Eén trede bij de ingang.</span>' in house_page
    room_page = client.get(reverse("bookings:room_detail", args=[room.pk])).content.decode()
    assert '<span lang="nl">Eén trede bij de ingang.</span>' in room_page
    assert '<div class="huizen-rooms-rules" lang="nl">' in room_page
