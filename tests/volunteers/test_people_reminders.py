"""Certificate reminders: 60, 30 and 7 days before a certificate expires (and on the day itself), once per step;
a missed day sends the step due now, not the skipped larger ones."""

import datetime as dt
import threading

import pytest
from django.core import mail
from django.utils import timezone

from audit.services import SCHEDULE
from huizen.celery import app
from huizen.models import OutboxMessage
from tests.volunteers.factories import CertificateFactory, VolunteerFactory
from tests.worker import real_worker, redis_reachable, wait_until
from volunteers.models import CertificateReminder, Volunteer
from volunteers.services.people import certificate_reminders_send, reminder_step
from volunteers.tasks.people import send_certificate_reminders

pytestmark = pytest.mark.date_sensitive

TODAY = timezone.localdate()  # the suite's clock (HUIZEN_TEST_NOW)


@pytest.mark.parametrize(
    ("days", "step"), [(61, None), (60, 60), (31, 60), (30, 30), (8, 30), (7, 7), (1, 7), (0, 7), (-1, None)]
)
def test_reminder_step(days, step):
    assert reminder_step(days) == step


def expiring_in(days, **volunteer):
    until = TODAY + dt.timedelta(days=days)
    return CertificateFactory(
        volunteer=VolunteerFactory(**volunteer), issued_on=until - dt.timedelta(days=365), valid_until=until
    )


def test_each_step_once_with_mail_to_volunteer_and_coordinators(
    house, coordinator, clock, django_capture_on_commit_callbacks
):
    certificate = expiring_in(60, house=house)
    with django_capture_on_commit_callbacks(execute=True):
        assert certificate_reminders_send(today=TODAY, by=SCHEDULE) == 1
    assert sorted(m.to[0] for m in mail.outbox) == sorted([certificate.volunteer.user.email, coordinator.email])
    assert certificate_reminders_send(today=TODAY, by=SCHEDULE) == 0  # the same day again: nothing
    assert certificate_reminders_send(today=TODAY + dt.timedelta(days=1), by=SCHEDULE) == 0
    assert certificate_reminders_send(today=TODAY + dt.timedelta(days=30), by=SCHEDULE) == 1
    assert certificate_reminders_send(today=TODAY + dt.timedelta(days=53), by=SCHEDULE) == 1
    assert sorted(CertificateReminder.objects.values_list("days_before", flat=True)) == [7, 30, 60]


def test_a_missed_day_sends_the_due_step_only(house):
    certificate = expiring_in(29, house=house)  # the 60 and 30 steps were missed
    assert certificate_reminders_send(today=TODAY, by=SCHEDULE) == 1
    assert list(CertificateReminder.objects.values_list("days_before", flat=True)) == [30]
    assert certificate.reminders.count() == 1


def test_on_the_day_itself_and_not_after(house):
    expiring_in(0, house=house)
    expiring_in(-1, house=house)
    assert certificate_reminders_send(today=TODAY, by=SCHEDULE) == 1
    assert CertificateReminder.objects.get().days_before == 7


def test_only_the_newest_of_a_kind_and_only_accepted_volunteers(house):
    old = expiring_in(20, house=house)
    CertificateFactory(
        volunteer=old.volunteer, issued_on=TODAY - dt.timedelta(days=3), valid_until=TODAY + dt.timedelta(days=1000)
    )
    expiring_in(20, house=house, status=Volunteer.Status.STOPPED, end_date=TODAY)
    assert certificate_reminders_send(today=TODAY, by=SCHEDULE) == 0


def test_no_address_the_coordinator_still_hears(house, coordinator, django_capture_on_commit_callbacks):
    expiring_in(7, house=house, user=None, email="")
    with django_capture_on_commit_callbacks(execute=True):
        certificate_reminders_send(today=TODAY, by=SCHEDULE)
    assert [m.to for m in mail.outbox] == [[coordinator.email]]
    assert "no e-mail address" in mail.outbox[0].body or "geen e-mailadres" in mail.outbox[0].body


def test_the_beat_task_through_the_outbox(house, coordinator, django_capture_on_commit_callbacks):
    """The task registered under its fixed name runs the service; the e-mails go through the outbox rows."""

    expiring_in(30, house=house)
    assert "volunteers.tasks.people.send_certificate_reminders" in app.tasks
    with django_capture_on_commit_callbacks(execute=True):
        result = send_certificate_reminders.apply()
    assert result.get() == 1
    assert OutboxMessage.objects.filter(task="volunteers.tasks.people.send_certificate_reminder").count() == 1
    assert len(mail.outbox) == 2


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(not redis_reachable(), reason="needs Redis at 127.0.0.1:6379 (db 13) for a real worker")
def test_a_real_worker_sends_each_reminder_once_when_the_schedule_runs_twice(house, coordinator):
    expiring_in(7, house=house)
    expiring_in(45, house=house, user=None, email="")
    with real_worker(13):
        for _run in range(2):  # the schedule's run, and the same run again
            send_certificate_reminders.delay()
        wait_until(lambda: len(mail.outbox) >= 3 and not OutboxMessage.objects.filter(sent_at__isnull=True).exists())
        threading.Event().wait(1)  # anything more would arrive now
    assert sorted(CertificateReminder.objects.values_list("days_before", flat=True)) == [7, 60]
    # The 7-day one to the volunteer and the coordinator; the 60-day one (no address) to the coordinator only.
    assert len(mail.outbox) == 3


def test_a_longer_renewal_period_starts_the_reminders_again(house, other_house, coordinator):
    from volunteers.services.people import house_volunteering_update

    later = TODAY + dt.timedelta(days=7)
    # Issued three years before a week from now (a 29 February moves to 1 March): it expires within the week.
    leap_day = (later.month, later.day) == (2, 29)
    issued = dt.date(later.year - 3, 3, 1) if leap_day else later.replace(year=later.year - 3)
    mine = CertificateFactory(volunteer=VolunteerFactory(house=house), issued_on=issued)
    theirs = CertificateFactory(volunteer=VolunteerFactory(house=other_house), issued_on=issued)
    assert certificate_reminders_send(today=TODAY, by=SCHEDULE) == 2
    house_volunteering_update(house=house, certificate_renewal_years=4, idle_after_days=90, by=coordinator)
    mine.refresh_from_db()
    assert not mine.reminders.exists()
    assert theirs.reminders.count() == 1  # its date did not move
    # A week before the new date the 7-day reminder comes again.
    assert certificate_reminders_send(today=mine.valid_until - dt.timedelta(days=5), by=SCHEDULE) == 1
    assert list(mine.reminders.values_list("days_before", flat=True)) == [7]
