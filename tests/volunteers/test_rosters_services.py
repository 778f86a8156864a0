"""The roster services: weekly shifts made ahead (Amsterdam wall-clock, closures), signing up, stand-ins,
assigning, worked, reminders."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from django.core import mail
from django.core.exceptions import ValidationError

from audit.models import Event
from tests.factories import ClosureFactory, OpeningHoursFactory, PlaceFactory
from tests.volunteers.factories import CertificateFactory, ShiftAssignmentFactory, ShiftFactory, VolunteerFactory
from volunteers.models import HoursEntry, Shift, ShiftAssignment, VolunteerRole
from volunteers.selectors import rosters as selectors
from volunteers.services import rosters as services

AMS = ZoneInfo("Europe/Amsterdam")
MONDAY = dt.date(2026, 11, 30)


def open_place(house, **kwargs):
    """A place of `house` open every day of the week (a weekly shift needs a weekday the place is open)."""
    place = PlaceFactory(house=house, **kwargs)
    for weekday in range(7):
        OpeningHoursFactory(place=place, weekday=weekday)
    return place


def host_volunteer(house, **kwargs):
    volunteer = VolunteerFactory(house=house, roles=[VolunteerRole.HOST], **kwargs)
    CertificateFactory(volunteer=volunteer)
    return volunteer


def pattern(house, coordinator, **kwargs):
    place = kwargs.pop("place", None) or open_place(house)
    values = {
        "house": house,
        "place": place,
        "title": "Gastvrouw ochtend",
        "role": VolunteerRole.HOST,
        "weekday": 0,
        "start_time": dt.time(9),
        "end_time": dt.time(12, 30),
        "people_needed": 2,
        "valid_from": MONDAY,
        "by": coordinator,
    }
    values.update(kwargs)
    return services.shift_pattern_create(**values)


@pytest.fixture
def mails(django_capture_on_commit_callbacks):
    def run(function, **kwargs):
        with django_capture_on_commit_callbacks(execute=True):
            return function(**kwargs)

    return run


def test_pattern_makes_eight_weeks_ahead_once(house, coordinator):
    weekly = pattern(house, coordinator)
    dates = list(Shift.objects.filter(pattern=weekly).values_list("date", flat=True))
    assert dates[0] == MONDAY
    assert dates[-1] == MONDAY + dt.timedelta(weeks=8)
    assert len(dates) == 9
    assert services.make_shifts() == 0
    assert Shift.objects.filter(pattern=weekly).count() == 9
    shift = Shift.objects.filter(pattern=weekly).first()
    assert shift.start == dt.datetime(2026, 11, 30, 9, tzinfo=AMS)
    assert Event.objects.filter(action="shift_pattern.create").count() == 1


def test_make_shifts_keeps_up_as_time_goes_on(house, coordinator, clock):
    weekly = pattern(house, coordinator)
    clock.move_to(dt.datetime(2026, 12, 14, 3, tzinfo=AMS))
    assert services.make_shifts() == 2
    assert Shift.objects.filter(pattern=weekly).latest("date").date == dt.date(2027, 2, 8)


@pytest.mark.date_sensitive
def test_wall_clock_across_daylight_saving(house, coordinator, clock):
    clock.move_to(dt.datetime(2027, 3, 15, 7, tzinfo=AMS))
    weekly = pattern(house, coordinator, valid_from=dt.date(2027, 3, 15))
    before = Shift.objects.get(pattern=weekly, date=dt.date(2027, 3, 22))
    after = Shift.objects.get(pattern=weekly, date=dt.date(2027, 3, 29))
    assert before.start.astimezone(dt.UTC).hour == 8
    assert after.start.astimezone(dt.UTC).hour == 7
    assert after.start.astimezone(AMS).time() == dt.time(9)
    assert after.end.astimezone(AMS).time() == dt.time(12, 30)


def test_closed_day_gets_no_shift_and_later_closure_hides_it(house, coordinator):
    place = open_place(house)
    ClosureFactory(place=place, start_date=dt.date(2026, 12, 14), end_date=dt.date(2026, 12, 14))
    weekly = pattern(house, coordinator, place=place)
    assert not Shift.objects.filter(pattern=weekly, date=dt.date(2026, 12, 14)).exists()
    ClosureFactory(place=place, start_date=dt.date(2026, 12, 21), end_date=dt.date(2026, 12, 22))
    shown = {shift.date for shift in selectors.house_roster(house, MONDAY, MONDAY + dt.timedelta(days=30))}
    assert dt.date(2026, 12, 21) not in shown
    assert dt.date(2026, 12, 7) in shown


def test_pattern_only_on_a_weekday_the_place_is_open(house, coordinator):
    place = PlaceFactory(house=house)
    OpeningHoursFactory(place=place, weekday=0)  # open on Mondays only
    with pytest.raises(ValidationError) as error:
        pattern(house, coordinator, place=place, weekday=2)
    assert "weekday" in error.value.message_dict
    assert not Shift.objects.exists()
    with pytest.raises(ValidationError):
        pattern(house, coordinator, place=PlaceFactory(house=house))  # no opening hours at all
    weekly = pattern(house, coordinator, place=place, weekday=0)
    with pytest.raises(ValidationError):
        services.shift_pattern_update(pattern=weekly, weekday=3, by=coordinator)
    assert services.shift_pattern_update(pattern=weekly, title="Nieuw", by=coordinator).title == "Nieuw"


def test_make_shifts_skips_a_weekday_the_place_no_longer_opens(house, coordinator, clock):
    weekly = pattern(house, coordinator)
    weekly.place.opening_hours.filter(weekday=0).delete()
    clock.move_to(dt.datetime(2026, 12, 14, 3, tzinfo=AMS))
    assert services.make_shifts() == 0
    assert Shift.objects.filter(pattern=weekly).latest("date").date == MONDAY + dt.timedelta(weeks=8)


def test_stand_in_not_taken_on_a_closed_day(house):
    shift = ShiftFactory(house=house)
    asking, other = host_volunteer(house), host_volunteer(house)
    assignment = ShiftAssignmentFactory(shift=shift, volunteer=asking, status=ShiftAssignment.Status.STAND_IN_WANTED)
    ClosureFactory(place=shift.place, start_date=shift.date, end_date=shift.date)
    with pytest.raises(ValidationError) as error:
        services.stand_in_take(assignment=assignment, volunteer=other, by=other.user)
    assert "dicht" in str(error.value) or "closed" in str(error.value)
    assignment.refresh_from_db()
    assert assignment.status == ShiftAssignment.Status.STAND_IN_WANTED
    assert not ShiftAssignment.objects.filter(volunteer=other).exists()


def test_pattern_rejects_bad_values(house, coordinator, other_house):
    with pytest.raises(ValidationError):
        pattern(house, coordinator, end_time=dt.time(8))
    with pytest.raises(ValidationError):
        pattern(house, coordinator, people_needed=51)
    with pytest.raises(ValidationError):
        pattern(house, coordinator, place=open_place(other_house))
    with pytest.raises(ValidationError):
        pattern(house, coordinator, valid_until=MONDAY - dt.timedelta(days=1))
    assert not Shift.objects.exists()


def test_sign_up_and_full(house, coordinator, mails):
    shift = ShiftFactory(house=house, people_needed=1)
    first, second = host_volunteer(house), host_volunteer(house)
    assignment = mails(services.shift_sign_up, shift=shift, volunteer=first, by=first.user)
    assert assignment.status == ShiftAssignment.Status.ASSIGNED
    assert len(mail.outbox) == 1 and mail.outbox[0].to == [first.user.email]
    assert "rooster" in mail.outbox[0].body
    with pytest.raises(ValidationError, match="vol"):
        services.shift_sign_up(shift=shift, volunteer=second, by=second.user)
    with pytest.raises(ValidationError):
        services.shift_sign_up(shift=shift, volunteer=first, by=first.user)


def test_sign_up_needs_certificate_valid_on_the_day(house):
    shift = ShiftFactory(house=house, date=MONDAY + dt.timedelta(days=3))
    volunteer = VolunteerFactory(house=house, roles=[VolunteerRole.HOST])
    CertificateFactory(
        volunteer=volunteer, issued_on=MONDAY - dt.timedelta(days=700), valid_until=MONDAY + dt.timedelta(days=2)
    )
    with pytest.raises(ValidationError, match="VOG"):
        services.shift_sign_up(shift=shift, volunteer=volunteer, by=volunteer.user)
    cook = VolunteerFactory(house=house, roles=[VolunteerRole.COOK])
    with pytest.raises(ValidationError, match="rol"):
        services.shift_sign_up(shift=shift, volunteer=cook, by=cook.user)
    assert not ShiftAssignment.objects.exists()


def test_cancel_assignment_until_start(house, clock):
    volunteer = host_volunteer(house)
    shift = ShiftFactory(house=house)
    assignment = services.shift_sign_up(shift=shift, volunteer=volunteer, by=volunteer.user)
    services.assignment_cancel(assignment=assignment, by=volunteer.user)
    assignment.refresh_from_db()
    assert assignment.status == ShiftAssignment.Status.CANCELLED
    again = services.shift_sign_up(shift=shift, volunteer=volunteer, by=volunteer.user)
    clock.move_to(shift.start + dt.timedelta(minutes=1))
    with pytest.raises(ValidationError):
        services.assignment_cancel(assignment=again, by=volunteer.user)


def test_stand_in_asked_and_taken(house, mails):
    shift = ShiftFactory(house=house)
    asking, other, third = host_volunteer(house), host_volunteer(house), host_volunteer(house)
    VolunteerFactory(house=house, roles=[VolunteerRole.HOST])  # no VOG: not asked
    assignment = services.shift_sign_up(shift=shift, volunteer=asking, by=asking.user)
    mail.outbox.clear()
    mails(services.stand_in_ask, assignment=assignment, by=asking.user)
    assert sorted(message.to[0] for message in mail.outbox) == sorted([other.user.email, third.user.email])
    shifts = list(selectors.house_roster(house, shift.date, shift.date))
    assert selectors.gap(shifts[0]) == 1
    mail.outbox.clear()
    new = mails(services.stand_in_take, assignment=assignment, volunteer=other, by=other.user)
    assignment.refresh_from_db()
    assert assignment.status == ShiftAssignment.Status.HANDED_OVER
    assert new.stand_in_for == assignment and new.status == ShiftAssignment.Status.ASSIGNED
    assert sorted(message.to[0] for message in mail.outbox) == sorted([asking.user.email, other.user.email])
    with pytest.raises(ValidationError):
        services.stand_in_take(assignment=assignment, volunteer=third, by=third.user)


def test_coordinator_assigns(house, coordinator, mails, other_house):
    shift = ShiftFactory(house=house)
    volunteer = host_volunteer(house)
    mails(services.shift_assign, shift=shift, volunteer=volunteer, by=coordinator)
    assert Event.objects.filter(action="shift.assign", actor=coordinator).exists()
    assert mail.outbox[0].to == [volunteer.user.email]
    stranger = host_volunteer(other_house)
    with pytest.raises(ValidationError):
        services.shift_assign(shift=shift, volunteer=stranger, by=coordinator)


def test_shift_cancel_tells_volunteers(house, coordinator, mails):
    shift = ShiftFactory(house=house, people_needed=2)
    one, two = host_volunteer(house), host_volunteer(house)
    services.shift_assign(shift=shift, volunteer=one, by=coordinator)
    services.shift_assign(shift=shift, volunteer=two, by=coordinator)
    mail.outbox.clear()
    mails(services.shift_cancel, shift=shift, by=coordinator)
    assert len(mail.outbox) == 2
    assert not ShiftAssignment.objects.filter(status__in=ShiftAssignment.ACTIVE).exists()


def test_pattern_end_removes_empty_and_cancels_taken(house, coordinator, mails):
    weekly = pattern(house, coordinator)
    volunteer = host_volunteer(house)
    later = Shift.objects.get(pattern=weekly, date=dt.date(2026, 12, 21))
    services.shift_assign(shift=later, volunteer=volunteer, by=coordinator)
    mail.outbox.clear()
    mails(services.shift_pattern_end, pattern=weekly, last_day=dt.date(2026, 12, 7), by=coordinator)
    remaining = Shift.objects.filter(pattern=weekly)
    assert set(remaining.filter(cancelled_at__isnull=True).values_list("date", flat=True)) == {
        MONDAY,
        dt.date(2026, 12, 7),
    }
    later.refresh_from_db()
    assert later.cancelled_at is not None
    assert mail.outbox[0].to == [volunteer.user.email]
    assert services.make_shifts() == 0


def test_pattern_update_remakes_empty_future_shifts(house, coordinator):
    weekly = pattern(house, coordinator)
    volunteer = host_volunteer(house)
    taken = Shift.objects.get(pattern=weekly, date=dt.date(2026, 12, 7))
    services.shift_assign(shift=taken, volunteer=volunteer, by=coordinator)
    services.shift_pattern_update(pattern=weekly, start_time=dt.time(10), people_needed=3, by=coordinator)
    taken.refresh_from_db()
    assert taken.start.astimezone(AMS).hour == 9 and taken.people_needed == 3
    other = Shift.objects.get(pattern=weekly, date=dt.date(2026, 12, 14))
    assert other.start.astimezone(AMS).hour == 10


def test_confirm_worked_creates_hours_once_and_undo(house, coordinator, clock):
    shift = ShiftFactory(house=house, date=MONDAY)
    volunteer = host_volunteer(house)
    assignment = ShiftAssignmentFactory(shift=shift, volunteer=volunteer)
    with pytest.raises(ValidationError):
        services.shift_confirm_worked(assignment=assignment, by=coordinator)
    clock.move_to(dt.datetime(2026, 11, 30, 13, tzinfo=AMS))
    entry = services.shift_confirm_worked(assignment=assignment, by=coordinator)
    assert entry.minutes == 210 and entry.status == HoursEntry.Status.APPROVED and entry.source == "shift"
    assert services.shift_confirm_worked(assignment=assignment, by=coordinator) == entry
    assert HoursEntry.objects.count() == 1
    clock.move_to(dt.datetime(2026, 12, 1, 9, tzinfo=AMS))
    with pytest.raises(ValidationError):
        services.shift_unconfirm_worked(assignment=assignment, by=coordinator, same_day_only=True)
    services.shift_unconfirm_worked(assignment=assignment, by=coordinator)
    assert not HoursEntry.objects.exists()
    assignment.refresh_from_db()
    assert assignment.worked_confirmed_at is None


def test_reminders_once(house, mails):
    tomorrow = ShiftFactory(house=house, date=MONDAY + dt.timedelta(days=1))
    later = ShiftFactory(house=house, date=MONDAY + dt.timedelta(days=2))
    volunteer = host_volunteer(house)
    ShiftAssignmentFactory(shift=tomorrow, volunteer=volunteer)
    ShiftAssignmentFactory(shift=later, volunteer=volunteer)
    from volunteers.tasks.rosters import send_shift_reminders

    closed = ShiftFactory(house=house, date=MONDAY + dt.timedelta(days=1))
    ClosureFactory(place=closed.place, start_date=closed.date, end_date=closed.date)
    ShiftAssignmentFactory(shift=closed, volunteer=host_volunteer(house))
    assert mails(send_shift_reminders) == 1
    assert len(mail.outbox) == 1 and mail.outbox[0].to == [volunteer.user.email]
    assert "Morgen" in mail.outbox[0].subject
    assert mails(send_shift_reminders) == 0


def test_feed_renew(resident):
    first = services.shift_feed_of(resident).token
    with pytest.importorskip("django.db").transaction.atomic():
        pass
    renewed = services.shift_feed_renew(user=resident, by=resident)
    assert renewed.token != first
    assert Event.objects.filter(action="shift_feed.renew").exists()


def test_email_in_the_volunteers_language(house, coordinator, mails):
    volunteer = host_volunteer(house)
    volunteer.user.language = "en"
    volunteer.user.save(update_fields=["language"])
    mails(services.shift_assign, shift=ShiftFactory(house=house), volunteer=volunteer, by=coordinator)
    assert mail.outbox[0].subject.startswith("You are on the roster")
