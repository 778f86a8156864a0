"""Informal carers: consent before anything is saved, support contacts, the waardering's rules, one application per
carer per year (also under concurrent requests, on PostgreSQL), decisions and the e-mail to the carer."""

import datetime as dt
import threading
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction

from audit.models import Event
from locations.models import Organisation, StaleDay
from tests.factories import OrganisationFactory, UserFactory
from tests.volunteers.factories import CarerFactory
from volunteers.models import Carer, SupportContact, SupportKind, WaarderingApplication, WaarderingRules
from volunteers.services import carers as services

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _monday(clock):
    """These tests are about the waardering window of 2026: they run on Monday 30 November 2026, whatever today."""
    clock.move_to(dt.datetime(2026, 11, 30, 7, 0, tzinfo=ZoneInfo("Europe/Amsterdam")))


TODAY = dt.date(2026, 11, 30)  # the suite's clock
GOOD_IBAN = "NL91ABNA0417164300"


def municipality_org():
    return OrganisationFactory(name="Gemeente Enschede", slug="gemeente-enschede", kind=Organisation.Kind.MUNICIPALITY)


def rules(year=2026, **overrides):
    values = {
        "municipality": municipality_org(),
        "year": year,
        "amount": Decimal("100.00"),
        "opens_on": dt.date(year, 11, 1),
        "closes_on": dt.date(year, 12, 31),
        **overrides,
    }
    return WaarderingRules.objects.create(**values)


def register(house, by, **overrides):
    values = {
        "house": house,
        "first_name": "Ans",
        "last_name": "de Vries",
        "phone": "06-12345678",
        "relation": Carer.Relation.PARTNER,
        "hours_band": Carer.HoursBand.FROM_16,
        "caring_since": dt.date(2024, 1, 1),
        "consent_given_on": TODAY,
        "consent_text": "Gegevens bewaren.",
        "by": by,
        **overrides,
    }
    return services.carer_register(**values)


def test_register_records_consent_and_an_event_without_the_name(house, coordinator):
    carer = register(house, coordinator)
    assert carer.consent_recorded_by == coordinator
    event = Event.objects.get(action="carer.register")
    assert event.actor == coordinator and event.house == house
    assert "Ans" not in event.object_label and "Vries" not in event.object_label


@pytest.mark.parametrize("consent", [{"consent_given_on": None}, {"consent_text": ""}, {"consent_text": "   "}])
def test_no_consent_saves_nothing(house, coordinator, consent):
    with pytest.raises(ValidationError) as error:
        register(house, coordinator, **consent)
    assert "consent" in error.value.message_dict
    assert not Carer.objects.exists() and not Event.objects.exists()


def test_the_database_refuses_a_carer_without_consent(house, coordinator):
    with pytest.raises(IntegrityError), transaction.atomic():
        CarerFactory(house=house, consent_text="")


@pytest.mark.parametrize(
    "bad",
    [
        {"phone": "", "email": ""},
        {"consent_given_on": dt.date(2026, 12, 1)},
        {"caring_since": dt.date(2027, 1, 1)},
        {"first_name": "A\x00ns"},
        {"first_name": "x" * 10_000},
        {"relation": "grandchild"},
    ],
)
def test_bad_input_is_refused_in_dutch_and_saves_nothing(house, coordinator, bad):
    with pytest.raises(ValidationError):
        register(house, coordinator, **bad)
    assert not Carer.objects.exists()


def test_update_and_end(house, coordinator):
    carer = register(house, coordinator)
    services.carer_update(carer=carer, hours_band=Carer.HoursBand.FROM_24, phone="06-99999999", by=coordinator)
    carer.refresh_from_db()
    assert carer.hours_band == Carer.HoursBand.FROM_24
    event = Event.objects.get(action="carer.update")
    assert event.changes["phone"] == ["…", "…"]
    services.carer_end(carer=carer, ended_on=TODAY, by=coordinator)
    assert Carer.objects.get().ended_on == TODAY
    with pytest.raises(ValidationError):
        services.carer_end(carer=carer, ended_on=TODAY, by=coordinator)


def test_support_contact_marks_the_day(house, coordinator):
    carer = register(house, coordinator)
    contact = services.support_contact_record(
        carer=carer, date=dt.date(2026, 11, 27), kind=SupportKind.RESPITE, note="Logeeropvang geregeld", by=coordinator
    )
    assert contact.recorded_by == coordinator
    assert StaleDay.objects.filter(house=house, day=dt.date(2026, 11, 27)).exists()
    assert Event.objects.filter(action="support_contact.record", house=house).count() == 1


@pytest.mark.parametrize(
    "bad", [{"date": dt.date(2026, 12, 1)}, {"kind": "medical"}, {"note": "x" * 501}, {"note": "a\x00b"}]
)
def test_support_contact_bad_input(house, coordinator, bad):
    carer = register(house, coordinator)
    values = {"carer": carer, "date": TODAY, "kind": SupportKind.LISTENING, "note": "", "by": coordinator, **bad}
    with pytest.raises(ValidationError):
        services.support_contact_record(**values)
    assert not SupportContact.objects.exists()


def test_rules_set_through_the_service(administrator):
    municipality = municipality_org()
    saved = services.waardering_rules_set(
        municipality=municipality,
        year=2026,
        amount=Decimal("100"),
        opens_on=dt.date(2026, 11, 1),
        closes_on=dt.date(2026, 12, 31),
        by=administrator,
    )
    services.waardering_rules_set(
        municipality=municipality,
        year=2026,
        amount=Decimal("120"),
        opens_on=dt.date(2026, 11, 1),
        closes_on=dt.date(2026, 12, 31),
        by=administrator,
    )
    saved.refresh_from_db()
    assert saved.amount == Decimal("120") and WaarderingRules.objects.count() == 1
    assert Event.objects.filter(action="waardering_rules.set").count() == 2
    with pytest.raises(ValidationError):
        services.waardering_rules_set(
            municipality=OrganisationFactory(),
            year=2026,
            amount=Decimal("1"),
            opens_on=dt.date(2026, 1, 1),
            closes_on=dt.date(2026, 2, 1),
            by=administrator,
        )


def test_the_setting_names_the_municipality(settings):
    first = municipality_org()
    second = OrganisationFactory(kind=Organisation.Kind.MUNICIPALITY, slug="gemeente-hengelo")
    assert services.waardering_municipality() is None  # two, and no setting
    settings.WAARDERING_MUNICIPALITY = "gemeente-hengelo"
    assert services.waardering_municipality() == second
    assert first != second


def test_apply_and_award_emails_the_carer(house, coordinator, django_capture_on_commit_callbacks):
    rules()
    carer = register(house, coordinator, email="ans@example.nl", language="en")
    application = services.waardering_apply(
        carer=carer, year=2026, payee_name="A. de Vries", iban="nl91 abna 0417 1643 00", by=coordinator
    )
    assert application.iban == GOOD_IBAN and application.status == "applied"
    with django_capture_on_commit_callbacks(execute=True):
        services.waardering_decide(application=application, award=True, by=coordinator)
    application.refresh_from_db()
    assert application.status == "awarded" and application.amount == Decimal("100.00")
    assert StaleDay.objects.filter(house=house, day=TODAY).exists()
    assert len(mail.outbox) == 1 and mail.outbox[0].to == ["ans@example.nl"]
    assert "awarded" in mail.outbox[0].subject  # in the carer's language
    with pytest.raises(ValidationError):
        services.waardering_decide(application=application, award=False, reason="Te laat", by=coordinator)


def test_refusal_needs_a_reason(house, coordinator):
    rules()
    carer = register(house, coordinator)
    application = services.waardering_apply(carer=carer, year=2026, payee_name="Ans", iban=GOOD_IBAN, by=coordinator)
    with pytest.raises(ValidationError):
        services.waardering_decide(application=application, award=False, reason="", by=coordinator)
    services.waardering_decide(application=application, award=False, reason="Verhuisd", by=coordinator)
    assert WaarderingApplication.objects.get().status == "refused"


@pytest.mark.parametrize(
    ("carer_values", "message"),
    [
        ({"hours_band": Carer.HoursBand.UNDER_8}, "8"),
        ({"caring_since": dt.date(2026, 9, 1)}, "3"),
    ],
)
def test_who_does_not_qualify_is_refused_with_the_reason(house, coordinator, carer_values, message):
    rules()
    carer = register(house, coordinator, **carer_values)
    with pytest.raises(ValidationError) as error:
        services.waardering_apply(carer=carer, year=2026, payee_name="Ans", iban=GOOD_IBAN, by=coordinator)
    assert message in " ".join(error.value.messages)
    assert not WaarderingApplication.objects.exists()


def test_caring_exactly_the_minimum_months_qualifies(house, coordinator):
    rules()
    carer = register(house, coordinator, caring_since=dt.date(2026, 8, 30))
    services.waardering_apply(carer=carer, year=2026, payee_name="Ans", iban=GOOD_IBAN, by=coordinator)


@pytest.mark.parametrize("iban", ["NL91ABNA0417164301", "NL91", "XX00 0000", "NL91ABNA041716430\x00"])
def test_a_wrong_iban_is_refused(house, coordinator, iban):
    rules()
    carer = register(house, coordinator)
    with pytest.raises(ValidationError) as error:
        services.waardering_apply(carer=carer, year=2026, payee_name="Ans", iban=iban, by=coordinator)
    assert "iban" in error.value.message_dict


def test_iban_optional_when_paid_in_kind(house, coordinator):
    rules(description="Tegoed op de Rotterdampas")
    carer = register(house, coordinator)
    application = services.waardering_apply(carer=carer, year=2026, by=coordinator)
    assert application.iban == ""


def test_iban_needed_when_paid_into_an_account(house, coordinator):
    rules()
    carer = register(house, coordinator)
    with pytest.raises(ValidationError):
        services.waardering_apply(carer=carer, year=2026, by=coordinator)


def test_outside_the_window_or_without_rules(house, coordinator):
    carer = register(house, coordinator)
    with pytest.raises(ValidationError):
        services.waardering_apply(carer=carer, year=2026, payee_name="Ans", iban=GOOD_IBAN, by=coordinator)
    rules(opens_on=dt.date(2026, 1, 1), closes_on=dt.date(2026, 3, 31))
    with pytest.raises(ValidationError):
        services.waardering_apply(carer=carer, year=2026, payee_name="Ans", iban=GOOD_IBAN, by=coordinator)


def test_one_application_per_carer_per_year(house, coordinator):
    rules()
    carer = register(house, coordinator)
    services.waardering_apply(carer=carer, year=2026, payee_name="Ans", iban=GOOD_IBAN, by=coordinator)
    with pytest.raises(ValidationError) as error:
        services.waardering_apply(carer=carer, year=2026, payee_name="Ans", iban=GOOD_IBAN, by=coordinator)
    assert "already" in error.value.messages[0] or "al een waardering" in error.value.messages[0]
    assert WaarderingApplication.objects.count() == 1


@pytest.mark.django_db(transaction=True)
def test_two_applications_at_once_exactly_one_wins(house, coordinator):
    if connection.vendor != "postgresql":
        pytest.skip("SQLite serialises writers; the race is real on PostgreSQL")
    rules()
    carer = register(house, coordinator)
    barrier = threading.Barrier(2)
    results = []

    def apply():
        try:
            barrier.wait()
            services.waardering_apply(carer=carer, year=2026, payee_name="Ans", iban=GOOD_IBAN, by=coordinator)
            results.append("won")
        except ValidationError as error:
            results.append(error.messages[0])
        finally:
            connection.close()

    threads = [threading.Thread(target=apply) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(results)[-1] == "won" and results.count("won") == 1
    assert WaarderingApplication.objects.count() == 1


def test_export_is_recorded(house, coordinator):
    services.waardering_export_record(by=coordinator, year=2026, house=house, count=3, extension="csv")
    assert Event.objects.get(action="waardering.export").changes["rows"] == 3


def test_a_user_factory_is_not_needed_for_consent(house):
    by = UserFactory()
    assert register(house, by).consent_recorded_by == by


def test_refusal_email_in_dutch_and_none_without_an_address(house, coordinator, django_capture_on_commit_callbacks):
    rules()
    with_address = register(house, coordinator, email="kees@example.nl")
    without = register(house, coordinator, first_name="Wim")
    first = services.waardering_apply(carer=with_address, year=2026, payee_name="K", iban=GOOD_IBAN, by=coordinator)
    second = services.waardering_apply(carer=without, year=2026, payee_name="W", iban=GOOD_IBAN, by=coordinator)
    with django_capture_on_commit_callbacks(execute=True):
        services.waardering_decide(application=first, award=False, reason="Zorgt minder dan 8 uur", by=coordinator)
        services.waardering_decide(application=second, award=True, by=coordinator)
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["kees@example.nl"] and "niet toegekend" in message.subject
    assert "Hallo Ans" in message.body and "Zorgt minder dan 8 uur" in message.body
