"""Erasing an account leaves every figure identical: the door counts, attendance, booking hours, volunteer hours and
payments, burenhulp, and the reporting app's indicator values derived again from the rows after the erasure.

The clock reads Monday 2026-11-30 07:00 in Amsterdam; the days used here lie in October 2026."""

import datetime as dt
import json
from decimal import Decimal

import pytest
from django.apps import apps
from django.contrib.sessions.models import Session as DjangoSession
from django.db import models
from django.db.models import Count, Sum
from django.test import Client
from django.urls import reverse

from accounts.models import Role, RoleAssignment
from activities.models import DoorTally, Registration
from audit.services import SYSTEM
from bookings.models import Booking, BookingFeed
from huizen.models import OutboxMessage
from privacy.models import AccessRecord, DormancyWarning
from privacy.selectors.mydata import my_data
from privacy.services.access import access_record, subject_of
from privacy.services.mydata import is_erased, user_erase
from reporting.models import DayFigure
from reporting.rollups import derive
from reporting.selectors import Period, indicator_values
from tests.factories import (
    AMSTERDAM,
    PASSWORD,
    BookingFactory,
    DoorTallyFactory,
    PlaceFactory,
    RegistrationFactory,
    RoleAssignmentFactory,
    SessionFactory,
    SignalFactory,
    UserFactory,
    bookable_room,
)
from tests.volunteers.factories import HelpRequestFactory, HoursEntryFactory, ShiftAssignmentFactory, VolunteerFactory
from volunteers.models import AllowancePayment, HelpRequest, HoursEntry, ShiftFeed, Volunteer

pytestmark = [pytest.mark.django_db, pytest.mark.date_sensitive]

OCT_1, OCT_5, OCT_6, OCT_7 = dt.date(2026, 10, 1), dt.date(2026, 10, 5), dt.date(2026, 10, 6), dt.date(2026, 10, 7)
Q4 = Period.quarter(2026, 4)


@pytest.fixture(autouse=True)
def _monday_morning(clock):
    clock.move_to(dt.datetime(2026, 11, 30, 7, 0, tzinfo=AMSTERDAM))


def local(day, hour, minute=0):
    return dt.datetime.combine(day, dt.time(hour, minute), tzinfo=AMSTERDAM)


@pytest.fixture
def world(house, host, coordinator):
    """A resident with data in every app, beside two other residents."""
    resident = UserFactory(first_name="Fatima", last_name="El Amrani", email="fatima@example.nl")
    others = [UserFactory(), UserFactory()]
    place = PlaceFactory(house=house)
    session = SessionFactory(activity__house=house, activity__place=place, start=local(OCT_5, 14), end=local(OCT_5, 16))
    for person in [resident, *others]:
        RegistrationFactory(session=session, user=person, attended=True)
    later = SessionFactory(activity__house=house, activity__place=place, start=local(OCT_7, 10), end=local(OCT_7, 12))
    RegistrationFactory(session=later, user=resident, attended=False)
    DoorTallyFactory(
        house=house, place=place, session=session, recorded_at=local(OCT_5, 14, 5), count=3, recorded_by=host
    )
    DoorTallyFactory(house=house, place=place, recorded_at=local(OCT_6, 10), count=2, is_new=True, recorded_by=host)
    SignalFactory(house=house, date=OCT_6, created_by=coordinator)
    room = bookable_room(place=place)
    BookingFactory(room=room, renter=resident, start=local(OCT_6, 10), end=local(OCT_6, 12), price=Decimal("20.00"))
    BookingFactory(room=room, renter=resident, start=local(OCT_7, 13), end=local(OCT_7, 14), price=Decimal("0"))
    BookingFactory(room=room, renter=others[0], start=local(OCT_7, 15), end=local(OCT_7, 16))
    BookingFactory(room=room, renter=resident, contact_phone="06-11112222")  # still to come
    # Nothing to pay on these: the name goes (a rejected request, one cancelled free of charge).
    BookingFactory(room=room, renter=resident, status="rejected", occupancy=None)
    BookingFactory(room=room, renter=resident, status="cancelled", cancellation_cost=Decimal("0"), occupancy=None)
    BookingFeed.objects.create(user=resident)
    volunteer = VolunteerFactory(
        user=resident, house=house, start_date=OCT_5, phone="06-12345678", skills="Koken", motivation="Mensen helpen"
    )
    HoursEntryFactory(volunteer=volunteer, date=OCT_6, minutes=180)
    HoursEntryFactory(volunteer=volunteer, date=OCT_7, minutes=60, source=HoursEntry.Source.SHIFT)
    AllowancePayment.objects.create(
        volunteer=volunteer, month=OCT_1, hours=Decimal("4.00"), amount=Decimal("20.00"), paid_on=dt.date(2026, 11, 2)
    )
    ShiftAssignmentFactory(volunteer=volunteer, shift__house=house, shift__place=place)
    ShiftFeed.objects.create(user=resident)
    helper = VolunteerFactory(house=house, start_date=dt.date(2025, 1, 1))
    HelpRequestFactory(
        house=house,
        requester=resident,
        requester_address="Dorpsstraat 1",
        wanted_on=OCT_6,
        status=HelpRequest.Status.DONE,
        volunteer=helper,
        matched_at=local(OCT_5, 9),
        closed_at=local(OCT_7, 9),
        minutes_spent=45,
    )
    HoursEntryFactory(volunteer=helper, date=OCT_6, minutes=45, source=HoursEntry.Source.NEIGHBOUR_HELP)
    HelpRequestFactory(house=house, requester=resident)  # open, still to come
    DormancyWarning.objects.create(user=resident)
    access_record(
        by=coordinator,
        what=AccessRecord.What.REGISTRATIONS,
        via="test",
        subjects=[subject_of(Registration.objects.filter(user=resident).first())],
        house=house,
    )
    return resident


def figures(house) -> dict:
    """Every figure there is, derived again from the rows as they are now."""
    derive(house_ids=[house.pk], start=OCT_1, end=dt.date(2026, 11, 29))
    rollups = sorted(
        (str(row.day), row.measure, row.dimension, row.member, row.place_id, row.value)
        for row in DayFigure.objects.filter(house=house)
    )
    return {
        "rollups": rollups,
        "indicators": indicator_values(house_ids=[house.pk], start=Q4.start, end=Q4.end),
        "indicators_by_month": indicator_values(house_ids=[house.pk], start=Q4.start, end=Q4.end, group_by=("month",)),
        "door": DoorTally.objects.filter(house=house).aggregate(visits=Sum("count"), taps=Count("id")),
        "registrations": list(
            Registration.objects.filter(session__activity__house=house)
            .values("session_id", "status", "attended")
            .annotate(n=Count("id"), people=Count("user", distinct=True))
            .order_by("session_id", "status", "attended")
        ),
        "bookings": list(
            Booking.objects.filter(room__place__house=house)
            .values("status", "tier")
            .annotate(n=Count("id"), price=Sum("price"))
            .order_by("status", "tier")
        ),
        "volunteers": list(Volunteer.objects.filter(house=house).values("status", "start_date").order_by("pk")),
        "hours": HoursEntry.objects.filter(volunteer__house=house).aggregate(minutes=Sum("minutes"), n=Count("id")),
        "payments": AllowancePayment.objects.aggregate(amount=Sum("amount"), hours=Sum("hours")),
        "help": list(
            HelpRequest.objects.filter(house=house)
            .values("status", "kind", "wanted_on", "minutes_spent")
            .order_by("pk")
        ),
    }


def test_erasure_leaves_every_figure_identical(house, world):
    before = figures(house)
    # The test means something: the resident's data is in the figures.
    indicators = before["indicators"][()]
    assert indicators["unique_participants"] == 3
    assert indicators["volunteer_hours"] == Decimal("4.8")  # 180 + 60 + 45 minutes, one decimal
    assert before["door"]["visits"] == 5
    assert any(measure == "booking_minutes_paid" for _day, measure, *_rest in before["rollups"])
    counts = user_erase(user=world, by=SYSTEM, reason="request")
    assert counts["registrations_kept"] == 2 and counts["bookings_kept_for_invoice"] == 2
    after = figures(house)
    for key in before:
        assert after[key] == before[key], key


def test_erasure_keeps_the_rows_and_removes_the_person(house, world):
    resident_id = world.pk
    user_erase(user=world, by=SYSTEM, reason="request")
    world.refresh_from_db()
    assert world.pk == resident_id and is_erased(world)
    assert (world.first_name, world.last_name, world.is_active, world.has_usable_password()) == ("", "", False, False)
    assert world.language == "nl"
    assert not world.emailaddress_set.exists()
    assert not BookingFeed.objects.filter(user=world).exists() and not ShiftFeed.objects.filter(user=world).exists()
    assert not DormancyWarning.objects.filter(user=world).exists()
    assert Registration.objects.filter(user=world).count() == 2
    # Bookings: unlinked; paid and coming ones keep the invoice name and address; the phone is gone everywhere.
    bookings = Booking.objects.filter(contact_email="fatima@example.nl")
    assert bookings.count() == 2
    assert set(bookings.values_list("contact_name", flat=True)) == {"Fatima El Amrani"}
    assert not Booking.objects.filter(renter=world).exists()
    free = Booking.objects.get(price=0, start=local(OCT_7, 13))
    assert (free.contact_name, free.contact_email) == ("-", "")
    assert not Booking.objects.filter(contact_phone="06-11112222").exists()
    volunteer = Volunteer.objects.get(user=world)
    assert (volunteer.phone, volunteer.email, volunteer.skills, volunteer.motivation) == ("", "", "", "")
    assert volunteer.date_of_birth is None
    assert volunteer.first_name == "Fatima"  # paid an allowance: the name stays for the tax records
    for request in HelpRequest.objects.filter(requester=world):
        assert (request.requester_name, request.requester_phone, request.requester_address) == ("", "", "")
    # What the erased account still links to holds no address, phone or skills; the account no name.
    data = my_data(world)
    assert "Fatima" not in str(data["account"]) and "fatima@" not in str(data["account"])
    for trace in ("Dorpsstraat", "06-12345678", "06-11112222", "Koken", "Mensen helpen"):
        assert trace not in str(data), trace
    # Whose data the access log holds stays, as the log is append-only; it now points at a nameless account.
    assert AccessRecord.objects.filter(subject_user=world).count() == 1


def test_a_volunteer_without_payments_loses_the_name_too(house):
    resident = UserFactory(first_name="Kees")
    VolunteerFactory(user=resident, house=house)
    user_erase(user=resident, by=SYSTEM, reason="request")
    volunteer = Volunteer.objects.get(user=resident)
    assert (volunteer.first_name, volunteer.last_name) == ("-", "")


def test_erasure_ends_every_session_of_the_account_and_no_other(house):
    from allauth.usersessions.models import UserSession

    resident, other = UserFactory(), UserFactory()
    mine, theirs, forced = Client(), Client(), Client()
    for client, person in ((mine, resident), (theirs, other)):
        response = client.post(reverse("account_login"), {"login": person.email, "password": PASSWORD})
        assert response.status_code == 302
    forced.force_login(resident)  # a session allauth does not know (no UserSession row)
    assert UserSession.objects.filter(user=resident).count() == 1
    page = reverse("privacy:my_data")
    assert mine.get(page).status_code == 200 and forced.get(page).status_code == 200
    counts = user_erase(user=resident, by=SYSTEM, reason="request")
    assert counts["sessions"] == 1
    assert not UserSession.objects.filter(user=resident).exists()
    assert DjangoSession.objects.count() == 2  # theirs, and the unknown one that no longer logs anyone in
    # Every session of the erased account stops working; the other person stays logged in.
    assert mine.get(page).status_code == 302 and forced.get(page).status_code == 302
    assert theirs.get(page).status_code == 200
    assert not Client().login(email=resident.email, password=PASSWORD)


def test_erasure_removes_roles_when_an_administrator_erases_a_staff_member(house, administrator):
    staff = RoleAssignmentFactory(role=Role.COORDINATOR, house=house).user
    user_erase(user=staff, by=administrator, reason="request")
    assert not RoleAssignment.objects.filter(user=staff).exists()


TRACES = ("Fatima", "El Amrani", "fatima@example.nl", "06-12345678", "06-11112222", "Mensen helpen", "Zomerfeest")


def _text_fields(model):
    return [
        field.name
        for field in model._meta.concrete_fields
        if isinstance(field, (models.CharField, models.TextField, models.JSONField))
    ]


def _traces_left() -> set[tuple[str, str, str]]:
    """(model, field, trace) for every trace of the resident in any text or JSON field of any model."""
    found = set()
    for model in apps.get_models():
        fields = _text_fields(model)
        if not fields:
            continue
        for row in model._default_manager.values_list("pk", *fields):
            for name, value in zip(fields, row[1:], strict=True):
                text = json.dumps(value, default=str, ensure_ascii=False) if value is not None else ""
                for trace in TRACES:
                    if trace.lower() in text.lower():
                        found.add((model._meta.label, name, trace))
    return found


def test_erasure_leaves_no_name_address_phone_or_free_text_in_any_field(house, world, coordinator, administrator):
    """Walk every text and JSON field of every model (the admin's log, the audit history and the outbox too)."""
    from django.contrib.admin.models import CHANGE, LogEntry
    from django.contrib.contenttypes.models import ContentType

    from accounts.tasks import send_rendered_mail
    from bookings.tasks import send_booking_email
    from huizen import outbox
    from volunteers.services import hours as hours_services
    from volunteers.services import people as people_services

    volunteer = Volunteer.objects.get(user=world)
    # The history as the services write it: names and free text change through them.
    people_services.volunteer_update(volunteer=volunteer, last_name="El Amrani", skills="Zomerfeest", by=coordinator)
    hours_services.hours_submit(
        volunteer=volunteer, date=OCT_6, minutes=30, description="Zomerfeest voor Fatima", by=coordinator
    )
    booking = Booking.objects.filter(renter=world).first()
    Booking.objects.filter(pk=booking.pk).update(purpose="Zomerfeest", decision_reason="Fatima belde")
    Volunteer.objects.filter(pk=volunteer.pk).update(status_reason="Fatima belt terug")
    for obj in (world, volunteer, booking):
        LogEntry.objects.create(
            user=administrator,
            content_type=ContentType.objects.get_for_model(obj, for_concrete_model=False),
            object_id=str(obj.pk),
            object_repr=f"{obj} Fatima El Amrani",
            action_flag=CHANGE,
            change_message="Fatima El Amrani, fatima@example.nl",
        )
    outbox.enqueue(send_rendered_mail, "Hallo Fatima", "Beste Fatima El Amrani", None, ["fatima@example.nl"])
    outbox.enqueue(send_booking_email, booking.pk, "created")
    other_mail = outbox.enqueue(send_rendered_mail, "Hallo", "Beste buur", None, ["buur@example.nl"])
    assert {trace for _model, _field, trace in _traces_left()} == set(TRACES)  # the walk finds them all before

    counts = user_erase(user=world, by=SYSTEM, reason="request")

    assert counts["outbox_messages"] == 2 and counts["admin_log_entries"] == 3
    # Kept on purpose, and only these: the name on the volunteer file with allowance payments (the tax statement)
    # and the name and address on the bookings with something to pay (the invoice), until their retention ends.
    assert _traces_left() == {
        ("volunteers.Volunteer", "first_name", "Fatima"),
        ("volunteers.Volunteer", "last_name", "El Amrani"),
        ("bookings.Booking", "contact_name", "Fatima"),
        ("bookings.Booking", "contact_email", "Fatima"),
        ("bookings.Booking", "contact_name", "El Amrani"),
        ("bookings.Booking", "contact_email", "fatima@example.nl"),
    }
    assert set(LogEntry.objects.values_list("object_repr", flat=True)) == {
        f"#{world.pk}",
        f"#{volunteer.pk}",
        f"#{booking.pk}",
    }
    assert OutboxMessage.objects.filter(pk=other_mail.pk).exists()


def test_without_payments_or_an_invoice_nothing_of_the_person_is_left(house, coordinator):
    resident = UserFactory(first_name="Fatima", last_name="El Amrani", email="fatima@example.nl")
    volunteer = VolunteerFactory(user=resident, house=house, phone="06-12345678", motivation="Mensen helpen")
    HoursEntryFactory(volunteer=volunteer, date=OCT_6, minutes=60, description="Zomerfeest")
    BookingFactory(
        renter=resident,
        start=local(OCT_6, 10),
        end=local(OCT_6, 12),
        price=Decimal("0"),
        contact_phone="06-11112222",
        purpose="Zomerfeest",
    )
    user_erase(user=resident, by=SYSTEM, reason="request")
    assert _traces_left() == set()
