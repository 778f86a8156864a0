"""Retention as policy: the period in force, changing it within its limits (nothing saved outside them), the one
daily task applying every category each in its own transaction, the admin page and form, the privacy statement
and the register of processing activities."""

import csv
import datetime as dt
import io
import logging
import threading
import time

import openpyxl
import pytest
from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.urls import reverse
from django.utils import timezone

from activities.models import Registration
from audit.models import Event
from audit.services import SCHEDULE
from privacy import retention as registry
from privacy.models import RetentionPeriod
from privacy.retention import BY_KEY, CATEGORIES, Category
from privacy.selectors.retention import category_periods
from privacy.services.retention import retention_apply, retention_days, retention_period_set
from privacy.tasks.retention import apply_retention
from tests.factories import RegistrationFactory, SessionFactory, UserFactory

pytestmark = pytest.mark.django_db


def old_registration(days_ago: int) -> Registration:
    end = timezone.now() - dt.timedelta(days=days_ago)
    return RegistrationFactory(session=SessionFactory(start=end - dt.timedelta(hours=2), end=end))


# --- the registry ---------------------------------------------------------------------------------------------


def test_every_category_is_whole_and_its_default_within_its_limits():
    assert len({category.key for category in CATEGORIES}) == len(CATEGORIES)
    for category in CATEGORIES:
        assert 1 <= category.min_days <= category.default_days <= category.max_days, category.key
        for text in (category.name, category.data, category.people, category.purpose, category.legal_basis):
            assert str(text).strip(), category.key
        assert category.apply.count(".") >= 2


# --- the period in force and changing it -------------------------------------------------------------------


def test_the_default_holds_until_an_administrator_chooses(administrator):
    assert retention_days("registrations") == 400
    retention_period_set(category="registrations", days=100, by=administrator)
    assert retention_days("registrations") == 100
    event = Event.objects.get(action="retention.set")
    assert event.actor == administrator
    assert event.changes == {"category": "registrations", "days": [400, 100]}
    retention_period_set(category="registrations", days=200, by=administrator)
    assert Event.objects.filter(action="retention.set").latest("pk").changes["days"] == [100, 200]
    assert RetentionPeriod.objects.get().changed_by == administrator


@pytest.mark.parametrize("key", [category.key for category in CATEGORIES])
def test_the_limits_themselves_are_allowed(key, administrator):
    category = BY_KEY[key]
    retention_period_set(category=key, days=category.min_days, by=administrator)
    retention_period_set(category=key, days=category.max_days, by=administrator)
    assert retention_days(key) == category.max_days


@pytest.mark.parametrize("key", [category.key for category in CATEGORIES])
def test_outside_the_limits_is_refused_with_the_limits_named_and_nothing_saved(key, administrator):
    category = BY_KEY[key]
    for days in (category.min_days - 1, category.max_days + 1, 0, -1, 10**12):
        with pytest.raises(ValidationError) as refused:
            retention_period_set(category=key, days=days, by=administrator)
        message = " ".join(refused.value.message_dict["days"])
        assert str(category.min_days) in message and str(category.max_days) in message
    assert not RetentionPeriod.objects.exists()
    assert not Event.objects.exists()


@pytest.mark.parametrize("days", ["tien", "", "1.5", "12\x00", None, True, [400]])
def test_not_a_number_is_refused(days, administrator):
    with pytest.raises(ValidationError):
        retention_period_set(category="registrations", days=days, by=administrator)
    assert not RetentionPeriod.objects.exists()


def test_an_unknown_category_is_refused(administrator):
    with pytest.raises(ValidationError):
        retention_period_set(category="bsn", days=30, by=administrator)
    assert not RetentionPeriod.objects.exists()


def test_the_error_is_dutch(administrator):
    with pytest.raises(ValidationError) as refused:
        retention_period_set(category="registrations", days=1, by=administrator)
    assert "Kies een termijn van 30 tot 730 dagen" in refused.value.message_dict["days"][0]


# --- applying every category ------------------------------------------------------------------------------------


def test_apply_uses_the_period_in_force_and_records_one_event_with_the_counts(administrator):
    young, middle = old_registration(20), old_registration(100)
    assert retention_apply(by=SCHEDULE)["registrations"] == 0  # 400 days by default
    retention_period_set(category="registrations", days=30, by=administrator)

    counts = retention_apply(by=SCHEDULE)

    assert set(counts) == set(BY_KEY)
    assert counts["registrations"] == 1
    assert list(Registration.objects.all()) == [young]
    assert not Registration.objects.filter(pk=middle.pk).exists()
    applied = Event.objects.filter(action="retention.apply").latest("pk")
    assert applied.actor_kind == "schedule"
    assert applied.changes["counts"]["registrations"] == 1 and applied.changes["failed"] == []


def test_apply_on_its_day_and_not_before_with_the_clock(time_machine, administrator):
    retention_period_set(category="registrations", days=30, by=administrator)
    registration = old_registration(0)
    ended = registration.session.end
    time_machine.move_to(ended + dt.timedelta(days=30, seconds=-1), tick=False)
    assert retention_apply(by=SCHEDULE)["registrations"] == 0
    time_machine.move_to(ended + dt.timedelta(days=30, seconds=1), tick=False)
    assert retention_apply(by=SCHEDULE)["registrations"] == 1


def broken_apply(*, by, now, days):
    raise RuntimeError("the disk is full")


@pytest.mark.allow_error_log
def test_one_failing_category_does_not_stop_the_others(monkeypatch, caplog):
    broken = Category(**{**vars(BY_KEY["outbox"]), "key": "broken", "apply": f"{__name__}.broken_apply"})
    monkeypatch.setattr(registry, "CATEGORIES", [broken, *CATEGORIES])
    monkeypatch.setattr("privacy.services.retention.CATEGORIES", [broken, *CATEGORIES])
    old_registration(500)

    with caplog.at_level(logging.ERROR):
        counts = retention_apply(by=SCHEDULE)

    assert counts["broken"] is None and counts["registrations"] == 1
    assert not Registration.objects.exists()
    assert any(record.levelno == logging.ERROR and "broken" in record.getMessage() for record in caplog.records)
    assert Event.objects.get(action="retention.apply").changes["failed"] == ["broken"]


def test_the_daily_task_applies_everything_and_runs_twice_safely():
    old_registration(500)
    assert apply_retention.delay().get()["registrations"] == 1
    assert apply_retention.delay().get()["registrations"] == 0
    assert Event.objects.filter(action="retention.apply").count() == 2


def test_one_entry_in_the_schedule_at_an_hour_the_clock_change_leaves_alone(settings):
    from celery.schedules import crontab

    schedule = settings.CELERY_BEAT_SCHEDULE
    entries = [entry for entry in schedule.values() if entry["task"] == "privacy.tasks.retention.apply_retention"]
    assert entries == [schedule["apply-retention"]]
    assert schedule["apply-retention"]["schedule"] == crontab(hour=3, minute=50)
    tasks = {entry["task"] for entry in schedule.values()}
    for gone in (
        "huizen.tasks.prune_outbox",
        "activities.tasks.prune_registrations",
        "bookings.tasks.prune_contacts",
        "audit.tasks.prune_events",
        "volunteers.tasks.help.prune_contacts",
    ):
        assert gone not in tasks
    for setting in ("REGISTRATION_RETENTION_DAYS", "BOOKING_CONTACT_RETENTION_DAYS", "AUDIT_RETENTION_DAYS"):
        assert not hasattr(settings, setting)
    assert not hasattr(settings, "OUTBOX_RETENTION_DAYS")


# --- the admin ------------------------------------------------------------------------------------------------


ADMIN_LIST = "admin:privacy_retentionperiod_changelist"


def period_url(key):
    return reverse("admin:privacy_retentionperiod_period", args=[key])


def test_the_administrator_reads_every_category_with_its_limits(client, administrator, django_assert_max_num_queries):
    retention_period_set(category="help_contacts", days=120, by=administrator)
    client.force_login(administrator)
    with django_assert_max_num_queries(12):
        page = client.get(reverse(ADMIN_LIST)).content.decode()
    for period in category_periods():
        assert str(period.category.name) in page
        assert str(period.category.limits) in page
        assert period.in_words in page
        assert period_url(period.category.key) in page
    assert "120 dagen na het afsluiten of annuleren van de hulpvraag" in page
    assert reverse("privacy:register") in page


def test_the_administrator_changes_a_period_through_the_form(client, administrator):
    client.force_login(administrator)
    page = client.get(period_url("registrations"))
    assert page.status_code == 200 and 'value="400"' in page.content.decode()
    response = client.post(period_url("registrations"), {"days": "100"})
    assert response.status_code == 302 and response["Location"] == reverse(ADMIN_LIST)
    assert retention_days("registrations") == 100
    assert Event.objects.get(action="retention.set").actor == administrator


@pytest.mark.parametrize("days", ["0", "-1", str(10**12), "tien", "", "1\x00", "29", "731", "4" * 10_000])
def test_bad_input_in_the_form_is_refused_and_nothing_saved(client, administrator, days):
    client.force_login(administrator)
    response = client.post(period_url("registrations"), {"days": days})
    assert response.status_code == 200
    page = response.content.decode()
    assert 'aria-invalid="true"' in page
    assert not RetentionPeriod.objects.exists() and not Event.objects.exists()


def test_the_form_names_the_limits(client, administrator):
    client.force_login(administrator)
    page = client.post(period_url("registrations"), {"days": "731"}).content.decode()
    assert "Kies een termijn van 30 tot 730 dagen" in page


def test_no_add_no_delete_no_unknown_category(client, administrator):
    client.force_login(administrator)
    assert client.get(reverse("admin:privacy_retentionperiod_add")).status_code == 403
    assert client.get(period_url("bsn")).status_code == 404
    period = retention_period_set(category="outbox", days=60, by=administrator)
    assert (
        client.post(reverse("admin:privacy_retentionperiod_delete", args=[period.pk]), {"post": "yes"}).status_code
        == 403
    )
    assert RetentionPeriod.objects.filter(pk=period.pk).exists()
    change = client.get(reverse("admin:privacy_retentionperiod_change", args=[period.pk]))
    assert change.status_code == 302 and change["Location"] == period_url("outbox")


@pytest.mark.parametrize("who", ["coordinator", "manager", "municipality", "resident"])
def test_only_administrators_reach_the_admin_page(client, request, who):
    client.force_login(request.getfixturevalue(who))
    for url in (reverse(ADMIN_LIST), period_url("registrations")):
        assert client.get(url).status_code in (302, 403)
    assert client.post(period_url("registrations"), {"days": "100"}).status_code in (302, 403)
    assert not RetentionPeriod.objects.exists()


# --- the privacy statement --------------------------------------------------------------------------------------


def test_the_statement_lists_every_category_with_its_period(client, django_assert_max_num_queries):
    with django_assert_max_num_queries(2):
        response = client.get(reverse("privacy:statement"))
    assert response.status_code == 200
    page = response.content.decode()
    for period in category_periods():
        assert str(period.category.name) in page
        assert str(period.category.purpose) in page
        assert str(period.category.legal_basis) in page
        assert f'data-retention="{period.category.key}">{period.in_words}<' in page
    assert "400 dagen na de activiteit" in page
    assert "7 jaar na de boeking" in page
    assert "BSN" in page and "Autoriteit Persoonsgegevens" in page
    assert "privacy@example.nl" in page


def test_the_statement_changes_when_a_period_changes(client, administrator):
    retention_period_set(category="registrations", days=100, by=administrator)
    page = client.get(reverse("privacy:statement")).content.decode()
    assert "100 dagen na de activiteit" in page and "400 dagen na de activiteit" not in page


def test_the_statement_links_to_my_data_and_is_in_every_footer(client, settings):
    settings.PRIVACY_CONTACT_EMAIL = "avg@huis.example.nl"
    page = client.get(reverse("privacy:statement")).content.decode()
    assert f'href="{reverse("privacy:my_data")}"' in page and "avg@huis.example.nl" in page
    home = client.get(reverse("accessibility")).content.decode()
    assert f'href="{reverse("privacy:statement")}"' in home


def test_the_statement_in_english(client, english):
    page = client.get(reverse("privacy:statement")).content.decode()
    assert "Privacy statement" in page and "400 days after the session" in page


# --- the register of processing activities --------------------------------------------------------------------


def test_the_register_has_a_row_per_category_as_csv(client, administrator):
    retention_period_set(category="carers", days=400, by=administrator)
    client.force_login(administrator)
    response = client.get(reverse("privacy:register") + "?formaat=csv")
    assert response.status_code == 200 and response["Content-Type"].startswith("text/csv")
    assert response["Cache-Control"] == "private, no-store"
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";"))
    assert len(rows) == 1 + len(CATEGORIES)
    assert rows[0][0] == "Verwerking" and len(rows[0]) == 9
    by_name = {row[0]: row for row in rows[1:]}
    for period in category_periods():
        row = by_name[str(period.category.name)]
        assert row[5] == period.in_words
        assert "privacy@example.nl" in row[8] and "tweede factor" in row[7].lower()
    assert by_name[str(BY_KEY["carers"].name)][5] == "400 dagen na het einde van de ondersteuning"


def test_the_register_as_xlsx(client, administrator):
    client.force_login(administrator)
    response = client.get(reverse("privacy:register"))
    assert response.status_code == 200 and "spreadsheetml" in response["Content-Type"]
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert len(rows) == 1 + len(CATEGORIES)
    assert [row[0] for row in rows[1:]] == [str(category.name) for category in CATEGORIES]


@pytest.mark.parametrize("who", ["coordinator", "manager", "municipality", "resident", "host"])
def test_only_administrators_download_the_register(client, request, who):
    client.force_login(request.getfixturevalue(who))
    assert client.get(reverse("privacy:register")).status_code == 403
    assert client.get(reverse("privacy:register") + "?formaat=csv").status_code == 403


def test_anonymous_is_sent_to_log_in_for_the_register(client):
    response = client.get(reverse("privacy:register"))
    assert response.status_code == 302 and "login" in response["Location"]


@pytest.mark.skipif(connection.vendor != "postgresql", reason="two connections at once: PostgreSQL")
@pytest.mark.django_db(transaction=True)
def test_two_first_saves_of_a_period_at_once_both_succeed():
    """Two administrators save the first period of a category at the same moment: the one that inserts second
    waits for the first one's row, then changes it, instead of failing on the unique category."""
    first_admin = UserFactory(is_staff=True, is_superuser=True)
    second_admin = UserFactory(is_staff=True, is_superuser=True)
    inserted, errors = threading.Event(), []

    def first():
        try:
            with transaction.atomic():  # the first save's transaction stays open a moment after its insert
                retention_period_set(category="registrations", days=100, by=first_admin)
                inserted.set()
                time.sleep(1)
        except Exception as error:  # noqa: BLE001 - reported by the assertion below
            errors.append(error)
        finally:
            connection.close()

    thread = threading.Thread(target=first)
    thread.start()
    assert inserted.wait(10)
    try:
        retention_period_set(category="registrations", days=200, by=second_admin)  # waits on the unique index
    finally:
        thread.join()
    assert errors == []
    period = RetentionPeriod.objects.get(category="registrations")
    assert (period.days, period.changed_by) == (200, second_admin)
    changes = [event.changes["days"] for event in Event.objects.filter(action="retention.set").order_by("pk")]
    assert changes == [[BY_KEY["registrations"].default_days, 100], [100, 200]]


def test_the_registers_security_measures_are_true():
    """The register's "second factor for every staff member except hosts": the roles the middleware holds to it
    are exactly the staff roles but the host; and it names only the kinds of second factor the site offers."""
    from django.conf import settings

    from accounts.models import Role
    from accounts.policy import ADMINISTRATOR, SECOND_FACTOR_ROLES
    from privacy.views.retention import register_rows

    assert SECOND_FACTOR_ROLES == (set(Role) - {Role.HOST}) | {ADMINISTRATOR}
    security = register_rows()[0][7]
    assert "behalve gastvrouwen en gastheren aan de deur" in security
    assert ("passkey" in security) is ("webauthn" in settings.MFA_SUPPORTED_TYPES)
