"""The municipality uploads targets (a bad file first), reads the table and changes one; a coordinator explains
a quarter. In Dutch, as the site opens."""

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from reporting.models import Explanation, Target
from tests.factories import PASSWORD, HouseFactory, RoleAssignmentFactory, pass_second_factor

from .conftest import assert_accessible

pytestmark = pytest.mark.django_db(transaction=True)

BAD = (
    "huis;indicator;jaar;doel;k1;k2;k3;k4\r\n"
    "het-klooster;visits;2027;1000;100;200;300;300\r\n"
    "nergenshuis;visits;2027;500;;;;\r\n"
)
GOOD = (
    "\ufeffhuis;indicator;jaar;doel;k1;k2;k3;k4\r\n"
    "het-klooster;visits;2027;1001;;;;\r\n"
    "netwerk;room_occupancy;2027;62,5;;;;\r\n"
)


def log_in(page, live_server, user):
    page.goto(live_server.url + "/accounts/login/")
    page.get_by_label("E-mailadres").fill(user.email)
    page.get_by_label("Wachtwoord").fill(PASSWORD)
    page.get_by_role("button", name="Inloggen").click()
    pass_second_factor(page)


def csv_file(content: str):
    return {"name": "doelen.csv", "mimeType": "text/csv", "buffer": content.encode("utf-8")}


def test_the_municipality_uploads_targets_and_reads_them(page, live_server):
    HouseFactory(name="Huis van de Wijk Het Klooster", slug="het-klooster")
    municipality = RoleAssignmentFactory(role="municipality", house=None).user
    log_in(page, live_server, municipality)

    page.goto(live_server.url + "/resultaten/doelen/inlezen/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Resultaatafspraken inlezen")
    assert_accessible(page)

    page.get_by_label("CSV-bestand").set_input_files(csv_file(BAD))
    page.get_by_role("button", name="Lees de doelen in en sla ze op").click()
    summary = page.locator("#import-errors")
    expect(summary).to_be_focused()
    expect(summary.get_by_role("heading")).to_have_text("Er is niets opgeslagen: het bestand heeft 2 fouten")
    expect(summary.get_by_role("listitem").nth(0)).to_contain_text("Regel 2: De vier kwartalen zijn samen 900")
    expect(summary.get_by_role("listitem").nth(1)).to_have_text("Regel 3, kolom huis: Onbekend huis “nergenshuis”.")
    assert_accessible(page)
    assert not Target.objects.exists()

    page.get_by_label("CSV-bestand").set_input_files(csv_file(GOOD))
    page.get_by_role("button", name="Lees de doelen in en sla ze op").click()
    expect(page.get_by_text("2 regels gelezen: 2 nieuw, 0 gewijzigd, 0 ongewijzigd.")).to_be_visible()
    expect(page.get_by_role("heading", level=1)).to_have_text("Resultaatafspraken 2027")
    table = page.get_by_role("table", name="1 doel van Huis van de Wijk Het Klooster in 2027")
    visits = table.get_by_role("row", name="Bezoeken", exact=False).first
    expect(visits.get_by_role("cell").nth(1)).to_have_text("1001")
    expect(visits.get_by_role("cell").nth(5)).to_have_text("251")
    network = page.get_by_role("table", name="1 doel voor het hele netwerk in 2027")
    expect(network.get_by_role("cell", name="62,5").first).to_be_visible()
    assert_accessible(page)

    # change one by hand: the quarters given
    table.get_by_role("link", name="Wijzigen – Bezoeken van Huis van de Wijk Het Klooster in 2027").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Doel Bezoeken 2027, Huis van de Wijk Het Klooster")
    assert_accessible(page)
    page.get_by_label("Geef de vier kwartalen zelf op").check()
    for label, value in [("Eerste", "100"), ("Tweede", "200"), ("Derde", "300"), ("Vierde", "401")]:
        page.get_by_label(f"{label} kwartaal").fill(value)
    page.get_by_role("button", name="Sla het doel op").click()
    expect(page.get_by_text("Het doel is opgeslagen.")).to_be_visible()
    target = Target.objects.get(house__slug="het-klooster")
    assert [int(target.q1), int(target.q4)] == [100, 401]

    # the neighbourhood figures: a bad line first, then the right one
    page.get_by_role("link", name="Wijkcijfers inlezen (CSV)").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Wijkcijfers inlezen")
    assert_accessible(page)
    wijk = target.house.neighbourhood
    page.get_by_label("CSV-bestand").set_input_files(
        csv_file(f"wijk;jaar;inwoners;sociale_index\n{wijk.cbs_code};2025;12.500;98,5\n")
    )
    page.get_by_role("button", name="Lees de cijfers in en sla ze op").click()
    expect(page.locator("#import-errors")).to_be_focused()
    expect(page.locator("#import-errors").get_by_role("listitem")).to_contain_text("Regel 2, kolom inwoners")
    assert_accessible(page)
    page.get_by_label("CSV-bestand").set_input_files(
        csv_file(f"wijk;jaar;inwoners;sociale_index\n{wijk.cbs_code};2025;12500;98,5\n")
    )
    page.get_by_role("button", name="Lees de cijfers in en sla ze op").click()
    expect(page.get_by_text("1 regel gelezen: 1 nieuw, 0 gewijzigd, 0 ongewijzigd.")).to_be_visible()
    wijk.refresh_from_db()
    assert wijk.population == 12500


def test_a_coordinator_explains_the_quarter(page, live_server):
    house = HouseFactory(name="Huis van de Wijk Het Klooster", slug="het-klooster")
    coordinator = RoleAssignmentFactory(role="coordinator", house=house).user
    log_in(page, live_server, coordinator)
    today = timezone.localdate()
    quarter = f"{today.year}Q{(today.month + 2) // 3}"  # the running quarter: open for explanations
    page.goto(live_server.url + f"/resultaten/huizen/het-klooster/toelichting/{quarter}/")
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Toelichting {quarter}, Huis van de Wijk Het Klooster")
    assert_accessible(page)
    page.get_by_label("Bezoeken", exact=True).fill("Minder bezoek door de verbouwing in oktober.")
    page.get_by_role("button", name="Sla de toelichting op").click()
    expect(page.get_by_text("De toelichting is opgeslagen.")).to_be_visible()
    expect(page.get_by_label("Bezoeken", exact=True)).to_have_value("Minder bezoek door de verbouwing in oktober.")
    assert_accessible(page)
    assert Explanation.objects.get().text == "Minder bezoek door de verbouwing in oktober."
