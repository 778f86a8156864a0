"""People and certificates: the services (sign up, register, decide, stop, update, certificates, settings)."""

import datetime as dt

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from hypothesis import given
from hypothesis import strategies as st

from audit.models import Event
from locations.models import StaleDay
from tests.factories import UserFactory
from tests.volunteers.factories import CertificateFactory, VolunteerFactory
from volunteers.models import Certificate, HouseVolunteering, Volunteer
from volunteers.services import people as services

TODAY = dt.date(2026, 11, 30)


def test_sign_up_makes_an_application_with_roles_and_tells_volunteer_and_coordinators(
    house, coordinator, django_capture_on_commit_callbacks
):
    user = UserFactory(first_name="Fatma", last_name="Yilmaz", language="en")
    with django_capture_on_commit_callbacks(execute=True):
        volunteer = services.volunteer_sign_up(
            house=house,
            user=user,
            roles=["cook", "host"],
            availability=["mon_morning", "tue_evening"],
            phone="0612345678",
            by=user,
        )
    assert volunteer.status == Volunteer.Status.APPLIED
    assert volunteer.first_name == "Fatma" and volunteer.email == user.email and volunteer.language == "en"
    assert sorted(volunteer.roles.values_list("role", flat=True)) == ["cook", "host"]
    assert Event.objects.filter(action="volunteer.sign_up", object_id=str(volunteer.pk)).exists()
    recipients = sorted(message.to[0] for message in mail.outbox)
    assert recipients == sorted([user.email, coordinator.email])
    to_volunteer = next(m for m in mail.outbox if m.to == [user.email])
    assert "Thank you for signing up" in to_volunteer.body  # English: the account's language


def test_a_second_sign_up_at_the_same_house_is_refused_kindly(house, resident):
    services.volunteer_sign_up(house=house, user=resident, roles=["bar"], by=resident)
    with pytest.raises(ValidationError) as error:
        services.volunteer_sign_up(house=house, user=resident, roles=["cook"], by=resident)
    assert "al aangemeld" in " ".join(error.value.messages) or "already signed up" in " ".join(error.value.messages)
    assert Volunteer.objects.count() == 1


def test_sign_up_needs_a_role(house, resident):
    with pytest.raises(ValidationError):
        services.volunteer_sign_up(house=house, user=resident, roles=[], by=resident)
    assert not Volunteer.objects.exists()


def test_register_without_email_accepted_at_once_marks_the_start_day(house, coordinator):
    volunteer = services.volunteer_register(
        house=house, first_name="Henk", roles=["odd_jobs"], accept=True, start_date=TODAY, by=coordinator
    )
    assert volunteer.status == Volunteer.Status.ACCEPTED and volunteer.start_date == TODAY
    assert volunteer.user is None and volunteer.email == ""
    assert StaleDay.objects.filter(house=house, day=TODAY).exists()
    assert Event.objects.filter(action="volunteer.register").exists()


def test_accept_tells_the_volunteer_in_their_language(house, coordinator, django_capture_on_commit_callbacks):
    volunteer = services.volunteer_register(
        house=house, first_name="Ana", email="ana@example.nl", language="en", roles=["bar"], by=coordinator
    )
    with django_capture_on_commit_callbacks(execute=True):
        services.volunteer_decide(volunteer=volunteer, decision="accept", by=coordinator)
    volunteer.refresh_from_db()
    assert volunteer.status == Volunteer.Status.ACCEPTED and volunteer.start_date == TODAY
    assert volunteer.decided_by == coordinator
    assert [m.to for m in mail.outbox] == [["ana@example.nl"]]
    assert "Welcome" in mail.outbox[0].subject and "Hello Ana" in mail.outbox[0].body
    assert StaleDay.objects.filter(house=house, day=TODAY).exists()


def test_the_welcome_mail_links_to_my_volunteering(house, coordinator, django_capture_on_commit_callbacks):
    from django.urls import reverse

    user = UserFactory(first_name="Bram")
    volunteer = VolunteerFactory(house=house, user=user, status=Volunteer.Status.APPLIED, start_date=None)
    paper = VolunteerFactory(
        house=house, user=None, email="paper@example.nl", status=Volunteer.Status.APPLIED, start_date=None
    )
    with django_capture_on_commit_callbacks(execute=True):
        services.volunteer_decide(volunteer=volunteer, decision="accept", by=coordinator)
        services.volunteer_decide(volunteer=paper, decision="accept", by=coordinator)
    to_user = next(m for m in mail.outbox if m.to == [user.email])
    link = reverse("volunteers:my_volunteering")
    assert "Mijn vrijwilligerswerk:\nhttps://testserver" + link in to_user.body
    to_paper = next(m for m in mail.outbox if m.to == ["paper@example.nl"])
    assert link not in to_paper.body and "Mijn vrijwilligerswerk" not in to_paper.body  # no account to log in to


def test_decide_without_an_address_sends_nothing(house, coordinator, django_capture_on_commit_callbacks):
    volunteer = services.volunteer_register(house=house, first_name="Kees", roles=["bar"], by=coordinator)
    assert not services.has_address(volunteer)
    with django_capture_on_commit_callbacks(execute=True):
        services.volunteer_decide(volunteer=volunteer, decision="decline", reason="Vol", by=coordinator)
    assert mail.outbox == []
    volunteer.refresh_from_db()
    assert volunteer.status == Volunteer.Status.DECLINED


def test_on_hold_needs_a_reason(house, coordinator):
    volunteer = services.volunteer_register(house=house, first_name="Kees", roles=["bar"], by=coordinator)
    with pytest.raises(ValidationError):
        services.volunteer_decide(volunteer=volunteer, decision="on_hold", reason=" ", by=coordinator)
    services.volunteer_decide(volunteer=volunteer, decision="on_hold", reason="Eerst kennismaken", by=coordinator)
    volunteer.refresh_from_db()
    assert volunteer.status == Volunteer.Status.ON_HOLD and volunteer.status_reason == "Eerst kennismaken"


def test_stop_sets_the_end_date_and_marks_it(house, coordinator, django_capture_on_commit_callbacks):
    volunteer = VolunteerFactory(house=house, start_date=dt.date(2025, 1, 1))
    with django_capture_on_commit_callbacks(execute=True):
        services.volunteer_stop(volunteer=volunteer, end_date=TODAY, reason="Verhuisd", by=coordinator)
    volunteer.refresh_from_db()
    assert volunteer.status == Volunteer.Status.STOPPED and volunteer.end_date == TODAY
    assert StaleDay.objects.filter(house=house, day=TODAY).exists()
    assert Event.objects.filter(action="volunteer.stop").exists()
    assert len(mail.outbox) == 1
    with pytest.raises(ValidationError):
        services.volunteer_stop(volunteer=volunteer, by=coordinator)


def test_stop_before_the_start_is_refused(house, coordinator):
    volunteer = VolunteerFactory(house=house, start_date=TODAY)
    with pytest.raises(ValidationError):
        services.volunteer_stop(volunteer=volunteer, end_date=TODAY - dt.timedelta(days=1), by=coordinator)


def test_update_changes_roles_and_records_without_personal_values(house, coordinator):
    volunteer = VolunteerFactory(house=house, roles=["host"])
    services.volunteer_update(
        volunteer=volunteer, roles=["bar", "cook"], date_of_birth=dt.date(1990, 1, 2), by=coordinator
    )
    assert sorted(volunteer.roles.values_list("role", flat=True)) == ["bar", "cook"]
    event = Event.objects.get(action="volunteer.update")
    assert event.changes["date_of_birth"] == ["…", "…"]
    assert event.changes["roles"] == [["host"], ["bar", "cook"]]


def test_the_history_holds_no_name_and_no_free_text_of_a_volunteer(house, coordinator):
    """Erasure cannot reach into the append-only history: names and free text never go there."""
    volunteer = VolunteerFactory(house=house, first_name="Henk", last_name="Zwaan", skills="Koken")
    services.volunteer_update(volunteer=volunteer, first_name="Hendrik", skills="Bakken", by=coordinator)
    services.volunteer_decide(
        volunteer=volunteer, decision=services.Decision.HOLD, reason="Henk belt eerst terug", by=coordinator
    )
    for event in Event.objects.filter(object_id=str(volunteer.pk)):
        text = f"{event.object_label} {event.changes}"
        for trace in ("Henk", "Hendrik", "Zwaan", "Koken", "Bakken"):
            assert trace not in text, (event.action, text)
    assert Event.objects.get(action="volunteer.update").changes["first_name"] == ["…", "…"]
    assert Event.objects.get(action="volunteer.decide").object_label == f"#{volunteer.pk}"


@pytest.mark.parametrize(
    ("issued", "years", "until"),
    [
        (dt.date(2024, 2, 29), 3, dt.date(2027, 2, 28)),
        (dt.date(2024, 2, 29), 4, dt.date(2028, 2, 28)),
        (dt.date(2025, 6, 1), 3, dt.date(2028, 5, 31)),
        (dt.date(2025, 1, 1), 1, dt.date(2025, 12, 31)),
    ],
)
def test_valid_until(issued, years, until):
    assert services.valid_until_for(issued, years) == until


def test_certificate_record_uses_the_house_period_and_refuses_bad_dates(house, coordinator):
    volunteer = VolunteerFactory(house=house)
    certificate = services.certificate_record(
        volunteer=volunteer, kind="vog", issued_on=dt.date(2024, 2, 29), by=coordinator
    )
    assert certificate.valid_until == dt.date(2027, 2, 28)
    assert Event.objects.filter(action="certificate.record").exists()
    for day in (TODAY + dt.timedelta(days=1), dt.date(1999, 12, 31)):
        with pytest.raises(ValidationError):
            services.certificate_record(volunteer=volunteer, kind="vog", issued_on=day, by=coordinator)
    with pytest.raises(ValidationError):
        services.certificate_record(volunteer=volunteer, kind="vog", issued_on=dt.date(2024, 2, 29), by=coordinator)


def test_settings_recompute_the_house_certificates_only(house, other_house, coordinator):
    mine = CertificateFactory(volunteer=VolunteerFactory(house=house), issued_on=dt.date(2025, 3, 1))
    theirs = CertificateFactory(volunteer=VolunteerFactory(house=other_house), issued_on=dt.date(2025, 3, 1))
    services.house_volunteering_update(house=house, certificate_renewal_years=5, idle_after_days=60, by=coordinator)
    mine.refresh_from_db()
    theirs.refresh_from_db()
    assert mine.valid_until == dt.date(2030, 2, 28)
    assert theirs.valid_until == dt.date(2028, 2, 29)
    assert HouseVolunteering.objects.get(house=house).idle_after_days == 60
    assert Event.objects.filter(action="house_volunteering.update").count() == 1
    with pytest.raises(ValidationError):
        services.house_volunteering_update(
            house=house, certificate_renewal_years=11, idle_after_days=60, by=coordinator
        )
    assert Certificate.objects.get(pk=mine.pk).valid_until == dt.date(2030, 2, 28)


@given(issued=st.dates(min_value=dt.date(2000, 1, 1), max_value=dt.date(2089, 12, 31)), years=st.integers(1, 10))
def test_a_certificate_covers_up_to_the_day_before_its_anniversary(issued, years):
    until = services.valid_until_for(issued, years)
    assert until >= issued
    after = until + dt.timedelta(days=1)  # the first day it no longer covers: the anniversary, or 1 March
    assert after.year == issued.year + years
    try:
        anniversary = issued.replace(year=issued.year + years)
    except ValueError:  # 29 February in a year without one
        anniversary = dt.date(issued.year + years, 3, 1)
    assert after == anniversary


def test_the_same_certificate_recorded_twice_at_once_is_a_dutch_error_not_a_500(house, coordinator, monkeypatch):
    from django.db.models import QuerySet

    volunteer = VolunteerFactory(house=house)
    services.certificate_record(volunteer=volunteer, kind="vog", issued_on=dt.date(2026, 1, 5), by=coordinator)
    # The other request's check ran before this one's row was there: only the database's constraint catches it.
    monkeypatch.setattr(QuerySet, "exists", lambda self: False)
    with pytest.raises(ValidationError) as error:
        services.certificate_record(volunteer=volunteer, kind="vog", issued_on=dt.date(2026, 1, 5), by=coordinator)
    assert error.value.message_dict == {"issued_on": ["Dit certificaat is al vastgelegd."]}
    assert Certificate.objects.count() == 1
    assert Event.objects.filter(action="certificate.record").count() == 1


def test_the_history_of_a_shift_place_holds_no_name(house, coordinator):
    from tests.volunteers.factories import CertificateFactory, ShiftFactory
    from volunteers.services.rosters import shift_assign

    volunteer = VolunteerFactory(house=house, first_name="Henk", last_name="Zwaan", roles=["host"])
    CertificateFactory(volunteer=volunteer)
    shift_assign(shift=ShiftFactory(house=house), volunteer=volunteer, by=coordinator)
    event = Event.objects.get(action="shift.assign")
    assert "Henk" not in event.object_label and "Zwaan" not in event.object_label
    assert event.object_label.endswith(f"#{volunteer.pk}")
