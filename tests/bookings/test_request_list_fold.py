"""The house's request list folds its filters on a phone (site.js closes `details[data-fold-narrow]`), except when
the filter has an error: then the error summary and the fields stay in view."""

from django.urls import reverse


def test_the_filters_fold_on_a_phone(client, house, coordinator):
    client.force_login(coordinator)
    html = client.get(reverse("bookings:house_requests", args=[house.slug])).content.decode()
    assert '<details class="huizen-fold" data-fold-narrow open>' in html


def test_filters_with_an_error_stay_open(client, house, coordinator):
    client.force_login(coordinator)
    response = client.get(reverse("bookings:house_requests", args=[house.slug]), {"van": "gisteren"})
    html = response.content.decode()
    assert response.status_code == 400
    assert '<details class="huizen-fold" open>' in html and "data-fold-narrow" not in html
    assert "data-error-summary" in html
