"""The access log itself: what a record holds and on whose behalf, bounded queries however many people a page
shows, the retention prune on its day and not before, the read-only admin, and on PostgreSQL the database refusing
to change, truncate or delete a record (only the prune deletes, and only records older than 365 days); a user or
house with records cannot be deleted (they are anonymised instead)."""

import datetime as dt

import pytest
import time_machine
from django.db import DatabaseError, connection, transaction
from django.db.models import ProtectedError
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from accounts.models import Role
from audit.models import Event
from audit.services import SCHEDULE
from locations.selectors import current_management
from privacy.models import AccessRecord
from privacy.retention import BY_KEY
from privacy.services.access import access_record, access_records_prune, on_behalf_of, subject, subject_of
from tests.factories import UserFactory
from tests.volunteers.factories import CarerFactory, VolunteerFactory

pytestmark = [pytest.mark.django_db, pytest.mark.date_sensitive]

on_postgresql = pytest.mark.skipif(connection.vendor != "postgresql", reason="the trigger exists on PostgreSQL only")

KEPT = BY_KEY["access_records"].default_days


def look(by, *people, house=None, at=None):
    return access_record(
        by=by,
        what=AccessRecord.What.VOLUNTEER_FILE,
        via="volunteers:volunteer_detail",
        subjects=[subject_of(person) for person in people],
        house=house,
        at=at,
    )


# --- what is recorded, on whose behalf ------------------------------------------------------------------------


def test_one_row_per_person_once_each(house, coordinator):
    first, second = VolunteerFactory(house=house), VolunteerFactory(house=house)
    assert look(coordinator, first, second, first, house=house) == 2
    assert set(AccessRecord.objects.values_list("subject_user_id", flat=True)) == {first.user_id, second.user_id}


def test_a_look_counts_for_the_organisation_running_the_house(house, coordinator, manager, municipality):
    operator = current_management(house).operator.name
    assert on_behalf_of(coordinator, house) == (operator, Role.COORDINATOR)
    assert on_behalf_of(manager, house) == (operator, Role.MANAGER)  # the manager's organisation runs it
    organisation, role = on_behalf_of(municipality, house)
    assert role == Role.MUNICIPALITY and organisation


def test_a_volunteer_looks_on_behalf_of_the_house_they_help(house):
    volunteer = VolunteerFactory(house=house)
    assert on_behalf_of(volunteer.user, house)[0] == current_management(house).operator.name


def test_a_look_at_ones_own_data_is_not_recorded(house, coordinator):
    own = VolunteerFactory(house=house, user=coordinator)
    assert look(coordinator, own, house=house) == 0
    assert not AccessRecord.objects.exists()


def test_a_person_without_an_account_is_recorded_by_their_record(house, coordinator):
    carer = CarerFactory(house=house)
    access_record(
        by=coordinator,
        what=AccessRecord.What.CARER,
        via="volunteers:carer_detail",
        subjects=[subject_of(carer, user_field=None)],
        house=house,
    )
    row = AccessRecord.objects.get()
    assert (row.subject_user_id, row.subject_type, row.subject_id) == (None, "volunteers.carer", str(carer.pk))


def test_a_list_over_houses_records_each_row_under_its_house(house, other_house, municipality):
    rows = [subject("volunteers.carer", 1, house_id=house.pk), subject("volunteers.carer", 2, house_id=other_house.pk)]
    access_record(by=municipality, what=AccessRecord.What.WAARDERING, via="x", subjects=rows, export=True)
    assert dict(AccessRecord.objects.values_list("subject_id", "house_id")) == {"1": house.pk, "2": other_house.pk}


# --- bounded cost ----------------------------------------------------------------------------------------------


def test_recording_costs_the_same_for_one_or_many_people(house, coordinator):
    one, many = [VolunteerFactory(house=house)], [VolunteerFactory(house=house) for _ in range(40)]
    look(coordinator, VolunteerFactory(house=house), house=house)  # the coordinator's grants: once per request
    with CaptureQueriesContext(connection) as few:
        look(coordinator, *one, house=house)
    with CaptureQueriesContext(connection) as lots:
        look(coordinator, *many, house=house)
    assert len(lots) == len(few)


def _carers_page_queries(client, house):
    with CaptureQueriesContext(connection) as queries:
        assert client.get(reverse("volunteers:carers", args=[house.slug])).status_code == 200
    return len(queries)


def test_a_list_page_costs_the_same_with_1_or_20_rows(client, house, coordinator):
    client.force_login(coordinator)
    CarerFactory(house=house)
    one = _carers_page_queries(client, house)
    for _ in range(19):
        CarerFactory(house=house)
    twenty = _carers_page_queries(client, house)
    assert AccessRecord.objects.filter(via="volunteers:carers").count() == 1 + 20
    assert twenty == one


# --- retention ---------------------------------------------------------------------------------------------------


def test_the_log_is_kept_two_years_by_default():
    assert KEPT == 2 * 365
    assert BY_KEY["access_records"].apply == "privacy.services.access.access_records_prune"


def test_the_prune_deletes_on_its_day_and_not_before(house, coordinator):
    # looked at a full period ago (on PostgreSQL the database deletes only rows older than 365 days by its clock)
    looked_at = timezone.now() - dt.timedelta(days=KEPT)
    look(coordinator, VolunteerFactory(house=house), house=house, at=looked_at)
    with time_machine.travel(looked_at + dt.timedelta(days=KEPT) - dt.timedelta(seconds=1), tick=False):
        assert access_records_prune(by=SCHEDULE, now=timezone.now(), days=KEPT) == 0
    assert AccessRecord.objects.count() == 1
    assert not Event.objects.filter(action="access.prune").exists()
    with time_machine.travel(looked_at + dt.timedelta(days=KEPT, seconds=1), tick=False):
        assert access_records_prune(by=SCHEDULE, now=timezone.now(), days=KEPT) == 1
    assert not AccessRecord.objects.exists()
    event = Event.objects.get(action="access.prune")
    assert event.changes["deleted"] == 1


def test_the_prune_keeps_what_is_younger(house, coordinator):
    now = timezone.now()
    look(coordinator, VolunteerFactory(house=house), house=house, at=now - dt.timedelta(days=KEPT + 1))
    look(coordinator, VolunteerFactory(house=house), house=house, at=now - dt.timedelta(days=KEPT - 1))
    assert access_records_prune(by=SCHEDULE, now=now, days=KEPT) == 1
    assert AccessRecord.objects.get().at == now - dt.timedelta(days=KEPT - 1)


# --- append-only -------------------------------------------------------------------------------------------------


def test_deleting_a_user_or_house_with_access_records_is_refused(house, coordinator):
    volunteer = VolunteerFactory(house=house)
    look(coordinator, volunteer, house=house)
    for linked in (volunteer.user, coordinator, house):  # users and houses are anonymised, never deleted
        with pytest.raises(ProtectedError), transaction.atomic():
            linked.delete()
    row = AccessRecord.objects.get()
    assert (row.actor_id, row.subject_user_id, row.house_id) == (coordinator.pk, volunteer.user_id, house.pk)


def _refused(statement, *params):
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(statement, params)


@on_postgresql
def test_postgresql_refuses_every_update_of_a_record(house, coordinator):
    look(coordinator, VolunteerFactory(house=house), house=house)
    row = AccessRecord.objects.get()
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        AccessRecord.objects.filter(pk=row.pk).update(what=AccessRecord.What.CARER)
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        AccessRecord.objects.filter(pk=row.pk).update(at=row.at - dt.timedelta(days=1))
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        AccessRecord.objects.filter(pk=row.pk).update(actor=UserFactory())
    for column in ("actor_id", "subject_user_id", "house_id"):  # blanking a link is a change too
        _refused(f"UPDATE privacy_accessrecord SET {column} = NULL WHERE id = %s", row.pk)
    assert AccessRecord.objects.filter(pk=row.pk, actor=coordinator, house=house).exists()


@on_postgresql
def test_postgresql_refuses_to_truncate_or_delete_the_log(house, coordinator):
    look(coordinator, VolunteerFactory(house=house), house=house)
    with connection.cursor() as cursor:
        # the guard, off in the test database so that Django may empty it between tests (tests/conftest.py), on
        # again for this test's transaction; the test's deferred foreign-key checks now, else TRUNCATE waits on them
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        cursor.execute("ALTER TABLE privacy_accessrecord ENABLE TRIGGER privacy_access_no_truncate")
    _refused("TRUNCATE privacy_accessrecord")
    _refused("TRUNCATE privacy_accessrecord CASCADE")
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        AccessRecord.objects.all().delete()
    _refused("DELETE FROM privacy_accessrecord")
    assert AccessRecord.objects.count() == 1


@on_postgresql
def test_postgresql_refuses_to_delete_a_young_record_even_with_the_prune_setting(house, coordinator):
    now = timezone.now()
    look(coordinator, VolunteerFactory(house=house), house=house, at=now - dt.timedelta(days=364))
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SET LOCAL huizen.access_prune = 'on'")  # anyone can set it: not enough on its own
        _refused("DELETE FROM privacy_accessrecord")
    assert AccessRecord.objects.count() == 1


@on_postgresql
def test_postgresql_lets_the_prune_delete_old_records_and_only_within_it(house, coordinator):
    now = timezone.now()
    look(coordinator, VolunteerFactory(house=house), house=house, at=now - dt.timedelta(days=KEPT + 1))
    look(coordinator, VolunteerFactory(house=house), house=house, at=now - dt.timedelta(days=400))
    look(coordinator, VolunteerFactory(house=house), house=house, at=now)
    assert access_records_prune(by=SCHEDULE, now=now, days=KEPT) == 1
    assert access_records_prune(by=SCHEDULE, now=now, days=365) == 1  # the shortest period allowed
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        AccessRecord.objects.all().delete()  # after the prune, in the same (test) transaction: refused again
    assert AccessRecord.objects.count() == 1


# --- the admin: read-only, for administrators ---------------------------------------------------------------------


def test_administrators_read_the_log_in_the_admin_and_cannot_change_it(client, house, coordinator, administrator):
    volunteer = VolunteerFactory(house=house)
    look(coordinator, volunteer, house=house)
    row = AccessRecord.objects.get()
    client.force_login(administrator)
    changelist = reverse("admin:privacy_accessrecord_changelist")
    for query in ("", "?what=volunteer_file", f"?house__id__exact={house.pk}", f"?q={volunteer.pk}", "?at__year=2026"):
        response = client.get(changelist + query)
        assert response.status_code == 200, query
    assert row in client.get(changelist + f"?q={volunteer.user.email}").context["cl"].result_list
    assert client.get(reverse("admin:privacy_accessrecord_change", args=[row.pk])).status_code == 200
    assert client.get(reverse("admin:privacy_accessrecord_add")).status_code == 403
    assert client.post(reverse("admin:privacy_accessrecord_delete", args=[row.pk]), {"post": "yes"}).status_code == 403
    client.post(reverse("admin:privacy_accessrecord_change", args=[row.pk]), {"what": "carer"})
    assert AccessRecord.objects.get().what == AccessRecord.What.VOLUNTEER_FILE


def test_only_administrators_reach_the_log(client, coordinator):
    client.force_login(coordinator)
    response = client.get(reverse("admin:privacy_accessrecord_changelist"))
    assert response.status_code in (302, 403, 404)


def test_the_admin_reads_the_log_in_words_and_finds_the_looker(client, administrator, house, coordinator):
    """The access log's list says the role and the kind of record in words, and a search by the looker's surname
    finds their looks."""
    from privacy.services.access import access_record, subject_of
    from tests.volunteers.factories import VolunteerFactory

    volunteer = VolunteerFactory(house=house)
    access_record(
        by=coordinator, what=AccessRecord.What.VOLUNTEER_FILE, via="x", subjects=[subject_of(volunteer)], house=house
    )
    client.force_login(administrator)
    url = reverse("admin:privacy_accessrecord_changelist")
    content = client.get(url, {"q": coordinator.last_name}).content.decode()
    assert "coördinator" in content and "vrijwilliger #" in content
    assert "volunteers.volunteer" not in content
    assert client.get(url, {"q": "nobody-like-this"}).content.decode().count("vrijwilliger #") == 0
