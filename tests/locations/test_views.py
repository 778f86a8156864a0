import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from locations.models import ManagementType
from tests.factories import (
    ClosureFactory,
    DistrictFactory,
    HouseFactory,
    NeighbourhoodFactory,
    OpeningHoursFactory,
    OrganisationFactory,
    PlaceFactory,
    RoomFacilityFactory,
    RoomFactory,
    RoomRateFactory,
)

AMSTERDAM = ZoneInfo("Europe/Amsterdam")
LIST_URL = reverse("locations:house_list")


def names(response):
    return {house.name for house in response.context["page"].object_list}


def make_house(name, **kwargs):
    house = HouseFactory(name=name, **kwargs)
    place = PlaceFactory(house=house)
    for weekday in range(5):
        OpeningHoursFactory(place=place, weekday=weekday, opens=dt.time(9), closes=dt.time(17))
    RoomRateFactory(room=RoomFactory(place=place))
    return house


def test_overview_lists_houses_with_their_facts(client, db):
    make_house("Huis van de Wijk Het Klooster")
    response = client.get(LIST_URL)
    assert response.status_code == 200
    assert "Huis van de Wijk Het Klooster" in response.content.decode()
    assert names(response) == {"Huis van de Wijk Het Klooster"}


def test_overview_query_count_does_not_grow_with_the_number_of_houses(client, db):
    make_house("Eerste huis")
    with CaptureQueriesContext(connection) as one:
        assert client.get(LIST_URL).status_code == 200
    for n in range(49):
        make_house(f"Huis {n}")
    with CaptureQueriesContext(connection) as fifty:
        response = client.get(LIST_URL)
    assert len(response.context["page"].object_list) == 50
    assert len(fifty) == len(one)


def test_filter_by_district_and_neighbourhood(client, db):
    noord = DistrictFactory(name="Noord", slug="noord")
    blijdorp = NeighbourhoodFactory(district=noord, name="Blijdorp", slug="blijdorp")
    make_house("Huis in Blijdorp", neighbourhood=blijdorp)
    make_house("Huis elders")
    assert names(client.get(LIST_URL, {"district": "noord"})) == {"Huis in Blijdorp"}
    assert names(client.get(LIST_URL, {"neighbourhood": "blijdorp"})) == {"Huis in Blijdorp"}
    assert names(client.get(LIST_URL, {"q": "elders"})) == {"Huis elders"}


def test_filter_by_management_type(client, db):
    foundation = OrganisationFactory(kind="residents_foundation")
    make_house("Zelfbeheerd huis", management__operator=foundation, management__management_type=ManagementType.SELF)
    make_house("Sociaal beheerd huis")
    assert names(client.get(LIST_URL, {"management_type": "self"})) == {"Zelfbeheerd huis"}
    assert names(client.get(LIST_URL, {"management_type": "social"})) == {"Sociaal beheerd huis"}


def test_filter_by_accessibility(client, db):
    accessible = HouseFactory(name="Toegankelijk")
    PlaceFactory(house=accessible, step_free_entrance=True, accessible_toilet=True, hearing_loop=True)
    PlaceFactory(house=HouseFactory(name="Met trap"), step_free_entrance=False)
    assert names(client.get(LIST_URL, {"step_free": "on"})) == {"Toegankelijk"}
    assert names(client.get(LIST_URL, {"accessible_toilet": "on", "hearing_loop": "on"})) == {"Toegankelijk"}


def test_filter_open_now_respects_hours_and_closures(client, db, settings, monkeypatch):
    monday_noon = dt.datetime(2027, 1, 4, 12, 0, tzinfo=AMSTERDAM)
    monkeypatch.setattr("django.utils.timezone.now", lambda: monday_noon)
    make_house("Open huis")
    closed = make_house("Gesloten huis")
    ClosureFactory(place=closed.places.get(), start_date=dt.date(2027, 1, 4), end_date=dt.date(2027, 1, 4))
    make_house("Ochtendhuis")  # replace its hours by mornings only
    morning = PlaceFactory(house=HouseFactory(name="Alleen ochtend"))
    OpeningHoursFactory(place=morning, weekday=0, opens=dt.time(9), closes=dt.time(12))
    assert names(client.get(LIST_URL, {"open_now": "on"})) == {"Open huis", "Ochtendhuis"}


def test_unknown_filter_values_give_a_form_error_not_a_500(client, db):
    make_house("Huis")
    response = client.get(LIST_URL, {"district": "bestaat-niet", "management_type": "anders"})
    assert response.status_code == 200
    form = response.context["filter"].form
    assert "district" in form.errors and "management_type" in form.errors


def test_htmx_request_gets_only_the_results(client, db):
    make_house("Huis")
    response = client.get(LIST_URL, headers={"HX-Request": "true"})
    assert response.status_code == 200
    assert "<html" not in response.content.decode()
    assert "Huis" in response.content.decode()


def test_house_page_shows_places_hours_closures_rooms_and_operator(client, db, monkeypatch):
    monkeypatch.setattr("django.utils.timezone.now", lambda: dt.datetime(2026, 12, 25, 10, tzinfo=AMSTERDAM))
    operator = OrganisationFactory(name="Welzijn Maas")
    house = make_house("Huis van de Wijk Het Klooster", management__operator=operator)
    place = house.places.get()
    ClosureFactory(place=place, start_date=dt.date(2026, 12, 25), end_date=dt.date(2026, 12, 26), reason="Kerstmis")
    room = place.rooms.get()
    RoomFacilityFactory(room=room, facility="projector")
    response = client.get(reverse("locations:house_detail", args=[house.slug]))
    html = response.content.decode()
    assert response.status_code == 200
    assert "Welzijn Maas" in html
    assert "Kerstmis" in html and "Vandaag gesloten" in html
    assert place.postcode in html
    assert room.name in html and "beamer" in html
    assert 'aria-current="date"' in html  # today highlighted


def test_house_page_query_count_is_fixed(client, db, django_assert_max_num_queries):
    house = make_house("Huis")
    for _n in range(5):
        extra = PlaceFactory(house=house)
        OpeningHoursFactory(place=extra)
        RoomRateFactory(room=RoomFactory(place=extra))
    with django_assert_max_num_queries(12):
        assert client.get(reverse("locations:house_detail", args=[house.slug])).status_code == 200


def test_unknown_house_is_404(client, db):
    assert client.get(reverse("locations:house_detail", args=["bestaat-niet"])).status_code == 404


def test_english_is_available(client, db):
    make_house("Huis")
    client.post(reverse("set_language"), {"language": "en", "next": LIST_URL})
    html = client.get(LIST_URL).content.decode()
    assert 'lang="en"' in html and "Find a Huis van de Wijk" in html
    client.post(reverse("set_language"), {"language": "nl", "next": LIST_URL})
    assert 'lang="nl"' in client.get(LIST_URL).content.decode()


@pytest.mark.parametrize("url_name", ["locations:house_list"])
def test_pages_have_landmarks_and_skip_link(client, db, url_name):
    html = client.get(reverse(url_name)).content.decode()
    assert 'href="#main"' in html and '<main id="main"' in html and "<header" in html and "<footer" in html


def test_dutch_first_whatever_the_browser_asks(client, db):
    html = client.get(LIST_URL, headers={"Accept-Language": "en-US,en;q=0.9"}).content.decode()
    assert 'lang="nl"' in html and "Vind een Huis van de Wijk" in html
