"""The coordinator edits each room's rate card (per renter tier: per hour and per day part); bad amounts are refused
with a Dutch message and nothing saved; one history event with old and new values; bookings keep their price."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation

from audit.models import Event
from bookings import services
from locations.models import RoomRate
from locations.services import room_rates_update
from tests.factories import PlaceFactory, RoomFactory, UserFactory, at, bookable_room, next_weekday

pytestmark = pytest.mark.date_sensitive

TUESDAY = next_weekday(1)
TIERS = ("initiative", "resident", "social", "commercial")


@pytest.fixture
def room(house):
    return bookable_room(place=PlaceFactory(house=house, name="Het Klooster"), name="Grote zaal")


@pytest.fixture
def other_room(other_house):
    return bookable_room(place=PlaceFactory(house=other_house, name="De Larenkamp"), name="Zaal elders")


def url(house):
    return reverse("bookings:room_rates", args=[house.slug])


def rates_of(room):
    return {rate.tier: (rate.per_hour, rate.per_day_part) for rate in RoomRate.objects.filter(room=room)}


def form_data(room, **overrides):
    """The card as bookable_room makes it, with `overrides` ({"social_per_hour": "12.50"})."""
    values = {
        "initiative": ("0.00", "0.00"),
        "resident": ("15.00", "50.00"),
        "social": ("10.00", "30.00"),
        "commercial": ("30.00", "100.00"),
    }
    data = {}
    for tier, (per_hour, per_day_part) in values.items():
        data[f"room-{room.pk}-{tier}-per_hour"] = overrides.pop(f"{tier}_per_hour", per_hour)
        data[f"room-{room.pk}-{tier}-per_day_part"] = overrides.pop(f"{tier}_per_day_part", per_day_part)
    assert not overrides, overrides
    return data


UNCHANGED = {
    "initiative": (Decimal("0"), Decimal("0")),
    "resident": (Decimal("15.00"), Decimal("50.00")),
    "social": (Decimal("10.00"), Decimal("30.00")),
    "commercial": (Decimal("30.00"), Decimal("100.00")),
}


def test_the_coordinator_sees_the_card_of_each_room_for_rent(english, house, room, coordinator):
    not_for_rent = RoomFactory(place=room.place, name="Kantoor", bookable=False)
    english.force_login(coordinator)
    response = english.get(url(house))
    assert response.status_code == 200
    page = response.content.decode()
    assert "Room rates of Huis van de Wijk Het Klooster" in page
    assert "Grote zaal" in page and not_for_rent.name not in page
    assert f'name="room-{room.pk}-resident-per_hour" value="15.00"' in page
    assert f'name="room-{room.pk}-commercial-per_day_part" value="100.00"' in page


def test_the_coordinator_changes_rates_and_the_history_holds_old_and_new(english, house, room, coordinator):
    english.force_login(coordinator)
    data = form_data(
        room, social_per_hour="12,50", commercial_per_day_part="120", initiative_per_hour="", initiative_per_day_part=""
    )
    response = english.post(url(house), data, follow=True)
    assert response.redirect_chain == [(url(house), 302)]
    assert "The room rates are saved. Bookings made earlier keep the price they had." in response.content.decode()
    assert rates_of(room) == {
        "resident": (Decimal("15.00"), Decimal("50.00")),
        "social": (Decimal("12.50"), Decimal("30.00")),
        "commercial": (Decimal("30.00"), Decimal("120.00")),
    }
    (event,) = Event.objects.filter(action="room_rates.update")
    assert (event.actor, event.house) == (coordinator, house)
    assert event.changes == {
        "Grote zaal (Het Klooster): social per_hour": ["10.00", "12.50"],
        "Grote zaal (Het Klooster): commercial per_day_part": ["100.00", "120.00"],
        "Grote zaal (Het Klooster): initiative per_hour": ["0.00", None],
        "Grote zaal (Het Klooster): initiative per_day_part": ["0.00", None],
    }
    history = english.get(reverse("audit:house_history", args=[house.slug])).content.decode()
    assert "Room rates changed" in history
    assert "Grote zaal (Het Klooster): social per hour: 10.00 → 12.50" in history


def test_a_tier_without_a_rate_can_get_one(english, house, room, coordinator):
    RoomRate.objects.filter(room=room, tier="commercial").delete()
    english.force_login(coordinator)
    page = english.get(url(house)).content.decode()
    assert f'name="room-{room.pk}-commercial-per_hour"' in page
    assert f'name="room-{room.pk}-commercial-per_hour" value=' not in page
    assert (
        english.post(url(house), form_data(room, commercial_per_hour="40", commercial_per_day_part="140")).status_code
        == 302
    )
    assert rates_of(room)["commercial"] == (Decimal("40.00"), Decimal("140.00"))
    assert Event.objects.get(action="room_rates.update").changes == {
        "Grote zaal (Het Klooster): commercial per_hour": [None, "40.00"],
        "Grote zaal (Het Klooster): commercial per_day_part": [None, "140.00"],
    }


def test_saving_an_unchanged_card_records_nothing(english, house, room, coordinator):
    english.force_login(coordinator)
    response = english.post(url(house), form_data(room), follow=True)
    assert "Nothing changed: the rates were already like this." in response.content.decode()
    assert not Event.objects.filter(action="room_rates.update").exists()


BAD = [
    ("social_per_hour", "-1", "Een bedrag kan niet lager zijn dan 0."),
    ("social_per_hour", "12.505", "Vul hoogstens 2 cijfers achter de komma in (hele centen)."),
    ("social_per_hour", "10000.01", "Vul een bedrag in van hoogstens 10.000 euro."),
    ("social_per_hour", "99999999999999999999999", "Vul een bedrag in van hoogstens 10.000 euro."),
    ("social_per_hour", "1e999999999", "Vul een bedrag in van hoogstens 10.000 euro."),
    ("social_per_hour", "9" * 5000, "Vul een bedrag in van hoogstens 10.000 euro."),
    ("social_per_hour", "Infinity", "Vul een bedrag in euro in, zoals 12,50."),
    ("social_per_hour", "NaN", "Vul een bedrag in euro in, zoals 12,50."),
    ("social_per_hour", "12\x00", "Vul een bedrag in euro in, zoals 12,50."),
    ("social_per_hour", "tien euro", "Vul een bedrag in euro in, zoals 12,50."),
    ("social_per_day_part", "", "Vul beide bedragen in. Of laat ze allebei leeg"),
]


@pytest.mark.parametrize(("field", "value", "message"), BAD, ids=[f"{f}={v[:12]!r}" for f, v, _m in BAD])
def test_bad_amounts_are_refused_in_dutch_and_nothing_is_saved(client, house, room, coordinator, field, value, message):
    client.force_login(coordinator)
    data = form_data(room, resident_per_hour="16.00", **{field: value})
    response = client.post(url(house), data)
    assert response.status_code == 400
    page = response.content.decode()
    assert message in page
    assert 'aria-invalid="true"' in page
    assert rates_of(room) == UNCHANGED
    assert not Event.objects.filter(action="room_rates.update").exists()


def test_the_service_refuses_bad_amounts_too(house, room, coordinator):
    with translation.override("en"), pytest.raises(ValidationError) as caught:
        room_rates_update(
            house=house,
            rates={room.pk: {"social": (Decimal("-1"), Decimal("5")), "resident": (Decimal("1.234"), Decimal("5"))}},
            by=coordinator,
        )
    assert caught.value.message_dict == {
        f"room-{room.pk}-social-per_hour": ["An amount cannot be below 0."],
        f"room-{room.pk}-resident-per_hour": ["Enter at most 2 decimals (whole cents)."],
    }
    assert rates_of(room) == UNCHANGED


def test_the_service_refuses_another_houses_room(house, other_room, coordinator):
    with pytest.raises(ValidationError):
        room_rates_update(house=house, rates={other_room.pk: {"social": (Decimal("1"), Decimal("2"))}}, by=coordinator)
    assert rates_of(other_room)["social"] == (Decimal("10.00"), Decimal("30.00"))


def test_another_houses_rooms_are_not_on_the_page_and_cannot_be_changed_through_it(
    client, house, room, other_room, coordinator
):
    client.force_login(coordinator)
    assert "Zaal elders" not in client.get(url(house)).content.decode()
    data = {
        **form_data(room),
        f"room-{other_room.pk}-social-per_hour": "1",
        f"room-{other_room.pk}-social-per_day_part": "1",
    }
    client.post(url(house), data)
    assert rates_of(other_room)["social"] == (Decimal("10.00"), Decimal("30.00"))


@pytest.mark.parametrize("person", ["host", "manager", "municipality", "resident", "other_house_coordinator"])
def test_only_the_houses_coordinator_may_edit_its_rates(client, request, house, room, person):
    client.force_login(request.getfixturevalue(person))
    assert client.get(url(house)).status_code == 404
    assert client.post(url(house), form_data(room, social_per_hour="1")).status_code == 404
    assert rates_of(room) == UNCHANGED


def test_an_administrator_may_edit_the_rates(client, house, room, administrator):
    client.force_login(administrator)
    assert client.post(url(house), form_data(room, social_per_hour="11")).status_code == 302
    assert rates_of(room)["social"] == (Decimal("11.00"), Decimal("30.00"))


def test_a_logged_out_visitor_is_sent_to_log_in(client, house, room):
    response = client.get(url(house))
    assert response.status_code == 302 and "/accounts/login/" in response.url


def test_bookings_made_before_a_change_keep_their_price(english, house, room, coordinator):
    renter = UserFactory()
    booking = services.booking_request(
        room=room,
        start=at(TUESDAY, 10),
        end=at(TUESDAY, 12),
        tier="social",
        purpose="Buurtoverleg",
        people=10,
        renter=renter,
        rules_accepted=True,
        by=renter,
    )
    assert booking.price == Decimal("20.00")
    english.force_login(coordinator)
    assert english.post(url(house), form_data(room, social_per_hour="25", social_per_day_part="80")).status_code == 302
    booking.refresh_from_db()
    assert booking.price == Decimal("20.00")
    later = services.booking_request(
        room=room,
        start=at(TUESDAY, 14),
        end=at(TUESDAY, 16),
        tier="social",
        purpose="Buurtoverleg",
        people=10,
        renter=renter,
        rules_accepted=True,
        by=renter,
    )
    assert later.price == Decimal("50.00")


def test_a_tier_taken_off_the_card_can_no_longer_book_the_room(english, house, room, coordinator):
    english.force_login(coordinator)
    english.post(url(house), form_data(room, commercial_per_hour="", commercial_per_day_part=""))
    quote = services.booking_quote(room=room, start=at(TUESDAY, 10), end=at(TUESDAY, 12), tier="commercial", people=5)
    assert "tier" in quote.problems


def test_the_page_asks_the_same_number_of_queries_for_one_room_and_for_five(english, house, room, coordinator):
    english.force_login(coordinator)
    english.get(url(house))
    counts = []
    for extra in (0, 4):
        for number in range(extra):
            bookable_room(place=PlaceFactory(house=house), name=f"Zaal {number}")
        with CaptureQueriesContext(connection) as queries:
            assert english.get(url(house)).status_code == 200
        counts.append(len(queries))
    assert counts[0] == counts[1]


def test_the_rates_are_linked_from_the_start_page_and_the_booking_pages(english, house, room, coordinator, host):
    english.force_login(coordinator)
    assert url(house) in english.get(reverse("start")).content.decode()
    assert url(house) in english.get(reverse("bookings:house_requests", args=[house.slug])).content.decode()
    assert url(house) in english.get(reverse("bookings:rental_terms", args=[house.slug])).content.decode()
    english.force_login(host)
    assert url(house) not in english.get(reverse("start")).content.decode()


def test_the_page_speaks_dutch(client, house, room, coordinator):
    client.force_login(coordinator)
    page = client.get(url(house)).content.decode()
    assert "Tarieven voor ruimtes van Huis van de Wijk Het Klooster" in page
    assert "Per dagdeel van 4 uur (euro)" in page and "Maatschappelijke organisatie" in page
    assert "Tarieven opslaan" in page


def test_errors_in_two_rooms_are_listed_in_one_summary_that_names_each_field(english, house, room, coordinator):
    """One summary at the top, each link naming the room, the renters and the amount, to the field itself."""
    second = bookable_room(place=PlaceFactory(house=house, name="De Serre"), name="Serre")
    data = {
        **form_data(room, resident_per_hour="-5"),
        **{key.replace(f"room-{room.pk}-", f"room-{second.pk}-"): value for key, value in form_data(room).items()},
    }
    data[f"room-{second.pk}-social-per_day_part"] = "0.001"
    english.force_login(coordinator)
    page = english.post(url(house), data).content.decode()
    assert page.count("data-error-summary") == 1
    assert f'href="#id_room-{room.pk}-resident-per_hour" data-error-link>Grote zaal, ' in page
    assert f'href="#id_room-{second.pk}-social-per_day_part" data-error-link>Serre, ' in page
    assert rates_of(room) == UNCHANGED
