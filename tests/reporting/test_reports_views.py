"""The reports page, downloads and "build now": who may see and build what, and bad input."""

import hashlib
import io
import zipfile

import pytest
from django.urls import reverse
from django.utils import timezone

from audit.services import SYSTEM
from reporting.models import ReportFile, ReportVersion

from .report_fixtures import quarter_of_two_houses

pytestmark = pytest.mark.django_db

LIST = reverse("reporting:reports")


@pytest.fixture
def built(house, other_house):
    """Ready versions of both houses and the network, with small stand-in files (rendering is tested apart)."""
    versions = {}
    for key, scope in (("house", house), ("other", other_house), ("network", None)):
        version = ReportVersion.objects.create(
            house=scope,
            year=2026,
            quarter=3,
            number=1,
            kind="provisional",
            status="ready",
            progress=100,
            run_key=f"test:{key}",
            created_at=timezone.now(),
            finished_at=timezone.now(),
        )
        for fmt in ("pdf", "xlsx", "csv"):
            content = f"{key} {fmt}".encode()
            ReportFile.objects.create(
                version=version,
                format=fmt,
                content=content,
                checksum=hashlib.sha256(content).hexdigest(),
                size=len(content),
            )
        versions[key] = version
    return versions


def file_url(version, fmt):
    return reverse("reporting:report_file", args=[version.pk, fmt])


def zip_url(version):
    return reverse("reporting:report_zip", args=[version.pk])


# Who sees which report: house (own), other (another organisation's house), network.
SEES = {
    "coordinator": {"house"},
    "manager": {"house"},
    "municipality": {"house", "other", "network"},
    "administrator": {"house", "other", "network"},
    "host": set(),
    "resident": set(),
    "other_house_coordinator": {"other"},
    "other_manager": {"other"},
}


@pytest.mark.parametrize("role", sorted(SEES))
def test_every_role_gets_the_files_it_may_see_and_404_for_the_rest(client, request, built, role):
    client.force_login(request.getfixturevalue(role))
    for key, version in built.items():
        expected = 200 if key in SEES[role] else 404
        for fmt in ("pdf", "xlsx", "csv"):
            assert client.get(file_url(version, fmt)).status_code == expected, (role, key, fmt)
        assert client.get(zip_url(version)).status_code == expected, (role, key)
        progress = reverse("reporting:report_progress", args=[version.pk])
        assert client.get(progress).status_code == expected
    response = client.get(LIST + "?kwartaal=2026Q3")
    assert response.status_code == (200 if SEES[role] else 404)
    if SEES[role]:
        shown = {key for key, version in built.items() if zip_url(version) in response.content.decode()}
        assert shown == SEES[role]


def test_a_file_is_the_stored_one_and_the_zip_holds_all_three_with_checksums(client, municipality, built):
    client.force_login(municipality)
    version = built["house"]
    stored = {file.format: bytes(file.content) for file in version.files.all()}
    response = client.get(file_url(version, "pdf"))
    assert response["Content-Type"] == "application/pdf"
    assert response.content == stored["pdf"]
    assert "rapportage-het-klooster-2026Q3-v1-voorlopig.pdf" in response["Content-Disposition"]
    archive = zipfile.ZipFile(io.BytesIO(client.get(zip_url(version)).content))
    names = sorted(archive.namelist())
    assert names == [
        "SHA256SUMS",
        "rapportage-het-klooster-2026Q3-v1-voorlopig.csv",
        "rapportage-het-klooster-2026Q3-v1-voorlopig.pdf",
        "rapportage-het-klooster-2026Q3-v1-voorlopig.xlsx",
    ]
    assert archive.read("rapportage-het-klooster-2026Q3-v1-voorlopig.xlsx") == stored["xlsx"]
    sums = archive.read("SHA256SUMS").decode()
    for file in version.files.all():
        assert file.checksum in sums


@pytest.mark.parametrize(
    "role,scope,allowed",
    [
        ("coordinator", "het-klooster", True),
        ("manager", "het-klooster", True),
        ("municipality", "het-klooster", True),
        ("municipality", "netwerk", True),
        ("administrator", "netwerk", True),
        ("coordinator", "de-larenkamp", False),
        ("manager", "de-larenkamp", False),
        ("manager", "netwerk", False),
        ("coordinator", "netwerk", False),
        ("host", "het-klooster", False),
        ("resident", "het-klooster", False),
    ],
)
def test_build_now_for_the_scopes_a_person_may_see(
    client, request, house, other_house, role, scope, allowed, django_capture_on_commit_callbacks
):
    quarter_of_two_houses(house, other_house)
    user = request.getfixturevalue(role)
    client.force_login(user)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("reporting:report_build"), {"scope": scope, "kwartaal": "2026Q3"})
    if not allowed:
        assert response.status_code == 404
        assert not ReportVersion.objects.exists()
        return
    assert response.status_code == 302
    version = ReportVersion.objects.get()
    # Without a broker the task ran at once (eagerly) after the commit.
    assert (version.status, version.created_by, version.by_schedule) == ("ready", user, False)
    assert version.run_key.startswith("request:")
    assert response["Location"].endswith(f"?kwartaal=2026Q3#versie-{version.pk}")
    page = client.get(response["Location"])
    assert file_url(version, "xlsx") in page.content.decode()


def test_progress_polls_while_building_and_stops_when_ready(client, coordinator, house):
    from reporting.reports import report_version_start

    version = report_version_start(house=house, year=2026, quarter=3, kind="provisional", by=SYSTEM, run_key="x")
    ReportVersion.objects.filter(pk=version.pk).update(progress=45)
    client.force_login(coordinator)
    url = reverse("reporting:report_progress", args=[version.pk])
    fragment = client.get(url).content.decode()
    assert 'hx-trigger="every 2s"' in fragment
    assert "45%" in fragment
    assert 'role="status"' in fragment
    page = client.get(LIST + "?kwartaal=2026Q3").content.decode()
    assert "45%" in page and "?kwartaal=2026Q3#versie-" in page  # the refresh link works without JavaScript
    assert client.get(file_url(version, "pdf")).status_code == 404  # nothing to download yet


@pytest.mark.parametrize("bad", ["9999Q9", "0001-01-01", "x" * 10_000, "2026Q3\x00", "2026Q0", "1999Q4"])
def test_bad_quarters_get_a_message_never_a_500(client, municipality, house, bad):
    client.force_login(municipality)
    response = client.get(LIST, {"kwartaal": bad})
    assert response.status_code == 400
    assert "2026Q3" in response.content.decode()  # the message shows how a quarter is written
    response = client.post(reverse("reporting:report_build"), {"scope": house.slug, "kwartaal": bad})
    assert response.status_code == 302
    assert not ReportVersion.objects.exists()
    for scope in ("x" * 10_000, "het\x00klooster", "bestaat-niet"):
        response = client.post(reverse("reporting:report_build"), {"scope": scope, "kwartaal": "2026Q3"})
        assert response.status_code == 404
    assert client.get(f"/resultaten/rapportages/{10**12}/pdf/").status_code == 404
    assert client.get("/resultaten/rapportages/1/doc/").status_code == 404


def _ready_version(house, number):
    version = ReportVersion.objects.create(
        house=house,
        year=2026,
        quarter=3,
        number=number,
        kind="provisional",
        status="ready",
        progress=100,
        run_key=f"count:{house.pk if house else 'network'}:{number}",
        created_at=timezone.now(),
        finished_at=timezone.now(),
    )
    for fmt in ("pdf", "xlsx", "csv"):
        ReportFile.objects.create(version=version, format=fmt, content=b"x", checksum="0" * 64, size=1)


def test_the_list_costs_the_same_queries_with_one_house_and_with_many(client, municipality, house):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from tests.factories import HouseFactory

    client.force_login(municipality)
    _ready_version(house, 1)
    _ready_version(None, 1)
    client.get(LIST + "?kwartaal=2026Q3")  # the session and the language settle first
    with CaptureQueriesContext(connection) as one:
        assert client.get(LIST + "?kwartaal=2026Q3").status_code == 200
    for _number in range(12):
        other = HouseFactory()
        _ready_version(other, 1)
        _ready_version(other, 2)
    with CaptureQueriesContext(connection) as many:
        response = client.get(LIST + "?kwartaal=2026Q3")
    assert response.content.decode().count("Download alles als zip") == 2 + 24
    assert len(many) == len(one)


@pytest.mark.parametrize("quarter", ["2099Q4", "2026Q4"], ids=["not-begun", "running"])
def test_a_quarter_that_has_not_ended_is_not_built(client, municipality, house, quarter):
    client.force_login(municipality)
    response = client.post(reverse("reporting:report_build"), {"scope": house.slug, "kwartaal": quarter})
    assert response.status_code == 302
    assert not ReportVersion.objects.exists()
    page = client.get(response["Location"]).content.decode()
    assert "Dit kwartaal is nog niet voorbij" in page
    assert "Nu maken" not in page  # no button for a quarter that cannot be built


def test_who_may_ask_for_what(client, municipality, coordinator, house, django_capture_on_commit_callbacks):
    """A coordinator asks for a provisional version only, one at a time; after the final one, only the
    municipality makes a new (final) version. Each request is recorded with its actor."""
    from audit.models import Event

    client.force_login(coordinator)
    build = reverse("reporting:report_build")
    client.post(build, {"scope": house.slug, "kwartaal": "2026Q3", "kind": "final"})
    assert not ReportVersion.objects.exists()  # a final version is not the coordinator's to make
    with django_capture_on_commit_callbacks(execute=True):  # the build task runs (eagerly) after the commit
        client.post(build, {"scope": house.slug, "kwartaal": "2026Q3", "kind": "provisional"})
    assert ReportVersion.objects.get().kind == "provisional"
    assert Event.objects.filter(action="report.request", actor=coordinator).count() == 1
    client.force_login(municipality)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(build, {"scope": house.slug, "kwartaal": "2026Q3", "kind": "final"})
    assert ReportVersion.objects.filter(kind="final", status="ready").count() == 1
    client.force_login(coordinator)
    response = client.post(build, {"scope": house.slug, "kwartaal": "2026Q3", "kind": "provisional"}, follow=True)
    assert "De definitieve versie van dit kwartaal is klaar" in response.content.decode()
    assert ReportVersion.objects.count() == 2
