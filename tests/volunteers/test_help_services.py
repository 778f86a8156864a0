"""Burenhulp services: posting (and bad input), matching only qualified neighbour helpers of the house, accepting
and declining, closing with hours, cancelling, the follow-up that asks once, and the contact wipe after 90 days."""

import datetime as dt

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from audit.models import Event
from audit.services import SCHEDULE
from locations.models import StaleDay
from tests.factories import UserFactory
from tests.volunteers.factories import CertificateFactory, HelpRequestFactory, VolunteerFactory
from volunteers.models import CertificateKind, HelpOffer, HelpRequest, HoursEntry, RoleCertificate, VolunteerRole
from volunteers.services import help as services
from volunteers.tasks import help as tasks

TODAY = dt.date(2026, 11, 30)


def post(house, requester=None, **overrides):
    values = {
        "house": house,
        "requester": requester,
        "requester_name": "Wim Visser",
        "phone": "010-1234567",
        "email": "",
        "address": "Kloosterstraat 1",
        "kind": "groceries",
        "description": "Boodschappen voor de week.",
        "wanted_on": TODAY + dt.timedelta(days=2),
        "wanted_time": "in de ochtend",
        "posted_by": requester,
        "on_behalf": False,
        "by": requester,
    }
    values.update(overrides)
    return services.help_request_post(**values)


@pytest.fixture
def helper(house):
    return neighbour_helper(house, first_name="Sanne", last_name="Jansen")


def neighbour_helper(house, **kwargs):
    """A volunteer with the burenhulp role and the VOG it needs (reference data)."""
    volunteer = VolunteerFactory(house=house, roles=[VolunteerRole.NEIGHBOUR_HELP], **kwargs)
    CertificateFactory(volunteer=volunteer)
    return volunteer


@pytest.fixture
def matched(house, helper, coordinator):
    request = HelpRequestFactory(house=house, requester_email="wim@example.org")
    offer = services.help_request_offer(request=request, volunteer=helper, by=coordinator)
    services.help_offer_answer(offer=offer, accept=True, by=helper.user)
    request.refresh_from_db()
    return request


def test_a_resident_posts_a_request_and_the_coordinators_hear_of_it(
    house, coordinator, resident, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        request = post(house, resident)
    assert request.status == HelpRequest.Status.OPEN and request.requester == resident
    event = Event.objects.get(action="help_request.post")
    assert "Wim" not in event.object_label and event.actor == resident
    assert [m.to for m in mail.outbox] == [[coordinator.email]]
    assert "010-1234567" not in mail.outbox[0].body


@pytest.mark.parametrize(
    "overrides, field",
    [
        ({"wanted_on": TODAY - dt.timedelta(days=1)}, "wanted_on"),
        ({"wanted_on": TODAY + dt.timedelta(days=61)}, "wanted_on"),
        ({"wanted_on": dt.date(1, 1, 1)}, "wanted_on"),
        ({"wanted_on": dt.date(9999, 12, 31)}, "wanted_on"),
        ({"description": "x" * 10_000}, "description"),
        ({"description": "hulp\x00"}, "description"),
        ({"description": "  "}, "description"),
        ({"kind": "nonsense"}, "kind"),
        ({"address": ""}, "address"),
        ({"requester": None, "phone": "", "email": ""}, "phone"),
        ({"wanted_time": "x" * 101}, "wanted_time"),
    ],
)
def test_bad_input_is_refused_with_a_message_and_saves_nothing(house, resident, overrides, field):
    with pytest.raises(ValidationError) as error:
        post(house, **{"requester": resident, **overrides})
    assert field in error.value.message_dict
    assert not HelpRequest.objects.exists() and not Event.objects.exists()


def test_the_address_is_dropped_when_the_kind_needs_none(house, resident):
    request = post(house, resident, kind="company", address="Kloosterstraat 1")
    assert request.requester_address == ""


def test_on_behalf_keeps_the_name_and_contact_given(house, professional):
    request = post(
        house, None, posted_by=professional, on_behalf=True, by=professional, requester_name="Mevr. De Vries"
    )
    assert request.on_behalf and request.posted_by == professional and request.requester is None
    assert request.requester_name == "Mevr. De Vries"


def test_an_offer_goes_only_to_a_qualified_neighbour_helper_of_the_house(house, other_house, coordinator, helper):
    request = HelpRequestFactory(house=house)
    cook = VolunteerFactory(house=house, roles=[VolunteerRole.COOK])
    stranger = neighbour_helper(other_house)
    without_vog = VolunteerFactory(house=house, roles=[VolunteerRole.NEIGHBOUR_HELP])
    expired = VolunteerFactory(house=house, roles=[VolunteerRole.NEIGHBOUR_HELP])
    CertificateFactory(
        volunteer=expired, issued_on=dt.date(2023, 1, 1), valid_until=request.wanted_on - dt.timedelta(1)
    )
    for volunteer in (cook, stranger, without_vog, expired):
        with pytest.raises(ValidationError):
            services.help_request_offer(request=request, volunteer=volunteer, by=coordinator)
    assert RoleCertificate.objects.filter(role=VolunteerRole.NEIGHBOUR_HELP, certificate=CertificateKind.VOG).exists()
    CertificateFactory(volunteer=expired, issued_on=TODAY, valid_until=request.wanted_on)  # valid on the day itself
    services.help_request_offer(request=request, volunteer=expired, by=coordinator)
    services.help_request_cancel(request=request, by=coordinator)
    request = HelpRequestFactory(house=house)
    offer = services.help_request_offer(request=request, volunteer=helper, by=coordinator)
    assert offer.status == HelpOffer.Status.OFFERED
    request.refresh_from_db()
    assert request.status == HelpRequest.Status.OFFERED


def test_one_open_offer_at_a_time(house, coordinator, helper):
    request = HelpRequestFactory(house=house)
    services.help_request_offer(request=request, volunteer=helper, by=coordinator)
    other = neighbour_helper(house)
    with pytest.raises(ValidationError):
        services.help_request_offer(request=request, volunteer=other, by=coordinator)
    with pytest.raises(IntegrityError), transaction.atomic():
        HelpOffer.objects.create(request=request, volunteer=other)


def test_the_volunteer_is_asked_without_the_contact(house, coordinator, helper, django_capture_on_commit_callbacks):
    request = HelpRequestFactory(house=house, requester_address="Kloosterstraat 1")
    with django_capture_on_commit_callbacks(execute=True):
        services.help_request_offer(request=request, volunteer=helper, by=coordinator)
    assert [m.to for m in mail.outbox] == [[helper.email]]
    body = mail.outbox[0].body
    assert "/mijn/burenhulp/hulp/" in body
    for secret in (request.requester_name, request.requester_phone, "Kloosterstraat"):
        assert secret not in body


def test_accepting_matches_and_tells_the_requester_the_first_name_only(
    house, coordinator, helper, django_capture_on_commit_callbacks
):
    request = HelpRequestFactory(house=house)
    offer = services.help_request_offer(request=request, volunteer=helper, by=coordinator)
    with django_capture_on_commit_callbacks(execute=True):
        services.help_offer_answer(offer=offer, accept=True, by=helper.user)
    request.refresh_from_db()
    assert request.status == HelpRequest.Status.MATCHED and request.volunteer == helper and request.matched_at
    assert [m.to for m in mail.outbox] == [[request.requester.email]]
    body = mail.outbox[0].body
    assert "Sanne" in body and "Jansen" not in body and helper.email not in body
    with pytest.raises(ValidationError):
        services.help_offer_answer(offer=offer, accept=False, by=helper.user)


def test_declining_puts_the_request_back_and_the_offer_stays_visible(house, coordinator, helper):
    request = HelpRequestFactory(house=house)
    offer = services.help_request_offer(request=request, volunteer=helper, by=coordinator)
    services.help_offer_answer(offer=offer, accept=False, by=helper.user)
    request.refresh_from_db()
    offer.refresh_from_db()
    assert request.status == HelpRequest.Status.OPEN and request.volunteer is None
    assert offer.status == HelpOffer.Status.DECLINED
    # Another volunteer can be asked now.
    other = neighbour_helper(house)
    services.help_request_offer(request=request, volunteer=other, by=coordinator)


def test_closing_as_done_books_approved_hours_and_marks_the_days(matched, helper, clock):
    with pytest.raises(ValidationError):  # not before the day
        services.help_request_close(request=matched, happened=True, minutes=60, by=helper.user)
    clock.move_to(dt.datetime(2026, 12, 3, 10, 0, tzinfo=timezone.get_default_timezone()))
    for bad in (None, 0, 24 * 60 + 1):
        with pytest.raises(ValidationError):
            services.help_request_close(request=matched, happened=True, minutes=bad, by=helper.user)
    services.help_request_close(request=matched, happened=True, minutes=75, by=helper.user)
    matched.refresh_from_db()
    assert matched.status == HelpRequest.Status.DONE and matched.minutes_spent == 75
    hours = HoursEntry.objects.get(help_request=matched)
    assert (hours.volunteer, hours.minutes, hours.date) == (helper, 75, matched.wanted_on)
    assert hours.status == HoursEntry.Status.APPROVED and hours.source == HoursEntry.Source.NEIGHBOUR_HELP
    days = set(StaleDay.objects.filter(house=matched.house).values_list("day", flat=True))
    assert {matched.wanted_on, dt.date(2026, 12, 3)} <= days
    assert Event.objects.filter(action="help_request.close").count() == 1


def test_closing_as_not_happened_books_no_hours(matched, coordinator, clock):
    clock.move_to(dt.datetime(2026, 12, 3, 10, 0, tzinfo=timezone.get_default_timezone()))
    services.help_request_close(request=matched, happened=False, minutes=30, by=coordinator)
    matched.refresh_from_db()
    assert matched.status == HelpRequest.Status.NOT_HAPPENED and matched.minutes_spent is None
    assert not HoursEntry.objects.exists()


def test_cancelling_a_matched_request_tells_the_volunteer(matched, helper, django_capture_on_commit_callbacks):
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.help_request_cancel(request=matched, by=matched.requester)
    matched.refresh_from_db()
    assert matched.status == HelpRequest.Status.CANCELLED and matched.closed_at
    assert [m.to for m in mail.outbox] == [[helper.email]]
    with pytest.raises(ValidationError):
        services.help_request_cancel(request=matched, by=matched.requester)


def test_cancelling_an_offered_request_withdraws_the_question(house, coordinator, helper):
    request = HelpRequestFactory(house=house)
    offer = services.help_request_offer(request=request, volunteer=helper, by=coordinator)
    services.help_request_cancel(request=request, by=coordinator)
    offer.refresh_from_db()
    assert offer.status == HelpOffer.Status.WITHDRAWN


@pytest.mark.django_db(transaction=True)
def test_the_follow_up_asks_the_volunteer_once(house, coordinator, helper, clock):
    request = HelpRequestFactory(house=house)
    offer = services.help_request_offer(request=request, volunteer=helper, by=coordinator)
    services.help_offer_answer(offer=offer, accept=True, by=helper.user)
    assert tasks.ask_did_it_happen() == 0  # the day has not passed
    clock.move_to(dt.datetime(2026, 12, 3, 8, 0, tzinfo=timezone.get_default_timezone()))
    mail.outbox.clear()
    assert tasks.ask_did_it_happen() == 1
    assert tasks.ask_did_it_happen() == 0
    assert [m.to for m in mail.outbox] == [[helper.email]]
    assert f"/burenhulp/{request.pk}/afsluiten/" in mail.outbox[0].body
    request.refresh_from_db()
    assert request.followed_up_at is not None


def test_contacts_are_wiped_90_days_after_closing(house, coordinator, clock):
    old = HelpRequestFactory(house=house, status="cancelled", closed_at=timezone.now() - dt.timedelta(days=91))
    recent = HelpRequestFactory(house=house, status="cancelled", closed_at=timezone.now() - dt.timedelta(days=10))
    still_open = HelpRequestFactory(house=house)
    assert services.help_contacts_prune(by=SCHEDULE, now=timezone.now(), days=90) == 1
    assert services.help_contacts_prune(by=SCHEDULE, now=timezone.now(), days=90) == 0
    old.refresh_from_db()
    assert (old.requester_name, old.requester_phone, old.requester_address) == ("", "", "")
    assert old.kind and old.wanted_on and old.status == "cancelled"
    for request in (recent, still_open):
        request.refresh_from_db()
        assert request.requester_phone


def test_a_user_without_email_is_not_mailed(house, coordinator, helper, django_capture_on_commit_callbacks):
    requester = UserFactory(email="")
    request = HelpRequestFactory(house=house, requester=requester)
    offer = services.help_request_offer(request=request, volunteer=helper, by=coordinator)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.help_offer_answer(offer=offer, accept=True, by=helper.user)
    assert mail.outbox == []


@pytest.mark.parametrize(("language", "subject"), [("en", "A volunteer will help you"), ("nl", "Een vrijwilliger")])
def test_a_requester_without_an_account_hears_in_the_language_given(
    house, coordinator, professional, helper, language, subject, django_capture_on_commit_callbacks
):
    request = post(
        house,
        None,
        posted_by=professional,
        on_behalf=True,
        by=professional,
        email="wim@example.org",
        requester_language=language,
    )
    assert request.requester_language == language
    offer = services.help_request_offer(request=request, volunteer=helper, by=coordinator)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.help_offer_answer(offer=offer, accept=True, by=helper.user)
    [message] = mail.outbox
    assert message.to == ["wim@example.org"] and message.subject.startswith(subject)


def test_a_residents_request_takes_the_language_of_their_account(house, resident):
    resident.language = "en"
    resident.save(update_fields=["language"])
    assert post(house, resident, requester_language="nl").requester_language == "en"


def test_an_unknown_language_is_refused(house, professional):
    with pytest.raises(ValidationError) as error:
        post(house, None, posted_by=professional, on_behalf=True, by=professional, requester_language="xx")
    assert "requester_language" in error.value.message_dict
    assert not HelpRequest.objects.exists()
