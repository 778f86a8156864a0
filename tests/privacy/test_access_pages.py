"""Every page and export that shows named personal data records whom it showed (a test per page), and every URL of
the site is declared in `privacy.access_pages` as logging or as showing none: a new page must be classified."""

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal

import pytest
from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from allauth.usersessions.models import UserSession
from django.contrib import admin
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone

from accounts.models import Role
from audit.services import SCHEDULE, event_record
from locations.models import Organisation
from locations.selectors import current_management
from privacy.access_pages import ADMIN_LOGGED, ADMIN_NOT_LOGGED, LOGGED, NOT_LOGGED, classification
from privacy.admin.access import AccessLoggedAdmin
from privacy.models import AccessRecord
from tests.factories import (
    ActivityFactory,
    BookingFactory,
    PlaceFactory,
    RegistrationFactory,
    RoleAssignmentFactory,
    SessionFactory,
    UserFactory,
    bookable_room,
)
from tests.volunteers.factories import (
    CarerFactory,
    CertificateFactory,
    HelpRequestFactory,
    HoursEntryFactory,
    ShiftAssignmentFactory,
    ShiftFactory,
    VolunteerFactory,
)
from volunteers.models import AllowancePayment, HelpOffer, HoursEntry, WaarderingApplication, WaarderingRules

pytestmark = [pytest.mark.django_db, pytest.mark.date_sensitive]


# --- the declaration covers every URL -------------------------------------------------------------------------


def url_names(patterns=None, namespace=None):
    """Every named URL of huizen.urls as `namespace:name` (admin URLs apart: declared per model)."""
    for pattern in get_resolver().url_patterns if patterns is None else patterns:
        if isinstance(pattern, URLResolver):
            inner = pattern.namespace
            full = f"{namespace}:{inner}" if namespace and inner else (inner or namespace)
            yield from url_names(pattern.url_patterns, full)
        elif isinstance(pattern, URLPattern) and pattern.name:
            yield f"{namespace}:{pattern.name}" if namespace else pattern.name


def test_every_url_name_is_declared_as_logging_or_not():
    names = sorted({name for name in url_names() if not name.startswith("admin:")})
    missing = [name for name in names if classification(name) is None]
    assert not missing, (
        "These pages are not declared in privacy/access_pages.py. If the page shows someone's named data, add\n"
        + "".join(f'    "{name}": What.<WHAT>,\n' for name in missing)
        + "to LOGGED and call privacy.services.access.access_record_for_request in its view (and add a case to "
        "CASES in tests/privacy/test_access_pages.py); otherwise add\n"
        + "".join(f'        "{name}",\n' for name in missing)
        + "to the group of NOT_LOGGED with the right reason."
    )


def test_the_declaration_names_only_pages_that_exist_and_each_once():
    names = {name for name in url_names() if not name.startswith("admin:")}
    declared = [*LOGGED, *(name for group in NOT_LOGGED.values() for name in group)]
    assert sorted(set(declared) - names) == [], "declared in privacy/access_pages.py but no such URL name"
    assert len(declared) == len(set(declared)), "a URL name declared twice in privacy/access_pages.py"


def test_every_admin_model_is_declared_and_the_logged_ones_use_the_mixin():
    registered = {model._meta.label_lower: model_admin for model, model_admin in admin.site._registry.items()}
    not_logged = {label for group in ADMIN_NOT_LOGGED.values() for label in group}
    missing = sorted(set(registered) - set(ADMIN_LOGGED) - not_logged)
    assert not missing, (
        "These admin models are not declared in privacy/access_pages.py: add them to ADMIN_LOGGED (and mix "
        f"privacy.admin.access.AccessLoggedAdmin into their ModelAdmin) or to ADMIN_NOT_LOGGED: {missing}"
    )
    without_mixin = sorted(label for label in ADMIN_LOGGED if not isinstance(registered[label], AccessLoggedAdmin))
    assert not without_mixin, f"ADMIN_LOGGED models whose ModelAdmin lacks AccessLoggedAdmin: {without_mixin}"


# --- a case per logged page -------------------------------------------------------------------------------------


@dataclass
class Look:
    """One fetch: as whom, which URL (GET unless `post`), and whose records the page must log."""

    user: object
    url: str
    subjects: list  # model instances: the people's own records (registration, booking, volunteer, carer, request)
    post: dict | None = None
    user_field: str = "user_id"
    status: int | None = None  # expected status; None: 200
    export: bool = False
    house: object = None
    organisation: str | None = None  # None: the operator running the house
    extra: dict = field(default_factory=dict)


def _coordinator(house):
    return RoleAssignmentFactory(role=Role.COORDINATOR, house=house).user


def _host(house):
    return RoleAssignmentFactory(role=Role.HOST, house=house).user


def _door_session(house):
    activity = ActivityFactory(house=house, first_date=timezone.localdate(), registration_required=True)
    session = SessionFactory(activity=activity)
    registrations = [RegistrationFactory(session=session) for _ in range(2)]
    return activity, session, registrations


def case_door(house):
    activity, _session, registrations = _door_session(house)
    return Look(_host(house), reverse("activities:door", args=[house.slug, activity.place_id]), registrations)


def case_door_close(house):
    activity, session, registrations = _door_session(house)  # a close-out with an error shows the screen again
    prefix = f"close-{session.pk}"
    # A count over 9999 is refused whatever the time of day (before 14:00 the session could not be closed yet).
    data = {f"{prefix}-participants": 10000, f"{prefix}-volunteers": 1, f"{prefix}-remark": ""}
    url = reverse("activities:door_close", args=[house.slug, session.pk])
    return Look(_host(house), url, registrations, post=data, status=400)


def _bookings(house):
    room = bookable_room(place=PlaceFactory(house=house))
    approved = BookingFactory(room=room)
    requested = BookingFactory(room=room, start=approved.end, end=approved.end + dt.timedelta(hours=1))
    requested.status = "requested"
    requested.save(update_fields=["status"])
    return room, approved, requested


def case_house_requests(house):
    _room, approved, requested = _bookings(house)
    url = reverse("bookings:house_requests", args=[house.slug])
    return Look(_coordinator(house), url, [approved, requested], user_field="renter_id")


def case_house_calendar(house):
    room, approved, requested = _bookings(house)
    day = timezone.localtime(approved.start).date()
    url = reverse("bookings:house_calendar", args=[house.slug]) + f"?plaats={room.place_id}&dag={day}&weergave=week"
    return Look(_coordinator(house), url, [approved, requested], user_field="renter_id")


def case_house_export(house):
    _room, approved, requested = _bookings(house)
    day = timezone.localtime(approved.start).date()
    url = reverse("bookings:house_export", args=[house.slug]) + f"?van={day}&tot={day}&formaat=csv&alle=on"
    return Look(_coordinator(house), url, [approved, requested], user_field="renter_id", export=True)


def case_booking_reject(house):
    _room, _approved, requested = _bookings(house)
    url = reverse("bookings:booking_reject", args=[house.slug, requested.pk])
    return Look(_coordinator(house), url, [requested], user_field="renter_id")


def case_house_booking_cancel(house):
    _room, approved, _requested = _bookings(house)
    url = reverse("bookings:house_booking_cancel", args=[house.slug, approved.pk])
    return Look(_coordinator(house), url, [approved], user_field="renter_id")


def case_house_volunteers(house):
    volunteers = [VolunteerFactory(house=house), VolunteerFactory(house=house, status="applied")]
    return Look(_coordinator(house), reverse("volunteers:house_volunteers", args=[house.slug]), volunteers)


def case_volunteer_detail(house):
    volunteer = VolunteerFactory(house=house)
    url = reverse("volunteers:volunteer_detail", args=[house.slug, volunteer.pk])
    return Look(_coordinator(house), url, [volunteer])


def case_volunteer_decide(house):
    volunteer = VolunteerFactory(house=house, status="applied")
    url = reverse("volunteers:volunteer_decide", args=[house.slug, volunteer.pk])
    return Look(_coordinator(house), url, [volunteer], post={"decide-decision": "nonsense"}, status=400)


def case_certificate_record(house):
    volunteer = VolunteerFactory(house=house)
    url = reverse("volunteers:certificate_record", args=[house.slug, volunteer.pk])
    return Look(_coordinator(house), url, [volunteer], post={"certificate-issued_on": "0001-01-01"}, status=400)


def case_volunteer_edit(house):
    volunteer = VolunteerFactory(house=house)
    url = reverse("volunteers:volunteer_edit", args=[house.slug, volunteer.pk])
    return Look(_coordinator(house), url, [volunteer])


def case_roster(house):
    assignment = ShiftAssignmentFactory(shift=ShiftFactory(house=house))
    return Look(_coordinator(house), reverse("volunteers:roster", args=[house.slug]), [assignment.volunteer])


def case_shift_detail(house):
    assignment = ShiftAssignmentFactory(shift=ShiftFactory(house=house))
    url = reverse("volunteers:shift_detail", args=[house.slug, assignment.shift_id])
    return Look(_coordinator(house), url, [assignment.volunteer])


def case_door_shifts(house):
    assignment = ShiftAssignmentFactory(shift=ShiftFactory(house=house, date=timezone.localdate()))
    url = reverse("volunteers:door_shifts", args=[house.slug])
    return Look(_coordinator(house), url, [assignment.volunteer])


def _hours(house):
    volunteer = VolunteerFactory(house=house)
    waiting = HoursEntryFactory(volunteer=volunteer, status=HoursEntry.Status.SUBMITTED)
    return volunteer, waiting


def case_house_hours(house):
    volunteer, _entry = _hours(house)
    return Look(_coordinator(house), reverse("volunteers:house_hours", args=[house.slug]), [volunteer])


def case_hours_record(house):
    volunteer, _entry = _hours(house)
    url = reverse("volunteers:hours_record", args=[house.slug])
    return Look(_coordinator(house), url, [volunteer], post={"datum": "9999-12-31"}, status=400)


def case_hours_decide(house):
    volunteer, entry = _hours(house)
    url = reverse("volunteers:hours_decide", args=[house.slug, entry.pk])
    return Look(_coordinator(house), url, [volunteer])


def case_hours_export(house):
    volunteer = VolunteerFactory(house=house)
    HoursEntryFactory(volunteer=volunteer, date=timezone.localdate().replace(day=1))
    url = reverse("volunteers:hours_export", args=[house.slug])
    return Look(_coordinator(house), url, [volunteer], export=True)


def case_house_hours_statement(house):
    volunteer = VolunteerFactory(house=house)
    url = reverse("volunteers:house_hours_statement", args=[house.slug, volunteer.pk, timezone.localdate().year])
    return Look(_coordinator(house), url, [volunteer], export=True)


def case_allowances(house):
    coordinator = _coordinator(house)
    volunteer = VolunteerFactory(house=house)
    today = timezone.localdate()
    AllowancePayment.objects.create(
        volunteer=volunteer,
        month=today.replace(day=1),
        hours=Decimal("3"),
        amount=Decimal("15.00"),
        paid_on=today,
        recorded_by=coordinator,
    )
    return Look(coordinator, reverse("volunteers:allowances", args=[house.slug]), [volunteer])


def _carer(house):
    return CarerFactory(house=house)


def case_carers(house):
    carers = [_carer(house), _carer(house)]
    return Look(_coordinator(house), reverse("volunteers:carers", args=[house.slug]), carers, user_field=None)


def _carer_page(name):
    def case(house):
        carer = _carer(house)
        url = reverse(f"volunteers:{name}", args=[house.slug, carer.pk])
        return Look(_coordinator(house), url, [carer], user_field=None)

    return case


def _rules(house):
    municipality = Organisation.objects.create(name="Gemeente", slug="gemeente", kind=Organisation.Kind.MUNICIPALITY)
    year = timezone.localdate().year
    return WaarderingRules.objects.create(
        municipality=municipality,
        year=year,
        amount=Decimal("100.00"),
        opens_on=dt.date(year, 1, 1),
        closes_on=dt.date(year, 12, 31),
    )


def _application(carer, rules):
    return WaarderingApplication.objects.create(
        carer=carer,
        rules=rules,
        year=rules.year,
        applied_on=rules.opens_on,
        payee_name="A. de Vries",
        iban="NL91ABNA0417164300",
        status="awarded",
        amount=Decimal("100.00"),
    )


def case_waardering_decide(house):
    carer = _carer(house)
    application = _application(carer, _rules(house))
    url = reverse("volunteers:waardering_decide", args=[house.slug, application.pk])
    return Look(_coordinator(house), url, [carer], user_field=None)


def case_waardering_payments(house):
    rules = _rules(house)
    carers = [_carer(house), _carer(house)]
    for carer in carers:
        _application(carer, rules)
    url = reverse("volunteers:waardering_payments", args=[house.slug, rules.year, "csv"])
    return Look(_coordinator(house), url, carers, user_field=None, export=True)


def case_waardering_network_payments(house):
    rules = _rules(house)
    carers = [_carer(house), _carer(house)]
    for carer in carers:
        _application(carer, rules)
    municipality = RoleAssignmentFactory(role=Role.MUNICIPALITY, house=None).user
    url = reverse("volunteers:waardering_network_payments", args=[rules.year, "xlsx"])
    return Look(municipality, url, carers, user_field=None, export=True, organisation="")


def case_house_help(house):
    requests = [HelpRequestFactory(house=house), HelpRequestFactory(house=house, requester=None)]
    url = reverse("volunteers:house_help", args=[house.slug])
    return Look(_coordinator(house), url, requests, user_field="requester_id")


def case_help_detail(house):
    help_request = HelpRequestFactory(house=house)
    url = reverse("volunteers:help_detail", args=[house.slug, help_request.pk])
    return Look(_coordinator(house), url, [help_request], user_field="requester_id")


def case_help_offer(house):
    help_request = HelpRequestFactory(house=house)
    url = reverse("volunteers:help_offer", args=[house.slug, help_request.pk])
    return Look(_coordinator(house), url, [help_request], user_field="requester_id", post={}, status=200)


def case_my_help_offers(house):
    volunteer = VolunteerFactory(house=house)
    helping = HelpRequestFactory(house=house, status="matched", volunteer=volunteer)
    HelpOffer.objects.create(request=helping, volunteer=volunteer, status="accepted")
    asked = HelpRequestFactory(house=house)  # not yet answered: no contact shown, nothing logged
    HelpOffer.objects.create(request=asked, volunteer=volunteer)
    url = reverse("volunteers:my_help_offers")
    return Look(volunteer.user, url, [helping], user_field="requester_id")


def case_house_history(house):
    coordinator = _coordinator(house)
    residents = [UserFactory(), UserFactory()]
    for actor in [*residents, residents[0], coordinator]:  # each person once; the viewer's own events not
        event_record(by=actor, action="booking.request", house=house)
    event_record(by=SCHEDULE, action="session.cancel", house=house)  # no person
    return Look(coordinator, reverse("audit:house_history", args=[house.slug]), residents, user_field="pk")


CASES = {
    "activities:door": case_door,
    "activities:door_close": case_door_close,
    "bookings:house_requests": case_house_requests,
    "bookings:house_calendar": case_house_calendar,
    "bookings:house_export": case_house_export,
    "bookings:booking_reject": case_booking_reject,
    "bookings:house_booking_cancel": case_house_booking_cancel,
    "volunteers:house_volunteers": case_house_volunteers,
    "volunteers:volunteer_detail": case_volunteer_detail,
    "volunteers:volunteer_decide": case_volunteer_decide,
    "volunteers:certificate_record": case_certificate_record,
    "volunteers:volunteer_edit": case_volunteer_edit,
    "volunteers:roster": case_roster,
    "volunteers:shift_detail": case_shift_detail,
    "volunteers:door_shifts": case_door_shifts,
    "volunteers:house_hours": case_house_hours,
    "volunteers:hours_record": case_hours_record,
    "volunteers:hours_decide": case_hours_decide,
    "volunteers:hours_export": case_hours_export,
    "volunteers:house_hours_statement": case_house_hours_statement,
    "volunteers:allowances": case_allowances,
    "volunteers:carers": case_carers,
    "volunteers:carer_detail": _carer_page("carer_detail"),
    "volunteers:carer_edit": _carer_page("carer_edit"),
    "volunteers:carer_end": _carer_page("carer_end"),
    "volunteers:support_contact_new": _carer_page("support_contact_new"),
    "volunteers:waardering_apply": _carer_page("waardering_apply"),
    "volunteers:waardering_decide": case_waardering_decide,
    "volunteers:waardering_payments": case_waardering_payments,
    "volunteers:waardering_network_payments": case_waardering_network_payments,
    "volunteers:house_help": case_house_help,
    "volunteers:help_detail": case_help_detail,
    "volunteers:help_offer": case_help_offer,
    "volunteers:my_help_offers": case_my_help_offers,
    "audit:house_history": case_house_history,
}


def expected_subjects(look: Look) -> set[tuple]:
    return {
        (person._meta.label_lower, str(person.pk), getattr(person, look.user_field) if look.user_field else None)
        for person in look.subjects
    }


def recorded(via: str) -> set[tuple]:
    rows = AccessRecord.objects.filter(via=via).values_list("subject_type", "subject_id", "subject_user_id")
    return set(rows)


@pytest.mark.parametrize("url_name", sorted(LOGGED))
def test_the_page_records_whom_it_showed(client, house, url_name):
    assert url_name in CASES, f"add a case for {url_name!r} to CASES in tests/privacy/test_access_pages.py"
    look = CASES[url_name](house)
    client.force_login(look.user)
    if look.post is not None:
        response = client.post(look.url, look.post)
    else:
        response = client.get(look.url)
    assert response.status_code == (look.status or 200), response.content[:500]
    assert look.subjects, "a case must show someone"
    assert recorded(url_name) == expected_subjects(look)
    rows = list(AccessRecord.objects.filter(via=url_name))
    assert len(rows) == len(look.subjects), "one row per person shown"
    organisation = current_management(house).operator.name if look.organisation is None else look.organisation
    for row in rows:
        assert row.actor_id == look.user.pk
        assert row.what == LOGGED[url_name]
        assert row.house_id == house.pk
        assert row.export is look.export
        assert abs(row.at - timezone.now()) < dt.timedelta(minutes=1)
        if organisation:
            assert row.organisation == organisation
        else:
            assert row.organisation and row.role == Role.MUNICIPALITY
    assert AccessRecord.objects.exclude(via=url_name).count() == 0, "only the page itself records"


def test_every_logged_page_has_a_case():
    assert sorted(set(LOGGED) - set(CASES)) == []
    assert sorted(set(CASES) - set(LOGGED)) == []


def test_an_own_look_is_not_recorded(client, house):
    """A coordinator who is a volunteer of their own house is on the list, but their own line is not recorded."""
    coordinator = _coordinator(house)
    own = VolunteerFactory(house=house, user=coordinator)
    other = VolunteerFactory(house=house)
    client.force_login(coordinator)
    assert client.get(reverse("volunteers:house_volunteers", args=[house.slug])).status_code == 200
    assert set(AccessRecord.objects.values_list("subject_id", flat=True)) == {str(other.pk)}
    assert own.pk != other.pk


def test_a_page_of_another_house_records_nothing(client, house, other_house):
    volunteer = VolunteerFactory(house=house)
    client.force_login(_coordinator(other_house))
    url = reverse("volunteers:volunteer_detail", args=[house.slug, volunteer.pk])
    assert client.get(url).status_code == 404
    assert not AccessRecord.objects.exists()


# --- the admin ---------------------------------------------------------------------------------------------------


def _admin_objects(house):
    volunteer = VolunteerFactory(house=house)
    coordinator = _coordinator(house)
    return {
        "accounts.user": (UserFactory(), "pk", None),
        "activities.registration": (
            RegistrationFactory(session=SessionFactory(activity=ActivityFactory(house=house))),
            "user_id",
            None,
        ),
        "bookings.booking": (BookingFactory(room=bookable_room(place=PlaceFactory(house=house))), "renter_id", None),
        "volunteers.volunteer": (volunteer, "user_id", None),
        "volunteers.certificate": (CertificateFactory(volunteer=volunteer), "user_id", "volunteer"),
        "volunteers.shiftassignment": (
            ShiftAssignmentFactory(shift=ShiftFactory(house=house), volunteer=volunteer),
            "user_id",
            "volunteer",
        ),
        "volunteers.hoursentry": (HoursEntryFactory(volunteer=volunteer), "user_id", "volunteer"),
        "volunteers.allowancepayment": (
            AllowancePayment.objects.create(
                volunteer=volunteer,
                month=timezone.localdate().replace(day=1),
                hours=Decimal("1"),
                amount=Decimal("5.00"),
                paid_on=timezone.localdate(),
                recorded_by=coordinator,
            ),
            "user_id",
            "volunteer",
        ),
        "volunteers.helprequest": (HelpRequestFactory(house=house), "requester_id", None),
        "mfa.authenticator": (Authenticator.objects.filter(user=coordinator).get(), "pk", "user"),
        "usersessions.usersession": (
            UserSession.objects.create(user=coordinator, ip="192.0.2.1", session_key="k" * 32, user_agent="Firefox"),
            "pk",
            "user",
        ),
        "account.emailaddress": (_email_address(UserFactory()), "pk", "user"),
    }


def _email_address(user):
    return EmailAddress.objects.get_or_create(user=user, email=user.email, defaults={"primary": True})[0]


@pytest.mark.parametrize("label", sorted(ADMIN_LOGGED))
def test_the_admin_records_its_change_list_and_change_view(client, house, administrator, label):
    obj, user_field, person = _admin_objects(house)[label]
    record = getattr(obj, person) if person else obj
    app_label, model_name = label.split(".")
    client.force_login(administrator)
    change = reverse(f"admin:{app_label}_{model_name}_change", args=[obj.pk])
    assert client.get(change).status_code == 200
    subject = (record._meta.label_lower, str(record.pk), getattr(record, user_field))
    assert recorded(f"admin:{app_label}_{model_name}_change") == {subject}
    changelist = reverse(f"admin:{app_label}_{model_name}_changelist")
    assert client.get(changelist).status_code == 200
    shown = recorded(f"admin:{app_label}_{model_name}_changelist")
    assert subject in shown or (label == "accounts.user" and shown)
    row = AccessRecord.objects.filter(via=f"admin:{app_label}_{model_name}_change").get()
    assert (row.actor, row.what, row.role) == (administrator, ADMIN_LOGGED[label], "administrator")
    assert row.organisation == "de beheerders van deze site"  # in the site's language, whatever the viewer's


@pytest.mark.parametrize("label", sorted(ADMIN_LOGGED))
def test_the_admin_records_its_history_and_delete_confirmation(client, house, administrator, label):
    obj, user_field, person = _admin_objects(house)[label]
    record = getattr(obj, person) if person else obj
    app_label, model_name = label.split(".")
    client.force_login(administrator)
    subject = (record._meta.label_lower, str(record.pk), getattr(record, user_field))
    history = f"admin:{app_label}_{model_name}_history"
    assert client.get(reverse(history, args=[obj.pk])).status_code == 200
    assert recorded(history) == {subject}
    delete = f"admin:{app_label}_{model_name}_delete"
    response = client.get(reverse(delete, args=[obj.pk]))
    assert response.status_code == 200 or label not in ("account.emailaddress", "mfa.authenticator")
    if response.status_code == 200:  # the confirmation shows the record
        assert recorded(delete) == {subject}
    else:  # no deleting here (the log, sessions, users: anonymised instead): nothing shown, nothing recorded
        assert response.status_code == 403
        assert recorded(delete) == set()


def test_the_admin_lists_every_users_email_address_and_records_it(client, administrator):
    addresses = [_email_address(UserFactory()) for _ in range(3)]
    client.force_login(administrator)
    response = client.get(reverse("admin:account_emailaddress_changelist"))
    assert response.status_code == 200
    shown = recorded("admin:account_emailaddress_changelist")
    assert {("accounts.user", str(address.user_id), address.user_id) for address in addresses} <= shown
