"""Five coordinators ask five volunteers for the same request at the same moment, through the real page: one
question goes out, the others get a clear message, nobody a server error."""

import threading

import pytest
from django.db import connection
from django.test import Client
from django.urls import reverse

from tests.factories import RoleAssignmentFactory
from tests.volunteers.factories import CertificateFactory, HelpRequestFactory, VolunteerFactory
from volunteers.models import HelpOffer, HelpRequest, VolunteerRole


@pytest.mark.django_db(transaction=True)
def test_simultaneous_offers_give_one_question_and_no_500(house):
    request = HelpRequestFactory(house=house)
    helpers = []
    for _ in range(5):
        helper = VolunteerFactory(house=house, roles=[VolunteerRole.NEIGHBOUR_HELP])
        CertificateFactory(volunteer=helper)
        helpers.append(helper)
    coordinators = [RoleAssignmentFactory(role="coordinator", house=house).user for _ in helpers]
    url = reverse("volunteers:help_offer", args=[house.slug, request.pk])
    barrier = threading.Barrier(len(helpers))
    statuses: list[int] = []
    lock = threading.Lock()

    def offer(coordinator, helper):
        client = Client()
        client.force_login(coordinator)
        try:
            barrier.wait(timeout=30)
            response = client.post(url, {"volunteer": helper.pk})
            with lock:
                statuses.append(response.status_code)
        finally:
            connection.close()

    threads = [threading.Thread(target=offer, args=pair) for pair in zip(coordinators, helpers, strict=True)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(statuses) == [200, 200, 200, 200, 302]
    assert HelpOffer.objects.count() == 1
    request.refresh_from_db()
    assert request.status == HelpRequest.Status.OFFERED
    assert request.volunteer == HelpOffer.objects.get().volunteer
