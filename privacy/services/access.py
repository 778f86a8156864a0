"""The access log: every view or export of named personal data records who looked at whose data, what, when and
through which page or export (`AccessRecord`).

A view that shows named data calls `access_record_for_request` with the records it shows (after paginating, so a
page records what it shows and no more); an export calls it with `export=True` before it streams. One row per
person looked at, written in one INSERT however many.
"""

import datetime as dt
import json
from collections.abc import Iterable
from dataclasses import dataclass

from django.conf import settings
from django.db import connection, models, transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from accounts import policy
from accounts.models import Role, RoleAssignment
from audit.services import event_record
from locations.selectors import managements_on

from ..models import AccessRecord


@dataclass(frozen=True)
class Subject:
    """Whose data: a record (model label and id) and, when the person has an account, their user id; `house_id`
    when a list spans several houses (the municipality's payment list), else the call's `house` counts."""

    type: str
    id: str
    user_id: int | None = None
    house_id: int | None = None


def subject_of(obj: models.Model, *, user_field: str | None = "user_id", house_field: str | None = None) -> Subject:
    """The subject behind `obj`; `user_field` names the attribute holding the person's user id (None: no account,
    as for carers); `house_field` the attribute holding its house id, when a list spans houses."""
    user_id = getattr(obj, user_field, None) if user_field else None
    house_id = getattr(obj, house_field, None) if house_field else None
    return Subject(type=obj._meta.label_lower, id=str(obj.pk), user_id=user_id, house_id=house_id)


def subjects_of(
    objects: Iterable[models.Model], *, user_field: str | None = "user_id", house_field: str | None = None
) -> list[Subject]:
    return [subject_of(obj, user_field=user_field, house_field=house_field) for obj in objects]


def subject(model: type[models.Model] | str, pk, *, user_id: int | None = None, house_id: int | None = None):
    """A subject from a model (or its label) and an id, for lists read as values (exports)."""
    label = model if isinstance(model, str) else model._meta.label_lower
    return Subject(type=label, id=str(pk), user_id=user_id, house_id=house_id)


# Which role a look counts under when the actor has several: the closest to the house first.
_ROLE_ORDER = [Role.COORDINATOR, Role.PROFESSIONAL, Role.HOST, Role.MANAGER, Role.MUNICIPALITY, policy.ADMINISTRATOR]


def on_behalf_of(user, house=None) -> tuple[str, str]:
    """(organisation, role) a look by `user` at data of `house` counts for: the organisation running the house
    for its hosts, coordinators and professionals, the manager's organisation, the municipality, or the site's
    administrators. As a resident would read it on "My data"."""
    roles = policy.roles_for_house(user, house) if house is not None else policy.grants_of(user).network_roles
    role = next((role for role in _ROLE_ORDER if role in roles), "")
    # staff of the house, and a volunteer of it (the burenhulp volunteer seeing whom they help), look for the
    # organisation running it
    if house is not None and role not in (Role.MANAGER, Role.MUNICIPALITY, policy.ADMINISTRATOR):
        management = managements_on(timezone.localdate()).filter(house=house).select_related("operator").first()
        return (management.operator.name if management else house.name), str(role)
    if role in (Role.MANAGER, Role.MUNICIPALITY):
        assignment = (
            RoleAssignment.objects.filter(user=user, role=role, organisation__isnull=False)
            .select_related("organisation")
            .first()
        )
        if assignment is not None:
            return assignment.organisation.name, str(role)
        with translation.override(settings.LANGUAGE_CODE):  # kept as text: in the site's language, not the viewer's
            return (_("the municipality") if role == Role.MUNICIPALITY else ""), str(role)
    if role == policy.ADMINISTRATOR:
        with translation.override(settings.LANGUAGE_CODE):
            return _("the administrators of this site"), str(role)
    return "", str(role)


def access_record(
    *,
    by,
    what: str,
    via: str,
    subjects: Iterable[Subject],
    house=None,
    export: bool = False,
    at: dt.datetime | None = None,
) -> int:
    """Record that `by` looked at the data `what` of each of `subjects` (of `house`) through `via`. Returns the
    number of rows written (one per distinct subject). A person looking at their own data is not recorded. The
    cost does not grow with the number of subjects: one or two queries for whose staff `by` is, one INSERT."""
    own = getattr(by, "pk", None)
    unique = [subject for subject in dict.fromkeys(subjects) if own is None or subject.user_id != own]
    if not unique:
        return 0
    organisation, role = on_behalf_of(by, house)
    at = at or timezone.now()
    house_id = house.pk if house is not None else None
    rows = [[subject.house_id or house_id, subject.user_id, subject.type[:60], subject.id[:64]] for subject in unique]
    constants = [
        at,
        getattr(by, "pk", None),
        organisation[:200],
        role,
        what,
        via[:100],
        export,
    ]
    _insert(constants, rows)
    return len(rows)


# One INSERT for any number of people: what is the same on every row (when, who, on whose behalf, what, through)
# is a parameter once; the rows (house, person's account, record kind and id) are one JSON array, unpacked by the
# database. (bulk_create would need a statement per 83 rows on SQLite: its limit of 999 parameters.)
_COLUMNS = "at, actor_id, organisation, role, what, via, export, house_id, subject_user_id, subject_type, subject_id"
_ROWS = {
    "postgresql": (
        "(row->>0)::bigint, (row->>1)::bigint, row->>2, row->>3 FROM jsonb_array_elements(%s::jsonb) AS row"
    ),
    "sqlite": (
        "json_extract(value, '$[0]'), json_extract(value, '$[1]'), json_extract(value, '$[2]'), "
        "json_extract(value, '$[3]') FROM json_each(%s)"
    ),
}


def _insert(constants: list, rows: list[list]) -> None:
    if connection.vendor not in _ROWS:  # another database: Django's batches
        at, actor_id, organisation, role, what, via, export = constants
        AccessRecord.objects.bulk_create(
            AccessRecord(
                at=at,
                actor_id=actor_id,
                organisation=organisation,
                role=role,
                what=what,
                via=via,
                export=export,
                house_id=house_id,
                subject_user_id=user_id,
                subject_type=kind,
                subject_id=pk,
            )
            for house_id, user_id, kind, pk in rows
        )
        return
    table = connection.ops.quote_name(AccessRecord._meta.db_table)
    at = AccessRecord._meta.get_field("at").get_db_prep_value(constants[0], connection)
    sql = f"INSERT INTO {table} ({_COLUMNS}) SELECT %s, %s, %s, %s, %s, %s, %s, {_ROWS[connection.vendor]}"
    with connection.cursor() as cursor:
        cursor.execute(sql, [at, *constants[1:], json.dumps(rows)])


def access_record_for_request(request, *, what: str, subjects: Iterable[Subject], house=None, export=False) -> int:
    """`access_record` for the page or export of `request`: its user, and its URL name as `via`."""
    match = getattr(request, "resolver_match", None)
    via = match.view_name if match is not None and match.view_name else request.path
    return access_record(by=request.user, what=what, via=via, subjects=subjects, house=house, export=export)


def access_records_prune(*, by, now: dt.datetime, days: int) -> int:
    """Delete access records older than `days`; the prune itself is recorded (retention category
    "access_records")."""
    cutoff = now - dt.timedelta(days=days)
    with transaction.atomic():
        if connection.vendor == "postgresql":  # the trigger lets only this transaction delete
            with connection.cursor() as cursor:
                cursor.execute("SET LOCAL huizen.access_prune = 'on'")
        deleted, _by_model = AccessRecord.objects.filter(at__lt=cutoff).delete()
        if connection.vendor == "postgresql":  # and no further: inside a caller's transaction too
            with connection.cursor() as cursor:
                cursor.execute("SET LOCAL huizen.access_prune = 'off'")
        if deleted:
            event_record(by=by, action="access.prune", changes={"deleted": deleted, "before": cutoff})
    return deleted
