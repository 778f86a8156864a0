"""Every e-mail speaks the recipient's language, names the site by SITE_NAME (not the server's address) and links
to what it is about, with a full address."""

import datetime as dt
import re

import pytest
from django.core import mail
from django.test import TestCase
from django.urls import reverse
from django.utils import timezone, translation

from accounts.mail import send_templated_mail
from activities import tasks
from bookings import tasks as booking_tasks
from tests.factories import (
    ActivityFactory,
    BookingFactory,
    RegistrationFactory,
    SessionFactory,
    UserFactory,
    bookable_room,
)

pytestmark = pytest.mark.date_sensitive

SITE = "https://testserver"


@pytest.fixture(autouse=True)
def _site(settings):
    settings.SITE_NAME = "Huizen van de Wijk Rotterdam"
    settings.SITE_URL = SITE


@pytest.fixture
def session(db):
    day = timezone.localdate() + dt.timedelta(days=3)
    activity = ActivityFactory(title="Samen eten", first_date=day, registration_required=True)
    return SessionFactory(activity=activity)


@pytest.fixture(params=["nl", "en"])
def language(request):
    return request.param


# What each e-mail says in Dutch and in English, so a test can tell the languages apart.
WORDS = {
    "registration": {
        "nl": ("Je bent aangemeld: Samen eten", "Hallo Sam,"),
        "en": ("You are registered: Samen eten", "Hello Sam,"),
    },
    "cancelled": {"nl": ("Afgelast: Samen eten", "Reden"), "en": ("Cancelled: Samen eten", "Reason")},
    "booking": {
        "nl": ("Niet mogelijk: Grote zaal", "Mijn boekingen"),
        "en": ("Not possible: Grote zaal", "My bookings"),
    },
}


def the_mail():
    (message,) = mail.outbox
    return message


def test_a_registration_email_is_in_the_residents_language_with_a_link_to_the_session(session, language):
    # Whatever language the sender's page happens to be in, the resident's own language counts.
    other = "en" if language == "nl" else "nl"
    registration = RegistrationFactory(session=session, status="confirmed", user=UserFactory(language=language))
    with translation.override(other):
        tasks.send_registration_email(registration.pk)
    message = the_mail()
    subject, hello = WORDS["registration"][language]
    assert message.subject == subject
    assert message.body.startswith(hello)
    assert "Huizen van de Wijk Rotterdam" in message.body
    assert SITE + reverse("activities:session_detail", args=[session.pk]) in message.body
    assert SITE + reverse("activities:my_registrations") in message.body


def test_a_session_change_email_is_in_the_residents_language_with_a_link(session, language):
    registration = RegistrationFactory(session=session, status="confirmed", user=UserFactory(language=language))
    session.status, session.change_reason = "cancelled", "Ziek"
    session.save(update_fields=["status", "change_reason"])
    tasks.send_session_change_email(registration.pk, "cancelled")
    message = the_mail()
    subject, reason = WORDS["cancelled"][language]
    assert message.subject == subject and f"{reason}: Ziek" in message.body
    assert "Huizen van de Wijk Rotterdam" in message.body
    assert SITE + reverse("activities:session_detail", args=[session.pk]) in message.body


def test_a_booking_email_is_in_the_renters_language_with_a_link_to_their_bookings(db, language):
    booking = BookingFactory(room=bookable_room(name="Grote zaal"), renter=UserFactory(language=language))
    booking_tasks.send_booking_email(booking.pk, "rejected")
    message = the_mail()
    subject, link_label = WORDS["booking"][language]
    assert message.subject == subject
    assert "Huizen van de Wijk Rotterdam" in message.body
    assert f"{link_label}: {SITE}{reverse('bookings:my_bookings')}" in message.body


@pytest.mark.parametrize(("language", "hello"), [("nl", "Hallo Noor,"), ("en", "Hello Noor,")])
def test_an_email_greets_the_person_by_their_first_name(db, language, hello):
    renter = UserFactory(first_name="Noor", language=language)
    booking = BookingFactory(room=bookable_room(name="Grote zaal"), renter=renter)
    booking_tasks.send_booking_email(booking.pk, "rejected")
    assert the_mail().body.startswith(hello + "\n")
    renter.first_name = ""  # an account from before sign-up asked for a name
    renter.save()
    mail.outbox.clear()
    booking_tasks.send_booking_email(booking.pk, "rejected")
    assert the_mail().body.startswith(hello.split()[0] + ",\n")


def test_a_phone_booking_contact_gets_dutch_and_a_link_to_the_room(db):
    booking = BookingFactory(
        room=bookable_room(name="Grote zaal"), renter=None, contact_name="Beller", contact_email="beller@example.nl"
    )
    with translation.override("en"):
        booking_tasks.send_booking_email(booking.pk, "rejected")
    message = the_mail()
    assert message.to == ["beller@example.nl"]
    assert message.subject == "Niet mogelijk: Grote zaal"
    assert SITE + reverse("bookings:room_detail", args=[booking.room_id]) in message.body


def test_the_helper_sends_to_a_plain_address_in_a_given_language(db, tmp_path, settings):
    settings.TEMPLATES = [{**settings.TEMPLATES[0], "DIRS": [tmp_path, *settings.TEMPLATES[0]["DIRS"]]}]
    (tmp_path / "note_subject.txt").write_text('{% load i18n %}{% translate "Hello," %}\n{{ SITE_NAME }}\n')
    (tmp_path / "note.txt").write_text("{% autoescape off %}{{ SITE_URL }}{{ path }} & co{% endautoescape %}")
    send_templated_mail(to="iemand@example.nl", template="note", context={"path": "/x/"}, language="en")
    message = the_mail()
    assert message.subject == "Hello, Huizen van de Wijk Rotterdam"  # one line
    assert message.body == f"{SITE}/x/ & co"


# --- django-allauth's e-mails -------------------------------------------------------------------------------


capture_on_commit_callbacks = TestCase.captureOnCommitCallbacks


def signup(client, language, page_language):
    client.cookies["django_language"] = page_language
    password = "een-lang-wachtwoord-42"
    data = {"first_name": "Noor", "email": "noor@example.nl", "password1": password, "password2": password}
    with capture_on_commit_callbacks(execute=True):  # allauth's e-mails go through the outbox after the commit
        client.post(reverse("account_signup"), {**data, "language": language})
    return the_mail()


@pytest.mark.parametrize(
    ("language", "page_language", "subject", "hello"),
    [
        ("en", "nl", "Please Confirm Your Email Address", "Hello from Huizen van de Wijk Rotterdam!"),
        ("nl", "en", "Bevestig je e-mailadres", "Hallo van Huizen van de Wijk Rotterdam!"),
    ],
)
def test_the_confirmation_email_is_in_the_chosen_language_and_names_the_site(
    client, db, language, page_language, subject, hello
):
    message = signup(client, language, page_language)
    assert message.subject == f"[Huizen van de Wijk Rotterdam] {subject}"
    assert message.body.startswith(hello)
    assert "testserver" not in message.body.split("\n")[0]
    assert re.search(r"https?://testserver/accounts/confirm-email/\S+/", message.body)


@pytest.mark.parametrize(
    ("language", "words"),
    [("en", "You're receiving this email because"), ("nl", "Je ontvangt deze mail omdat")],
)
def test_the_password_reset_email_is_in_the_users_language(client, db, language, words):
    user = UserFactory(language=language)
    with capture_on_commit_callbacks(execute=True):
        client.post(reverse("account_reset_password"), {"email": user.email})
    message = the_mail()
    assert words in message.body
    assert "Huizen van de Wijk Rotterdam" in message.body
    assert "/accounts/password/reset/key/" in message.body


def test_allauths_emails_wait_in_the_outbox_until_the_commit(client, db):
    """Sign-up is not sent inside the request: the message is an outbox row first, so an SMTP or broker outage
    delays the e-mail instead of failing the sign-up."""
    from huizen.models import OutboxMessage

    password = "een-lang-wachtwoord-42"
    data = {"first_name": "Noor", "email": "noor@example.nl", "password1": password, "password2": password}
    client.post(reverse("account_signup"), {**data, "language": "nl"})
    (message,) = OutboxMessage.objects.filter(task="accounts.tasks.send_rendered_mail")
    assert message.args[3] == ["noor@example.nl"]
    assert not mail.outbox  # nothing sent before the commit
