"""The room search: every filter narrows, the time filter respects claims, opening hours and closures, bad
values give form errors, HTMX gets the fragment, and the query count does not grow with the rooms."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from locations.models import RoomOccupancy
from tests.factories import (
    AMSTERDAM,
    BookingFactory,
    ClosureFactory,
    DistrictFactory,
    HouseFactory,
    NeighbourhoodFactory,
    PlaceFactory,
    RoomFacilityFactory,
    at,
    bookable_room,
)

NOW = dt.datetime(2026, 1, 14, 10, 0, tzinfo=AMSTERDAM)  # a Wednesday morning in winter
TUESDAY = dt.date(2026, 1, 20)
SEARCH = reverse("bookings:room_search")


@pytest.fixture
def now(db, monkeypatch):
    monkeypatch.setattr("django.utils.timezone.now", lambda: NOW)
    return NOW


def names(response) -> set[str]:
    assert response.status_code == 200
    return {room.name for room in response.context["page"].object_list}


def claim(room, start, end, kind="session"):
    return RoomOccupancy.objects.create(room=room, start=start, end=end, kind=kind)


def test_search_lists_rooms_with_place_capacity_facilities_and_rates(english, now):
    room = bookable_room(name="Grote zaal", capacity=40, place__name="Het Klooster")
    RoomFacilityFactory(room=room, facility="kitchen")
    response = english.get(SEARCH)
    html = response.content.decode()
    assert names(response) == {"Grote zaal"}
    assert "Het Klooster" in html and room.place.house.name in html
    assert "Up to 40 people" in html and "Kitchen" in html
    assert "free" in html  # resident initiatives
    assert "€ 15.00 per hour, € 50.00 per day part" in html  # private residents
    assert reverse("bookings:room_detail", args=[room.pk]) in html
    assert "1 room found" in html


def test_rooms_that_are_not_for_rent_are_not_listed(client, now):
    bookable_room(name="Te huur")
    bookable_room(name="Kantoor", bookable=False)
    assert names(client.get(SEARCH)) == {"Te huur"}


def test_each_place_filter_narrows(client, now):
    noord = DistrictFactory(name="Noord", slug="noord")
    blijdorp = NeighbourhoodFactory(district=noord, name="Blijdorp", slug="blijdorp")
    klooster = HouseFactory(slug="het-klooster", neighbourhood=blijdorp)
    bookable_room(name="In Blijdorp", place__house=klooster)
    other = NeighbourhoodFactory(district=noord, name="Liskwartier", slug="liskwartier")
    bookable_room(name="In Liskwartier", place__house=HouseFactory(neighbourhood=other))
    bookable_room(name="Elders")
    assert names(client.get(SEARCH, {"district": "noord"})) == {"In Blijdorp", "In Liskwartier"}
    assert names(client.get(SEARCH, {"neighbourhood": "blijdorp"})) == {"In Blijdorp"}
    assert names(client.get(SEARCH, {"house": "het-klooster"})) == {"In Blijdorp"}


def test_people_filter_keeps_rooms_that_are_big_enough(client, now):
    bookable_room(name="Klein", capacity=8)
    bookable_room(name="Precies", capacity=20)
    bookable_room(name="Groot", capacity=80)
    assert names(client.get(SEARCH, {"people": "20"})) == {"Precies", "Groot"}


def test_every_ticked_facility_must_be_present(client, now):
    both = bookable_room(name="Keuken en beamer")
    RoomFacilityFactory(room=both, facility="kitchen")
    RoomFacilityFactory(room=both, facility="projector")
    RoomFacilityFactory(room=bookable_room(name="Alleen keuken"), facility="kitchen")
    bookable_room(name="Kaal")
    assert names(client.get(SEARCH, {"facilities": "kitchen"})) == {"Keuken en beamer", "Alleen keuken"}
    assert names(client.get(SEARCH, {"facilities": ["kitchen", "projector"]})) == {"Keuken en beamer"}


def test_accessibility_filters_look_at_the_place_or_the_room(client, now):
    bookable_room(name="Drempelvrij", place=PlaceFactory(step_free_entrance=True))
    bookable_room(name="Met trap", place=PlaceFactory(step_free_entrance=False))
    bookable_room(name="Toilet in het gebouw", place=PlaceFactory(accessible_toilet=True))
    RoomFacilityFactory(room=bookable_room(name="Toilet bij de zaal"), facility="accessible_toilet")
    bookable_room(name="Ringleiding", place=PlaceFactory(hearing_loop=True))
    assert "Met trap" not in names(client.get(SEARCH, {"step_free": "on"}))
    assert len(names(client.get(SEARCH, {"step_free": "on"}))) == 4
    assert names(client.get(SEARCH, {"accessible_toilet": "on"})) == {"Toilet in het gebouw", "Toilet bij de zaal"}
    assert names(client.get(SEARCH, {"hearing_loop": "on"})) == {"Ringleiding"}


def test_time_filter_leaves_out_overlapping_claims_and_keeps_back_to_back_ones(client, now):
    booked = bookable_room(name="Geboekt")
    BookingFactory(room=booked, start=at(TUESDAY, 11), end=at(TUESDAY, 13))
    in_use = bookable_room(name="Activiteit")
    claim(in_use, at(TUESDAY, 9, 30), at(TUESDAY, 10, 30))
    before = bookable_room(name="Ervoor")
    BookingFactory(room=before, start=at(TUESDAY, 8), end=at(TUESDAY, 10))
    after = bookable_room(name="Erna")
    claim(after, at(TUESDAY, 12), at(TUESDAY, 14))
    bookable_room(name="Leeg")
    query = {"date": TUESDAY.isoformat(), "start": "10:00", "end": "12:00"}
    assert names(client.get(SEARCH, query)) == {"Ervoor", "Erna", "Leeg"}
    # Without a time every room is listed.
    assert len(names(client.get(SEARCH))) == 5


def test_time_filter_respects_opening_hours_evening_use_and_closures(client, now):
    bookable_room(name="Alleen overdag")
    bookable_room(name="Ook 's avonds", evening_use=True)
    closed = bookable_room(name="Gesloten")
    ClosureFactory(place=closed.place, start_date=TUESDAY, end_date=TUESDAY, reason="Studiedag")
    evening = {"date": TUESDAY.isoformat(), "start": "19:00", "end": "21:00"}
    assert names(client.get(SEARCH, evening)) == {"Ook 's avonds"}
    day = {"date": TUESDAY.isoformat(), "start": "10:00", "end": "12:00"}
    assert names(client.get(SEARCH, day)) == {"Alleen overdag", "Ook 's avonds"}
    # A date alone: rooms whose place opens that day and is not closed.
    assert names(client.get(SEARCH, {"date": TUESDAY.isoformat()})) == {"Alleen overdag", "Ook 's avonds"}
    saturday = TUESDAY + dt.timedelta(days=4)
    assert names(client.get(SEARCH, {"date": saturday.isoformat()})) == {"Ook 's avonds"}


def test_time_filter_respects_duration_and_how_far_ahead(client, now):
    bookable_room(name="Kort", max_booking_minutes=60)
    bookable_room(name="Lang", min_booking_minutes=180)
    bookable_room(name="Dichtbij", book_ahead_days=3)
    bookable_room(name="Gewoon")
    query = {"date": TUESDAY.isoformat(), "start": "10:00", "end": "12:00"}
    assert names(client.get(SEARCH, query)) == {"Gewoon"}


@pytest.mark.parametrize(
    "query, field",
    [
        ({"district": "bestaat-niet"}, "district"),
        ({"neighbourhood": "bestaat-niet"}, "neighbourhood"),
        ({"house": "bestaat-niet"}, "house"),
        ({"people": "veel"}, "people"),
        ({"people": "0"}, "people"),
        ({"facilities": "jacuzzi"}, "facilities"),
        ({"date": "morgen"}, "date"),
        ({"date": "2026-01-20", "start": "25:00", "end": "26:00"}, "start"),
        ({"date": "2026-01-20", "start": "12:00", "end": "10:00"}, "end"),
        ({"date": "2026-01-20", "start": "12:00"}, "end"),
        ({"date": "2026-01-20", "end": "12:00"}, "start"),
        ({"start": "10:00", "end": "12:00"}, "date"),
        ({"date": "2026-01-14", "start": "08:00", "end": "09:00"}, "start"),  # already past
        ({"date": "2026-01-01"}, "date"),
    ],
)
def test_bad_search_values_give_a_form_error_not_a_500(english, now, query, field):
    bookable_room()
    response = english.get(SEARCH, query)
    assert response.status_code == 200
    assert field in response.context["filter"].form.errors
    html = response.content.decode()
    assert "Some search fields could not be used" in html and 'aria-invalid="true"' in html
    assert len(response.context["page"].object_list) == 0


@pytest.mark.parametrize(
    ("day", "message"),
    [
        ("0001-01-01", "Kies een datum tussen 2000 en 2099."),
        ("9999-12-31", "Kies een datum tussen 2000 en 2099."),
        ("99999-01-01", "Voer een geldige datum in."),
        ("31-31-2026", "Voer een geldige datum in."),
    ],
)
@pytest.mark.parametrize("times", [{}, {"start": "10:00", "end": "12:00"}, {"start": "23:00", "end": "23:45"}])
@pytest.mark.parametrize("visitor", ["anonymous", "resident"])
def test_a_nonsense_date_gives_a_dutch_message_not_a_500(client, now, request, day, message, times, visitor):
    if visitor == "resident":
        client.force_login(request.getfixturevalue("resident"))
    bookable_room()
    response = client.get(SEARCH, {"date": day, **times})
    assert response.status_code == 200
    assert response.context["filter"].form.errors["date"] == [message]
    assert message in response.content.decode() and len(response.context["page"].object_list) == 0


def test_htmx_request_gets_only_the_results(client, now):
    bookable_room(name="Zaal A")
    response = client.get(SEARCH, {"people": "2"}, headers={"HX-Request": "true"})
    html = response.content.decode()
    assert "<html" not in html and "Zaal A" in html
    assert 'hx-swap-oob="innerHTML"' in html
    assert "HX-Request" in response["Vary"]


def test_the_search_form_works_without_javascript(client, now):
    html = client.get(SEARCH).content.decode()
    assert f'method="get" action="{SEARCH}"' in html and 'type="submit"' in html


def test_results_carry_the_search_into_the_room_page(client, now):
    room = bookable_room()
    html = client.get(SEARCH, {"date": "2026-01-20", "start": "10:00", "end": "12:00", "people": "5"}).content.decode()
    link = reverse("bookings:room_detail", args=[room.pk])
    assert f"{link}?date=2026-01-20&amp;start=10%3A00&amp;end=12%3A00&amp;people=5" in html


def test_search_is_paginated_and_keeps_the_filters(client, now, monkeypatch):
    monkeypatch.setattr("bookings.views.residents.PAGE_SIZE", 2)
    for n in range(3):
        bookable_room(name=f"Zaal {n}", capacity=30)
    first = client.get(SEARCH, {"people": "25"})
    assert len(first.context["page"].object_list) == 2
    assert "people=25&amp;page=2" in first.content.decode()
    assert len(client.get(SEARCH, {"people": "25", "page": "2"}).context["page"].object_list) == 1


def test_empty_search_says_what_to_do(english, now):
    bookable_room(capacity=5)
    html = english.get(SEARCH, {"people": "50"}).content.decode()
    assert "No room matches this search. Try fewer wishes." in html
    html = english.get(
        SEARCH, {"people": "50", "date": "2026-01-20", "start": "10:00", "end": "11:00"}
    ).content.decode()
    assert "No room is free at that time with these wishes." in html


@pytest.mark.parametrize("query", [{}, {"date": "2026-01-20", "start": "10:00", "end": "12:00", "facilities": "wifi"}])
def test_search_query_count_does_not_grow_with_the_number_of_rooms(client, now, query):
    def room():
        created = bookable_room()
        RoomFacilityFactory(room=created, facility="wifi")
        RoomFacilityFactory(room=created, facility="kitchen")
        return created

    room()
    with CaptureQueriesContext(connection) as one:
        assert client.get(SEARCH, query).status_code == 200
    for _n in range(49):
        room()
    with CaptureQueriesContext(connection) as fifty:
        response = client.get(SEARCH, query)
    assert len(response.context["page"].object_list) == 30  # the first page
    assert response.context["page"].paginator.count == 50
    assert len(fifty) == len(one)
