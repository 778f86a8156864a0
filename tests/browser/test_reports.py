"""The municipality builds a quarter's report on the page, sees it finish, and downloads the files."""

import datetime as dt
import hashlib
import io
import re
import zipfile
from zoneinfo import ZoneInfo

import openpyxl
import pytest
from playwright.sync_api import expect
from pypdf import PdfReader

from huizen import outbox
from reporting.models import ReportVersion
from tests.factories import PASSWORD, HouseFactory, RoleAssignmentFactory, pass_second_factor
from tests.reporting.report_fixtures import quarter_of_two_houses

from .conftest import assert_accessible

pytestmark = pytest.mark.django_db(transaction=True)


def test_municipality_builds_and_downloads_a_quarterly_report(page, live_server, monkeypatch):
    house = HouseFactory(name="Huis van de Wijk Het Klooster", slug="het-klooster")
    other = HouseFactory(name="Huis van de Wijk De Larenkamp", slug="de-larenkamp")
    quarter_of_two_houses(house, other)
    officer = RoleAssignmentFactory(role="municipality", house=None).user
    page.goto(live_server.url + "/accounts/login/")
    page.get_by_label("E-mailadres").fill(officer.email)
    page.get_by_label("Wachtwoord").fill(PASSWORD)
    page.get_by_role("button", name="Inloggen").click()
    pass_second_factor(page)
    page.goto(live_server.url + "/resultaten/rapportages/?kwartaal=2026Q3")
    expect(page.get_by_role("heading", level=1)).to_have_text("Kwartaalrapportages 2026Q3")
    assert_accessible(page)

    # The task waits in the outbox (as when the broker is busy or away) until the test sends it.
    monkeypatch.setattr(outbox, "send", lambda message: False)
    page.get_by_role("button", name="Nu maken: Huis van de Wijk Het Klooster").click()
    expect(page.get_by_role("status").filter(has_text="Wordt gemaakt: 0% klaar.")).to_be_visible()
    expect(page.get_by_role("link", name="Vernieuwen")).to_be_visible()  # without JavaScript: reload the page
    assert_accessible(page)
    assert outbox.flush() == 1  # the worker builds it now (eagerly, in this process)
    assert ReportVersion.objects.get().status == "ready"
    # The page asks every 2 seconds (htmx) and shows the files once the version is ready, without a reload.
    expect(page.get_by_role("status").filter(has_text=re.compile(r"^Klaar\.$"))).to_be_visible(timeout=15_000)
    expect(page.get_by_role("status").filter(has_text=re.compile(r"^Wordt gemaakt"))).to_have_count(0)
    assert_accessible(page)

    with page.expect_download() as download:
        page.get_by_role("link", name="Download XLSX (versie 1)").click()
    with open(download.value.path(), "rb") as handle:
        book = openpyxl.load_workbook(io.BytesIO(handle.read()))
    rows = {row[0]: row for row in book["Overzicht"].iter_rows(values_only=True) if row and row[0]}
    assert rows["Bezoeken"][2] == 46  # 30 + 12 + 2 + 2

    with page.expect_download() as download:
        page.get_by_role("link", name="Download PDF (versie 1)").click()
    text = " ".join(" ".join(p.extract_text() for p in PdfReader(download.value.path()).pages).split())
    assert "Kwartaalrapportage van Huis van de Wijk Het Klooster" in text
    assert "drie weken dicht voor de verbouwing" in text
    assert "Volledigheid van de gegevens" in text

    with page.expect_download() as download:
        page.get_by_role("link", name="Download alles als zip (versie 1)").click()
    with open(download.value.path(), "rb") as handle:
        archive = zipfile.ZipFile(io.BytesIO(handle.read()))
    assert "rapportage-het-klooster-2026Q3-v1-voorlopig.csv" in archive.namelist()
    assert "SHA256SUMS" in archive.namelist()


def test_a_coordinators_explanation_appears_in_the_rebuilt_report(page, live_server, clock):
    """Five days after the quarter: the coordinator builds a provisional report, explains a figure, builds again;
    the new version carries the explanation and the old one stays as it was."""
    clock.move_to(dt.datetime(2026, 10, 5, 10, tzinfo=ZoneInfo("Europe/Amsterdam")))
    house = HouseFactory(name="Huis van de Wijk Het Klooster", slug="het-klooster")
    other = HouseFactory(name="Huis van de Wijk De Larenkamp", slug="de-larenkamp")
    quarter_of_two_houses(house, other)
    coordinator = RoleAssignmentFactory(role="coordinator", house=house).user
    page.goto(live_server.url + "/accounts/login/")
    page.get_by_label("E-mailadres").fill(coordinator.email)
    page.get_by_label("Wachtwoord").fill(PASSWORD)
    page.get_by_role("button", name="Inloggen").click()
    pass_second_factor(page)
    page.wait_for_url("**/start/")

    def build_and_read(number: int) -> str:
        page.goto(live_server.url + "/resultaten/rapportages/?kwartaal=2026Q3")
        page.get_by_role("button", name="Nu maken: Huis van de Wijk Het Klooster").click()
        link = page.get_by_role("link", name=f"Download PDF (versie {number})")
        expect(link).to_be_visible(timeout=20_000)
        with page.expect_download() as download:
            link.click()
        return " ".join(" ".join(p.extract_text() for p in PdfReader(download.value.path()).pages).split())

    before = build_and_read(1)
    assert "een nieuwe kookclub trok nieuwe mensen" not in before
    page.goto(live_server.url + "/resultaten/huizen/het-klooster/toelichting/2026Q3/")
    page.get_by_label("Nieuwe bezoekers", exact=True).fill("Een nieuwe kookclub trok nieuwe mensen.")
    page.get_by_role("button", name="Sla de toelichting op").click()
    expect(page.get_by_text("De toelichting is opgeslagen.")).to_be_visible()
    assert_accessible(page)
    after = build_and_read(2)
    assert "Een nieuwe kookclub trok nieuwe mensen." in after
    first = ReportVersion.objects.get(number=1)
    pdf = first.files.get(format="pdf")
    assert pdf.checksum == hashlib.sha256(bytes(pdf.content)).hexdigest()  # the old version is kept as it was
