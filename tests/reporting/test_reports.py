"""Building a quarterly report: versions, idempotency, the files read back, suppression in every format."""

import csv
import datetime as dt
import hashlib
import io

import openpyxl
import pytest
from django.core.management import CommandError, call_command
from django.utils import translation
from pypdf import PdfReader

from audit.models import Event
from audit.services import SCHEDULE, SYSTEM
from reporting.models import ReportFile, ReportVersion
from reporting.reports import report_build

from .report_fixtures import quarter_of_two_houses

pytestmark = pytest.mark.django_db


def build(house, run_key="run-1", by=SYSTEM, kind="provisional"):
    with translation.override("en"):
        return report_build(house=house, year=2026, quarter=3, kind=kind, by=by, run_key=run_key)


def files_of(version):
    return {file.format: bytes(file.content) for file in ReportFile.objects.filter(version=version)}


def pdf_text(content: bytes) -> str:
    """The text of a PDF with its line breaks and spaces as single spaces."""
    return " ".join(" ".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages).split())


def csv_rows(content: bytes) -> list[dict]:
    assert content.startswith(b"\xef\xbb\xbf")
    return list(csv.DictReader(io.StringIO(content.decode("utf-8-sig")), delimiter=";"))


def test_a_house_report_is_built_with_three_files_and_their_checksums(house, other_house):
    quarter_of_two_houses(house, other_house)
    version = build(house)
    assert version.status == ReportVersion.Status.READY
    assert version.number == 1
    assert version.progress == 100
    assert version.finished_at is not None
    files = ReportFile.objects.filter(version=version)
    assert sorted(file.format for file in files) == ["csv", "pdf", "xlsx"]
    for file in files:
        assert file.checksum == hashlib.sha256(bytes(file.content)).hexdigest()
        assert file.size == len(bytes(file.content))
    event = Event.objects.get(action="report.build")
    assert event.house == house
    assert event.changes == {"version": 1, "kind": "provisional", "quarter": "2026Q3"}
    visits = next(item for item in version.figures["indicators"] if item["code"] == "visits")
    assert visits["quarter"] == "46.00"  # 30 + 12 + 2 + 2
    assert visits["target_quarter"] == "50.00"


def test_the_same_run_gives_the_same_version_and_a_new_run_a_new_one_keeping_the_old(house, other_house):
    quarter_of_two_houses(house, other_house)
    first = build(house, run_key="run-1")
    old_files = files_of(first)
    old_checksums = dict(ReportFile.objects.filter(version=first).values_list("format", "checksum"))
    assert build(house, run_key="run-1").pk == first.pk
    assert ReportVersion.objects.count() == 1
    second = build(house, run_key="run-2", kind="final")
    assert (second.number, second.kind) == (2, "final")
    assert ReportVersion.objects.filter(house=house).count() == 2
    assert files_of(first) == old_files
    for file in ReportFile.objects.filter(version=first):
        assert hashlib.sha256(bytes(file.content)).hexdigest() == old_checksums[file.format] == file.checksum
    # The network's numbers are its own.
    network = build(None, run_key="run-network")
    assert (network.house, network.number) == (None, 1)


def test_a_version_left_building_by_a_dead_worker_is_finished_not_duplicated(house, other_house):
    quarter_of_two_houses(house, other_house)
    from reporting.reports import report_version_start

    left = report_version_start(house=house, year=2026, quarter=3, kind="provisional", by=SCHEDULE, run_key="s:1")
    assert left.status == ReportVersion.Status.BUILDING
    done = build(house, run_key="s:1", by=SCHEDULE)
    assert done.pk == left.pk
    assert done.status == ReportVersion.Status.READY
    assert done.by_schedule is True
    assert ReportVersion.objects.count() == 1
    assert Event.objects.filter(action="report.build").count() == 1


def test_a_ready_version_is_never_changed(house, other_house):
    from reporting.reports import ReportError, report_version_refuse_change

    quarter_of_two_houses(house, other_house)
    version = build(house)
    with pytest.raises(ReportError):
        report_version_refuse_change(version)
    before = files_of(version)
    from reporting.reports import _finish

    again = _finish(version, figures={}, contents={"pdf": b"x"}, by=SYSTEM)
    assert again.figures != {}
    assert files_of(version) == before


def test_the_files_read_back(house, other_house):
    quarter_of_two_houses(house, other_house)
    files = files_of(build(house))
    book = openpyxl.load_workbook(io.BytesIO(files["xlsx"]))
    assert book.sheetnames[0] == "Overview"
    assert "Visits" in book.sheetnames
    assert house.name in book.sheetnames
    assert "Data completeness" in book.sheetnames
    overview = book["Overview"]
    rows = {row[0]: row for row in overview.iter_rows(values_only=True) if row and row[0]}
    assert rows["Visits"][2] == 46
    assert rows["Visits"][3] == 50
    visits = book["Visits"]
    values = [row for row in visits.iter_rows(values_only=True)]
    # Per month: July 30 + 2 = 32, August 12 + 2 = 14, running totals 32 and 46.
    july = next(row for row in values if row[0] == "July")
    august = next(row for row in values if row[0] == "August")
    assert (july[1], july[2], august[1], august[2]) == (32, 32, 14, 46)

    text = pdf_text(files["pdf"])
    assert "Quarterly report of Huis van de Wijk Het Klooster" in text
    assert "Version 1, provisional" in text
    assert "Visits" in text
    assert "Realised this quarter: 46." in text
    assert "drie weken dicht voor de verbouwing" in text
    assert "Data completeness" in text
    assert "Sessions not closed out" in text

    rows = csv_rows(files["csv"])
    visits_total = [row for row in rows if row["Indicator code"] == "visits" and row["Table"] == "Per place"]
    assert {(row["Row"], row["Value"]) for row in visits_total} >= {("Total", "46")}


def test_small_counts_are_suppressed_the_same_in_every_format_and_every_version(house, other_house):
    quarter_of_two_houses(house, other_house)
    first = build(house, run_key="run-1")
    second = build(house, run_key="run-2")
    assert second.figures["suppression"]["visits"]["total"] == first.figures["suppression"]["visits"]["total"]
    for code, tables in first.figures["suppression"].items():
        for name, items in tables.items():
            assert set(map(tuple, items)) <= set(map(tuple, second.figures["suppression"][code][name]))

    files = files_of(second)
    rows = csv_rows(files["csv"])
    hoek = [row for row in rows if row["Indicator code"] == "visits" and row["Row"] == "Hoek"]
    assert [row["Value"] for row in hoek] == ["<5"]  # 2 + 2 = 4 visits
    zaal = [row for row in rows if row["Indicator code"] == "visits" and row["Row"] == "Zaal"]
    assert [row["Value"] for row in zaal] == ["<5"]  # else 46 - 42 gives Hoek away
    hidden_csv = {}
    for row in rows:
        if row["Value"] == "<5":
            hidden_csv[row["Indicator"]] = hidden_csv.get(row["Indicator"], 0) + 1
    book = openpyxl.load_workbook(io.BytesIO(files["xlsx"]))
    hidden_xlsx = {}
    for indicator in second.figures["indicators"]:
        with translation.override("en"):
            sheet = book[indicator["name"][:31]]
        count = sum(1 for row in sheet.iter_rows(values_only=True) for value in row if value == "<5")
        if count:
            hidden_xlsx[indicator["name"]] = count
    assert hidden_csv == hidden_xlsx
    assert hidden_csv["Visits"] == 2
    text = pdf_text(files["pdf"])
    assert text.count("<5") >= sum(hidden_csv.values())
    # Hoek's real numbers appear in no table of the place.
    assert "Hoek <5" in text
    assert "Hoek 4" not in text and "Hoek 2" not in text


def test_the_command_builds_and_refuses_bad_input(house, other_house):
    quarter_of_two_houses(house, other_house)
    out = io.StringIO()
    call_command("build_reports", "--quarter", "2026Q3", "--house", house.slug, stdout=out)
    call_command("build_reports", "--quarter", "2026q3", "--house", house.slug, "--final", stdout=out)
    versions = list(ReportVersion.objects.filter(house=house).order_by("number").values_list("number", "kind"))
    assert versions == [(1, "provisional"), (2, "final")]
    for bad in ("9999Q9", "2026Q5", "0001-01-01", "x" * 10_000, "2026Q3\x00"):
        with pytest.raises(CommandError):
            call_command("build_reports", "--quarter", bad)
    for house_slug in ("bestaat-niet", "het\x00klooster", "x" * 10_000):
        with pytest.raises(CommandError):
            call_command("build_reports", "--quarter", "2026Q3", "--house", house_slug)
    assert ReportVersion.objects.count() == 2


def test_the_house_report_hides_what_the_network_report_hides_of_that_house(house, other_house):
    """A house's quarter total is also its cell in the network's table: when the network hides it (a small count,
    or to protect one), the house's own report hides it too, so the two reports together give nothing away."""
    from tests.factories import HouseFactory, PlaceFactory

    from .report_fixtures import figure

    quarter_of_two_houses(house, other_house)
    small = HouseFactory(name="Huis van de Wijk Klein", slug="klein")
    figure(small, PlaceFactory(house=small, name="Kamer"), dt.date(2026, 7, 8), "visits_walk_in", 3)
    network = build(None, run_key="network")
    network_visits = next(item for item in network.figures["indicators"] if item["code"] == "visits")
    hidden_rows = {item[1] for item in network_visits["tables"]["total"]["suppressed"] if item[0] in ("cell", "row")}
    assert str(small.pk) in hidden_rows  # 3 visits
    assert len(hidden_rows) >= 2  # and one more, or 89 minus the rest gives it away
    assert network_visits["quarter"] == "89.00"  # 46 + 40 + 3: the network total is published
    rows = csv_rows(files_of(network)["csv"])
    klein = [row for row in rows if row["Indicator code"] == "visits" and row["Row"] == small.name]
    assert [row["Value"] for row in klein] == ["<5"]
    for scope in (house, other_house, small):
        report = build(scope, run_key=f"house-{scope.pk}")
        visits = next(item for item in report.figures["indicators"] if item["code"] == "visits")
        items = {tuple(item) for item in visits["tables"]["total"]["suppressed"]}
        own_total_hidden = ("total",) in items or ("col", "total") in items
        assert own_total_hidden == (str(scope.pk) in hidden_rows), scope.name


def test_texts_that_look_like_formulas_stay_text(house, other_house):
    from reporting.models import Explanation
    from tests.factories import PlaceFactory

    from .report_fixtures import figure

    quarter_of_two_houses(house, other_house)
    place = PlaceFactory(house=house, name="=SUM(A1:A9)")
    figure(house, place, dt.date(2026, 9, 2), "visits_walk_in", 7)
    Explanation.objects.filter(house=house).update(text='=HYPERLINK("http://example.com","klik")')
    files = files_of(build(house))
    rows = csv_rows(files["csv"])
    assert "'=SUM(A1:A9)" in {row["Row"] for row in rows}
    assert "=SUM(A1:A9)" not in {row["Row"] for row in rows}
    book = openpyxl.load_workbook(io.BytesIO(files["xlsx"]))
    cells = [cell for sheet in book.worksheets for row in sheet.iter_rows() for cell in row]
    risky = [cell for cell in cells if isinstance(cell.value, str) and cell.value.startswith("=")]
    assert {cell.value for cell in risky} >= {"=SUM(A1:A9)", '=HYPERLINK("http://example.com","klik")'}
    assert all(cell.data_type == "s" and cell.quotePrefix for cell in risky)
