"""Plain-text e-mails stay plain (no HTML escaping), and a title with a line break cannot break a subject."""

import datetime as dt

import pytest
from django.utils import timezone

from activities import tasks
from bookings import tasks as booking_tasks
from tests.factories import ActivityFactory, BookingFactory, RegistrationFactory, RoomFactory, SessionFactory

pytestmark = pytest.mark.date_sensitive


@pytest.fixture
def session(db):
    day = timezone.localdate() + dt.timedelta(days=3)
    activity = ActivityFactory(title="Koffie & thee <met> 'koek'", first_date=day, registration_required=True)
    activity.house.name = 'Huis "De Brug" & co'
    activity.house.save(update_fields=["name"])
    return SessionFactory(activity=activity)


def test_a_registration_email_has_the_title_as_typed(session, mailoutbox):
    registration = RegistrationFactory(session=session, status="confirmed")
    tasks.send_registration_email(registration.pk)
    (mail,) = mailoutbox
    assert "Koffie & thee <met> 'koek'" in mail.subject
    assert "Koffie & thee <met> 'koek'" in mail.body
    assert 'Huis "De Brug" & co' in mail.body
    assert "&amp;" not in mail.body + mail.subject and "&#x27;" not in mail.body + mail.subject


def test_a_session_change_email_has_the_title_and_reason_as_typed(session, mailoutbox):
    registration = RegistrationFactory(session=session, status="confirmed")
    session.status, session.change_reason = "cancelled", "Ziek & zwak"
    session.save(update_fields=["status", "change_reason"])
    tasks.send_session_change_email(registration.pk, "cancelled")
    (mail,) = mailoutbox
    assert "Koffie & thee" in mail.subject and "Koffie & thee" in mail.body and "Ziek & zwak" in mail.body
    assert "&amp;" not in mail.body


def test_a_title_with_a_line_break_stored_before_still_gives_a_one_line_subject(session, mailoutbox):
    session.activity.title = "Koffie\n& thee\r\n"
    session.activity.save(update_fields=["title"])
    registration = RegistrationFactory(session=session, status="confirmed")
    tasks.send_registration_email(registration.pk)  # a newline in a subject would raise BadHeaderError
    (mail,) = mailoutbox
    assert "\n" not in mail.subject and "\r" not in mail.subject
    assert mail.subject.endswith("Koffie & thee")


def test_a_booking_email_is_plain_text(db, mailoutbox):
    room = RoomFactory(name="Zaal & keuken")
    booking = BookingFactory(room=room, decision_reason="Vol <helaas> & druk")
    booking_tasks.send_booking_email(booking.pk, "rejected")
    (mail,) = mailoutbox
    assert "Zaal & keuken" in mail.subject and "Zaal & keuken" in mail.body
    assert "Vol <helaas> & druk" in mail.body and "&amp;" not in mail.body
