"""Registering for a session: the button on the session page, the waiting list, e-mail after commit, capacity under
concurrent registrations, a resident's own registrations, and who may cancel what."""

import datetime as dt
import threading
from collections import Counter
from zoneinfo import ZoneInfo

import pytest
from django.conf import settings
from django.core import mail
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from activities import services
from activities.models import Registration
from audit.services import SYSTEM
from tests.factories import ActivityFactory, RegistrationFactory, SessionFactory, UserFactory

AMSTERDAM = ZoneInfo("Europe/Amsterdam")
NOW = dt.datetime(2026, 3, 4, 10, 0, tzinfo=AMSTERDAM)
MINE = reverse("activities:my_registrations")


@pytest.fixture
def now(db, monkeypatch):
    monkeypatch.setattr("django.utils.timezone.now", lambda: NOW)
    return NOW


def plan(*, day=None, **activity):
    """A session tomorrow (after NOW) of an activity that needs registration, unless told otherwise."""
    activity.setdefault("registration_required", True)
    day = day or NOW.date() + dt.timedelta(days=1)
    return SessionFactory(activity=ActivityFactory(first_date=day, **activity))


def detail_url(session):
    return reverse("activities:session_detail", args=[session.pk])


def register_url(session):
    return reverse("activities:session_register", args=[session.pk])


def cancel_url(registration):
    return reverse("activities:registration_cancel", args=[registration.pk])


def login(client, user):
    client.force_login(user)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


def messages_of(response) -> list[str]:
    return [str(message) for message in response.context["messages"]]


# --- the session page and the register button ------------------------------------------------------------------


def test_anonymous_visitor_is_sent_to_log_in_and_comes_back(client, now):
    session = plan(capacity=5)
    html = client.get(detail_url(session)).content.decode()
    assert f'action="{register_url(session)}"' in html
    response = client.post(register_url(session))
    assert response.status_code == 302
    assert response.url == f"{reverse('account_login')}?next={detail_url(session)}"
    assert not Registration.objects.exists()


def test_resident_registers_and_gets_a_confirmation_by_email(client, now, resident, django_capture_on_commit_callbacks):
    session = plan(capacity=5, title="Taalcafé")
    login(client, resident)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(register_url(session), follow=True)
    assert response.redirect_chain == [(detail_url(session), 302)]
    assert messages_of(response) == ["You are registered. We have sent you a confirmation by e-mail."]
    html = response.content.decode()
    assert "You are registered." in html and "Cancel my registration" in html
    registration = Registration.objects.get()
    assert (registration.user, registration.status) == (resident, Registration.Status.CONFIRMED)
    (email,) = mail.outbox
    assert email.to == [resident.email] and "Taalcafé" in email.subject


def test_full_session_puts_the_resident_on_the_waiting_list_with_their_position(
    client, now, django_capture_on_commit_callbacks
):
    session = plan(capacity=1)
    RegistrationFactory(session=session)
    RegistrationFactory(session=session, status=Registration.Status.WAITING)
    resident = UserFactory()
    login(client, resident)
    assert "This session is full" in client.get(detail_url(session)).content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(register_url(session), follow=True)
    assert "you are on the waiting list (position 2)" in messages_of(response)[0]
    assert "You are on the waiting list (position 2)." in response.content.decode()
    assert Registration.objects.get(user=resident).status == Registration.Status.WAITING
    (email,) = mail.outbox
    assert "waiting list" in email.subject.lower() or "wachtlijst" in email.subject.lower()


def test_waiting_list_moves_up_when_someone_cancels(client, now, django_capture_on_commit_callbacks):
    session = plan(capacity=1, title="Samen koken")
    first, second = UserFactory(), UserFactory()
    with django_capture_on_commit_callbacks(execute=True):
        login(client, first).post(register_url(session), follow=True)
        login(client, second).post(register_url(session), follow=True)
    a = Registration.objects.get(user=first)
    b = Registration.objects.get(user=second)
    assert (a.status, b.status) == (Registration.Status.CONFIRMED, Registration.Status.WAITING)
    mail.outbox.clear()

    login(client, first)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(cancel_url(a), {"next": detail_url(session)}, follow=True)
    assert response.redirect_chain == [(detail_url(session), 302)]
    assert messages_of(response) == ["Your registration for Samen koken is cancelled."]
    a.refresh_from_db()
    b.refresh_from_db()
    assert (a.status, b.status) == (Registration.Status.CANCELLED, Registration.Status.CONFIRMED)
    (email,) = mail.outbox
    assert email.to == [second.email]


def test_registering_twice_is_refused(client, now, resident):
    session = plan(capacity=5)
    login(client, resident).post(register_url(session), follow=True)
    response = client.post(register_url(session), follow=True)
    assert messages_of(response) == ["You are already registered for this session."]
    assert Registration.objects.filter(user=resident).count() == 1
    with pytest.raises(ValidationError):
        services.registration_register(session=session, user=resident, by=resident)


def test_registering_for_an_activity_without_registration_is_refused(client, now, resident):
    session = plan(registration_required=False)
    login(client, resident)
    html = client.get(detail_url(session)).content.decode()
    assert "No registration needed: just come along." in html
    assert register_url(session) not in html
    response = client.post(register_url(session), follow=True)
    assert messages_of(response) == ["This activity needs no registration: just come along."]
    assert not Registration.objects.exists()
    with pytest.raises(ValidationError):
        services.registration_register(session=session, user=resident, by=resident)


def test_cancelled_session_shows_its_reason_and_no_button(client, now, resident):
    session = plan(capacity=5)
    services.session_cancel(session=session, reason="De kok is ziek", by=SYSTEM)
    login(client, resident)
    html = client.get(detail_url(session)).content.decode()
    assert "This session is cancelled." in html and "De kok is ziek" in html
    assert register_url(session) not in html
    response = client.post(register_url(session), follow=True)
    assert messages_of(response) == ["This session is cancelled."]
    assert not Registration.objects.exists()


def test_register_and_cancel_only_take_post(client, now, resident):
    session = plan(capacity=5)
    registration = RegistrationFactory(session=session, user=resident)
    login(client, resident)
    assert client.get(register_url(session)).status_code == 405
    assert client.get(cancel_url(registration)).status_code == 405


def test_registering_for_an_unknown_session_is_404(client, now, resident):
    login(client, resident)
    assert client.post(reverse("activities:session_register", args=[999999])).status_code == 404


# --- capacity under concurrent registrations -------------------------------------------------------------------


@pytest.mark.django_db(transaction=True)
@pytest.mark.date_sensitive
def test_capacity_is_never_exceeded_under_concurrent_registrations():
    session = SessionFactory(activity=ActivityFactory(registration_required=True, capacity=3))
    users = [UserFactory() for _ in range(8)]
    barrier = threading.Barrier(len(users))
    errors: list[BaseException] = []

    def register(user):
        try:
            barrier.wait(timeout=10)
            services.registration_register(session=session, user=user, by=user)
        except BaseException as error:  # noqa: BLE001 - reported below
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=register, args=(user,)) for user in users]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert errors == []
    statuses = Counter(Registration.objects.filter(session=session).values_list("status", flat=True))
    assert statuses == {Registration.Status.CONFIRMED: 3, Registration.Status.WAITING: 5}
    assert len(mail.outbox) == 8  # each one heard where they stand, after their commit


# --- a resident's own registrations ---------------------------------------------------------------------------


def test_my_registrations_lists_only_my_upcoming_registrations_with_their_status(client, now, resident):
    confirmed = RegistrationFactory(session=plan(title="Taalcafé", capacity=5), user=resident)
    full = plan(title="Samen eten", capacity=1, day=NOW.date() + dt.timedelta(days=2))
    RegistrationFactory(session=full)
    RegistrationFactory(session=full, status=Registration.Status.WAITING)
    RegistrationFactory(session=full, user=resident, status=Registration.Status.WAITING)
    RegistrationFactory(session=plan(title="Afgemeld"), user=resident, status=Registration.Status.CANCELLED)
    RegistrationFactory(session=plan(title="Vorige week", day=NOW.date() - dt.timedelta(days=7)), user=resident)
    RegistrationFactory(session=plan(title="Van een ander"))

    response = login(client, resident).get(MINE)
    html = response.content.decode()
    assert [r.session.activity.title for r in response.context["page"].object_list] == ["Taalcafé", "Samen eten"]
    assert "Registered" in html and "On the waiting list (position 2)" in html
    assert f'action="{cancel_url(confirmed)}"' in html
    assert "Afgemeld" not in html and "Vorige week" not in html and "Van een ander" not in html


def test_my_registrations_empty_state_points_to_the_agenda(client, now, resident):
    html = login(client, resident).get(MINE).content.decode()
    assert "You have no registrations for activities still to come." in html
    assert f'href="{reverse("activities:agenda")}"' in html


def test_my_registrations_query_count_does_not_grow_with_the_number_of_registrations(client, now, resident):
    RegistrationFactory(session=plan(capacity=5), user=resident)
    login(client, resident)
    with CaptureQueriesContext(connection) as one:
        assert client.get(MINE).status_code == 200
    for n in range(49):
        status = Registration.Status.WAITING if n % 2 else Registration.Status.CONFIRMED
        RegistrationFactory(session=plan(title=f"Activiteit {n}", capacity=5), user=resident, status=status)
    with CaptureQueriesContext(connection) as fifty:
        response = client.get(MINE)
    assert len(response.context["page"].object_list) == 50
    assert len(fifty) == len(one)


def test_cancelling_from_my_registrations_returns_there(client, now, resident):
    registration = RegistrationFactory(session=plan(capacity=5, title="Yoga"), user=resident)
    response = login(client, resident).post(cancel_url(registration), {"next": MINE}, follow=True)
    assert response.redirect_chain == [(MINE, 302)]
    registration.refresh_from_db()
    assert registration.status == Registration.Status.CANCELLED
    assert messages_of(response) == ["Your registration for Yoga is cancelled."]
    assert "You have no registrations for activities still to come." in response.content.decode()


def test_cancel_does_not_redirect_to_another_site(client, now, resident):
    registration = RegistrationFactory(session=plan(capacity=5), user=resident)
    response = login(client, resident).post(cancel_url(registration), {"next": "https://evil.example/"})
    assert response.url == MINE


def test_anonymous_visitor_is_sent_to_log_in_for_my_registrations_and_cancelling(client, now):
    registration = RegistrationFactory(session=plan(capacity=5))
    response = client.get(MINE)
    assert response.status_code == 302 and response.url.startswith(reverse("account_login"))
    response = client.post(cancel_url(registration))
    assert response.status_code == 302 and response.url.startswith(reverse("account_login"))
    registration.refresh_from_db()
    assert registration.status == Registration.Status.CONFIRMED


def test_resident_cannot_cancel_someone_elses_registration(client, now, resident):
    someone_else = RegistrationFactory(session=plan(capacity=5))
    response = login(client, resident).post(cancel_url(someone_else))
    assert response.status_code == 404
    someone_else.refresh_from_db()
    assert someone_else.status == Registration.Status.CONFIRMED
    assert login(client, resident).post(reverse("activities:registration_cancel", args=[999999])).status_code == 404


def test_cancelling_twice_says_so(client, now, resident):
    registration = RegistrationFactory(session=plan(capacity=5), user=resident)
    login(client, resident).post(cancel_url(registration), follow=True)
    response = client.post(cancel_url(registration), follow=True)
    assert messages_of(response) == ["This registration was already cancelled."]


# --- cancelled sessions, late cancellations and retention -------------------------------------------------


@pytest.mark.date_sensitive
def test_registered_residents_hear_when_a_session_is_cancelled(django_capture_on_commit_callbacks, db):
    session = SessionFactory(activity=ActivityFactory(registration_required=True, capacity=5))
    for user in (UserFactory(), UserFactory()):
        services.registration_register(session=session, user=user, by=user)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.session_cancel(session=session, reason="De zaal lekt", by=SYSTEM)
    assert len(mail.outbox) == 2
    assert "De zaal lekt" in mail.outbox[0].body


@pytest.mark.date_sensitive
def test_a_started_session_cannot_be_cancelled_from(db):
    from django.utils import timezone

    session = SessionFactory(
        activity=ActivityFactory(registration_required=True),
        start=timezone.now() - dt.timedelta(hours=1),
        end=timezone.now() + dt.timedelta(hours=1),
    )
    registration = RegistrationFactory(session=session)
    with pytest.raises(ValidationError):
        services.registration_cancel(registration=registration, by=registration.user)
    registration.refresh_from_db()
    assert registration.status == "confirmed"


@pytest.mark.date_sensitive
def test_old_registrations_are_pruned_and_recent_ones_kept(db):
    from django.utils import timezone

    from activities.models import Registration
    from activities.services import registrations_prune
    from audit.services import SCHEDULE

    old = SessionFactory(start=timezone.now() - dt.timedelta(days=40), end=timezone.now() - dt.timedelta(days=40))
    recent = SessionFactory(start=timezone.now() - dt.timedelta(days=5), end=timezone.now() - dt.timedelta(days=5))
    RegistrationFactory(session=old)
    kept = RegistrationFactory(session=recent)
    assert registrations_prune(by=SCHEDULE, now=timezone.now(), days=30) == 1
    assert list(Registration.objects.all()) == [kept]


@pytest.mark.date_sensitive
def test_nobody_moves_up_for_a_cancelled_session(db, django_capture_on_commit_callbacks):
    session = SessionFactory(activity=ActivityFactory(registration_required=True, capacity=1))
    first = services.registration_register(session=session, user=UserFactory(), by=UserFactory())
    waiting = services.registration_register(session=session, user=UserFactory(), by=UserFactory())
    services.session_cancel(session=session, reason="Geen begeleiding", by=SYSTEM)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        assert services.registration_cancel(registration=first, by=first.user) is None
    waiting.refresh_from_db()
    assert waiting.status == "waiting" and mail.outbox == []


@pytest.mark.date_sensitive
def test_registered_residents_hear_when_a_session_moves(db, django_capture_on_commit_callbacks):
    session = SessionFactory(activity=ActivityFactory(registration_required=True, capacity=5))
    services.registration_register(session=session, user=UserFactory(), by=UserFactory())
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.session_move(
            session=session,
            start=session.start + dt.timedelta(days=1),
            end=session.end + dt.timedelta(days=1),
            reason="De zaal is bezet",
            by=SYSTEM,
        )
    assert len(mail.outbox) == 1 and "De zaal is bezet" in mail.outbox[0].body


@pytest.mark.date_sensitive
def test_only_sessions_still_to_come_can_be_cancelled_or_moved(db):
    from django.utils import timezone

    past = SessionFactory(
        start=timezone.now() - dt.timedelta(days=3), end=timezone.now() - dt.timedelta(days=3, hours=-2)
    )
    with pytest.raises(ValidationError):
        services.session_cancel(session=past, reason="Vergeten", by=SYSTEM)
    with pytest.raises(ValidationError):
        services.session_move(session=past, start=past.start, end=past.end, reason="Vergeten", by=SYSTEM)
    coming = SessionFactory()
    with pytest.raises(ValidationError):
        services.session_move(
            session=coming,
            start=timezone.now() - dt.timedelta(hours=2),
            end=timezone.now(),
            reason="Terug in de tijd",
            by=SYSTEM,
        )
    past.refresh_from_db()
    assert past.status == "planned"


@pytest.mark.date_sensitive
def test_cancelling_a_registration_of_a_started_session_is_a_message_not_a_500(english, db):
    from django.utils import timezone

    session = SessionFactory(
        activity=ActivityFactory(registration_required=True),
        start=timezone.now() - dt.timedelta(minutes=30),
        end=timezone.now() + dt.timedelta(hours=1),
    )
    registration = RegistrationFactory(session=session)
    english.force_login(registration.user)
    response = english.post(reverse("activities:registration_cancel", args=[registration.pk]), follow=True)
    assert response.status_code == 200
    assert "already started" in response.content.decode()
    registration.refresh_from_db()
    assert registration.status == "confirmed"
    cancel_url = reverse("activities:registration_cancel", args=[registration.pk])
    assert cancel_url not in english.get(reverse("activities:my_registrations")).content.decode()


def test_my_registrations_page_is_never_stored(client, now, resident):
    response = login(client, resident).get(MINE)
    assert "no-store" in response["Cache-Control"] and "private" in response["Cache-Control"]
