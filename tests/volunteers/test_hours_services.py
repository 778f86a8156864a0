"""Hours entered and decided; allowance payments against the caps."""

import datetime as dt
import threading
import time
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.db import DatabaseError, connection, transaction

from audit.models import Event
from locations.models import StaleDay
from tests.volunteers.factories import HoursEntryFactory, VolunteerFactory
from volunteers.models import AllowancePayment, HoursEntry, Volunteer
from volunteers.services.hours import age_on, allowance_pay, hours_decide, hours_submit

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _monday(clock):
    """These tests name their dates: they run on Monday 30 November 2026, whatever HUIZEN_TEST_NOW says."""
    clock.move_to(dt.datetime(2026, 11, 30, 7, tzinfo=ZoneInfo("Europe/Amsterdam")))


TODAY = dt.date(2026, 11, 30)


@pytest.fixture
def volunteer(house):
    return VolunteerFactory(house=house, start_date=dt.date(2025, 1, 1))


def test_submit_waits_for_approval_and_is_recorded(volunteer):
    entry = hours_submit(
        volunteer=volunteer, date=dt.date(2026, 11, 28), minutes=150, description="Tuin gedaan", by=volunteer.user
    )
    assert entry.status == HoursEntry.Status.SUBMITTED
    assert entry.source == HoursEntry.Source.OWN
    assert Event.objects.filter(action="hours.submit", object_id=str(entry.pk), actor=volunteer.user).exists()


@pytest.mark.parametrize(
    ("date", "minutes", "description", "field"),
    [
        (dt.date(2026, 12, 1), 60, "x", "date"),
        (dt.date(1999, 12, 31), 60, "x", "date"),
        (dt.date(2024, 12, 31), 60, "x", "date"),  # before the start date
        (dt.date(2026, 11, 28), 0, "x", "minutes"),
        (dt.date(2026, 11, 28), 24 * 60 + 1, "x", "minutes"),
        (dt.date(2026, 11, 28), 60, "", "description"),
        (dt.date(2026, 11, 28), 60, "a\x00b", "description"),
        (dt.date(2026, 11, 28), 60, "x" * 10_000, "description"),
    ],
)
def test_submit_refuses_bad_input(volunteer, date, minutes, description, field):
    with pytest.raises(ValidationError) as error:
        hours_submit(volunteer=volunteer, date=date, minutes=minutes, description=description, by=volunteer.user)
    assert field in error.value.message_dict
    assert not HoursEntry.objects.exists()


def test_no_more_than_24_hours_a_day_across_entries_and_houses(volunteer, other_house):
    HoursEntryFactory(volunteer=volunteer, date=dt.date(2026, 11, 28), minutes=20 * 60)
    elsewhere = VolunteerFactory(house=other_house, user=volunteer.user, start_date=dt.date(2025, 1, 1))
    hours_submit(volunteer=elsewhere, date=dt.date(2026, 11, 28), minutes=4 * 60, description="x", by=volunteer.user)
    with pytest.raises(ValidationError, match="24"):
        hours_submit(volunteer=volunteer, date=dt.date(2026, 11, 28), minutes=1, description="x", by=volunteer.user)
    # rejected hours do not count
    HoursEntry.objects.filter(volunteer=elsewhere).update(status=HoursEntry.Status.REJECTED)
    hours_submit(volunteer=volunteer, date=dt.date(2026, 11, 28), minutes=60, description="x", by=volunteer.user)


def test_only_accepted_volunteer_and_only_own(volunteer, resident):
    with pytest.raises(ValidationError):
        hours_submit(volunteer=volunteer, date=TODAY, minutes=60, description="x", by=resident)
    Volunteer.objects.filter(pk=volunteer.pk).update(status=Volunteer.Status.ON_HOLD)
    with pytest.raises(ValidationError):
        hours_submit(volunteer=volunteer, date=TODAY, minutes=60, description="x", by=volunteer.user)


def test_approve_marks_the_day_and_records(volunteer, coordinator):
    entry = HoursEntryFactory(volunteer=volunteer, status=HoursEntry.Status.SUBMITTED, date=dt.date(2026, 11, 20))
    hours_decide(entry=entry, approve=True, reason="", by=coordinator)
    entry.refresh_from_db()
    assert entry.status == HoursEntry.Status.APPROVED and entry.decided_by == coordinator
    assert StaleDay.objects.filter(house=volunteer.house, day=dt.date(2026, 11, 20)).exists()
    assert Event.objects.filter(action="hours.decide", actor=coordinator).exists()
    with pytest.raises(ValidationError):
        hours_decide(entry=entry, approve=False, reason="nee", by=coordinator)


def test_reject_needs_a_reason_and_mails_the_volunteer(volunteer, coordinator, django_capture_on_commit_callbacks):
    entry = HoursEntryFactory(volunteer=volunteer, status=HoursEntry.Status.SUBMITTED)
    with pytest.raises(ValidationError):
        hours_decide(entry=entry, approve=False, reason="  ", by=coordinator)
    with django_capture_on_commit_callbacks(execute=True):
        hours_decide(entry=entry, approve=False, reason="Dat was geen vrijwilligerswerk.", by=coordinator)
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == [volunteer.user.email]
    assert "niet goedgekeurd" in message.subject
    assert "Dat was geen vrijwilligerswerk." in message.body


# --- allowance ------------------------------------------------------------------------------------------------


def approve(volunteer, month, hours):
    """Approved hours for `volunteer` in `month`, in entries of at most 20 hours (one a day)."""
    minutes = int(Decimal(hours) * 60)
    day = 1
    while minutes > 0:
        HoursEntryFactory(volunteer=volunteer, date=month.replace(day=day), minutes=min(minutes, 20 * 60))
        minutes -= 20 * 60
        day += 1


def pay(volunteer, month, hours, amount, by, approved=None):
    """Pay for `month`; first approve `approved` hours in it (default: the hours paid) unless 0."""
    if approved is None:
        approved = hours
    if Decimal(approved):
        approve(volunteer, month, approved)
    return allowance_pay(
        volunteer=volunteer, month=month, hours=Decimal(hours), amount=Decimal(amount), paid_on=TODAY, by=by
    )


def test_two_payments_for_one_month_cannot_both_claim_all_hours(volunteer, coordinator):
    march = dt.date(2026, 3, 1)
    approve(volunteer, march, "10")
    pay(volunteer, march, "10", "20.00", coordinator, approved=0)
    with pytest.raises(ValidationError) as error:
        pay(volunteer, march, "10", "20.00", coordinator, approved=0)
    text = " ".join(error.value.messages)
    assert "10 goedgekeurde uren" in text and "nog hoogstens 0 uur" in text
    assert AllowancePayment.objects.count() == 1


def test_hours_claimed_must_be_approved_hours_of_that_month(volunteer, coordinator):
    march = dt.date(2026, 3, 1)
    approve(volunteer, march, "2")
    approve(volunteer, dt.date(2026, 4, 1), "40")  # another month does not count
    HoursEntryFactory(volunteer=volunteer, date=march.replace(day=9), minutes=600, status=HoursEntry.Status.SUBMITTED)
    HoursEntryFactory(volunteer=volunteer, date=march.replace(day=10), minutes=600, status=HoursEntry.Status.REJECTED)
    elsewhere = VolunteerFactory(user=volunteer.user, date_of_birth=volunteer.date_of_birth)
    approve(elsewhere, march, "40")  # nor hours at another house
    with pytest.raises(ValidationError) as error:
        pay(volunteer, march, "40", "100.00", coordinator, approved=0)
    assert "hours" in error.value.message_dict
    assert "nog hoogstens 2 uur" in " ".join(error.value.messages)
    pay(volunteer, march, "2", "11.20", coordinator, approved=0)
    assert AllowancePayment.objects.count() == 1


def test_no_approved_hours_refused(volunteer, coordinator):
    with pytest.raises(ValidationError, match="geen goedgekeurde uren"):
        pay(volunteer, dt.date(2026, 3, 1), "1", "1.00", coordinator, approved=0)


def test_hourly_cap_counts_the_months_earlier_payments(volunteer, coordinator):
    march = dt.date(2026, 3, 1)
    approve(volunteer, march, "20")
    pay(volunteer, march, "10", "56.00", coordinator, approved=0)  # 10 hours at the full € 5,60
    with pytest.raises(ValidationError) as error:  # 20 hours paid at most € 112,00: € 56,00 left
        pay(volunteer, march, "10", "56.01", coordinator, approved=0)
    assert "56,00" in " ".join(error.value.messages)
    pay(volunteer, march, "10", "56.00", coordinator, approved=0)


def test_payment_within_caps_is_recorded(volunteer, coordinator):
    payment = pay(volunteer, dt.date(2026, 3, 15), "20", "112.00", coordinator)
    assert payment.month == dt.date(2026, 3, 1)
    assert Event.objects.filter(action="allowance.pay", actor=coordinator).exists()


def test_hourly_cap_refused_with_reason(volunteer, coordinator):
    with pytest.raises(ValidationError) as error:
        pay(volunteer, dt.date(2026, 3, 1), "10", "56.01", coordinator)
    assert "5,60" in " ".join(error.value.messages)
    assert not AllowancePayment.objects.exists()


def test_monthly_cap_names_what_is_left(volunteer, coordinator):
    pay(volunteer, dt.date(2026, 3, 1), "30", "150.00", coordinator)
    with pytest.raises(ValidationError) as error:
        pay(volunteer, dt.date(2026, 3, 1), "30", "60.01", coordinator)
    text = " ".join(error.value.messages)
    assert "210,00" in text and "60,00" in text
    pay(volunteer, dt.date(2026, 3, 1), "30", "60.00", coordinator)


def test_yearly_cap(volunteer, coordinator):
    for month in range(1, 11):
        pay(volunteer, dt.date(2026, month, 1), "40", "210.00", coordinator)
    with pytest.raises(ValidationError, match="2.100,00"):
        pay(volunteer, dt.date(2026, 11, 1), "40", "0.01", coordinator)
    pay(volunteer, dt.date(2025, 11, 1), "40", "210.00", coordinator)  # another year


def test_no_caps_for_the_year(volunteer, coordinator):
    with pytest.raises(ValidationError, match="Er zijn nog geen maxima voor 2027"):
        allowance_pay(
            volunteer=volunteer,
            month=dt.date(2027, 1, 1),
            hours=Decimal(1),
            amount=Decimal(1),
            paid_on=TODAY,
            by=coordinator,
        )


def test_no_date_of_birth_refused(volunteer, coordinator):
    Volunteer.objects.filter(pk=volunteer.pk).update(date_of_birth=None)
    volunteer.refresh_from_db()
    with pytest.raises(ValidationError, match="geboortedatum"):
        pay(volunteer, dt.date(2026, 3, 1), "10", "10", coordinator)


def test_young_cap_by_age_on_the_last_day_of_the_month(house, coordinator):
    young = VolunteerFactory(house=house, date_of_birth=dt.date(2005, 6, 30))  # 21 on 30 June 2026
    with pytest.raises(ValidationError):
        pay(young, dt.date(2026, 5, 1), "10", "33.01", coordinator)
    pay(young, dt.date(2026, 5, 1), "10", "33.00", coordinator)
    pay(young, dt.date(2026, 6, 1), "10", "56.00", coordinator)  # 21 on the last day of June


def test_age_on():
    assert age_on(dt.date(2004, 2, 29), dt.date(2025, 2, 28)) == 20
    assert age_on(dt.date(2004, 2, 29), dt.date(2025, 3, 1)) == 21


def test_rejection_e_mail_in_the_volunteers_language(house, coordinator, django_capture_on_commit_callbacks):
    volunteer = VolunteerFactory(house=house, user__language="en")
    entry = HoursEntryFactory(volunteer=volunteer, status=HoursEntry.Status.SUBMITTED)
    with django_capture_on_commit_callbacks(execute=True):
        hours_decide(entry=entry, approve=False, reason="Twice", by=coordinator)
    assert mail.outbox[0].subject.startswith("Your hours of")
    assert "/mijn/uren/" in mail.outbox[0].body


def test_volunteer_without_account_is_mailed_at_their_address(house, coordinator, django_capture_on_commit_callbacks):
    volunteer = VolunteerFactory(house=house, user=None, email="wim@example.org", first_name="Wim")
    entry = HoursEntryFactory(volunteer=volunteer, status=HoursEntry.Status.SUBMITTED)
    with django_capture_on_commit_callbacks(execute=True):
        hours_decide(entry=entry, approve=False, reason="Dubbel", by=coordinator)
    assert mail.outbox[0].to == ["wim@example.org"]
    assert "Wim" in mail.outbox[0].body


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(connection.vendor != "postgresql", reason="row locks need PostgreSQL")
def test_a_submission_locks_the_persons_rows_in_one_order():
    """One person at two houses. While a submission at the first house holds the first row, a submission at the
    second house must wait for it WITHOUT holding the second row already: otherwise the first submission, wanting
    the second row next, waits for it and the two deadlock."""
    from tests.factories import HouseFactory, UserFactory

    user = UserFactory()
    first = VolunteerFactory(house=HouseFactory(), user=user, start_date=dt.date(2025, 1, 1))
    second = VolunteerFactory(house=HouseFactory(), user=user, start_date=dt.date(2025, 1, 1))
    assert first.pk < second.pk
    holding, release, results = threading.Event(), threading.Event(), []

    def hold_first():  # the other submission, having locked its own (first) row
        try:
            with transaction.atomic():
                Volunteer.objects.select_for_update().get(pk=first.pk)
                holding.set()
                release.wait(10)
        finally:
            connection.close()

    def submit_second():
        try:
            hours_submit(volunteer=second, date=dt.date(2026, 11, 28), minutes=60, description="x", by=user)
            results.append("saved")
        finally:
            connection.close()

    holder, submitter = threading.Thread(target=hold_first), threading.Thread(target=submit_second)
    holder.start()
    assert holding.wait(10)
    submitter.start()
    try:
        for _ in range(200):  # until the submission waits for a lock
            with connection.cursor() as cursor:
                cursor.execute(
                    "SELECT count(*) FROM pg_stat_activity"
                    " WHERE datname = current_database() AND wait_event_type = 'Lock'"
                )
                if cursor.fetchone()[0]:
                    break
            time.sleep(0.05)
        else:
            pytest.fail("the submission did not wait for the first row")
        try:
            with transaction.atomic():
                Volunteer.objects.select_for_update(nowait=True).get(pk=second.pk)
            second_free = True
        except DatabaseError:
            second_free = False
    finally:
        release.set()
        holder.join(10)
        submitter.join(10)
    assert second_free, "the submission at the second house held its row while it waited for the first"
    assert results == ["saved"]
