"""Targets from a CSV file: Excel's ways of writing one, every kind of mistake with its line number, all or nothing."""

from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import translation

from audit.models import Event
from reporting.models import Target
from reporting.services import target_set, targets_import
from tests.audit.helpers import assert_event

pytestmark = pytest.mark.django_db

D = Decimal


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield


def upload(content: str | bytes, name="doelen.csv"):
    data = content.encode("utf-8") if isinstance(content, str) else content
    return SimpleUploadedFile(name, data, content_type="text/csv")


def errors_of(result):
    return [(error.line, error.column, error.message) for error in result.errors]


def nothing_saved():
    return not Target.objects.exists() and not Event.objects.exists()


def test_excel_nl_semicolons_bom_and_decimal_commas(house, other_house, municipality):
    content = (
        "\ufeffhuis;indicator;jaar;doel;k1;k2;k3;k4\r\n"
        "het-klooster;visits;2027;1001;;;;\r\n"
        "de-larenkamp;visits;2027;1000;100;200;300;400\r\n"
        "netwerk;room_occupancy;2027;62,5;;;;\r\n"
        "NETWERK;booking_revenue;2027;1000,01;;;;\r\n"
        ";;;;;;;\r\n"  # Excel writes empty rows like this: skipped
    )
    result = targets_import(file=upload(content), by=municipality)
    assert result.ok, result.errors
    assert (result.lines, result.created, result.changed, result.unchanged) == (4, 4, 0, 0)
    klooster = Target.objects.get(house=house)
    assert [klooster.q1, klooster.q2, klooster.q3, klooster.q4] == [D(250), D(250), D(250), D(251)]
    larenkamp = Target.objects.get(house=other_house)
    assert [larenkamp.q1, larenkamp.q4] == [D(100), D(400)]
    occupancy = Target.objects.get(house=None, indicator="room_occupancy")
    assert (occupancy.value, occupancy.q3) == (D("62.5"), D("62.5"))
    revenue = Target.objects.get(house=None, indicator="booking_revenue")
    assert [revenue.q1, revenue.q4] == [D("250.00"), D("250.01")]
    assert Event.objects.filter(action="target.set").count() == 4
    assert_event(
        "target.import",
        by=municipality,
        house=None,
        changes={"lines": 4, "created": 4, "changed": 0, "unchanged": 0},
    )


def test_english_excel_commas_without_quarter_columns_and_upper_case(house, municipality):
    content = "Huis,Indicator,Jaar,Doel\nHET-KLOOSTER,Visits,2027,1000\nNetwerk,booking_hours_paid,2027,12.5\n"
    result = targets_import(file=upload(content), by=municipality)
    assert result.ok, result.errors
    assert Target.objects.get(house=house).q2 == D(250)
    hours = Target.objects.get(house=None)
    assert [hours.q1, hours.q2, hours.q3, hours.q4] == [D("3.12"), D("3.12"), D("3.13"), D("3.13")]


def test_tab_separated(house, municipality):
    result = targets_import(
        file=upload("huis\tindicator\tjaar\tdoel\nhet-klooster\tvisits\t2027\t40\n"), by=municipality
    )
    assert result.ok, result.errors
    assert Target.objects.get().q1 == D(10)


def test_a_second_import_records_only_what_changed(house, municipality):
    target_set(house=house, indicator="visits", year=2027, value=D(1000), by=municipality)
    target_set(house=house, indicator="sessions_held", year=2027, value=D(100), by=municipality)
    content = "huis;indicator;jaar;doel\nhet-klooster;visits;2027;1000\nhet-klooster;sessions_held;2027;120\n"
    content += "het-klooster;new_visitors;2027;40\n"
    result = targets_import(file=upload(content), by=municipality)
    assert (result.created, result.changed, result.unchanged) == (1, 1, 1)
    # two by hand, then one for the changed target and one for the new one: the unchanged line records nothing
    assert Event.objects.filter(action="target.set").count() == 4
    assert Event.objects.get(action="target.import").changes == {
        "lines": 3,
        "created": 1,
        "changed": 1,
        "unchanged": 1,
    }


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        pytest.param(
            "huis;indicator;jaar\nhet-klooster;visits;2027\n",
            [(1, "", "Missing column(s): doel. The first line names the columns: huis;indicator;jaar;doel.")],
            id="missing-column",
        ),
        pytest.param(
            "huis;indicator;jaar;target\nhet-klooster;visits;2027;10\n",
            [
                (1, "", "Unknown column “target”. The columns are: huis, indicator, jaar, doel, k1, k2, k3, k4."),
                (1, "", "Missing column(s): doel. The first line names the columns: huis;indicator;jaar;doel."),
            ],
            id="wrong-column",
        ),
        pytest.param(
            "huis;indicator;jaar;doel;k1;k2;k3;k4;k5\nhet-klooster;visits;2027;10;;;;;\n",
            [(1, "", "There is no quarter “k5”: a year has the quarters k1, k2, k3 and k4.")],
            id="wrong-quarter-column",
        ),
        pytest.param(
            "huis;indicator;jaar;doel;k1;k2\nhet-klooster;visits;2027;10;5;5\n",
            [(1, "", "Give all four quarter columns (k1 to k4), or none. Missing: k3, k4.")],
            id="some-quarter-columns",
        ),
        pytest.param(
            "huis;indicator;jaar;doel;doel\nhet-klooster;visits;2027;10;10\n",
            [(1, "", "The column “doel” appears twice.")],
            id="column-twice",
        ),
        pytest.param(
            "huis;indicator;jaar;doel\nhet-klooster;visits;2027;10\nnergenshuis;visits;2027;10\n",
            [(3, "huis", "Unknown house “nergenshuis”.")],
            id="unknown-house",
        ),
        pytest.param(
            "huis;indicator;jaar;doel\nhet-klooster;bezoeken;2027;10\n",
            [(2, "indicator", "Unknown indicator “bezoeken”. The codes are in the example file and on this page.")],
            id="unknown-indicator",
        ),
        pytest.param(
            "huis;indicator;jaar;doel\nhet-klooster;visits;2026²;10\n",
            [(2, "jaar", "Choose a year between 2000 and 2099.")],
            id="superscript-year",
        ),
        pytest.param(
            "huis;indicator;jaar;doel\n;visits;2027;10\n",
            [(2, "huis", "Fill in the house, or “netwerk” for the whole network.")],
            id="forgotten-house",
        ),
        pytest.param(
            "huis;indicator;jaar;doel\nhet-klooster;visits;2027;10\nhet-klooster;new_visitors;2027;-5\n",
            [(3, "doel", "A target cannot be negative.")],
            id="negative-target",
        ),
        pytest.param(
            "huis;indicator;jaar;doel;k1;k2;k3;k4\nhet-klooster;visits;2027;10;1;2;3;-4\n",
            [(2, "k4", "A target cannot be negative.")],
            id="negative-quarter",
        ),
        pytest.param(
            "huis;indicator;jaar;doel;k1;k2;k3;k4\nhet-klooster;visits;2027;1000;100;200;300;300\n",
            [
                (
                    2,
                    "",
                    "The four quarters add up to 900, not to the year's 1000. Make them add up, or split the year "
                    "evenly.",
                )
            ],
            id="quarters-do-not-add-up",
        ),
        pytest.param(
            "huis;indicator;jaar;doel;k1;k2;k3;k4\nhet-klooster;visits;2027;1000;500;500;;\n",
            [(2, "", "Fill in all four quarters (k1 to k4), or none to split the year evenly.")],
            id="two-of-four-quarters",
        ),
        pytest.param(
            "huis;indicator;jaar;doel;k1;k2;k3;k4\nhet-klooster;room_occupancy;2027;80;80;80;80;120\n",
            [(2, "k4", "A percentage is at most 100.")],
            id="percentage-quarter-above-100",
        ),
        pytest.param(
            "huis;indicator;jaar;doel\nhet-klooster;room_occupancy;2027;101\n",
            [(2, "doel", "A percentage is at most 100.")],
            id="percentage-above-100",
        ),
        pytest.param(
            "huis;indicator;jaar;doel\nhet-klooster;visits;1;10\nhet-klooster;visits;9999;10\n"
            "het-klooster;visits;2026-01-01;10\nhet-klooster;visits;;10\n",
            [
                (2, "jaar", "Choose a year between 2000 and 2099."),
                (3, "jaar", "Choose a year between 2000 and 2099."),
                (4, "jaar", "Choose a year between 2000 and 2099."),
                (5, "jaar", "Choose a year between 2000 and 2099."),
            ],
            id="year-out-of-range",
        ),
        pytest.param(
            "huis;indicator;jaar;doel\nhet-klooster;visits;2027;veel\nhet-klooster;new_visitors;2027;1.000,50\n"
            "het-klooster;sessions_held;2027;1.000\nhet-klooster;booking_revenue;2027;\n",
            [
                (
                    2,
                    "doel",
                    "“veel” is not a number. Write it like 1500 or 12,5: at most 2 decimals, without thousands "
                    "separators.",
                ),
                (
                    3,
                    "doel",
                    "“1.000,50” is not a number. Write it like 1500 or 12,5: at most 2 decimals, without thousands "
                    "separators.",
                ),
                (
                    4,
                    "doel",
                    "“1.000” is not a number. Write it like 1500 or 12,5: at most 2 decimals, without thousands "
                    "separators.",
                ),
                (5, "doel", "Fill in the target for the year."),
            ],
            id="not-a-number",
        ),
        pytest.param(
            "huis;indicator;jaar;doel\nhet-klooster;visits;2027;10,5\n",
            [(2, "doel", "This indicator counts: use a whole number.")],
            id="fraction-of-a-count",
        ),
        pytest.param(
            "huis;indicator;jaar;doel\nhet-klooster;visits;2027;10\nnetwerk;visits;2027;10\nHET-KLOOSTER;visits;2027;12\n",
            [(4, "", "This target is on line 2 already.")],
            id="duplicate-line",
        ),
        pytest.param(
            "huis;indicator;jaar;doel\nhet-klooster;visits;2027;10;12\n",
            [(2, "", "This line has more values than there are columns (5 instead of 4).")],
            id="too-many-values",
        ),
        pytest.param(
            'huis;indicator;jaar;doel\nhet-klooster;"visits;2027;10\n',
            [(2, "", 'This line cannot be read as CSV: check the quotation marks (").')],
            id="open-quote",
        ),
        pytest.param(
            "huis;indicator;jaar;doel\nhet-klooster;visits;2027;10\x07\n",
            [(2, "", "This line holds invisible control characters. Remove them.")],
            id="control-character",
        ),
    ],
)
def test_bad_lines_are_reported_with_their_number_and_nothing_is_saved(house, municipality, content, expected):
    result = targets_import(file=upload(content), by=municipality)
    assert errors_of(result) == expected
    assert nothing_saved()


def test_one_bad_line_among_good_ones_saves_nothing(house, municipality):
    good = "".join(f"het-klooster;visits;{year};100\n" for year in range(2020, 2030))
    content = "huis;indicator;jaar;doel\n" + good + "het-klooster;visits;2031;-1\n"
    result = targets_import(file=upload(content), by=municipality)
    assert errors_of(result) == [(12, "doel", "A target cannot be negative.")]
    assert nothing_saved()


def test_every_bad_line_is_reported_at_once(house, municipality):
    content = "huis;indicator;jaar;doel\nnergens;visits;2027;10\nhet-klooster;visits;2027;-1\nhet-klooster;x;2027;1\n"
    result = targets_import(file=upload(content), by=municipality)
    assert [error.line for error in result.errors] == [2, 3, 4]


def test_a_line_with_several_mistakes_reports_each(house, municipality):
    result = targets_import(file=upload("huis;indicator;jaar;doel\nnergens;visits;0001;-1\n"), by=municipality)
    assert errors_of(result) == [
        (2, "huis", "Unknown house “nergens”."),
        (2, "jaar", "Choose a year between 2000 and 2099."),
        (2, "doel", "A target cannot be negative."),
    ]


@pytest.mark.parametrize(
    ("content", "message"),
    [
        pytest.param(b"", "The file is empty.", id="empty"),
        pytest.param(b"\xef\xbb\xbf\r\n\r\n", "The file is empty.", id="only-a-bom-and-blank-lines"),
        pytest.param(
            b"huis;indicator;jaar;doel\r\n", "The file has column names but no lines below them.", id="only-a-header"
        ),
        pytest.param(
            b"PK\x03\x04\x14\x00\x06\x00\x08\x00\x00\x00!\x00",
            "This is an Excel file (or another kind of file), not a CSV file. In Excel choose 'Save as' and then "
            "'CSV UTF-8 (comma delimited)'.",
            id="xlsx",
        ),
        pytest.param(
            "huis;indicator\n".encode("utf-16"),
            "This file is saved as Unicode text (UTF-16). Save it as 'CSV UTF-8 (comma delimited)' instead.",
            id="utf-16",
        ),
    ],
)
def test_files_that_are_not_csv(municipality, content, message):
    result = targets_import(file=upload(content), by=municipality)
    assert errors_of(result) == [(None, "", message)]
    assert nothing_saved()


def test_a_file_with_nul_bytes(house, municipality):
    result = targets_import(
        file=upload(b"huis;indicator;jaar;doel\nhet-klooster;vis\x00its;2027;10\n"), by=municipality
    )
    assert errors_of(result) == [(2, "", "This line holds invisible NUL characters: this is not a CSV text file.")]
    assert nothing_saved()


def test_a_file_not_in_utf8(house, municipality):
    content = "huis;indicator;jaar;doel\nhet-klooster;visits;2027;10\nhet-klooster;new_visitors;2027;10 café\n"
    result = targets_import(file=upload(content.encode("cp1252")), by=municipality)
    assert errors_of(result) == [
        (
            3,
            "",
            "This line has characters that are not in UTF-8. Save the file as 'CSV UTF-8 (comma delimited)' and "
            "upload it again.",
        )
    ]
    assert nothing_saved()


def test_a_file_larger_than_a_megabyte(house, municipality):
    line = "het-klooster;visits;2027;10\n"
    content = "huis;indicator;jaar;doel\n" + line * (1024 * 1024 // len(line) + 1)
    result = targets_import(file=upload(content), by=municipality)
    assert errors_of(result) == [(None, "", "The file is larger than 1 MB. Split it into smaller files.")]
    assert nothing_saved()


def test_a_file_just_under_a_megabyte_is_read(house, municipality):
    """Many lines for different years would be fine; here they repeat one target, so each is a duplicate."""
    line = "het-klooster;visits;2027;10\n"
    header = "huis;indicator;jaar;doel\n"
    content = header + line * ((1024 * 1024 - len(header)) // len(line))
    result = targets_import(file=upload(content), by=municipality)
    assert result.errors[0] == result.errors[0].__class__(3, "This target is on line 2 already.")
    assert nothing_saved()


def test_dutch_messages(house, municipality):
    with translation.override("nl"):
        result = targets_import(file=upload("huis;indicator;jaar;doel\nhet-klooster;visits;2027;-1\n"), by=municipality)
    assert errors_of(result) == [(2, "doel", "Een doel kan niet negatief zijn.")]
