"""The one booking quote (`services.booking_quote`): price with the deposit, the room's rules and, for a weekly
series, which weeks are free; used by the resident's preview, the house's preview and the services that book.
And the `room_week` selector that computes a room's free time."""

import datetime as dt
from decimal import Decimal

import pytest
from django.urls import reverse

from bookings import selectors, services
from bookings.models import Booking
from locations.models import RenterTier, RoomOccupancy, RoomRate
from tests.factories import AMSTERDAM, BookingFactory, ClosureFactory, UserFactory, at, bookable_room

NOW = dt.datetime(2026, 1, 14, 10, 7, tzinfo=AMSTERDAM)  # a Wednesday morning in winter
MONDAY = dt.date(2026, 1, 19)
TUESDAY = dt.date(2026, 1, 20)


@pytest.fixture
def now(db, monkeypatch):
    monkeypatch.setattr("django.utils.timezone.now", lambda: NOW)
    return NOW


@pytest.fixture
def room(now):
    room = bookable_room(name="Grote zaal", capacity=20)
    house = room.place.house
    house.party_deposit = Decimal("50.00")
    house.save()
    return room


def quote(room, start=None, end=None, **kwargs):
    values = {"tier": RenterTier.RESIDENT, "people": 10, "weeks": 1}
    values.update(kwargs)
    return services.booking_quote(room=room, start=start or at(TUESDAY, 10), end=end or at(TUESDAY, 12), **values)


def test_a_single_booking_is_quoted_with_its_price_and_deposit(room):
    result = quote(room)
    assert result.ok and result.problems == {}
    assert (result.price.amount, result.price.deposit) == (Decimal("30.00"), Decimal("50.00"))
    assert [week.problem for week in result.weeks] == [""]
    assert result.total == Decimal("80.00")


def test_the_total_of_a_series_counts_the_deposit_of_every_free_week(room):
    BookingFactory(
        room=room, start=at(TUESDAY + dt.timedelta(weeks=1), 11), end=at(TUESDAY + dt.timedelta(weeks=1), 12)
    )
    result = quote(room, weeks=3)
    assert result.ok and result.free_count == 2
    assert [bool(week.problem) for week in result.weeks] == [False, True, False]
    # Each booking of the series is saved with its price and its deposit: 2 × (€ 30 + € 50).
    assert result.total == Decimal("160.00")


def test_the_resident_sees_the_series_total_with_the_deposits(english, room):
    english.force_login(UserFactory())
    data = {
        "date": TUESDAY.isoformat(),
        "start": "10:00",
        "end": "12:00",
        "purpose": "Verjaardag",
        "people": "12",
        "tier": "resident",
        "weeks": "2",
        "rules_accepted": "on",
    }
    html = english.post(reverse("bookings:booking_request", args=[room.pk]), data).content.decode()
    assert "€ 160.00 for 2 times, deposits included" in html


def test_a_taken_single_slot_is_a_problem_at_the_start_with_the_rooms_name(room):
    BookingFactory(room=room, start=at(TUESDAY, 11), end=at(TUESDAY, 12))
    result = quote(room)
    assert not result.ok and list(result.problems) == ["start"]
    assert "Grote zaal" in result.problems["start"][0]
    # The service that books leaves the overlap to the claim (under its lock).
    assert quote(room, availability=False).ok


def test_in_a_series_a_date_bound_problem_belongs_to_its_week(room):
    ClosureFactory(place=room.place, start_date=TUESDAY, end_date=TUESDAY, reason="Studiedag")
    result = quote(room, weeks=2)
    assert result.ok and result.free_count == 1
    assert "Studiedag" in result.weeks[0].problem and not result.weeks[1].problem
    single = quote(room)
    assert "Studiedag" in " ".join(single.problems["start"]) and single.weeks == []


def test_a_series_of_which_no_week_is_free_is_refused_as_a_whole(room):
    for week in range(2):
        day = TUESDAY + dt.timedelta(weeks=week)
        BookingFactory(room=room, start=at(day, 9), end=at(day, 17))
    result = quote(room, weeks=2)
    assert not result.ok and "None of these weeks is free" in result.problems["__all__"][0]
    assert result.free_count == 0 and len(result.weeks) == 2


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"tier": "vip"}, "tier"),
        ({"people": 21}, "people"),
        ({"weeks": 27}, "weeks"),
        ({"weeks": 0}, "weeks"),
        ({"end": at(TUESDAY, 10, 30)}, "end"),
    ],
)
def test_problems_stop_the_whole_request_and_are_named_by_field(room, changes, field):
    result = quote(room, **changes)
    assert not result.ok and field in result.problems and result.weeks == []


def test_a_tier_without_a_rate_is_a_problem_of_the_tier(room):
    RoomRate.objects.filter(room=room, tier=RenterTier.COMMERCIAL).delete()
    result = quote(room, tier=RenterTier.COMMERCIAL)
    assert result.price is None and "tier" in result.problems and result.total == 0


def test_the_house_preview_and_the_resident_preview_give_the_same_answer(english, room, house, coordinator):
    """Both previews ask the quote: a taken slot reads the same on both screens."""
    room.place.house = house
    room.place.save()
    BookingFactory(room=room, start=at(TUESDAY, 11), end=at(TUESDAY, 12))
    english.force_login(UserFactory())
    resident = english.post(
        reverse("bookings:booking_request", args=[room.pk]),
        {
            "date": TUESDAY.isoformat(),
            "start": "10:00",
            "end": "12:00",
            "purpose": "Vergadering",
            "people": "8",
            "tier": "social",
            "weeks": "1",
            "rules_accepted": "on",
        },
    )
    english.force_login(coordinator)
    house = english.post(
        reverse("bookings:book_on_behalf", args=[room.place.house.slug]),
        {
            "room": room.pk,
            "date": TUESDAY.isoformat(),
            "start": "10:00",
            "end": "12:00",
            "purpose": "Vergadering",
            "people": "8",
            "tier": "social",
            "contact_name": "Mevrouw Jansen",
            "contact_phone": "010-1234567",
        },
    )
    assert resident.context["form"].errors["start"] == house.context["form"].errors["start"]
    assert resident.context["form"].errors["start"] == ["Grote zaal is already in use at that time."]
    assert Booking.objects.count() == 1


# --- room_week ---------------------------------------------------------------------------------------------


def test_room_week_computes_the_free_time_of_each_day(room):
    BookingFactory(room=room, start=at(TUESDAY, 10), end=at(TUESDAY, 12))
    RoomOccupancy.objects.create(room=room, start=at(MONDAY, 14), end=at(MONDAY, 15, 30), kind="session")
    ClosureFactory(place=room.place, start_date=dt.date(2026, 1, 22), end_date=dt.date(2026, 1, 22), reason="Studiedag")
    days = {day.date: day for day in selectors.room_week(room, MONDAY)}
    assert days[MONDAY].free == [(dt.time(9), dt.time(14)), (dt.time(15, 30), dt.time(17))]
    assert days[TUESDAY].free == [(dt.time(9), dt.time(10)), (dt.time(12), dt.time(17))]
    assert days[dt.date(2026, 1, 22)].closed_reason == "Studiedag" and days[dt.date(2026, 1, 22)].free == []
    assert days[dt.date(2026, 1, 24)].free == []  # Saturday: no opening hours
    assert [block.kind for block in days[MONDAY].busy] == ["session"]


def test_room_week_starts_today_at_the_next_quarter_hour_and_leaves_the_past(room):
    days = {day.date: day for day in selectors.room_week(room, dt.date(2026, 1, 12))}
    today = days[dt.date(2026, 1, 14)]
    assert today.is_today and today.free == [(dt.time(10, 15), dt.time(17))]
    yesterday = days[dt.date(2026, 1, 13)]
    assert yesterday.is_past and yesterday.free == []
