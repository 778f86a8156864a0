"""Every category of personal data is applied on its day and not before: a record whose period starts at a
moment B - days is untouched a second before B and removed or anonymised a second after, by the category's own
apply function with its `now` and `days` (the frozen clock never moves: `now` is the input). A second run touches
nothing. A category without a case here fails `test_every_category_has_a_case`."""

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

import pytest
from django.utils import timezone
from django.utils.module_loading import import_string

from activities.models import Registration
from audit.models import Event
from audit.services import SCHEDULE
from bookings.models import Booking
from huizen.models import OutboxMessage
from locations.models import Organisation
from privacy.models import AccessRecord, DormancyWarning
from privacy.retention import BY_KEY, CATEGORIES
from tests.factories import (
    AMSTERDAM,
    BookingFactory,
    OrganisationFactory,
    RegistrationFactory,
    SessionFactory,
    UserFactory,
)
from tests.volunteers.factories import (
    CarerFactory,
    CertificateFactory,
    HelpRequestFactory,
    HoursEntryFactory,
    SupportContactFactory,
    VolunteerFactory,
)
from volunteers.models import (
    AllowancePayment,
    Carer,
    Certificate,
    HelpRequest,
    HoursEntry,
    SupportContact,
    Volunteer,
    WaarderingApplication,
    WaarderingRules,
)

pytestmark = [pytest.mark.django_db, pytest.mark.date_sensitive]

T = dt.datetime(2024, 3, 12, 14, 30, tzinfo=AMSTERDAM)  # a moment a period starts at
D = dt.date(2024, 3, 12)  # a day a period starts on


def midnight(day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(), tzinfo=AMSTERDAM)


@dataclass
class Case:
    make: callable  # (days) -> (record, the boundary moment B)
    touched: callable  # (record) -> bool


# --- one case per category -------------------------------------------------------------------------------------


def make_registration(days):
    session = SessionFactory(start=T - dt.timedelta(hours=2), end=T)
    return RegistrationFactory(session=session), T + dt.timedelta(days=days)


def make_booking_contact(days):
    booking = BookingFactory(
        renter=None,
        contact_name="Piet Jansen",
        contact_email="piet@example.nl",
        contact_phone="010-1234567",
        start=T - dt.timedelta(hours=2),
        end=T,
    )
    return booking, T + dt.timedelta(days=days)


def make_help_request(days):
    return HelpRequestFactory(status="cancelled", closed_at=T), T + dt.timedelta(days=days)


def make_event(days):
    return Event.objects.create(at=T, actor_kind="system", action="session.cancel"), T + dt.timedelta(days=days)


def make_access_record(days):
    record = AccessRecord.objects.create(at=T, subject_type="accounts.user", subject_id="1", what="account", via="t")
    return record, T + dt.timedelta(days=days)


def make_outbox_message(days):
    return OutboxMessage.objects.create(task="huizen.tasks.flush_outbox", sent_at=T), T + dt.timedelta(days=days)


def stopped_volunteer(**values):
    return VolunteerFactory(
        status=Volunteer.Status.STOPPED,
        start_date=D - dt.timedelta(days=900),
        end_date=D,
        phone="06-12345678",
        motivation="Ik wil graag iets doen voor de buurt.",
        skills="koken",
        availability=["mon_morning"],
        **values,
    )


def make_volunteer_file(days):
    return stopped_volunteer(), midnight(D + dt.timedelta(days=days))


def make_volunteer_allowance(days):
    volunteer = stopped_volunteer()
    HoursEntryFactory(volunteer=volunteer, date=D - dt.timedelta(days=20), description="Koffie geschonken")
    AllowancePayment.objects.create(
        volunteer=volunteer, month=dt.date(2024, 2, 1), hours=Decimal("3"), amount=Decimal("15"), paid_on=D
    )
    return volunteer, midnight(D + dt.timedelta(days=days))


def make_certificate(days):
    volunteer = VolunteerFactory()
    certificate = CertificateFactory(volunteer=volunteer, issued_on=D - dt.timedelta(days=3 * 365), valid_until=D)
    return certificate, midnight(D + dt.timedelta(days=days))


def make_carer(days):
    carer = CarerFactory(email="ans@example.nl", ended_on=D, consent_given_on=D - dt.timedelta(days=400))
    SupportContactFactory(carer=carer, date=D - dt.timedelta(days=30), note="Praat graag over haar man.")
    return carer, midnight(D + dt.timedelta(days=days))


def make_waardering(days):
    municipality = OrganisationFactory(kind=Organisation.Kind.MUNICIPALITY)
    rules = WaarderingRules.objects.create(
        municipality=municipality,
        year=2024,
        amount=Decimal("100"),
        opens_on=dt.date(2024, 1, 1),
        closes_on=dt.date(2024, 12, 31),
    )
    application = WaarderingApplication.objects.create(
        carer=CarerFactory(),
        rules=rules,
        year=2024,
        applied_on=D,
        payee_name="A. de Vries",
        iban="NL91ABNA0417164300",
        status="awarded",
        amount=Decimal("100"),
    )
    return application, midnight(dt.date(2024, 12, 31) + dt.timedelta(days=days))


def make_dormant_account(days):
    user = UserFactory(date_joined=T - dt.timedelta(days=30))
    user.last_login = T
    user.save(update_fields=["last_login"])
    return user, T + dt.timedelta(days=days)


def make_login_session(days):
    from allauth.usersessions.models import UserSession
    from django.contrib.sessions.backends.db import SessionStore

    store = SessionStore()
    store.create()
    login = UserSession.objects.create(
        user=UserFactory(), created_at=T, session_key=store.session_key, ip="192.0.2.7", user_agent="Firefox"
    )
    return login, T + dt.timedelta(days=days)


def gone(model):
    return lambda record: not model.objects.filter(pk=record.pk).exists()


def fresh(model, check):
    return lambda record: check(model.objects.get(pk=record.pk))


def _login_left(login) -> bool:
    """The login's row or its session is still there."""
    from allauth.usersessions.models import UserSession
    from django.contrib.sessions.models import Session

    return (
        UserSession.objects.filter(pk=login.pk).exists()
        or Session.objects.filter(session_key=login.session_key).exists()
    )


CASES = {
    "registrations": Case(make_registration, gone(Registration)),
    "booking_contacts": Case(
        make_booking_contact,
        fresh(Booking, lambda b: (b.contact_name, b.contact_email, b.contact_phone) == ("-", "", "")),
    ),
    "help_contacts": Case(
        make_help_request,
        fresh(HelpRequest, lambda h: (h.requester_name, h.requester_phone, h.description) == ("", "", "")),
    ),
    "audit_events": Case(make_event, gone(Event)),
    "access_records": Case(make_access_record, gone(AccessRecord)),
    "outbox": Case(make_outbox_message, gone(OutboxMessage)),
    "login_sessions": Case(make_login_session, lambda login: not _login_left(login)),
    "volunteer_files": Case(
        make_volunteer_file,
        fresh(
            Volunteer,
            lambda v: (
                (v.email, v.phone, v.date_of_birth, v.motivation, v.skills, v.availability)
                == ("", "", None, "", "", [])
                and v.first_name != "-"
            ),
        ),
    ),
    "volunteer_allowances": Case(
        make_volunteer_allowance,
        fresh(Volunteer, lambda v: (v.first_name, v.last_name, v.user_id, v.email) == ("-", "", None, "")),
    ),
    "certificates": Case(make_certificate, gone(Certificate)),
    "carers": Case(
        make_carer, fresh(Carer, lambda c: (c.first_name, c.last_name, c.email, c.phone) == ("-", "", "", ""))
    ),
    "waardering": Case(make_waardering, fresh(WaarderingApplication, lambda a: (a.payee_name, a.iban) == ("", ""))),
    "dormant_accounts": Case(make_dormant_account, lambda user: DormancyWarning.objects.filter(user=user).exists()),
}


def test_every_category_has_a_case():
    assert set(CASES) == set(BY_KEY)


@pytest.mark.parametrize("key", [category.key for category in CATEGORIES])
@pytest.mark.parametrize("which_days", ["default", "min"])
def test_applied_on_its_day_and_not_before(key, which_days):
    category = BY_KEY[key]
    days = category.default_days if which_days == "default" else category.min_days
    apply = import_string(category.apply)
    case = CASES[key]
    record, boundary = case.make(days)

    assert apply(by=SCHEDULE, now=boundary - dt.timedelta(seconds=1), days=days) == 0
    assert not case.touched(record)
    assert not Event.objects.filter(actor_kind="schedule").exists()  # nothing touched, nothing recorded

    assert apply(by=SCHEDULE, now=boundary + dt.timedelta(seconds=1), days=days) >= 1
    assert case.touched(record)
    assert Event.objects.filter(actor_kind="schedule").exists()  # the apply recorded what it did

    if key != "audit_events":  # the history's prune would find its own earlier event old enough
        recorded = Event.objects.count()
        assert apply(by=SCHEDULE, now=boundary + dt.timedelta(seconds=2), days=days) == 0  # safe to run twice
        assert Event.objects.count() == recorded


# --- what each category keeps -----------------------------------------------------------------------------------


def test_a_volunteers_name_stays_while_a_later_payment_needs_it():
    category = BY_KEY["volunteer_allowances"]
    apply = import_string(category.apply)
    volunteer, boundary = make_volunteer_allowance(category.default_days)
    AllowancePayment.objects.create(
        volunteer=volunteer,
        month=dt.date(2024, 3, 1),
        hours=Decimal("2"),
        amount=Decimal("10"),
        paid_on=D + dt.timedelta(days=20),
    )
    assert apply(by=SCHEDULE, now=boundary + dt.timedelta(days=1), days=category.default_days) == 0
    assert apply(by=SCHEDULE, now=boundary + dt.timedelta(days=20), days=category.default_days) == 1
    volunteer.refresh_from_db()
    assert volunteer.first_name == "-"
    # The hours and payments stay, as numbers without a name: every figure stays the same.
    assert HoursEntry.objects.filter(volunteer=volunteer, minutes=180, description="").count() == 1
    assert AllowancePayment.objects.filter(volunteer=volunteer).count() == 2


def test_an_accepted_volunteers_file_is_kept():
    category = BY_KEY["volunteer_files"]
    volunteer = VolunteerFactory(phone="06-12345678")
    far = timezone.now() + dt.timedelta(days=10 * 365)
    assert import_string(category.apply)(by=SCHEDULE, now=far, days=category.min_days) == 0
    volunteer.refresh_from_db()
    assert volunteer.phone == "06-12345678"


def test_a_declined_applicant_is_wiped_from_the_decision():
    category = BY_KEY["volunteer_files"]
    volunteer = VolunteerFactory(status=Volunteer.Status.DECLINED, start_date=None, phone="06-1", decided_at=T)
    apply = import_string(category.apply)
    assert apply(by=SCHEDULE, now=T + dt.timedelta(days=30, seconds=-1), days=30) == 0
    assert apply(by=SCHEDULE, now=T + dt.timedelta(days=30), days=30) == 1
    volunteer.refresh_from_db()
    assert volunteer.phone == "" and volunteer.first_name != "-"


def test_a_valid_certificate_of_an_active_volunteer_is_kept():
    certificate = CertificateFactory()
    far = timezone.now() + dt.timedelta(days=60)
    assert import_string(BY_KEY["certificates"].apply)(by=SCHEDULE, now=far, days=30) == 0
    assert Certificate.objects.filter(pk=certificate.pk).exists()


def test_a_carers_contacts_stay_as_counts_and_the_payment_list_keeps_its_payee():
    carer, boundary = make_carer(BY_KEY["carers"].default_days)
    application, _boundary = make_waardering(BY_KEY["waardering"].default_days)
    WaarderingApplication.objects.filter(pk=application.pk).update(carer=carer)
    assert import_string(BY_KEY["carers"].apply)(by=SCHEDULE, now=boundary, days=BY_KEY["carers"].default_days) == 1
    assert SupportContact.objects.filter(carer=carer, note="").count() == 1
    application.refresh_from_db()
    assert (application.payee_name, application.iban) == ("A. de Vries", "NL91ABNA0417164300")
    carer.refresh_from_db()
    assert carer.relation == "partner" and carer.ended_on == D
