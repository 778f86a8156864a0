"""The outbox: follow-up work of a committed change is kept when the broker is down, sent later exactly once by the
minute's flush, and pruned after the retention period."""

import datetime as dt
import logging
import threading

import pytest
from celery import shared_task
from django.conf import settings
from django.core import mail
from django.db import connection, transaction
from django.urls import reverse
from django.utils import timezone

from audit.services import SCHEDULE
from bookings.models import Booking
from huizen import outbox
from huizen.celery import app as celery_app
from huizen.models import OutboxMessage
from huizen.tasks import flush_outbox
from tests.factories import AMSTERDAM, UserFactory, bookable_room

NOW = dt.datetime(2026, 1, 14, 10, 0, tzinfo=AMSTERDAM)  # a Wednesday morning
DEAD_BROKER = "redis://127.0.0.1:1/0"  # nothing listens on port 1

received = []


@shared_task
def remember(value, *, twice=False):
    """A task for these tests: notes what it was sent."""
    received.extend([value] * (2 if twice else 1))


@shared_task
def fail_with_the_network(value):
    raise ConnectionRefusedError("the mail server is away")


class Clock:
    def __init__(self, monkeypatch):
        self.now = NOW
        monkeypatch.setattr("django.utils.timezone.now", lambda: self.now)

    def forward(self, **delta):
        self.now += dt.timedelta(**delta)


@pytest.fixture
def clock(db, monkeypatch):
    received.clear()
    return Clock(monkeypatch)


def _reset_broker_connections():
    celery_app._pool = None
    celery_app.amqp._producer_pool = None


class Broker:
    def __init__(self):
        self.saved = {"broker_url": celery_app.conf.broker_url, "task_always_eager": celery_app.conf.task_always_eager}

    def down(self):
        """Celery as in production (tasks go to the broker, not run in the process), the broker unreachable."""
        celery_app.conf.update(broker_url=DEAD_BROKER, task_always_eager=False)
        _reset_broker_connections()

    def back(self):
        """The broker is back; in the tests that means: tasks run in the process again."""
        celery_app.conf.update(self.saved)
        _reset_broker_connections()
        outbox._broker_down_until = 0.0  # forget the pause this process took after the failure


@pytest.fixture
def broker():
    broker = Broker()
    yield broker
    broker.back()


# --- a booking while the broker is down ------------------------------------------------------------------------


@pytest.fixture
def renter(english, clock):
    user = UserFactory(email="fatima@example.nl")
    english.force_login(user)
    return user


@pytest.fixture
def room(clock):
    return bookable_room(name="Grote zaal", capacity=20)


def request_booking(client, room):
    return client.post(
        reverse("bookings:booking_request", args=[room.pk]),
        {
            "date": "2026-01-20",
            "start": "10:00",
            "end": "12:00",
            "purpose": "Buurtoverleg",
            "people": "12",
            "tier": "social",
            "weeks": "1",
            "rules_accepted": "on",
            "confirm": "1",
        },
    )


@pytest.mark.django_db(transaction=True)
def test_a_booking_made_while_the_broker_is_down_is_saved_and_mailed_once_later(
    english, renter, room, clock, broker, caplog
):
    """Really committed (no test transaction around it), so the view meets the broker failure itself."""
    broker.down()
    with caplog.at_level(logging.WARNING, logger="huizen.outbox"):
        response = request_booking(english, room)
    assert response.status_code == 302
    assert response["Location"] == reverse("bookings:my_bookings")
    booking = Booking.objects.get()
    assert booking.renter == renter and booking.status == Booking.Status.REQUESTED
    message = OutboxMessage.objects.get()
    assert (message.task, message.args, message.sent_at, message.attempts) == (
        "bookings.tasks.send_booking_email",
        [booking.pk, "created"],
        None,
        1,
    )
    assert "OperationalError" in message.last_error
    assert "not sent on attempt 1, kept for later" in caplog.text
    assert not mail.outbox


def test_after_a_failure_the_next_messages_wait_for_the_flush_without_trying(
    clock, broker, django_capture_on_commit_callbacks, caplog
):
    broker.down()
    with caplog.at_level(logging.WARNING, logger="huizen.outbox"):
        with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
            for number in range(10):
                outbox.enqueue(remember, number)
    assert caplog.text.count("kept for later") == 1
    assert sorted(OutboxMessage.objects.values_list("attempts", flat=True)) == [0] * 9 + [1]
    broker.back()
    clock.forward(minutes=1)
    assert outbox.flush() == 10
    assert sorted(received) == list(range(10))


def test_the_flush_sends_what_waited_once_the_broker_is_back(
    english, renter, room, clock, broker, django_capture_on_commit_callbacks
):
    broker.down()
    with django_capture_on_commit_callbacks(execute=True):
        assert request_booking(english, room).status_code == 302
    broker.back()

    assert outbox.flush() == 0  # its pause after the failed attempt is not over yet
    clock.forward(minutes=1)
    assert outbox.flush() == 1
    assert [m.to for m in mail.outbox] == [["fatima@example.nl"]]
    assert "Grote zaal" in mail.outbox[0].subject + mail.outbox[0].body
    assert OutboxMessage.objects.get().sent_at == clock.now
    clock.forward(hours=1)
    assert outbox.flush() == 0
    assert outbox.flush() == 0
    assert len(mail.outbox) == 1


# --- the helper and the flush ------------------------------------------------------------------------------------


def test_a_message_is_sent_after_the_commit_and_marked_sent(clock, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        with transaction.atomic():
            outbox.enqueue(remember, "hello", twice=True)
            assert received == []  # nothing before the commit
    assert received == ["hello", "hello"]
    message = OutboxMessage.objects.get()
    assert (message.sent_at, message.attempts, message.last_error) == (NOW, 1, "")
    assert outbox.flush() == 0


def test_a_rolled_back_change_sends_nothing(clock, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        with pytest.raises(RuntimeError), transaction.atomic():
            outbox.enqueue(remember, "never")
            raise RuntimeError
    assert received == [] and not OutboxMessage.objects.exists()


def test_an_unknown_task_is_refused_at_once(clock):
    with pytest.raises(LookupError):
        outbox.enqueue("no.such.task", 1)


def test_arguments_must_be_json(clock):
    with pytest.raises(TypeError):
        outbox.enqueue(remember, NOW)


def test_a_failing_task_is_tried_again_with_growing_pauses(clock, django_capture_on_commit_callbacks, caplog):
    with caplog.at_level(logging.WARNING, logger="huizen.outbox"):
        with django_capture_on_commit_callbacks(execute=True):
            message = outbox.enqueue(fail_with_the_network, 1)
        waits = []
        for _attempt in range(6):
            message.refresh_from_db()
            waits.append(message.next_attempt_at - clock.now)
            clock.forward(seconds=(message.next_attempt_at - clock.now).total_seconds())
            assert outbox.flush() == 0
    message.refresh_from_db()
    assert waits == [dt.timedelta(minutes=m) for m in (1, 2, 4, 8, 15, 15)]
    assert message.attempts == 7 and message.sent_at is None
    assert "ConnectionRefusedError: the mail server is away" == message.last_error
    assert caplog.text.count("kept for later") == 7


def test_a_message_is_given_up_after_the_last_attempt(clock):
    message = outbox.enqueue(remember, "late")
    OutboxMessage.objects.filter(pk=message.pk).update(attempts=outbox.MAX_ATTEMPTS)
    assert outbox.flush() == 0
    assert received == []


def test_the_flush_sends_oldest_first_and_in_batches(clock):
    for number in range(5):
        outbox.enqueue(remember, number)  # no commit in this test: only the flush sends them
        clock.forward(seconds=1)
    assert outbox.flush(limit=3) == 3
    assert outbox.flush(limit=3) == 2
    assert received == [0, 1, 2, 3, 4]


@pytest.mark.django_db(transaction=True)
def test_flushes_side_by_side_send_each_message_once(monkeypatch):
    # what a broker outage left behind
    OutboxMessage.objects.bulk_create(
        OutboxMessage(task=remember.name, args=[number], attempts=1, next_attempt_at=timezone.now())
        for number in range(30)
    )
    received.clear()
    barrier = threading.Barrier(4)
    results = []

    def flush():
        try:
            barrier.wait()
            results.append(outbox.flush(limit=10))
        finally:
            connection.close()

    threads = [threading.Thread(target=flush) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    sent_so_far = sum(results)
    sent_so_far += outbox.flush()  # what the others left (with SKIP LOCKED each thread got its own batch)
    assert sent_so_far == 30
    assert sorted(received) == list(range(30))
    assert not OutboxMessage.objects.filter(sent_at=None).exists()


def test_sent_messages_are_pruned_after_the_retention_period(clock):
    old = outbox.enqueue(remember, "old")
    waiting = outbox.enqueue(remember, "waiting")
    outbox.flush()
    OutboxMessage.objects.filter(pk=waiting.pk).update(sent_at=None)
    clock.forward(days=30, minutes=1)
    recent = outbox.enqueue(remember, "recent")
    outbox.flush()
    assert outbox.prune(by=SCHEDULE, now=timezone.now(), days=30) == 1
    assert set(OutboxMessage.objects.values_list("pk", flat=True)) == {waiting.pk, recent.pk}
    assert old.pk not in OutboxMessage.objects.values_list("pk", flat=True)


def test_the_beat_flushes_every_minute_and_the_retention_task_prunes_daily():
    schedule = settings.CELERY_BEAT_SCHEDULE
    assert (schedule["flush-outbox"]["task"], schedule["flush-outbox"]["schedule"]) == ("huizen.tasks.flush_outbox", 60)
    assert schedule["apply-retention"]["task"] == "privacy.tasks.retention.apply_retention"
    celery_app.loader.import_default_modules()  # as the worker and the beat do when they start
    assert {"huizen.tasks.flush_outbox", "privacy.tasks.retention.apply_retention"} <= set(celery_app.tasks)


def test_the_flush_task_runs_the_flush(clock):
    outbox.enqueue(remember, "waited")
    assert flush_outbox.delay().get() == 1
    assert received == ["waited"]


def test_the_administrator_sees_what_waits_and_cannot_change_it(client, administrator, clock):
    message = outbox.enqueue(remember, "waiting")
    client.force_login(administrator)
    page = client.get(reverse("admin:huizen_outboxmessage_changelist"))
    assert page.status_code == 200
    assert "Uitgaande berichten" in page.content.decode() and remember.name in page.content.decode()
    assert client.get(reverse("admin:huizen_outboxmessage_change", args=[message.pk])).status_code == 200
    assert client.post(reverse("admin:huizen_outboxmessage_change", args=[message.pk]), {}).status_code == 403
    assert client.get(reverse("admin:huizen_outboxmessage_add")).status_code == 403
    delete = reverse("admin:huizen_outboxmessage_delete", args=[message.pk])
    assert client.post(delete, {"post": "yes"}).status_code == 403
    assert OutboxMessage.objects.filter(pk=message.pk, sent_at=None).exists()
