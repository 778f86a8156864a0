"""Wording fixes after the browser walk of issue 9, read in Dutch: no double full stop after a name that ends in an
initial, "Afmelden" on My registrations, a heading for the e-mail and password links, plain words on the e-mail
page, and "wijs haar af" (een aanvraag) in the coordinator's e-mail."""

import datetime as dt

import pytest
from allauth.account.models import EmailAddress
from django.contrib.messages import get_messages
from django.urls import reverse
from django.utils import timezone, translation

from accounts.models import Role
from tests.factories import (
    PASSWORD,
    ActivityFactory,
    PlaceFactory,
    RegistrationFactory,
    RoleAssignmentFactory,
    SessionFactory,
    UserFactory,
    at,
    bookable_room,
    next_weekday,
)


@pytest.fixture
def dutch():
    with translation.override("nl"):
        yield


def test_logging_in_says_the_name_without_a_second_full_stop(client, db, dutch):
    user = UserFactory(first_name="Fatima", last_name="E.")
    response = client.post(reverse("account_login"), {"login": user.email, "password": PASSWORD}, follow=True)
    texts = [str(message) for message in get_messages(response.wsgi_request)]
    assert texts == ["Je bent nu ingelogd als Fatima E."]


def test_my_registrations_offers_afmelden_with_the_session_in_hidden_text(client, db, dutch):
    resident = UserFactory()
    start = timezone.now() + dt.timedelta(days=2)
    activity = ActivityFactory(title="Taalcafé", registration_required=True, first_date=start.date())
    RegistrationFactory(session=SessionFactory(activity=activity), user=resident)
    client.force_login(resident)
    html = client.get(reverse("activities:my_registrations")).content.decode()
    assert '>Afmelden<span class="huizen-agenda-hidden"> – Taalcafé op ' in html
    assert "Annuleren" not in html and "aria-label" not in html.split("<main", 1)[1]


def test_my_details_heads_the_email_and_password_links_by_what_they_are(client, resident, dutch):
    client.force_login(resident)
    html = client.get(reverse("accounts:my_details")).content.decode()
    assert ">E-mailadres en wachtwoord</h2>" in html
    assert ">Inloggen</h2>" not in html


def test_the_email_page_uses_plain_words(client, resident, dutch):
    EmailAddress.objects.create(user=resident, email="tweede@example.nl", verified=False, primary=False)
    client.force_login(resident)
    html = client.get(reverse("account_email")).content.decode()
    for plain in (
        "Bevestigd",
        "Niet bevestigd",
        "Hoofdadres",
        "Maak dit je hoofdadres",
        "Stuur de bevestigingsmail opnieuw",
    ):
        assert plain in html, plain
    for jargon in ("Geverifieerd", "Primair", "primair", "verificatie"):
        assert jargon not in html, jargon
    response = client.post(reverse("account_email"), {"email": "tweede@example.nl", "action_primary": ""}, follow=True)
    assert [str(m) for m in get_messages(response.wsgi_request)] == ["Je hoofdadres moet bevestigd zijn."]


def test_the_coordinators_request_email_says_wijs_haar_af(house, mailoutbox, django_capture_on_commit_callbacks):
    from bookings import services

    RoleAssignmentFactory(user=UserFactory(language="nl"), role=Role.COORDINATOR, house=house)
    renter = UserFactory(language="nl")
    room = bookable_room(place=PlaceFactory(house=house))
    tuesday = next_weekday(1)
    with django_capture_on_commit_callbacks(execute=True):
        services.booking_request(
            room=room,
            start=at(tuesday, 10),
            end=at(tuesday, 12),
            tier="social",
            purpose="Buurtoverleg",
            people=12,
            renter=renter,
            rules_accepted=True,
            by=renter,
        )
    (notice,) = [message for message in mailoutbox if message.to != [renter.email]]
    assert "Keur de aanvraag goed of wijs haar af" in notice.body
    assert "wijs hem af" not in notice.body
