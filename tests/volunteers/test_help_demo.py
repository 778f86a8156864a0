"""The demo's burenhulp: every state per house, hours for the done ones, some on someone's behalf; a second run
changes nothing."""

import pytest
from django.utils import timezone

from tests.factories import HouseFactory
from tests.volunteers.factories import CertificateFactory, VolunteerFactory
from volunteers.demo import help as demo
from volunteers.models import HelpOffer, HelpRequest, HoursEntry, VolunteerRole


@pytest.mark.django_db
def test_the_demo_fills_every_state_with_hours_and_runs_once():
    house = HouseFactory()
    bare = HouseFactory()
    helpers = [VolunteerFactory(house=house, roles=[VolunteerRole.NEIGHBOUR_HELP]) for _ in range(3)]
    for helper in helpers:
        CertificateFactory(volunteer=helper)
    today = timezone.localdate()
    made = demo.seed(today=today, volunteers={house.slug: helpers})
    assert made == HelpRequest.objects.count() >= 10
    requests = HelpRequest.objects.filter(house=house)
    assert 6 <= requests.count() <= 10
    for request in requests:
        request.full_clean()  # every row as the services would leave it
    assert set(requests.values_list("status", flat=True)) == {s.value for s in HelpRequest.Status}
    for request in requests.filter(status="done"):
        assert HoursEntry.objects.get(help_request=request).status == HoursEntry.Status.APPROVED
    for request in requests.filter(status__in=["matched", "done", "not_happened"]):
        assert request.offers.get().status == HelpOffer.Status.ACCEPTED
    assert requests.filter(on_behalf=True).exists()
    assert set(HelpRequest.objects.filter(house=bare).values_list("status", flat=True)) <= {"open", "cancelled"}
    assert demo.seed(today=today, volunteers={house.slug: helpers}) == 0
