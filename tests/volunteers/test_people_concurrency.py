"""The same resident sends the sign-up form twice at the same moment (a double tap on a phone, two tabs): one
application, the other a friendly message, never a server error."""

import threading

import pytest
from django.db import connection
from django.test import Client
from django.urls import reverse

from tests.factories import HouseFactory, UserFactory
from volunteers.models import Volunteer


@pytest.mark.django_db(transaction=True)
def test_a_double_sign_up_at_the_same_moment_gives_one_application_and_no_500():
    house = HouseFactory()
    resident = UserFactory()
    url = reverse("volunteers:signup", args=[house.slug])
    tries = 6
    barrier = threading.Barrier(tries)
    statuses: list[int] = []
    lock = threading.Lock()

    def sign_up():
        client = Client()
        client.force_login(resident)
        try:
            barrier.wait(timeout=30)
            response = client.post(url, {"roles": ["cook"]})
            with lock:
                statuses.append(response.status_code)
        finally:
            connection.close()

    threads = [threading.Thread(target=sign_up) for _ in range(tries)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(statuses) == tries and 500 not in statuses
    assert statuses.count(302) == 1
    assert Volunteer.objects.filter(user=resident).count() == 1
