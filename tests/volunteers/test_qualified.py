import datetime as dt

import pytest

from tests.volunteers.factories import CertificateFactory, VolunteerFactory
from volunteers.models import VolunteerRole
from volunteers.selectors.people import is_qualified


@pytest.mark.django_db
def test_a_shift_role_takes_only_volunteers_with_the_role_and_a_certificate_valid_that_day():
    v = VolunteerFactory(roles=[VolunteerRole.HOST, VolunteerRole.COOK])
    day = dt.date(2026, 12, 5)
    assert not is_qualified(v, role=VolunteerRole.HOST, day=day)
    assert is_qualified(v, role=VolunteerRole.COOK, day=day)
    CertificateFactory(volunteer=v, issued_on=dt.date(2023, 12, 6), valid_until=dt.date(2026, 12, 5))
    assert is_qualified(v, role=VolunteerRole.HOST, day=day)
    assert not is_qualified(v, role=VolunteerRole.HOST, day=day + dt.timedelta(days=1))
    assert not is_qualified(v, role=VolunteerRole.BAR, day=day)
