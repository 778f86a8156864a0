"""Population and social index per wijk per year from a CSV file (locations.services.neighbourhood_figures_import)."""

from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import translation

from audit.models import Event
from locations.models import NeighbourhoodIndex
from locations.services import neighbourhood_figures_import
from tests.audit.helpers import assert_event
from tests.factories import NeighbourhoodFactory, NeighbourhoodIndexFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield


@pytest.fixture
def wijk(db):
    return NeighbourhoodFactory(name="Middelland", slug="middelland", cbs_code="WK059903", population=11000)


@pytest.fixture
def other_wijk(db):
    return NeighbourhoodFactory(name="Bloemhof", slug="bloemhof", cbs_code="WK059971", population=14000)


def upload(content):
    data = content.encode("utf-8") if isinstance(content, str) else content
    return SimpleUploadedFile("wijken.csv", data, content_type="text/csv")


def errors_of(result):
    return [(error.line, error.column, error.message) for error in result.errors]


def test_import_by_cbs_code_and_slug(wijk, other_wijk, municipality):
    NeighbourhoodIndexFactory(neighbourhood=wijk, year=2024, social_index=Decimal("90.0"))
    content = (
        "\ufeffwijk;jaar;inwoners;sociale_index\r\n"
        "WK059903;2024;11500;91,5\r\n"
        "wk059903;2025;11800;93\r\n"
        "bloemhof;2023;14250;80,2\r\n"
        "bloemhof;2022;14100;79\r\n"
    )
    result = neighbourhood_figures_import(file=upload(content), by=municipality)
    assert result.ok, result.errors
    assert (result.lines, result.created, result.changed, result.unchanged) == (4, 3, 1, 0)
    assert NeighbourhoodIndex.objects.get(neighbourhood=wijk, year=2024).social_index == Decimal("91.5")
    assert NeighbourhoodIndex.objects.get(neighbourhood=wijk, year=2024).population == 11500
    wijk.refresh_from_db()
    other_wijk.refresh_from_db()
    assert wijk.population == 11800  # its latest year, 2025
    assert other_wijk.population == 14250  # 2023, not the line below it (2022)
    assert_event(
        "neighbourhood_index.import",
        by=municipality,
        house=None,
        changes={
            "lines": 4,
            "created": 3,
            "changed": 1,
            "unchanged": 0,
            "population": {"WK059903": [11000, 11800], "WK059971": [14000, 14250]},
        },
    )


def test_empty_population_keeps_the_stored_number(wijk, municipality):
    NeighbourhoodIndexFactory(neighbourhood=wijk, year=2025, social_index=Decimal("90.0"), population=11700)
    result = neighbourhood_figures_import(
        file=upload("wijk,jaar,inwoners,sociale_index\nmiddelland,2025,,90\nmiddelland,2026,,92.5\n"),
        by=municipality,
    )
    assert (result.created, result.changed, result.unchanged) == (1, 0, 1)
    assert NeighbourhoodIndex.objects.get(neighbourhood=wijk, year=2025).population == 11700
    assert NeighbourhoodIndex.objects.get(neighbourhood=wijk, year=2026).population is None
    wijk.refresh_from_db()
    assert wijk.population == 11700


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        pytest.param(
            "wijk;jaar;sociale_index\nmiddelland;2025;90\n",
            [
                (
                    1,
                    "",
                    "Missing column(s): inwoners. The first line names the columns: wijk;jaar;inwoners;sociale_index.",
                )
            ],
            id="missing-column",
        ),
        pytest.param(
            "wijk;jaar;inwoners;sociale_index\nmiddelland;2025;100;90\nnergenswijk;2025;100;90\n;2025;100;90\n",
            [
                (
                    3,
                    "wijk",
                    "Unknown wijk “nergenswijk”: use its CBS code (WK059901) or the name in its address here (slug).",
                ),
                (4, "wijk", "Fill in the wijk: its CBS code (WK059901) or the name in its address here (slug)."),
            ],
            id="unknown-wijk",
        ),
        pytest.param(
            "wijk;jaar;inwoners;sociale_index\nmiddelland;2025;-100;90\nmiddelland;2024;100;-1\n"
            "middelland;2023;20000000;301\n",
            [
                (2, "inwoners", "A number of inhabitants cannot be negative."),
                (3, "sociale_index", "A social index lies between 0 and 300."),
                (4, "inwoners", "This number is too large for a wijk."),
                (4, "sociale_index", "A social index lies between 0 and 300."),
            ],
            id="out-of-range",
        ),
        pytest.param(
            "wijk;jaar;inwoners;sociale_index\nmiddelland;2025;11.500;90\nmiddelland;2024;100;90,25\n"
            "middelland;2023;100;\nmiddelland;0001;100;90\n",
            [
                (
                    2,
                    "inwoners",
                    "“11.500” is not a whole number. Write it like 1500, without thousands separators.",
                ),
                (
                    3,
                    "sociale_index",
                    "“90,25” is not a number. Write it like 1500 or 12,5: at most 1 decimal, without thousands "
                    "separators.",
                ),
                (4, "sociale_index", "Fill in the social index."),
                (5, "jaar", "Choose a year between 2000 and 2099."),
            ],
            id="not-a-number",
        ),
        pytest.param(
            "wijk;jaar;inwoners;sociale_index\nmiddelland;2025;100;90\nWK059903;2025;100;91\n",
            [(3, "", "This wijk and year are on line 2 already.")],
            id="duplicate",
        ),
        pytest.param(
            b"PK\x03\x04\x00\x00",
            [
                (
                    None,
                    "",
                    "This is an Excel file (or another kind of file), not a CSV "
                    "file. In Excel choose 'Save as' and then 'CSV UTF-8 (comma delimited)'.",
                )
            ],
            id="xlsx",
        ),
    ],
)
def test_bad_lines_save_nothing(wijk, municipality, content, expected):
    result = neighbourhood_figures_import(file=upload(content), by=municipality)
    assert errors_of(result) == expected
    assert not NeighbourhoodIndex.objects.exists() and not Event.objects.exists()
    wijk.refresh_from_db()
    assert wijk.population == 11000
