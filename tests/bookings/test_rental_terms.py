"""The house sets its rental terms: per room approval, evening use, durations; cancellation term and deposit."""

from decimal import Decimal

import pytest
from django.urls import reverse

from tests.factories import bookable_room


@pytest.fixture
def room(house):
    from tests.factories import PlaceFactory

    return bookable_room(place=PlaceFactory(house=house), name="Grote zaal")


def url(house):
    return reverse("bookings:rental_terms", args=[house.slug])


def form_data(room, **overrides):
    data = {
        "house-cancellation_days": "14",
        "house-party_deposit": "50.00",
        "house-house_rules": "Om 23:00 uur is iedereen weg. Niet roken.",
        f"room-{room.pk}-requires_approval": "",  # unticked: confirmed at once
        f"room-{room.pk}-evening_use": "on",
        f"room-{room.pk}-min_booking_minutes": "30",
        f"room-{room.pk}-max_booking_minutes": "240",
        f"room-{room.pk}-book_ahead_days": "60",
    }
    data.update(overrides)
    return data


def test_a_coordinator_sets_the_terms(client, coordinator, house, room):
    client.force_login(coordinator)
    assert client.get(url(house)).status_code == 200
    response = client.post(url(house), form_data(room))
    assert response.status_code == 302
    house.refresh_from_db()
    room.refresh_from_db()
    assert (house.cancellation_days, house.party_deposit) == (14, Decimal("50.00"))
    assert room.requires_approval is False and room.evening_use is True
    assert (room.min_booking_minutes, room.max_booking_minutes, room.book_ahead_days) == (30, 240, 60)


@pytest.mark.parametrize(
    ("field", "value"),
    [("house-party_deposit", "-5"), ("house-cancellation_days", "-1"), ("room-{pk}-max_booking_minutes", "20")],
    ids=["negative-deposit", "negative-term", "longest-shorter-than-shortest"],
)
def test_bad_terms_are_refused_and_nothing_is_saved(client, coordinator, house, room, field, value):
    client.force_login(coordinator)
    response = client.post(url(house), form_data(room, **{field.format(pk=room.pk): value}))
    assert response.status_code == 400
    assert 'aria-invalid="true"' in response.content.decode() or "utrecht-alert--error" in response.content.decode()
    house.refresh_from_db()
    room.refresh_from_db()
    assert house.cancellation_days == 7 and room.requires_approval is True


@pytest.mark.parametrize("person", ["host", "manager", "municipality", "resident", "other_house_coordinator"])
def test_only_the_house_may_set_its_terms(client, request, house, room, person):
    client.force_login(request.getfixturevalue(person))
    assert client.get(url(house)).status_code == 404
    assert client.post(url(house), form_data(room)).status_code == 404
    room.refresh_from_db()
    assert room.requires_approval is True


def test_the_history_holds_the_old_and_new_terms_changed_on_the_page(client, coordinator, house, room):
    from audit.models import Event

    house.party_deposit, house.house_rules = Decimal("25.00"), "Niet roken."
    house.save(update_fields=["party_deposit", "house_rules"])
    client.force_login(coordinator)
    assert client.post(url(house), form_data(room)).status_code == 302
    event = Event.objects.get(action="rental_terms.update")
    assert event.actor == coordinator
    assert event.changes["cancellation_days"] == [7, 14]
    assert event.changes["party_deposit"] == ["25.00", "50.00"]
    assert event.changes["house_rules"] == ["Niet roken.", "Om 23:00 uur is iedereen weg. Niet roken."]
    assert event.changes["Grote zaal: requires_approval"] == [True, False]
