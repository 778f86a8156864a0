"""The shift reminders through a real Celery worker (Redis db 13): the beat task, the outbox and the e-mail task
each run in the worker; two runs of the schedule remind once."""

import socket
import threading

import pytest
from django.core import mail

from huizen.celery import app
from huizen.models import OutboxMessage
from tests.volunteers.factories import CertificateFactory, ShiftAssignmentFactory, ShiftFactory, VolunteerFactory
from volunteers.models import ShiftAssignment, VolunteerRole
from volunteers.tasks.rosters import send_shift_reminders


def redis_reachable() -> bool:
    try:
        with socket.create_connection(("127.0.0.1", 6379), timeout=0.5):
            return True
    except OSError:
        return False


def _reset_broker_connections():
    from huizen import outbox

    app._pool = None
    app.amqp._producer_pool = None
    outbox._broker_down_until = 0.0


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(not redis_reachable(), reason="needs Redis at 127.0.0.1:6379 (db 13) for a real worker")
def test_a_real_worker_reminds_of_tomorrows_shift_once(house):
    from celery.contrib.testing.worker import start_worker

    volunteer = VolunteerFactory(house=house, roles=[VolunteerRole.HOST])
    CertificateFactory(volunteer=volunteer)
    assignment = ShiftAssignmentFactory(shift=ShiftFactory(house=house), volunteer=volunteer)  # tomorrow
    settings_before = (app.conf.broker_url, app.conf.task_always_eager)
    app.conf.broker_url = "redis://127.0.0.1:6379/13"
    app.conf.task_always_eager = False
    _reset_broker_connections()
    try:
        with app.connection_for_write() as connection:
            connection.default_channel.client.flushdb()
        with start_worker(app, perform_ping_check=False, pool="solo", concurrency=1, shutdown_timeout=30):
            for _run in range(2):  # the schedule's run, and the same run again
                send_shift_reminders.delay()
            for _wait in range(120):
                if mail.outbox and not OutboxMessage.objects.filter(sent_at__isnull=True).exists():
                    break
                threading.Event().wait(0.5)
            threading.Event().wait(1)  # anything more would arrive now
    finally:
        app.conf.broker_url, app.conf.task_always_eager = settings_before
        _reset_broker_connections()
    assert ShiftAssignment.objects.get(pk=assignment.pk).reminded_at is not None
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == [volunteer.user.email]
