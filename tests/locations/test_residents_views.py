"""What residents read on the network overview and a house's page: the wijk list follows the district (with
and without JavaScript), jargon (sociaal beheer, zelfbeheer, ringleiding, iCal) is explained, and each place's
hours and rooms fold away on a house of many places."""

import datetime as dt
import re

import pytest
from django.urls import reverse
from django.utils import translation

from tests.factories import (
    DistrictFactory,
    HouseFactory,
    NeighbourhoodFactory,
    OpeningHoursFactory,
    PlaceFactory,
)

LIST_URL = reverse("locations:house_list")
FIELD_URL = reverse("locations:neighbourhood_field")


@pytest.fixture
def city(db):
    noord = DistrictFactory(name="Noord", slug="noord")
    delfshaven = DistrictFactory(name="Delfshaven", slug="delfshaven")
    blijdorp = NeighbourhoodFactory(district=noord, name="Blijdorp", slug="blijdorp")
    NeighbourhoodFactory(district=noord, name="Liskwartier", slug="liskwartier")
    middelland = NeighbourhoodFactory(district=delfshaven, name="Middelland", slug="middelland")
    HouseFactory(name="Het Klooster", neighbourhood=blijdorp)
    HouseFactory(name="Huis Middelland", neighbourhood=middelland)
    return {"noord": noord, "middelland": middelland}


def options(html: str) -> list[str]:
    select = re.search(r'<select name="neighbourhood".*?</select>', html, re.S).group(0)
    return re.findall(r'<option value="([^"]*)"', select)


def test_without_a_district_every_wijk_is_offered(client, city):
    assert options(client.get(LIST_URL).content.decode()) == ["", "blijdorp", "liskwartier", "middelland"]


def test_the_server_offers_only_the_wijken_of_the_chosen_district(client, city):
    response = client.get(LIST_URL, {"district": "noord"})
    assert options(response.content.decode()) == ["", "blijdorp", "liskwartier"]
    assert {house.name for house in response.context["page"].object_list} == {"Het Klooster"}


def test_a_wijk_of_another_district_is_forgotten_not_an_error(client, city):
    response = client.get(LIST_URL, {"district": "noord", "neighbourhood": "middelland"})
    assert response.status_code == 200 and not response.context["filter"].errors
    assert {house.name for house in response.context["page"].object_list} == {"Het Klooster"}


def test_the_wijk_select_is_refreshed_for_a_district(client, city):
    response = client.get(FIELD_URL, {"district": "delfshaven"}, headers={"HX-Request": "true"})
    html = response.content.decode()
    assert response.status_code == 200 and "<html" not in html
    assert 'id="neighbourhood-field"' in html
    assert options(html) == ["", "middelland"]
    assert options(client.get(FIELD_URL).content.decode()) == ["", "blijdorp", "liskwartier", "middelland"]


def test_the_agenda_offers_only_the_wijken_of_the_chosen_district(client, city):
    html = client.get(reverse("activities:agenda"), {"district": "delfshaven"}).content.decode()
    assert options(html) == ["", "middelland"]


def test_the_overview_filters_fold_away_and_explain_the_words(client, city):
    with translation.override("nl"):
        html = client.get(LIST_URL).content.decode()
    assert re.search(r'<details class="huizen-fold" data-fold-narrow open>\s*<summary', html)
    assert "Sociaal beheer: een welzijnsorganisatie runt het huis." in html
    assert "Voor mensen met een hoortoestel" in html


@pytest.mark.parametrize(
    ("kind", "explained"),
    [("social", "Sociaal beheer: een welzijnsorganisatie"), ("self", "Zelfbeheer: bewoners runnen het huis zelf")],
)
def test_house_page_explains_its_management_hearing_loop_and_ical(client, db, kind, explained):
    house = HouseFactory(name="Het Klooster", management__management_type=kind)
    PlaceFactory(house=house, hearing_loop=True)
    with translation.override("nl"):
        html = client.get(reverse("locations:house_detail", args=[house.slug])).content.decode()
    assert explained in html
    assert "Ringleiding: met een hoortoestel hoor je de spreker direct" in html
    assert "iCal: een link die je agenda-app" in html


def test_each_place_folds_its_hours_and_rooms_on_a_house_of_many_places(client, db):
    house = HouseFactory(name="Huis van de Wijk Middelland")
    for n in range(3):
        place = PlaceFactory(house=house, name=f"Buurtplek {n}")
        OpeningHoursFactory(place=place, weekday=0, opens=dt.time(9), closes=dt.time(17))
    html = client.get(reverse("locations:house_detail", args=[house.slug])).content.decode()
    assert html.count('<details class="huizen-fold huizen-place-details">') == 3  # closed
    single = HouseFactory(name="Het Klooster")
    PlaceFactory(house=single)
    html = client.get(reverse("locations:house_detail", args=[single.slug])).content.decode()
    assert html.count('<details class="huizen-fold huizen-place-details" open>') == 1  # one place: open
