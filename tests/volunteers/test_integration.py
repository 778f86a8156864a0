"""Where the areas of volunteering meet: stopping gives shifts back, and the changes that move report figures mark
their days for the rollups."""

import datetime as dt

import pytest
from django.utils import timezone

from locations.models import StaleDay
from tests.volunteers.factories import HelpRequestFactory, ShiftAssignmentFactory, ShiftFactory, VolunteerFactory
from volunteers.models import CertificateKind, ShiftAssignment, VolunteerRole
from volunteers.services import people as people_services

pytestmark = pytest.mark.django_db


def marked(house) -> set[dt.date]:
    return set(StaleDay.objects.filter(house=house).values_list("day", flat=True))


def test_a_stopping_volunteer_gives_back_the_shifts_after_their_last_day(house, coordinator):
    volunteer = VolunteerFactory(house=house, roles=[VolunteerRole.COOK])
    today = timezone.localdate()
    later = ShiftAssignmentFactory(
        shift=ShiftFactory(house=house, role=VolunteerRole.COOK, date=today + dt.timedelta(days=10)),
        volunteer=volunteer,
    )
    on_last_day = ShiftAssignmentFactory(
        shift=ShiftFactory(house=house, role=VolunteerRole.COOK, date=today + dt.timedelta(days=3)), volunteer=volunteer
    )
    people_services.volunteer_stop(volunteer=volunteer, end_date=today + dt.timedelta(days=3), by=coordinator)
    later.refresh_from_db()
    on_last_day.refresh_from_db()
    assert later.status == ShiftAssignment.Status.CANCELLED
    assert on_last_day.status == ShiftAssignment.Status.ASSIGNED


def test_a_certificate_recorded_late_marks_the_days_it_was_already_valid(house, coordinator):
    volunteer = VolunteerFactory(house=house, roles=[VolunteerRole.HOST])
    today = timezone.localdate()
    StaleDay.objects.all().delete()
    people_services.certificate_record(
        volunteer=volunteer, kind=CertificateKind.VOG, issued_on=today - dt.timedelta(days=20), by=coordinator
    )
    assert marked(house) == {today - dt.timedelta(days=n) for n in range(21)}


def test_marks_reach_back_at_most_a_year(house, coordinator):
    volunteer = VolunteerFactory(house=house, start_date=dt.date(2015, 1, 1))
    StaleDay.objects.all().delete()
    people_services.volunteer_update(volunteer=volunteer, roles=[VolunteerRole.BAR], by=coordinator)
    days = marked(house)
    assert min(days) == timezone.localdate() - dt.timedelta(days=people_services.MARK_DAYS_BACK)
    assert max(days) == timezone.localdate()


# --- leaving gives back shifts and burenhulp ----------------------------------------------------------------------


def _commitments(house, volunteer, matched_on=None):
    """A volunteer with a shift to come, one gone by, a burenhulp question, a match to come (default today) and a
    match gone by."""
    from volunteers.models import HelpOffer, HelpRequest

    today = timezone.localdate()
    future_shift = ShiftAssignmentFactory(
        shift=ShiftFactory(house=house, role=VolunteerRole.COOK, date=today + dt.timedelta(days=5)),
        volunteer=volunteer,
    )
    past_shift = ShiftAssignmentFactory(
        shift=ShiftFactory(house=house, role=VolunteerRole.COOK, date=today - dt.timedelta(days=5)),
        volunteer=volunteer,
    )
    asked = HelpRequestFactory(house=house, status=HelpRequest.Status.OFFERED, volunteer=volunteer)
    offer = HelpOffer.objects.create(request=asked, volunteer=volunteer)
    matched = HelpRequestFactory(
        house=house,
        status=HelpRequest.Status.MATCHED,
        volunteer=volunteer,
        matched_at=timezone.now() - dt.timedelta(days=1),
        wanted_on=matched_on or today,
    )
    HelpOffer.objects.create(request=matched, volunteer=volunteer, status=HelpOffer.Status.ACCEPTED)
    gone_by = HelpRequestFactory(
        house=house,
        status=HelpRequest.Status.MATCHED,
        volunteer=volunteer,
        matched_at=timezone.now() - dt.timedelta(days=9),
        wanted_on=today - dt.timedelta(days=1),
    )
    return future_shift, past_shift, offer, matched, gone_by


def _leave(house, coordinator, how, volunteer):
    if how == "stop":
        return people_services.volunteer_stop(volunteer=volunteer, by=coordinator), "volunteer.stop"
    decision = people_services.Decision.DECLINE if how == "decline" else people_services.Decision.HOLD
    people_services.volunteer_decide(volunteer=volunteer, decision=decision, reason="Even niet", by=coordinator)
    return volunteer, "volunteer.decide"


@pytest.mark.parametrize("how", ["stop", "decline", "hold"])
def test_leaving_gives_back_shifts_to_come_and_burenhulp(
    house, coordinator, how, django_capture_on_commit_callbacks, mailoutbox
):
    from audit.models import Event
    from volunteers.models import HelpOffer, HelpRequest

    volunteer = VolunteerFactory(house=house, roles=[VolunteerRole.COOK, VolunteerRole.NEIGHBOUR_HELP])
    # Stopping today: today is their last day, so a match tomorrow is given back; declined or on hold: from today.
    matched_on = timezone.localdate() + dt.timedelta(days=1 if how == "stop" else 0)
    future_shift, past_shift, offer, matched, gone_by = _commitments(house, volunteer, matched_on)
    with django_capture_on_commit_callbacks(execute=True):
        _volunteer, action = _leave(house, coordinator, how, volunteer)
    for row in (future_shift, past_shift, offer, offer.request, matched, gone_by):
        row.refresh_from_db()
    assert future_shift.status == ShiftAssignment.Status.CANCELLED
    assert past_shift.status == ShiftAssignment.Status.ASSIGNED
    assert offer.status == HelpOffer.Status.WITHDRAWN
    assert (offer.request.status, offer.request.volunteer) == (HelpRequest.Status.OPEN, None)
    assert (matched.status, matched.volunteer, matched.matched_at) == (HelpRequest.Status.OPEN, None, None)
    assert (gone_by.status, gone_by.volunteer) == (HelpRequest.Status.MATCHED, volunteer)  # "did it happen?" stays
    changes = Event.objects.get(action=action).changes
    assert changes["shifts_given_back"] == 1
    assert changes["help_offers_withdrawn"] == [offer.request.pk]
    assert changes["help_requests_reopened"] == [matched.pk]
    # The roster's e-mail tells the volunteer they need not come.
    cancelled = [message for message in mailoutbox if message.subject.startswith("Dienst gaat niet door")]
    assert [message.to for message in cancelled] == [[volunteer.user.email]]
    # The coordinator sees both requests waiting again.
    assert set(HelpRequest.objects.filter(house=house, status=HelpRequest.Status.OPEN)) == {offer.request, matched}


def test_a_stop_later_keeps_burenhulp_before_the_last_day(house, coordinator):
    from volunteers.models import HelpRequest

    volunteer = VolunteerFactory(house=house, roles=[VolunteerRole.NEIGHBOUR_HELP])
    today = timezone.localdate()
    before = HelpRequestFactory(
        house=house, status=HelpRequest.Status.MATCHED, volunteer=volunteer, wanted_on=today + dt.timedelta(days=2)
    )
    after = HelpRequestFactory(
        house=house, status=HelpRequest.Status.MATCHED, volunteer=volunteer, wanted_on=today + dt.timedelta(days=9)
    )
    people_services.volunteer_stop(volunteer=volunteer, end_date=today + dt.timedelta(days=3), by=coordinator)
    before.refresh_from_db()
    after.refresh_from_db()
    assert before.status == HelpRequest.Status.MATCHED and after.status == HelpRequest.Status.OPEN


def test_accepting_again_gives_nothing_back(house, coordinator):
    volunteer = VolunteerFactory(house=house, roles=[VolunteerRole.COOK])
    future_shift, *_rest = _commitments(house, volunteer)
    people_services.volunteer_decide(
        volunteer=volunteer,
        decision=people_services.Decision.ACCEPT,
        start_date=timezone.localdate() - dt.timedelta(days=30),
        by=coordinator,
    )
    future_shift.refresh_from_db()
    assert future_shift.status == ShiftAssignment.Status.ASSIGNED
