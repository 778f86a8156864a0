"""The targets pages through real views: who sees what, editing one target, the uploads and their examples."""

import csv
import io
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from audit.models import Event
from locations.models import NeighbourhoodIndex
from reporting.models import Target
from reporting.services import target_set
from tests.factories import HouseFactory

pytestmark = pytest.mark.django_db

D = Decimal
LIST = "/resultaten/doelen/"


def edit_url(slug="het-klooster", indicator="visits", year=2027):
    return reverse("reporting:target_edit", args=[slug, indicator, year])


def test_urls_are_dutch():
    assert reverse("reporting:targets") == LIST
    assert edit_url("netwerk") == "/resultaten/doelen/netwerk/visits/2027/"
    assert reverse("reporting:targets_upload") == "/resultaten/doelen/inlezen/"
    assert reverse("reporting:neighbourhood_upload") == "/resultaten/wijkcijfers/inlezen/"
    assert reverse("reporting:explanations", args=["het-klooster", "2026Q3"]) == (
        "/resultaten/huizen/het-klooster/toelichting/2026Q3/"
    )


# --- The list ------------------------------------------------------------------------------------------------


@pytest.fixture
def targets_2027(house, other_house):
    target_set(house=house, indicator="visits", year=2027, value=D(1001), by=_system())
    target_set(house=other_house, indicator="visits", year=2027, value=D(2000), by=_system())
    target_set(house=None, indicator="room_occupancy", year=2027, value=D("62.5"), by=_system())


def _system():
    from audit.services import SYSTEM

    return SYSTEM


def test_the_municipality_sees_every_house_and_the_network_with_edit_links(english, municipality, targets_2027):
    english.force_login(municipality)
    response = english.get(LIST, {"jaar": 2027})
    assert response.status_code == 200
    page = response.content.decode()
    assert "Huis van de Wijk Het Klooster" in page and "Huis van de Wijk De Larenkamp" in page
    assert "The whole network" in page
    assert ">1,001<" in page or ">1001<" in page
    assert ">251<" in page  # the last quarter of 1001
    assert ">62.5<" in page
    assert f'href="{edit_url()}"' in page
    assert f'href="{edit_url("netwerk", "room_occupancy")}"' in page


def test_the_year_filter(english, municipality, targets_2027):
    english.force_login(municipality)
    page = english.get(LIST, {"jaar": 2028}).content.decode()
    assert ">251<" not in page
    assert "0 targets of Huis van de Wijk Het Klooster in 2028" in page


@pytest.mark.parametrize("year", ["0001", "9999", "abc", "2026-01-01", "1" * 50, "\x00"])
def test_a_bad_year_shows_this_year_and_says_so(english, municipality, targets_2027, year):
    english.force_login(municipality)
    response = english.get(LIST, {"jaar": year})
    assert response.status_code == 400
    assert "Choose a year between 2000 and 2099." in response.content.decode()
    assert f"Targets {timezone.localdate().year}" in response.content.decode()


def test_the_house_filter(english, municipality, targets_2027):
    english.force_login(municipality)
    page = english.get(LIST, {"jaar": 2027, "huis": "het-klooster"}).content.decode()
    assert "Huis van de Wijk Het Klooster" in page
    assert "targets of Huis van de Wijk De Larenkamp" not in page
    assert "targets for the whole network" not in page


def test_a_manager_reads_their_houses_only_without_links(english, manager, targets_2027):
    english.force_login(manager)
    response = english.get(LIST, {"jaar": 2027})
    page = response.content.decode()
    assert response.status_code == 200
    assert "target of Huis van de Wijk Het Klooster in 2027" in page
    assert "De Larenkamp" not in page
    assert "whole network" not in page
    assert "/resultaten/doelen/het-klooster/" not in page
    assert "Upload targets" not in page


def test_a_coordinator_reads_their_house_only(english, coordinator, targets_2027):
    english.force_login(coordinator)
    page = english.get(LIST, {"jaar": 2027}).content.decode()
    assert "target of Huis van de Wijk Het Klooster in 2027" in page and "De Larenkamp" not in page
    assert "Change" not in page


@pytest.mark.parametrize("who", ["host", "resident"])
def test_a_host_or_resident_sees_none(client, who, request, targets_2027):
    client.force_login(request.getfixturevalue(who))
    assert client.get(LIST).status_code == 404


def test_anonymous_goes_to_log_in(client):
    response = client.get(LIST)
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_the_list_asks_a_fixed_number_of_queries(english, municipality, django_assert_max_num_queries):
    for _ in range(20):
        HouseFactory()
    english.force_login(municipality)
    english.get(LIST)  # warm up the session
    with django_assert_max_num_queries(8):
        assert english.get(LIST).status_code == 200


# --- Editing one target --------------------------------------------------------------------------------------


def test_the_municipality_sets_a_target_split_evenly(english, municipality, house):
    english.force_login(municipality)
    assert english.get(edit_url()).status_code == 200
    response = english.post(edit_url(), {"value": "1001", "split": "evenly"})
    assert response.status_code == 302
    assert response["Location"] == "/resultaten/doelen/?jaar=2027&huis=het-klooster"
    target = Target.objects.get(house=house)
    assert [target.q1, target.q2, target.q3, target.q4] == [D(250), D(250), D(250), D(251)]
    assert Event.objects.get(action="target.set").actor == municipality


def test_quarters_by_hand_with_dutch_decimal_commas(client, administrator, house):
    client.force_login(administrator)
    response = client.post(
        edit_url(indicator="booking_revenue"),
        {"value": "1000,50", "split": "by_hand", "q1": "100", "q2": "200,25", "q3": "300,25", "q4": "400"},
    )
    assert response.status_code == 302
    target = Target.objects.get(house=house)
    assert [target.value, target.q2, target.q3] == [D("1000.50"), D("200.25"), D("300.25")]


def test_a_network_target(english, municipality):
    english.force_login(municipality)
    response = english.post(edit_url("netwerk", "room_occupancy"), {"value": "70", "split": "evenly"})
    assert response.status_code == 302
    assert Target.objects.get(house=None).q4 == D(70)


def test_the_history_of_a_target(english, municipality, administrator, house):
    target_set(house=house, indicator="visits", year=2027, value=D(1000), by=municipality)
    target_set(house=house, indicator="visits", year=2027, value=D(1200), by=administrator)
    english.force_login(municipality)
    page = english.get(edit_url()).content.decode()
    assert "2 changes, newest first" in page
    assert "Target for the year: 1000 → 1200" in page
    assert "First quarter: 250 → 300" in page
    assert administrator.get_full_name() in page and municipality.get_full_name() in page
    assert page.index(administrator.get_full_name()) < page.index(municipality.get_full_name())  # newest first


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"value": "-1", "split": "evenly"}, "A target cannot be negative."),
        ({"value": "", "split": "evenly"}, "This field is required."),
        ({"value": "1" * 10_000, "split": "evenly"}, "Ensure that there are no more than 14 digits in total."),
        ({"value": "12\x00", "split": "evenly"}, "Enter a number."),
        ({"value": "10.5", "split": "evenly"}, "This indicator counts: use a whole number."),
        ({"value": "100", "split": "by_hand", "q1": "10"}, "Fill in this quarter, or split the year evenly."),
        (
            {"value": "100", "split": "by_hand", "q1": "10", "q2": "10", "q3": "10", "q4": "10"},
            "The four quarters add up to 40, not to the year&#x27;s 100.",
        ),
        ({"value": "100", "split": "sideways"}, "Select a valid choice."),
    ],
)
def test_bad_input_is_refused(english, municipality, house, data, message):
    english.force_login(municipality)
    response = english.post(edit_url(), data)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not Target.objects.exists() and not Event.objects.exists()


def test_percentage_above_100_on_the_form(english, municipality, house):
    english.force_login(municipality)
    response = english.post(edit_url(indicator="room_occupancy"), {"value": "101", "split": "evenly"})
    assert response.status_code == 400 and "A percentage is at most 100." in response.content.decode()


@pytest.mark.parametrize(
    "url",
    [
        "/resultaten/doelen/het-klooster/no_such_indicator/2027/",
        "/resultaten/doelen/het-klooster/visits/1/",
        "/resultaten/doelen/het-klooster/visits/9999/",
        "/resultaten/doelen/no-such-house/visits/2027/",
    ],
)
def test_unknown_targets_are_404(client, municipality, house, url):
    client.force_login(municipality)
    assert client.get(url).status_code == 404


@pytest.mark.parametrize("who", ["coordinator", "manager", "other_manager", "host", "resident"])
def test_only_the_municipality_and_administrators_edit(client, request, house, who):
    client.force_login(request.getfixturevalue(who))
    assert client.get(edit_url()).status_code == 404
    assert client.post(edit_url(), {"value": "10", "split": "evenly"}).status_code == 404
    assert client.get(edit_url("netwerk")).status_code == 404
    assert not Target.objects.exists()


def test_edit_needs_a_login(client, house):
    assert client.get(edit_url()).status_code == 302


# --- Uploads ---------------------------------------------------------------------------------------------------


def csv_file(text: str, name="doelen.csv"):
    return SimpleUploadedFile(name, text.encode("utf-8"), content_type="text/csv")


def test_uploading_targets(english, municipality, house):
    english.force_login(municipality)
    assert english.get(reverse("reporting:targets_upload")).status_code == 200
    response = english.post(
        reverse("reporting:targets_upload"),
        {"file": csv_file("huis;indicator;jaar;doel\nhet-klooster;visits;2027;400\nnetwerk;visits;2027;4000\n")},
        follow=True,
    )
    assert response.redirect_chain[-1][0] == "/resultaten/doelen/?jaar=2027"
    assert "2 lines read: 2 new, 0 changed, 0 unchanged." in response.content.decode()
    assert Target.objects.count() == 2


def test_a_bad_upload_lists_the_lines_and_saves_nothing(english, municipality, house):
    english.force_login(municipality)
    response = english.post(
        reverse("reporting:targets_upload"),
        {"file": csv_file("huis;indicator;jaar;doel\nhet-klooster;visits;2027;400\nnergens;visits;2027;-4\n")},
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert "Nothing is saved: the file has 2 problems" in page
    assert "Line 3, column huis: Unknown house “nergens”." in page
    assert "Line 3, column doel: A target cannot be negative." in page
    assert 'id="import-errors" tabindex="-1" autofocus' in page
    assert not Target.objects.exists()


def test_an_upload_without_a_file(english, municipality):
    english.force_login(municipality)
    response = english.post(reverse("reporting:targets_upload"), {})
    assert response.status_code == 400
    assert "This field is required." in response.content.decode()


def test_the_example_file_reads_back(client, municipality, house):
    client.force_login(municipality)
    response = client.get(reverse("reporting:targets_example"))
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == 'attachment; filename="voorbeeld-doelen.csv"'
    assert response.content.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";"))
    assert rows[0] == ["huis", "indicator", "jaar", "doel", "k1", "k2", "k3", "k4"]
    assert rows[2][:4] == ["het-klooster", "visits", str(timezone.localdate().year + 1), "6000"]
    # and the example itself is a valid upload
    response = client.post(
        reverse("reporting:targets_upload"), {"file": SimpleUploadedFile("voorbeeld.csv", response.content)}
    )
    assert response.status_code == 302
    assert Target.objects.count() == 5


def test_uploading_neighbourhood_figures(english, municipality, house):
    english.force_login(municipality)
    wijk = house.neighbourhood
    example = english.get(reverse("reporting:neighbourhood_example"))
    assert example.status_code == 200
    response = english.post(
        reverse("reporting:neighbourhood_upload"),
        {"file": csv_file(f"wijk;jaar;inwoners;sociale_index\n{wijk.cbs_code};2025;12345;101,5\n")},
        follow=True,
    )
    assert "1 line read: 1 new, 0 changed, 0 unchanged." in response.content.decode()
    assert NeighbourhoodIndex.objects.get(neighbourhood=wijk).social_index == D("101.5")
    wijk.refresh_from_db()
    assert wijk.population == 12345


def test_a_bad_neighbourhood_upload(english, municipality, house):
    english.force_login(municipality)
    response = english.post(
        reverse("reporting:neighbourhood_upload"),
        {"file": csv_file("wijk;jaar;inwoners;sociale_index\nWK999999;2025;100;90\n")},
    )
    assert response.status_code == 400
    assert "Line 2, column wijk: Unknown wijk “WK999999”" in response.content.decode()
    assert not NeighbourhoodIndex.objects.exists()


@pytest.mark.parametrize("who", ["coordinator", "manager", "host", "resident"])
@pytest.mark.parametrize(
    "name",
    [
        "reporting:targets_upload",
        "reporting:neighbourhood_upload",
        "reporting:targets_example",
        "reporting:neighbourhood_example",
    ],
)
def test_only_the_municipality_and_administrators_upload(client, request, house, who, name):
    client.force_login(request.getfixturevalue(who))
    assert client.get(reverse(name)).status_code == 404
    if "upload" in name:
        response = client.post(
            reverse(name), {"file": csv_file("huis;indicator;jaar;doel\nhet-klooster;visits;2027;4\n")}
        )
        assert response.status_code == 404
    assert not Target.objects.exists() and not Event.objects.exists()


def test_an_administrator_uploads(client, administrator, house):
    client.force_login(administrator)
    assert client.get(reverse("reporting:targets_upload")).status_code == 200
    assert client.get(reverse("reporting:neighbourhood_upload")).status_code == 200


def test_dutch_decimal_comma_and_dutch_messages(client, municipality, house):
    client.force_login(municipality)
    response = client.post(edit_url(), {"value": "10,5", "split": "evenly"})
    assert response.status_code == 400
    assert "Deze indicator telt: gebruik een heel getal." in response.content.decode()
    response = client.post(edit_url(indicator="room_occupancy"), {"value": "62,5", "split": "evenly"})
    assert response.status_code == 302
    page = client.get(LIST, {"jaar": 2027}).content.decode()
    assert ">62,5<" in page


def test_each_house_links_to_its_explanations_of_this_quarter(english, coordinator, house):
    english.force_login(coordinator)
    today = timezone.localdate()
    page = english.get(LIST).content.decode()
    assert f'href="/resultaten/huizen/het-klooster/toelichting/{today.year}Q{(today.month + 2) // 3}/"' in page
