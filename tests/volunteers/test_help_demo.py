"""The demo's burenhulp: every state per house, hours for the done ones, some on someone's behalf; a second run
changes nothing."""

import pytest
from django.utils import timezone

from tests.factories import HouseFactory, UserFactory
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


@pytest.mark.django_db
def test_the_demo_volunteer_has_a_request_to_close_and_a_question_to_answer():
    house = HouseFactory()
    kees = VolunteerFactory(
        house=house, roles=[VolunteerRole.NEIGHBOUR_HELP], user=UserFactory(email=demo.DEMO_VOLUNTEER)
    )
    CertificateFactory(volunteer=kees)
    others = [VolunteerFactory(house=house, roles=[VolunteerRole.NEIGHBOUR_HELP]) for _ in range(3)]
    today = timezone.localdate()
    demo.seed(today=today, volunteers={house.slug: [*others, kees]})
    to_close = HelpRequest.objects.filter(volunteer=kees, status="matched", wanted_on__lt=today)
    assert to_close.exists()
    for request in to_close:
        request.full_clean()
        assert request.offers.get().status == HelpOffer.Status.ACCEPTED
    to_answer = HelpOffer.objects.filter(volunteer=kees, status=HelpOffer.Status.OFFERED)
    assert to_answer.filter(request__status="offered", request__wanted_on__gt=today).exists()
    assert demo.seed(today=today, volunteers={house.slug: [*others, kees]}) == 0
