"""The Dutch words residents read in room rental: a week that can be booked is 'Vrij' (not 'Gratis', which means
free of charge), a reason is not joined with a second colon, and a place named as its house is not named twice."""

import datetime as dt
import re

import pytest
from django.urls import reverse
from django.utils import translation

from tests.factories import AMSTERDAM, BookingFactory, ClosureFactory, UserFactory, at, bookable_room

NOW = dt.datetime(2026, 12, 9, 10, 0, tzinfo=AMSTERDAM)  # a Wednesday before Christmas
TUESDAY = dt.date(2026, 12, 15)


@pytest.fixture
def now(db, monkeypatch):
    monkeypatch.setattr("django.utils.timezone.now", lambda: NOW)
    return NOW


@pytest.fixture
def room(now):
    room = bookable_room(name="Grote zaal", capacity=20, place__name="Huis van de Wijk Het Klooster")
    house = room.place.house
    house.name = "Huis van de Wijk Het Klooster"
    house.save()
    ClosureFactory(place=room.place, start_date=dt.date(2026, 12, 22), end_date=dt.date(2026, 12, 22), reason="Kerst")
    return room


@pytest.fixture
def renter(client, now):
    user = UserFactory()
    client.force_login(user)
    return user


def series(client, room):
    data = {
        "date": TUESDAY.isoformat(),
        "start": "10:00",
        "end": "12:00",
        "purpose": "Naaicursus",
        "people": "8",
        "tier": "initiative",  # free of charge, so 'Gratis' would be right for the price, never for a week
        "weeks": "3",
        "rules_accepted": "on",
    }
    return client.post(reverse("bookings:booking_request", args=[room.pk]), data).content.decode()


def text(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


def test_series_preview_says_vrij_for_a_week_that_can_be_booked(client, renter, room):
    with translation.override("nl"):
        html = series(client, room)
    cells = re.findall(r'<td class="utrecht-table__cell">(.*?)</td>', html, re.S)
    assert [text(cell).strip() for cell in cells] == [
        "Vrij",
        "Niet mogelijk. De locatie is dan gesloten (Kerst).",
        "Vrij",
    ]


def test_no_reason_is_joined_with_a_second_colon(client, renter, room):
    with translation.override("nl"):
        html = text(series(client, room))
    assert "gesloten: Kerst" not in html
    assert not re.search(r":[^:<>]{0,60}:\s*Kerst", html)


def test_the_house_name_is_not_repeated_when_the_place_has_it(client, renter, room):
    with translation.override("nl"):
        html = text(series(client, room))
        assert "Grote zaal, Huis van de Wijk Het Klooster " in html
        assert "Huis van de Wijk Het Klooster (Huis van de Wijk Het Klooster)" not in html
        booking = BookingFactory(room=room, renter=renter, start=at(TUESDAY, 14), end=at(TUESDAY, 16))
        cancel = text(client.get(reverse("bookings:booking_cancel", args=[booking.pk])).content.decode())
    assert cancel.count("Huis van de Wijk Het Klooster") == 1


def test_room_page_explains_the_hearing_loop_and_the_subscription_link(client, room):
    room.place.hearing_loop = True
    room.place.save()
    with translation.override("nl"):
        html = text(client.get(reverse("bookings:room_detail", args=[room.pk])).content.decode())
    assert "Ringleiding: met een hoortoestel hoor je de spreker direct" in html
    assert "Wat is een abonnementslink?" in html and "iCalendar is de gewone manier" in html


def test_the_english_preview_joins_the_reason_with_one_colon_too(english, room, now):
    english.force_login(UserFactory())
    html = text(series(english, room))
    assert "Not possible. The place is closed then (Kerst)." in html
