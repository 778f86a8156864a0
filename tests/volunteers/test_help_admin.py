"""The admin shows burenhulp requests read-only and without the requester's contact."""

import pytest
from django.urls import reverse

from tests.volunteers.factories import HelpRequestFactory


@pytest.mark.django_db
def test_the_admin_shows_no_contact_and_changes_nothing(client, administrator):
    request = HelpRequestFactory(requester_phone="06-11112222", requester_address="Geheimstraat 1")
    client.force_login(administrator)
    listing = client.get(reverse("admin:volunteers_helprequest_changelist"))
    assert listing.status_code == 200
    page = client.get(reverse("admin:volunteers_helprequest_change", args=[request.pk])).content.decode()
    for secret in ("06-11112222", "Geheimstraat", request.requester_name, request.description):
        assert secret not in page
    assert client.get(reverse("admin:volunteers_helprequest_add")).status_code == 403
    response = client.post(reverse("admin:volunteers_helprequest_change", args=[request.pk]), {"status": "done"})
    assert response.status_code == 403
