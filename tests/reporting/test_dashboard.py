"""The results dashboards: who sees which houses, filters, sorting, figures worked out by hand, bad input."""

import datetime as dt
from decimal import Decimal

import pytest
from django.urls import reverse

from locations.models import ManagementType
from reporting.models import DayFigure, Explanation, Target
from tests.factories import (
    HouseFactory,
    HouseManagementFactory,
    NeighbourhoodIndexFactory,
    OrganisationFactory,
    PlaceFactory,
)

pytestmark = pytest.mark.django_db

DASHBOARD = "/resultaten/"


def figure(house, day, measure, value, *, place=None, dimension="", member=""):
    return DayFigure.objects.create(
        house=house, place=place, day=day, measure=measure, dimension=dimension, member=member, value=Decimal(value)
    )


def self_managed_house(**kwargs):
    house = HouseFactory(management=False, **kwargs)
    HouseManagementFactory(
        house=house,
        management_type=ManagementType.SELF,
        operator=OrganisationFactory(name=f"Stichting {house.name}", kind="residents_foundation"),
    )
    return house


def test_anonymous_is_sent_to_log_in(client, house):
    for url in (DASHBOARD, f"/resultaten/huizen/{house.slug}/", f"/resultaten/huizen/{house.slug}/visits/"):
        response = client.get(url)
        assert response.status_code == 302
        assert "/accounts/login/" in response["Location"]


def test_smoke(client, municipality, house, other_house):
    place = PlaceFactory(house=house, name="Buurtplek Noord")
    figure(house, dt.date(2026, 10, 5), "visits_walk_in", 10, place=place)
    figure(house, dt.date(2026, 10, 5), "visits_walk_in", 10)
    client.force_login(municipality)
    for url in (
        DASHBOARD,
        DASHBOARD + "?sorteer=visits&richting=af",
        f"/resultaten/huizen/{house.slug}/",
        f"/resultaten/huizen/{house.slug}/visits/",
        f"/resultaten/huizen/{house.slug}/visits_activity/",
        f"/resultaten/huizen/{house.slug}/visits/?plek={place.pk}",
        f"/resultaten/huizen/{house.slug}/visits/?plek={place.pk}&maand=2026-10",
        f"/resultaten/huizen/{house.slug}/visits/?maand=2026-10",
        "/resultaten/indicator/visits/",
    ):
        response = client.get(url)
        assert response.status_code == 200, url
