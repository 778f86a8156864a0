"""Thirty residents confirm the same slot at the same moment, through the real page: one gets the room, the
others a clear refusal, nobody a server error."""

import threading

import pytest
from django.db import connection
from django.test import Client
from django.urls import reverse

from bookings.models import Booking
from locations.models import RoomOccupancy
from tests.factories import UserFactory, bookable_room, next_weekday

pytestmark = pytest.mark.date_sensitive


@pytest.mark.django_db(transaction=True)
def test_thirty_simultaneous_confirmations_give_one_booking_and_no_500():
    room = bookable_room()
    day = next_weekday(2, weeks_ahead=2)
    renters = [UserFactory() for _ in range(30)]
    form = {
        "date": day.isoformat(),
        "start": "10:00",
        "end": "12:00",
        "purpose": "Buurtvergadering",
        "people": "10",
        "tier": "social",
        "weeks": "1",
        "rules_accepted": "on",
        "confirm": "1",
    }
    url = reverse("bookings:booking_request", args=[room.pk])
    barrier = threading.Barrier(len(renters))
    statuses: list[int] = []
    lock = threading.Lock()

    def confirm(renter):
        client = Client()
        client.force_login(renter)
        try:
            barrier.wait(timeout=30)
            response = client.post(url, form)
            with lock:
                statuses.append(response.status_code)
        finally:
            connection.close()

    threads = [threading.Thread(target=confirm, args=(renter,)) for renter in renters]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(statuses) == 30
    assert 500 not in statuses
    assert statuses.count(302) == 1  # the one who got it is sent to "My bookings"
    assert statuses.count(200) == 29  # the others see the form again with the reason
    assert Booking.objects.count() == 1 and RoomOccupancy.objects.count() == 1
