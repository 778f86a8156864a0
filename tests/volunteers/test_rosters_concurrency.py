"""Ten volunteers take the last place of a shift at the same moment: exactly one gets it, the others a clear
refusal. On PostgreSQL the shift row is locked (SELECT ... FOR UPDATE); SQLite serialises writers."""

import threading

import pytest
from django.core.exceptions import ValidationError
from django.db import connection

from tests.factories import HouseFactory
from tests.volunteers.factories import CertificateFactory, ShiftFactory, VolunteerFactory
from volunteers.models import ShiftAssignment, VolunteerRole
from volunteers.services.rosters import shift_sign_up

pytestmark = pytest.mark.date_sensitive


@pytest.mark.django_db(transaction=True)
def test_ten_sign_ups_for_the_last_place_give_one():
    house = HouseFactory()
    shift = ShiftFactory(house=house, people_needed=1)
    people = []
    for _ in range(10):
        volunteer = VolunteerFactory(house=house, roles=[VolunteerRole.HOST])
        CertificateFactory(volunteer=volunteer)
        people.append(volunteer)
    barrier = threading.Barrier(len(people))
    outcomes: list[str] = []
    lock = threading.Lock()

    def sign_up(volunteer):
        try:
            barrier.wait(timeout=30)
            try:
                shift_sign_up(shift=shift, volunteer=volunteer, by=volunteer.user)
                outcome = "ok"
            except ValidationError as error:
                outcome = error.messages[0]
            with lock:
                outcomes.append(outcome)
        finally:
            connection.close()

    threads = [threading.Thread(target=sign_up, args=(volunteer,)) for volunteer in people]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert outcomes.count("ok") == 1
    assert outcomes.count("Deze dienst is vol.") + outcomes.count("This shift is full.") == 9
    assert ShiftAssignment.objects.filter(shift=shift).count() == 1
