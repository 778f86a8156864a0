"""The rules of room rental, through the services every screen uses."""

import datetime as dt
import threading
from decimal import Decimal

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from audit.services import SCHEDULE
from bookings import services
from bookings.models import Booking
from locations.models import RenterTier, RoomOccupancy
from locations.services import RoomTaken, room_claim
from tests.factories import ClosureFactory, UserFactory, at, bookable_room, next_weekday

pytestmark = pytest.mark.date_sensitive

TUESDAY = next_weekday(1, weeks_ahead=2)


def request(room, start, end, **kwargs):
    values = {
        "tier": RenterTier.SOCIAL,
        "purpose": "Vergadering",
        "people": 10,
        "renter": kwargs.pop("renter", None) or UserFactory(),
        "rules_accepted": True,
    }
    values.update(kwargs)
    values.setdefault("by", values["renter"])
    return services.booking_request(room=room, start=start, end=end, **values)


# --- price ----------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("tier", "hours", "expected", "deposit"),
    [
        (RenterTier.INITIATIVE, 3, "0.00", "0"),  # free for resident initiatives open to the wijk
        (RenterTier.SOCIAL, 2, "20.00", "0"),  # 2 x 10.00 per hour
        (RenterTier.SOCIAL, 3.5, "30.00", "0"),  # 35.00 by the hour, capped at one day part (30.00)
        (RenterTier.SOCIAL, 5, "40.00", "0"),  # one day part + 1 hour
        (RenterTier.RESIDENT, 2, "30.00", "25.00"),  # private renters pay the house's party deposit
        (RenterTier.COMMERCIAL, 8, "200.00", "0"),  # two day parts
        (RenterTier.COMMERCIAL, 1.25, "45.00", "0"),  # started half hours count: 1.5 h x 30.00
    ],
)
def test_price_for_every_tier(db, tier, hours, expected, deposit):
    room = bookable_room()
    house = room.place.house
    house.party_deposit = Decimal("25.00")
    house.save()
    start = at(TUESDAY, 9)
    price = services.booking_price(room=room, tier=tier, start=start, end=start + dt.timedelta(hours=hours))
    assert price.amount == Decimal(expected)
    assert price.deposit == Decimal(deposit)


def test_the_price_is_stored_and_a_later_rate_change_does_not_touch_it(db):
    room = bookable_room()
    booking = request(room, at(TUESDAY, 10), at(TUESDAY, 12))
    room.rates.filter(tier=RenterTier.SOCIAL).update(per_hour=Decimal("99.00"))
    booking.refresh_from_db()
    assert booking.price == Decimal("20.00")


def test_a_tier_without_a_rate_cannot_book(db):
    room = bookable_room()
    room.rates.filter(tier=RenterTier.COMMERCIAL).delete()
    with pytest.raises(ValidationError) as error:
        request(room, at(TUESDAY, 10), at(TUESDAY, 12), tier=RenterTier.COMMERCIAL)
    assert "tier" in error.value.message_dict
    assert not Booking.objects.exists() and not RoomOccupancy.objects.exists()


# --- the room's rules -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("start", "end", "people", "field"),
    [
        (at(TUESDAY, 12), at(TUESDAY, 11), 5, "end"),  # ends before it starts
        (at(TUESDAY, 10), at(TUESDAY, 10, 30), 5, "end"),  # shorter than the room's minimum (60)
        (at(TUESDAY, 9), at(TUESDAY + dt.timedelta(days=1), 10), 5, "end"),  # longer than 8 hours
        (at(TUESDAY, 16), at(TUESDAY, 18), 5, "start"),  # past closing time
        (at(TUESDAY + dt.timedelta(days=4), 10), at(TUESDAY + dt.timedelta(days=4), 12), 5, "start"),  # Saturday
        (at(TUESDAY, 10), at(TUESDAY, 12), 21, "people"),  # more than the capacity of 20
        (at(TUESDAY, 10), at(TUESDAY, 12), 0, "people"),
        (at(TUESDAY + dt.timedelta(days=200), 10), at(TUESDAY + dt.timedelta(days=200), 12), 5, "start"),
        (
            at(timezone.localdate() - dt.timedelta(days=7), 10),
            at(timezone.localdate() - dt.timedelta(days=7), 12),
            5,
            "start",
        ),
    ],
    ids=[
        "end-before-start",
        "too-short",
        "too-long",
        "after-hours",
        "weekend",
        "capacity",
        "nobody",
        "too-far-ahead",
        "in-the-past",
    ],
)
def test_rules_of_the_room_refuse_with_a_field_error_and_save_nothing(db, start, end, people, field):
    room = bookable_room()
    with pytest.raises(ValidationError) as error:
        request(room, start, end, people=people)
    assert field in error.value.message_dict
    assert not Booking.objects.exists() and not RoomOccupancy.objects.exists()


def test_evening_use_allows_booking_after_closing_time(db):
    room = bookable_room(evening_use=True)
    assert request(room, at(TUESDAY, 19), at(TUESDAY, 22)).status == Booking.Status.REQUESTED


def test_no_booking_on_a_closure_day(db):
    room = bookable_room(evening_use=True)
    ClosureFactory(place=room.place, start_date=TUESDAY, end_date=TUESDAY, reason="Koningsdag")
    with pytest.raises(ValidationError) as error:
        request(room, at(TUESDAY, 10), at(TUESDAY, 12))
    assert "Koningsdag" in str(error.value)


def test_house_rules_must_be_accepted(db):
    with pytest.raises(ValidationError) as error:
        request(bookable_room(), at(TUESDAY, 10), at(TUESDAY, 12), rules_accepted=False)
    assert "rules_accepted" in error.value.message_dict


# --- no double booking ------------------------------------------------------------------------------------


def test_overlapping_bookings_and_sessions_are_refused_back_to_back_is_fine(db):
    room = bookable_room()
    request(room, at(TUESDAY, 10), at(TUESDAY, 12))
    request(room, at(TUESDAY, 12), at(TUESDAY, 14))
    room_claim(room=room, start=at(TUESDAY, 14), end=at(TUESDAY, 15), kind="session")
    with pytest.raises(RoomTaken):
        request(room, at(TUESDAY, 11), at(TUESDAY, 13))
    with pytest.raises(RoomTaken):
        request(room, at(TUESDAY, 14, 30), at(TUESDAY, 16))
    assert Booking.objects.count() == 2


def test_a_rejected_or_cancelled_booking_gives_the_room_back(db):
    room = bookable_room()
    coordinator = UserFactory()
    first = request(room, at(TUESDAY, 10), at(TUESDAY, 12))
    services.booking_reject(booking=first, reason="Er is onderhoud", by=coordinator)
    second = request(room, at(TUESDAY, 10), at(TUESDAY, 12))
    services.booking_cancel_by_house(booking=second, reason="Lekkage", by=coordinator)
    assert request(room, at(TUESDAY, 10), at(TUESDAY, 12)).status == Booking.Status.REQUESTED


slots = st.lists(st.tuples(st.integers(0, 15), st.integers(2, 8)), max_size=15)


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(slots)
def test_accepted_bookings_never_overlap(db, requested):
    """Property: for random requests (half hours from 09:00), the bookings that were accepted never overlap."""
    with transaction.atomic():
        room = bookable_room()
        renter = UserFactory()
        for offset, length in requested:
            start = at(TUESDAY, 9) + dt.timedelta(minutes=30 * offset)
            try:
                request(room, start, start + dt.timedelta(minutes=30 * length), renter=renter)
            except (ValidationError, RoomTaken):
                pass
        accepted = sorted(Booking.objects.filter(room=room, status__in=Booking.ACTIVE).values_list("start", "end"))
        transaction.set_rollback(True)
    assert all(end <= next_start for (_, end), (next_start, _) in zip(accepted, accepted[1:], strict=False))


@pytest.mark.django_db(transaction=True)
def test_thirty_people_asking_for_the_same_slot_at_once_get_exactly_one_room():
    room = bookable_room()
    renters = [UserFactory() for _ in range(30)]
    barrier = threading.Barrier(len(renters))
    outcomes: list[str] = []
    lock = threading.Lock()

    def ask(renter):
        try:
            barrier.wait(timeout=20)
            request(room, at(TUESDAY, 10), at(TUESDAY, 12), renter=renter)
            result = "booked"
        except RoomTaken:
            result = "refused"
        except BaseException as error:  # noqa: BLE001 - anything else is a failure of the test
            result = f"error: {error!r}"
        finally:
            connection.close()
        with lock:
            outcomes.append(result)

    threads = [threading.Thread(target=ask, args=(renter,)) for renter in renters]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(set(outcomes)) == ["booked", "refused"], outcomes
    assert outcomes.count("booked") == 1
    assert Booking.objects.count() == 1 and RoomOccupancy.objects.count() == 1


# --- approval, cancellation, series -----------------------------------------------------------------------


def test_a_room_without_approval_is_confirmed_at_once_and_emails_go_after_commit(
    db, django_capture_on_commit_callbacks
):
    room = bookable_room(requires_approval=False)
    with django_capture_on_commit_callbacks(execute=True):
        booking = request(room, at(TUESDAY, 10), at(TUESDAY, 12))
    assert booking.status == Booking.Status.APPROVED
    assert len(mail.outbox) == 1 and booking.room.name in mail.outbox[0].subject


def test_approval_and_rejection_follow_the_states(db, django_capture_on_commit_callbacks):
    room = bookable_room()
    coordinator = UserFactory()
    booking = request(room, at(TUESDAY, 10), at(TUESDAY, 12))
    with django_capture_on_commit_callbacks(execute=True):
        services.booking_approve(booking=booking, by=coordinator)
    booking.refresh_from_db()
    assert booking.status == Booking.Status.APPROVED and booking.decided_by == coordinator
    assert len(mail.outbox) == 1
    with pytest.raises(ValidationError):
        services.booking_reject(booking=booking, reason="Te laat", by=coordinator)
    with pytest.raises(ValidationError):
        services.booking_cancel_by_house(booking=booking, reason="", by=coordinator)


def test_cancellation_is_free_until_the_term_and_costs_the_price_after(db):
    room = bookable_room(evening_use=True, book_ahead_days=365)
    house = room.place.house
    house.cancellation_days = 7
    house.save()
    renter = UserFactory()
    soon = request(
        room,
        at(timezone.localdate() + dt.timedelta(days=3), 10),
        at(timezone.localdate() + dt.timedelta(days=3), 12),
        renter=renter,
    )
    later = request(
        room, at(TUESDAY + dt.timedelta(days=14), 10), at(TUESDAY + dt.timedelta(days=14), 12), renter=renter
    )
    # A request the house has not approved yet is always free to withdraw.
    assert services.booking_cancellation_cost(soon) == 0
    soon = services.booking_approve(booking=soon, by=UserFactory())
    later = services.booking_approve(booking=later, by=UserFactory())
    assert services.booking_cancellation_cost(soon) == soon.price == Decimal("20.00")
    assert services.booking_cancellation_cost(later) == 0
    services.booking_cancel_by_renter(booking=soon, by=renter)
    services.booking_cancel_by_renter(booking=later, by=renter)
    soon.refresh_from_db()
    later.refresh_from_db()
    assert (soon.cancellation_cost, later.cancellation_cost) == (Decimal("20.00"), 0)
    with pytest.raises(ValidationError):
        services.booking_cancel_by_renter(booking=soon, by=renter)


def test_only_the_renter_cancels_their_booking(db):
    booking = request(bookable_room(), at(TUESDAY, 10), at(TUESDAY, 12))
    with pytest.raises(ValidationError):
        services.booking_cancel_by_renter(booking=booking, by=UserFactory())


def test_a_weekly_series_books_the_free_weeks_and_reports_the_clashes(db):
    room = bookable_room()
    request(room, at(TUESDAY + dt.timedelta(weeks=1), 11), at(TUESDAY + dt.timedelta(weeks=1), 13))
    preview = services.booking_series_preview(room=room, start=at(TUESDAY, 10), end=at(TUESDAY, 12), weeks=4, people=5)
    assert [bool(problem) for _, _, problem in preview] == [False, True, False, False]
    assert not Booking.objects.filter(series__isnull=False).exists()  # the preview writes nothing
    bookings, skipped = services.booking_request_series(
        room=room,
        start=at(TUESDAY, 10),
        end=at(TUESDAY, 12),
        weeks=4,
        tier=RenterTier.SOCIAL,
        purpose="Taalles",
        people=5,
        renter=UserFactory(),
        rules_accepted=True,
        by=UserFactory(),
    )
    assert len(bookings) == 3 and len(skipped) == 1
    assert len({booking.series_id for booking in bookings}) == 1
    assert all(b.start.astimezone(at(TUESDAY, 0).tzinfo).hour == 10 for b in bookings)  # same wall-clock time


def test_on_behalf_needs_a_name_and_a_way_to_reach_them(db):
    room = bookable_room()
    coordinator = UserFactory()
    with pytest.raises(ValidationError) as error:
        services.booking_book_on_behalf(
            room=room,
            start=at(TUESDAY, 10),
            end=at(TUESDAY, 12),
            tier=RenterTier.SOCIAL,
            purpose="Koor",
            people=12,
            contact_name="",
            by=coordinator,
        )
    assert "contact_name" in error.value.message_dict
    booking = services.booking_book_on_behalf(
        room=room,
        start=at(TUESDAY, 10),
        end=at(TUESDAY, 12),
        tier=RenterTier.SOCIAL,
        purpose="Koor",
        people=12,
        contact_name="Buurtkoor",
        contact_phone="010-1234567",
        by=coordinator,
    )
    assert booking.status == Booking.Status.APPROVED and booking.renter is None


@pytest.mark.skipif(connection.vendor != "postgresql", reason="exclusion constraints exist on PostgreSQL only")
def test_postgres_refuses_a_second_claim_even_past_the_service(db):
    from django.db import IntegrityError

    room = bookable_room()
    request(room, at(TUESDAY, 10), at(TUESDAY, 12))
    with pytest.raises(IntegrityError), transaction.atomic():
        RoomOccupancy.objects.create(room=room, start=at(TUESDAY, 11), end=at(TUESDAY, 13), kind="booking")


def test_a_booking_until_midnight_is_outside_opening_hours(db):
    room = bookable_room()
    with pytest.raises(ValidationError) as error:
        request(room, at(TUESDAY, 16), at(TUESDAY + dt.timedelta(days=1), 0))
    assert "start" in error.value.message_dict


def test_time_rules_for_the_house(db):
    """A request whose time has passed can no longer be approved; it expires and gives the room back. A booking
    that is over can no longer be cancelled (it stays on the invoice)."""
    import datetime as dt_

    from django.utils import timezone

    from tests.factories import BookingFactory

    coordinator = UserFactory()
    past = BookingFactory(
        status="requested", start=timezone.now() - dt_.timedelta(hours=3), end=timezone.now() - dt_.timedelta(hours=1)
    )
    with pytest.raises(ValidationError):
        services.booking_approve(booking=past, by=coordinator)
    assert services.booking_requests_expire(by=SCHEDULE) == 1
    past.refresh_from_db()
    assert past.status == Booking.Status.REJECTED and past.occupancy is None
    over = BookingFactory(start=timezone.now() - dt_.timedelta(hours=3), end=timezone.now() - dt_.timedelta(hours=1))
    with pytest.raises(ValidationError):
        services.booking_cancel_by_house(booking=over, reason="Vergeten", by=coordinator)


def test_times_on_the_quarter_hour_and_a_verified_address(db):
    room = bookable_room()
    with pytest.raises(ValidationError) as error:
        request(room, at(TUESDAY, 10, 7), at(TUESDAY, 12))
    assert "start" in error.value.message_dict
    with pytest.raises(ValidationError):
        request(room, at(TUESDAY, 10), at(TUESDAY, 12), renter=UserFactory(verified=False))
    assert not Booking.objects.exists()


def test_contact_details_of_phone_bookings_are_wiped_after_the_retention(db):
    from django.utils import timezone

    from tests.factories import BookingFactory

    old = BookingFactory(
        renter=None,
        contact_name="Buurtkoor",
        contact_phone="010-1234567",
        start=timezone.now() - dt.timedelta(days=40),
        end=timezone.now() - dt.timedelta(days=40, hours=-2),
    )
    recent = BookingFactory(renter=None, contact_name="Taalmaatjes", contact_phone="010-7654321")
    assert services.booking_contacts_prune(by=SCHEDULE, now=timezone.now(), days=30) == 1
    old.refresh_from_db()
    recent.refresh_from_db()
    assert (old.contact_name, old.contact_phone) == ("-", "")
    assert recent.contact_name == "Taalmaatjes"
