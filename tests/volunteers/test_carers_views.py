"""The pages of informal carers: who may see them (404 for everyone outside the house's coordinators and
professionals), the forms with bad input, bounded queries, and the payment lists with only what payment needs."""

import csv
import datetime as dt
import io
from decimal import Decimal
from zoneinfo import ZoneInfo

import openpyxl
import pytest
from django.urls import reverse

from audit.models import Event
from locations.models import Organisation
from tests.factories import OrganisationFactory
from tests.volunteers.factories import CarerFactory, SupportContactFactory
from volunteers.models import Carer, SupportContact, WaarderingApplication, WaarderingRules

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _monday(clock):
    """These tests are about the waardering window of 2026: they run on Monday 30 November 2026, whatever today."""
    clock.move_to(dt.datetime(2026, 11, 30, 7, 0, tzinfo=ZoneInfo("Europe/Amsterdam")))


GOOD_IBAN = "NL91ABNA0417164300"


@pytest.fixture
def rules():
    municipality = OrganisationFactory(slug="gemeente", kind=Organisation.Kind.MUNICIPALITY)
    return WaarderingRules.objects.create(
        municipality=municipality,
        year=2026,
        amount=Decimal("100.00"),
        opens_on=dt.date(2026, 11, 1),
        closes_on=dt.date(2026, 12, 31),
    )


@pytest.fixture
def carer(house, coordinator):
    return CarerFactory(house=house, first_name="Ans", last_name="de Vries", consent_recorded_by=coordinator)


def application(carer, rules, *, status="awarded", payee="A. de Vries", iban=GOOD_IBAN):
    return WaarderingApplication.objects.create(
        carer=carer,
        rules=rules,
        year=2026,
        applied_on=dt.date(2026, 11, 2),
        payee_name=payee,
        iban=iban,
        status=status,
        amount=Decimal("100.00") if status == "awarded" else None,
    )


def carer_urls(house, carer, app):
    slug = house.slug
    return [
        reverse("volunteers:carers", args=[slug]),
        reverse("volunteers:carer_new", args=[slug]),
        reverse("volunteers:carer_detail", args=[slug, carer.pk]),
        reverse("volunteers:carer_edit", args=[slug, carer.pk]),
        reverse("volunteers:carer_end", args=[slug, carer.pk]),
        reverse("volunteers:support_contact_new", args=[slug, carer.pk]),
        reverse("volunteers:waardering_apply", args=[slug, carer.pk]),
        reverse("volunteers:waardering_decide", args=[slug, app.pk]),
    ]


@pytest.mark.parametrize("who", ["manager", "municipality", "host", "other_house_coordinator", "resident"])
def test_outsiders_get_404_on_every_carer_page(client, request, house, carer, rules, who):
    user = request.getfixturevalue(who)
    client.force_login(user)
    app = application(carer, rules, status="applied")
    for url in carer_urls(house, carer, app):
        assert client.get(url).status_code == 404, url
        assert client.post(url, {}).status_code in (404, 405), url
    assert not SupportContact.objects.exists()


@pytest.mark.parametrize("who", ["coordinator", "professional"])
def test_the_house_staff_see_every_page(client, request, house, carer, rules, who):
    client.force_login(request.getfixturevalue(who))
    app = application(carer, rules, status="applied")
    for url in carer_urls(house, carer, app):
        assert client.get(url).status_code == 200, url


def test_another_houses_carer_is_404(client, house, other_house, coordinator):
    stranger = CarerFactory(house=other_house)
    client.force_login(coordinator)
    assert client.get(reverse("volunteers:carer_detail", args=[house.slug, stranger.pk])).status_code == 404
    assert client.get(reverse("volunteers:carer_detail", args=[other_house.slug, stranger.pk])).status_code == 404


def test_anonymous_is_sent_to_log_in(client, house):
    response = client.get(reverse("volunteers:carers", args=[house.slug]))
    assert response.status_code == 302 and "login" in response.url


def form_data(**overrides):
    return {
        "first_name": "Fatma",
        "last_name": "Yilmaz",
        "phone": "06-11112222",
        "email": "",
        "language": "nl",
        "relation": "parent",
        "hours_band": "24_plus",
        "caring_since": "2022-05-01",
        "consent": "on",
        "consent_given_on": "2026-11-30",
        "consent_text": "Gegevens bewaren voor ondersteuning.",
        **overrides,
    }


def test_register_through_the_form(client, house, professional):
    client.force_login(professional)
    response = client.get(reverse("volunteers:carer_new", args=[house.slug]))
    assert "Schrijf niets op over degene voor wie iemand zorgt" in response.content.decode()
    response = client.post(reverse("volunteers:carer_new", args=[house.slug]), form_data())
    carer = Carer.objects.get()
    assert response.status_code == 302 and response.url.endswith(f"/mantelzorgers/{carer.pk}/")
    assert carer.consent_recorded_by == professional


@pytest.mark.parametrize(
    "bad",
    [
        {"consent": ""},
        {"consent_text": ""},
        {"phone": "", "email": ""},
        {"caring_since": "0001-01-01"},
        {"consent_given_on": "9999-12-31"},
        {"consent_given_on": "2026-12-01"},
        {"first_name": "x" * 10_000},
        {"first_name": "Fat\x00ma"},
        {"caring_since": "gisteren"},
        {"email": "geen-adres"},
    ],
)
def test_bad_input_answers_in_dutch_and_saves_nothing(client, house, coordinator, bad):
    client.force_login(coordinator)
    response = client.post(reverse("volunteers:carer_new", args=[house.slug]), form_data(**bad))
    assert response.status_code == 200
    assert "utrecht-form-field--invalid" in response.content.decode()
    assert not Carer.objects.exists()


def test_log_a_contact_from_the_detail_page(client, house, coordinator, carer):
    client.force_login(coordinator)
    url = reverse("volunteers:support_contact_new", args=[house.slug, carer.pk])
    response = client.post(url, {"date": "2026-11-30", "kind": "listening", "note": ""})
    assert response.status_code == 302
    assert SupportContact.objects.get().kind == "listening"
    for bad in ({"date": "2026-12-01"}, {"note": "x" * 501}, {"date": "9999-12-31"}, {"kind": "x"}):
        response = client.post(url, {"date": "2026-11-30", "kind": "listening", "note": "", **bad})
        assert response.status_code == 400
    assert SupportContact.objects.count() == 1


def test_apply_at_the_desk_and_decide(client, house, coordinator, carer, rules):
    client.force_login(coordinator)
    url = reverse("volunteers:waardering_apply", args=[house.slug, carer.pk])
    assert client.post(url, {"payee_name": "A. de Vries", "iban": "NL91ABNA0417164301"}).status_code == 400
    response = client.post(url, {"payee_name": "A. de Vries", "iban": GOOD_IBAN, "taken_at_desk": "on"})
    assert response.status_code == 302
    app = WaarderingApplication.objects.get()
    assert app.taken_at_desk
    response = client.post(url, {"payee_name": "A. de Vries", "iban": GOOD_IBAN})
    assert "Voor deze mantelzorger is dit jaar al een waardering aangevraagd" in response.content.decode()
    decide = reverse("volunteers:waardering_decide", args=[house.slug, app.pk])
    assert client.post(decide, {"decision": "refuse", "reason": ""}).status_code == 400
    assert client.post(decide, {"decision": "award", "reason": ""}).status_code == 302
    app.refresh_from_db()
    assert app.status == "awarded"


def test_apply_page_says_why_someone_does_not_qualify(client, house, coordinator, rules):
    carer = CarerFactory(house=house, hours_band=Carer.HoursBand.UNDER_8)
    client.force_login(coordinator)
    response = client.get(reverse("volunteers:waardering_apply", args=[house.slug, carer.pk]))
    assert "8" in response.content.decode() and 'name="iban"' not in response.content.decode()


def _fill(house, count, rules):
    for number in range(count):
        carer = CarerFactory(house=house)
        SupportContactFactory(carer=carer)
        application(carer, rules, payee=f"Payee {number}")


@pytest.mark.parametrize("count", [1, 20])
def test_list_queries_do_not_grow(client, house, coordinator, rules, django_assert_num_queries, count):
    _fill(house, count, rules)
    client.force_login(coordinator)
    url = reverse("volunteers:carers", args=[house.slug])
    client.get(url)
    with django_assert_num_queries(QUERIES):
        response = client.get(url)
    assert response.status_code == 200


QUERIES = 11  # 8; the access log: whose staff looked (the operator) and its one INSERT; the second-factor check


def test_list_shows_the_figures_and_search(client, house, coordinator, carer, rules):
    SupportContactFactory(carer=carer, date=dt.date(2026, 10, 5))
    SupportContactFactory(carer=carer, date=dt.date(2025, 10, 5))
    application(carer, rules)
    CarerFactory(house=house, first_name="Piet", last_name="Bakker")
    client.force_login(coordinator)
    url = reverse("volunteers:carers", args=[house.slug])
    content = client.get(url).content.decode()
    assert "Ans de Vries" in content and "Piet Bakker" in content and "5 oktober 2026" in content
    content = client.get(url, {"zoek": "bakk"}).content.decode()
    assert "Piet Bakker" in content and "Ans de Vries" not in content
    assert client.get(url, {"zoek": "a\x00b"}).status_code == 400


def test_payment_list_holds_only_what_payment_needs(client, house, coordinator, carer, rules):
    application(carer, rules, payee='=HYPERLINK("x")')
    application(CarerFactory(house=house), rules, status="refused", payee="Refused Person")
    application(CarerFactory(house=house), rules, status="applied", payee="Waiting Person")
    client.force_login(coordinator)
    response = client.get(reverse("volunteers:waardering_payments", args=[house.slug, 2026, "csv"]))
    assert response.status_code == 200 and response["Cache-Control"] == "private, no-store"
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";"))
    assert len(rows) == 2 and len(rows[0]) == 5
    assert rows[1][1] == '\'=HYPERLINK("x")' and rows[1][2] == GOOD_IBAN and rows[1][3] == "100,00"
    assert "Refused" not in response.content.decode() and "06-" not in response.content.decode()
    assert Event.objects.filter(action="waardering.export", house=house).count() == 1
    response = client.get(reverse("volunteers:waardering_payments", args=[house.slug, 2026, "xlsx"]))
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    assert sheet.max_row == 2 and sheet.max_column == 5
    assert client.get(reverse("volunteers:waardering_payments", args=[house.slug, 2026, "pdf"])).status_code == 404


@pytest.mark.parametrize("who", ["manager", "host", "professional", "other_house_coordinator", "resident"])
def test_house_payment_list_refused_to_others(client, request, house, who):
    client.force_login(request.getfixturevalue(who))
    assert client.get(reverse("volunteers:waardering_payments", args=[house.slug, 2026, "csv"])).status_code == 404


def test_municipality_sees_counts_per_house_and_downloads(client, house, other_house, municipality, carer, rules):
    application(carer, rules)
    application(CarerFactory(house=other_house), rules)
    client.force_login(municipality)
    content = client.get(reverse("volunteers:waardering_network")).content.decode()
    assert house.name in content and other_house.name in content
    assert "Ans" not in content  # counts, no names
    response = client.get(reverse("volunteers:waardering_network_payments", args=[2026, "csv"]))
    assert len(response.content.decode("utf-8-sig").strip().splitlines()) == 3
    assert client.get(reverse("volunteers:waardering_payments", args=[house.slug, 2026, "csv"])).status_code == 200


@pytest.mark.parametrize("who", ["coordinator", "manager", "host", "administrator"])
def test_network_page_only_for_the_municipality(client, request, who):
    client.force_login(request.getfixturevalue(who))
    assert client.get(reverse("volunteers:waardering_network")).status_code == 404
    assert client.get(reverse("volunteers:waardering_network_payments", args=[2026, "csv"])).status_code == 404


def test_admin_sets_the_rules_through_the_service(client, administrator):
    municipality = OrganisationFactory(kind=Organisation.Kind.MUNICIPALITY)
    client.force_login(administrator)
    url = reverse("admin:volunteers_waarderingrules_add")
    data = {
        "municipality": municipality.pk,
        "year": 2027,
        "amount": "150.00",
        "description": "",
        "opens_on": "2027-11-01",
        "closes_on": "2027-12-31",
        "min_hours_per_week": 8,
        "min_months": 3,
    }
    assert client.post(url, data).status_code == 302
    rules = WaarderingRules.objects.get(year=2027)
    assert rules.amount == Decimal("150.00")
    assert Event.objects.filter(action="waardering_rules.set", actor=administrator).count() == 1
    change = reverse("admin:volunteers_waarderingrules_change", args=[rules.pk])
    assert client.post(change, {**data, "amount": "175.00"}).status_code == 302
    rules.refresh_from_db()
    assert rules.amount == Decimal("175.00") and WaarderingRules.objects.count() == 1
    assert client.get(reverse("admin:volunteers_waarderingrules_changelist")).status_code == 200


def test_named_carer_data_is_not_in_the_admin(client, administrator):
    client.force_login(administrator)
    for model in ("carer", "supportcontact", "waarderingapplication"):
        assert client.get(f"/admin/volunteers/{model}/").status_code == 404


def test_paid_in_kind_asks_for_no_iban_and_the_list_has_none(client, house, coordinator, carer, rules):
    rules.description = "Tegoed op de Rotterdampas"
    rules.save()
    client.force_login(coordinator)
    url = reverse("volunteers:waardering_apply", args=[house.slug, carer.pk])
    page = client.get(url).content.decode()
    assert 'name="iban"' not in page and 'name="payee_name"' not in page and "IBAN is niet nodig" in page
    response = client.post(url, {"iban": GOOD_IBAN, "payee_name": "Iemand anders", "taken_at_desk": "on"})
    assert response.status_code == 302
    app = WaarderingApplication.objects.get()
    assert app.iban == "" and app.payee_name == str(carer)


def test_the_payment_reference_is_readable_and_the_same_everywhere(client, house, coordinator, carer, rules):
    app = application(carer, rules)
    reference = f"MZW-2026-{app.pk:06d}"
    client.force_login(coordinator)
    response = client.get(reverse("volunteers:waardering_payments", args=[house.slug, 2026, "csv"]))
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";"))
    assert rows[0][0] == "Kenmerk" and rows[1][0] == reference
    response = client.get(reverse("volunteers:waardering_payments", args=[house.slug, 2026, "xlsx"]))
    assert openpyxl.load_workbook(io.BytesIO(response.content)).active["A2"].value == reference
    page = client.get(reverse("volunteers:carer_detail", args=[house.slug, carer.pk])).content.decode()
    assert f"kenmerk {reference}" in page
