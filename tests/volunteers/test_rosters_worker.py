"""The shift reminders through a real Celery worker (Redis db 13): the beat task, the outbox and the e-mail task
each run in the worker; two runs of the schedule remind once."""

import threading

import pytest
from django.core import mail

from huizen.models import OutboxMessage
from tests.volunteers.factories import CertificateFactory, ShiftAssignmentFactory, ShiftFactory, VolunteerFactory
from tests.worker import real_worker, redis_reachable, wait_until
from volunteers.models import ShiftAssignment, VolunteerRole
from volunteers.tasks.rosters import send_shift_reminders


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(not redis_reachable(), reason="needs Redis at 127.0.0.1:6379 (db 13) for a real worker")
def test_a_real_worker_reminds_of_tomorrows_shift_once(house):
    volunteer = VolunteerFactory(house=house, roles=[VolunteerRole.HOST])
    CertificateFactory(volunteer=volunteer)
    assignment = ShiftAssignmentFactory(shift=ShiftFactory(house=house), volunteer=volunteer)  # tomorrow
    with real_worker(13):
        for _run in range(2):  # the schedule's run, and the same run again
            send_shift_reminders.delay()
        wait_until(lambda: mail.outbox and not OutboxMessage.objects.filter(sent_at__isnull=True).exists())
        threading.Event().wait(1)  # anything more would arrive now
    assert ShiftAssignment.objects.get(pk=assignment.pk).reminded_at is not None
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == [volunteer.user.email]
