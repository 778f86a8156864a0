"""Every service that changes state leaves one structured event: its action code, its actor (a person, the
schedule or the system), the object, the house and what changed. Removing the recording from a service fails
its test here."""

import datetime as dt
import uuid
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from accounts.models import User
from activities import services as activities
from activities.models import Registration, Session
from audit.models import Event
from audit.services import SCHEDULE, SYSTEM, event_record
from bookings import services as bookings
from bookings.models import Booking
from bookings.tasks import expire_requests
from locations.models import RenterTier
from locations.services import rental_terms_update
from tests.audit.helpers import assert_event, the_event
from tests.factories import (
    ActivityFactory,
    BookingFactory,
    PlaceFactory,
    RegistrationFactory,
    SessionFactory,
    SignalFactory,
    UserFactory,
    at,
    bookable_room,
    next_weekday,
)

pytestmark = pytest.mark.date_sensitive

TUESDAY = next_weekday(1, weeks_ahead=2)


def session_on(day: dt.date, house, **activity) -> Session:
    return SessionFactory(activity=ActivityFactory(house=house, first_date=day, **activity))


def tomorrow() -> dt.date:
    return timezone.localdate() + dt.timedelta(days=1)


# --- locations --------------------------------------------------------------------------------------------


def test_rental_terms_update_records_old_and_new_terms(house, coordinator):
    room = bookable_room(place=PlaceFactory(house=house), name="Zaal", requires_approval=True)
    rental_terms_update(
        house=house,
        terms={"cancellation_days": 14, "party_deposit": house.party_deposit, "house_rules": house.house_rules},
        rooms={room.pk: {"requires_approval": False}},
        by=coordinator,
    )
    assert_event(
        "rental_terms.update",
        by=coordinator,
        house=house,
        changes={
            "cancellation_days": [7, 14],
            "Zaal: requires_approval": [True, False],
        },
    )
    assert "party_deposit" not in the_event("rental_terms.update").changes  # only what changed


# --- activities -------------------------------------------------------------------------------------------


def test_activity_create_records_the_plan(house, coordinator):
    place = PlaceFactory(house=house)
    activity = activities.activity_create(
        house=house,
        place=place,
        room=None,
        title="Samen eten",
        category="meeting",
        organiser="residents",
        first_date=next_weekday(2),
        start_time=dt.time(17, 30),
        end_time=dt.time(19, 0),
        by=coordinator,
    )
    event = assert_event(
        "activity.create",
        by=coordinator,
        house=house,
        changes={"title": "Samen eten", "sessions": 1, "start_time": "17:30:00"},
    )
    assert (event.object_type, event.object_id) == ("activities.activity", str(activity.pk))


def test_session_cancel_records_status_and_reason(house, coordinator):
    session = session_on(tomorrow(), house)
    activities.session_cancel(session=session, reason="De zaal lekt", by=coordinator)
    assert_event(
        "session.cancel",
        by=coordinator,
        house=house,
        changes={"status": ["planned", "cancelled"], "reason": "De zaal lekt"},
        object_id=str(session.pk),
    )


def test_session_move_records_the_old_and_new_time(house, coordinator):
    session = session_on(tomorrow(), house)
    old_start = timezone.localtime(session.start)
    new_start = session.start + dt.timedelta(days=2)
    activities.session_move(
        session=session, start=new_start, end=new_start + dt.timedelta(hours=2), reason="Markt", by=coordinator
    )
    event = assert_event("session.move", by=coordinator, house=house, changes={"reason": "Markt"})
    assert event.changes["start"] == [
        old_start.isoformat(timespec="minutes"),
        timezone.localtime(new_start).isoformat(timespec="minutes"),
    ]


def test_session_close_records_the_numbers(house, host):
    session = session_on(timezone.localdate() - dt.timedelta(days=1), house)
    activities.session_close(session=session, participants=12, volunteers=2, remark="Gezellig", by=host)
    assert_event(
        "session.close",
        by=host,
        house=house,
        changes={"participants_count": [None, 12], "volunteers_count": [None, 2], "close_remark": ["", "Gezellig"]},
    )


def test_registration_register_records_the_resident_as_actor_without_their_name(house, resident):
    session = session_on(tomorrow(), house, registration_required=True, capacity=10)
    activities.registration_register(session=session, user=resident, by=resident)
    event = assert_event("registration.register", by=resident, house=house, changes={"status": [None, "confirmed"]})
    assert resident.email not in event.object_label and resident.last_name not in event.object_label


def test_registration_cancel_records_the_cancel_and_who_moved_up(house, resident):
    session = session_on(tomorrow(), house, registration_required=True, capacity=1)
    mine = RegistrationFactory(session=session, user=resident, status=Registration.Status.CONFIRMED)
    waiting = RegistrationFactory(session=session, status=Registration.Status.WAITING)
    activities.registration_cancel(registration=mine, by=resident)
    assert_event(
        "registration.cancel",
        by=resident,
        house=house,
        changes={"status": ["confirmed", "cancelled"]},
        object_id=str(mine.pk),
    )
    assert_event(
        "registration.promote",
        by=resident,
        house=house,
        changes={"status": ["waiting", "confirmed"]},
        object_id=str(waiting.pk),
    )


def test_registration_mark_attended_records_the_tick(house, host):
    registration = RegistrationFactory(session=session_on(timezone.localdate(), house, registration_required=True))
    activities.registration_mark_attended(registration=registration, attended=True, by=host)
    assert_event("registration.mark_attended", by=host, house=house, changes={"attended": [False, True]})


def test_registrations_prune_is_recorded_with_the_schedule_as_actor(house):
    long_ago = timezone.localdate() - dt.timedelta(days=500)
    RegistrationFactory(session=session_on(long_ago, house, registration_required=True))
    assert activities.registrations_prune(by=SCHEDULE, now=timezone.now(), days=400) == 1
    assert_event("registration.prune", by="schedule", house=None, changes={"deleted": 1})


def test_registrations_prune_blanks_who_acted_on_them_so_the_history_keeps_no_resident(
    client, house, host, coordinator
):
    """The history keeps no names longer than the registrations themselves: the prune blanks the actor of their
    events in its own transaction (on PostgreSQL the append-only trigger allows exactly that)."""
    session = session_on(TUESDAY, house, registration_required=True, capacity=1)
    fatima = UserFactory(first_name="Fatima", last_name="Bakker", email="fatima@example.nl")
    henk = UserFactory(first_name="Henk", last_name="Visser", email="henk@example.nl")
    first = activities.registration_register(session=session, user=fatima, by=fatima)
    second = activities.registration_register(session=session, user=henk, by=henk)  # on the waiting list
    activities.registration_cancel(registration=first, by=fatima)  # henk moves up: fatima is its actor
    activities.registration_mark_attended(registration=Registration.objects.get(pk=second.pk), attended=True, by=host)
    later = session_on(TUESDAY + dt.timedelta(days=35), house, registration_required=True)
    kept = activities.registration_register(session=later, user=henk, by=henk)
    history = reverse("audit:house_history", args=[house.slug])
    client.force_login(coordinator)
    assert "Bakker" in client.get(history).content.decode()  # the actor is shown while the registration exists

    pruned = activities.registrations_prune(by=SYSTEM, now=session.end + dt.timedelta(days=401), days=400)

    assert pruned == 2 and list(Registration.objects.all()) == [kept]
    about_pruned = Event.objects.filter(object_type="activities.registration", object_id__in=[first.pk, second.pk])
    assert about_pruned.count() == 5
    assert {(event.actor, event.actor_kind) for event in about_pruned} == {(None, "user")}
    assert the_event("registration.register", object_id=str(kept.pk)).actor == henk
    recorded = str(list(about_pruned.values_list("object_label", "changes")))
    for trace in ("Fatima", "Bakker", "fatima@example.nl", "Henk", "Visser", "henk@example.nl"):
        assert trace not in recorded  # labels and changes never named them
    page = client.get(history).content.decode()
    assert "Bakker" not in page and "fatima@example.nl" not in page
    assert "iemand (naam niet meer bewaard)" in page.lower() or "someone (name no longer kept)" in page.lower()


def test_nothing_pruned_records_nothing(db):
    assert activities.registrations_prune(by=SCHEDULE, now=timezone.now(), days=400) == 0
    assert not Event.objects.exists()


def test_door_taps_record_no_event_but_undo_does(house, host):
    place = PlaceFactory(house=house)
    tap_id = uuid.uuid4()
    refused = activities.tallies_record(
        house_id=house.pk,
        place_ids={place.pk},
        session_places={},
        taps=[activities.Tap(tap_id=tap_id, place_id=place.pk, recorded_at=timezone.now())],
        by_id=host.pk,
    )
    assert refused == {}
    assert not Event.objects.exists()  # anonymous taps are counted, not recorded one by one

    activities.tally_undo(house=house, tap_id=tap_id, by=host)
    event = assert_event("tally.undo", by=host, house=house, changes={"count": 1})
    assert event.changes["undone_at"][0] is None and event.changes["undone_at"][1]


def test_signal_record_keeps_theme_and_remark_out_of_the_history(house, host):
    signal = activities.signal_record(
        house=house, date=timezone.localdate(), theme="loneliness", remark="Vaker langs laten komen", by=host
    )
    event = assert_event("signal.record", by=host, house=house, changes={"follow_up": [None, "open"]})
    assert event.object_id == str(signal.pk)
    assert "loneliness" not in str(event.changes) + event.object_label
    assert "langs" not in str(event.changes) + event.object_label


def test_signal_follow_up_records_old_and_new(house, coordinator):
    signal = SignalFactory(house=house)
    activities.signal_follow_up(signal=signal, follow_up="in_progress", by=coordinator)
    assert_event("signal.follow_up", by=coordinator, house=house, changes={"follow_up": ["open", "in_progress"]})


# --- bookings ---------------------------------------------------------------------------------------------


def request_room(room, renter, **kwargs):
    arguments = {
        "room": room,
        "start": at(TUESDAY, 10),
        "end": at(TUESDAY, 12),
        "tier": RenterTier.SOCIAL,
        "purpose": "Vergadering",
        "people": 8,
        "renter": renter,
        "rules_accepted": True,
        "by": renter,
        **kwargs,
    }
    return bookings.booking_request(**arguments)


def test_booking_request_records_the_renter_as_actor(resident):
    room = bookable_room()
    booking = request_room(room, resident)
    event = assert_event(
        "booking.request",
        by=resident,
        house=room.place.house,
        changes={"status": [None, booking.status], "price": "20.00", "people": 8},
    )
    assert resident.email not in event.object_label


def test_booking_request_series_records_each_week(resident):
    room = bookable_room()
    booked, _skipped = bookings.booking_request_series(
        room=room,
        start=at(TUESDAY, 10),
        end=at(TUESDAY, 12),
        weeks=2,
        tier=RenterTier.SOCIAL,
        purpose="Cursus",
        people=8,
        renter=resident,
        rules_accepted=True,
        by=resident,
    )
    events = Event.objects.filter(action="booking.request").order_by("pk")
    assert [event.object_id for event in events] == [str(booking.pk) for booking in booked]
    assert {event.changes["series"] for event in events} == {booked[0].series_id}
    assert all(event.actor == resident for event in events)


def test_booking_book_on_behalf_records_the_coordinator_and_no_contact_details(coordinator, house):
    room = bookable_room(place=PlaceFactory(house=house))
    bookings.booking_book_on_behalf(
        room=room,
        start=at(TUESDAY, 10),
        end=at(TUESDAY, 12),
        tier=RenterTier.INITIATIVE,
        purpose="Buurtoverleg",
        people=8,
        contact_name="Fatima El Amrani",
        contact_phone="0612345678",
        by=coordinator,
    )
    event = assert_event("booking.book_on_behalf", by=coordinator, house=house, changes={"status": [None, "approved"]})
    assert "Fatima" not in str(event.changes) + event.object_label
    assert "0612345678" not in str(event.changes)


def test_booking_approve_records_the_decision(coordinator):
    booking = BookingFactory(status=Booking.Status.REQUESTED)
    bookings.booking_approve(booking=booking, by=coordinator)
    assert_event(
        "booking.approve", by=coordinator, house=booking.room.place.house, changes={"status": ["requested", "approved"]}
    )


def test_booking_reject_records_status_and_reason(coordinator):
    booking = BookingFactory(status=Booking.Status.REQUESTED)
    bookings.booking_reject(booking=booking, reason="Er is onderhoud", by=coordinator)
    assert_event(
        "booking.reject",
        by=coordinator,
        house=booking.room.place.house,
        changes={"status": ["requested", "rejected"], "reason": "…"},  # free text: that it was given, not what
    )


def test_booking_cancel_by_renter_records_the_renter(resident):
    booking = BookingFactory(renter=resident)
    bookings.booking_cancel_by_renter(booking=booking, by=resident)
    assert_event(
        "booking.cancel_by_renter",
        by=resident,
        house=booking.room.place.house,
        changes={"status": ["approved", "cancelled"]},
    )


def test_someone_else_cannot_cancel_as_the_renter_and_nothing_is_recorded(resident):
    booking = BookingFactory()
    with pytest.raises(ValidationError):
        bookings.booking_cancel_by_renter(booking=booking, by=resident)
    assert not Event.objects.exists()


def test_booking_cancel_by_house_records_the_coordinator(coordinator):
    booking = BookingFactory()
    bookings.booking_cancel_by_house(booking=booking, reason="Lekkage", by=coordinator)
    assert_event(
        "booking.cancel_by_house",
        by=coordinator,
        house=booking.room.place.house,
        changes={"status": ["approved", "cancelled"], "reason": "…"},
    )


def test_expired_requests_are_recorded_with_the_schedule_as_actor(db):
    start = timezone.now() - dt.timedelta(hours=1)
    booking = BookingFactory(status=Booking.Status.REQUESTED, start=start, end=start + dt.timedelta(hours=2))
    assert expire_requests.delay().get() == 1
    assert_event(
        "booking.expire",
        by="schedule",
        house=booking.room.place.house,
        changes={"status": ["requested", "rejected"]},
        object_id=str(booking.pk),
    )


def test_contacts_prune_is_recorded_with_the_schedule_as_actor(db):
    ended = timezone.now() - dt.timedelta(days=8 * 365)
    BookingFactory(
        renter=None, contact_name="Piet", contact_phone="0101234567", start=ended - dt.timedelta(hours=2), end=ended
    )
    assert bookings.booking_contacts_prune(by=SCHEDULE, now=timezone.now(), days=7 * 365) == 1
    event = assert_event("booking.contacts_prune", by="schedule", house=None, changes={"wiped": 1})
    assert "Piet" not in str(event.changes)


def test_feed_renew_records_the_user_and_never_the_token(resident):
    feed = bookings.booking_feed_renew(user=resident, by=resident)
    event = assert_event("booking_feed.renew", by=resident, house=None)
    assert feed.token not in str(event.changes) + event.object_label


# --- the audit service itself -----------------------------------------------------------------------------


def test_an_actor_is_required(house):
    with pytest.raises(ValueError, match="actor"):
        event_record(by=None, action="session.cancel", house=house)
    with pytest.raises(ValueError, match="actor"):
        event_record(by=User(email="nobody@example.nl"), action="session.cancel", house=house)  # not saved
    with pytest.raises(TypeError):
        activities.session_cancel(session=session_on(tomorrow(), house), reason="Ziek")  # by is required


def test_unknown_action_codes_are_refused(house):
    with pytest.raises(ValueError, match="Unknown"):
        event_record(by=SYSTEM, action="session.explode", house=house)


def test_system_actor_is_named(house):
    event = event_record(by=SYSTEM, action="session.cancel", house=house, changes={"price": Decimal("1.50")})
    assert (event.actor, event.actor_kind, event.changes) == (None, "system", {"price": "1.50"})


@pytest.mark.django_db(transaction=True)
def test_an_event_outside_a_transaction_is_refused():
    with pytest.raises(RuntimeError):
        event_record(by=SYSTEM, action="event.prune")


@pytest.mark.django_db(transaction=True)
def test_the_event_and_its_change_commit_or_roll_back_together():
    coordinator = UserFactory()
    booking = BookingFactory(status=Booking.Status.REQUESTED)
    with pytest.raises(ZeroDivisionError), transaction.atomic():
        bookings.booking_approve(booking=booking, by=coordinator)
        1 / 0  # noqa: B018 - whatever fails later in the same transaction
    booking.refresh_from_db()
    assert booking.status == Booking.Status.REQUESTED
    assert not Event.objects.exists()
