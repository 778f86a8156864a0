"""Calendar feeds of room rental, parsed back with `icalendar`: a room's public feed shows busy blocks only
(never a name, an e-mail address or a purpose); a resident's private feed shows their own active bookings and
stops working when its address is renewed. Times in Europe/Amsterdam, winter and summer, with stable UIDs."""

import datetime as dt
import re
from decimal import Decimal

import icalendar
import pytest
from django.urls import reverse

from bookings import services
from bookings.models import Booking
from locations.models import RoomOccupancy
from tests.factories import AMSTERDAM, BookingFactory, UserFactory, at, bookable_room

NOW = dt.datetime(2026, 2, 2, 12, 0, tzinfo=AMSTERDAM)  # window: 3 January to 1 August 2026
EMAIL = re.compile(r"[\w.+-]+@[\w-]+(\.[\w-]+)+")


@pytest.fixture
def now(db, monkeypatch):
    monkeypatch.setattr("django.utils.timezone.now", lambda: NOW)
    return NOW


@pytest.fixture
def room(now):
    return bookable_room(name="Grote zaal", place__name="Het Klooster", place__street="Stadhoudersweg")


def parse(response) -> icalendar.Calendar:
    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    calendar = icalendar.Calendar.from_ical(response.content)
    calendar.validate()
    return calendar


def room_feed(room):
    return reverse("bookings:room_feed", args=[room.pk])


def test_room_feed_shows_bookings_and_sessions_as_busy_in_amsterdam_time(english, room):
    winter = BookingFactory(room=room, start=at(dt.date(2026, 2, 10), 10), end=at(dt.date(2026, 2, 10), 12))
    summer = RoomOccupancy.objects.create(
        room=room, start=at(dt.date(2026, 7, 7), 19), end=at(dt.date(2026, 7, 7), 21, 30), kind="session"
    )
    calendar = parse(english.get(room_feed(room)))
    assert [str(tz["TZID"]) for tz in calendar.walk("VTIMEZONE")] == ["Europe/Amsterdam"]
    assert "Grote zaal" in str(calendar["X-WR-CALNAME"])
    events = sorted(calendar.walk("VEVENT"), key=lambda event: event.decoded("DTSTART"))
    assert [str(event["SUMMARY"]) for event in events] == ["Busy", "Busy"]
    for event, claim, wall_start, offset in [
        (events[0], winter, dt.time(10), dt.timedelta(hours=1)),
        (events[1], summer, dt.time(19), dt.timedelta(hours=2)),
    ]:
        start, end = event.decoded("DTSTART"), event.decoded("DTEND")
        assert event["DTSTART"].params["TZID"] == "Europe/Amsterdam"
        assert start.time() == wall_start and start.utcoffset() == offset
        assert start == claim.start and end == claim.end
        assert "Stadhoudersweg" in str(event["LOCATION"])


def test_room_feed_never_tells_who_booked_or_why(client, room):
    renter = UserFactory(first_name="Geheime", last_name="Huurder", email="geheim@example.nl")
    BookingFactory(
        room=room,
        renter=renter,
        start=at(dt.date(2026, 2, 10), 10),
        end=at(dt.date(2026, 2, 10), 12),
        purpose="Verjaardag van Ahmed",
    )
    body = client.get(room_feed(room)).content.decode()
    for secret in ("Geheime", "Huurder", "geheim", "Ahmed", "Verjaardag"):
        assert secret not in body
    assert not EMAIL.search(body)


def test_room_feed_has_stable_uids_and_covers_its_window(client, room):
    BookingFactory(room=room, start=at(dt.date(2026, 2, 10), 10), end=at(dt.date(2026, 2, 10), 12))
    RoomOccupancy.objects.create(
        room=room, start=NOW - dt.timedelta(days=40), end=NOW - dt.timedelta(days=40, hours=-1), kind="session"
    )
    RoomOccupancy.objects.create(
        room=room, start=NOW + dt.timedelta(days=200), end=NOW + dt.timedelta(days=200, hours=1), kind="session"
    )
    first = [str(event["UID"]) for event in parse(client.get(room_feed(room))).walk("VEVENT")]
    second = [str(event["UID"]) for event in parse(client.get(room_feed(room))).walk("VEVENT")]
    assert first == second and len(first) == 1
    assert re.fullmatch(rf"room-{room.pk}-claim-\d+@testserver", first[0])


def test_room_feed_without_busy_time_is_a_valid_empty_calendar(client, room):
    calendar = parse(client.get(room_feed(room)))
    assert calendar.walk("VEVENT") == []


def test_private_feed_has_the_residents_active_bookings_with_status_and_address(english, room):
    resident = UserFactory()
    approved = BookingFactory(
        room=room, renter=resident, start=at(dt.date(2026, 2, 10), 10), end=at(dt.date(2026, 2, 10), 12)
    )
    requested = BookingFactory(
        room=room,
        renter=resident,
        status="requested",
        start=at(dt.date(2026, 7, 7), 19),
        end=at(dt.date(2026, 7, 7), 21),
    )
    cancelled = BookingFactory(
        room=room, renter=resident, start=at(dt.date(2026, 2, 11), 10), end=at(dt.date(2026, 2, 11), 12)
    )
    services.booking_cancel_by_renter(booking=cancelled, by=resident)
    BookingFactory(
        room=room, renter=UserFactory(), start=at(dt.date(2026, 2, 12), 10), end=at(dt.date(2026, 2, 12), 12)
    )

    token = services.booking_feed_for(user=resident).token
    calendar = parse(english.get(reverse("bookings:my_feed", args=[token])))
    events = {str(event["UID"]): event for event in calendar.walk("VEVENT")}
    assert set(events) == {f"booking-{approved.pk}@testserver", f"booking-{requested.pk}@testserver"}
    confirmed = events[f"booking-{approved.pk}@testserver"]
    assert str(confirmed["SUMMARY"]) == "Booked: Grote zaal"
    assert str(confirmed["STATUS"]) == "CONFIRMED"
    description = str(confirmed["DESCRIPTION"])
    assert "Status: Confirmed" in description and room.place.house.name in description
    assert "Stadhoudersweg" in description
    waiting = events[f"booking-{requested.pk}@testserver"]
    assert str(waiting["STATUS"]) == "TENTATIVE" and "waiting for approval" in str(waiting["DESCRIPTION"])
    start = waiting.decoded("DTSTART")
    assert waiting["DTSTART"].params["TZID"] == "Europe/Amsterdam"
    assert start.time() == dt.time(19) and start.utcoffset() == dt.timedelta(hours=2)
    assert [str(tz["TZID"]) for tz in calendar.walk("VTIMEZONE")] == ["Europe/Amsterdam"]


def test_private_feed_needs_no_login_but_the_right_token(client, room):
    resident = UserFactory()
    BookingFactory(room=room, renter=resident, start=at(dt.date(2026, 2, 10), 10), end=at(dt.date(2026, 2, 10), 12))
    token = services.booking_feed_for(user=resident).token
    assert client.get(reverse("bookings:my_feed", args=[token])).status_code == 200
    assert client.get(reverse("bookings:my_feed", args=["geraden-token"])).status_code == 404
    assert "private" in client.get(reverse("bookings:my_feed", args=[token]))["Cache-Control"]


def test_private_feed_gives_404_after_renewal_and_for_an_inactive_user(client, room):
    resident = UserFactory()
    old = services.booking_feed_for(user=resident).token
    new = services.booking_feed_renew(user=resident, by=resident).token
    assert client.get(reverse("bookings:my_feed", args=[old])).status_code == 404
    assert client.get(reverse("bookings:my_feed", args=[new])).status_code == 200
    resident.is_active = False
    resident.save()
    assert client.get(reverse("bookings:my_feed", args=[new])).status_code == 404


def test_booking_prices_do_not_leak_into_the_public_feed(client, room):
    BookingFactory(
        room=room, price=Decimal("87.50"), start=at(dt.date(2026, 2, 10), 10), end=at(dt.date(2026, 2, 10), 12)
    )
    body = client.get(room_feed(room)).content.decode()
    unfolded = body.replace("\r\n ", "")
    assert "87.50" not in unfolded and "87,50" not in unfolded  # the factory's street number may hold "87"
    assert Booking.objects.count() == 1


@pytest.mark.parametrize(
    "junk",
    ["abc%00def", "%00", "abc%ff", "%E2%9C%93" * 3, "x" * 65, "a%20b", "'%20OR%201=1--", "..%2F..%2Fetc", "%0A"],
)
def test_junk_in_the_private_feed_address_is_404_not_500(client, room, junk):
    services.booking_feed_for(user=UserFactory())
    assert client.get(f"/mijn/boekingen/{junk}.ics").status_code == 404
