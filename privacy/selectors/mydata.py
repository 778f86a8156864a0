"""Reads of "My data": everything held about one person, for the page and the JSON download.

`LINKS` is the registry: for every field of every model that points at the user model it says how its rows are
exported (the fields) or why not. `tests/privacy/test_mydata_registry.py` walks all models and fails for a
user-linked field missing here, so a new model with a user link cannot be forgotten by the download. Records
reached through another record of the person (a volunteer's hours through their volunteer file) are listed too,
with the lookup path from the record to the user.

The rule for staff fields (`created_by`, `decided_by`, `recorded_by` ...): they record a staff member's work on
someone else's record. That is the organisation's record of who did what, not the staff member's personal data
about themselves, and exporting it would hand them other people's data; it is not exported (the same work shows,
without the other person's data, in the "history" section: the audit events they are the actor of).
"""

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from django.apps import apps
from django.db import models
from django.utils import timezone
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from ..models import AccessRecord

ACCESS_PAGE_SIZE = 50
PAGE_SECTION_SIZE = 10  # rows per section on the page; the download has them all


@dataclass(frozen=True)
class Link:
    """How the rows of `model` whose `path` leads to the user are exported: `fields` (lookups allowed), into
    the download's section `section`; or, with no fields, `why` they are not."""

    model: str  # "app_label.ModelName"
    path: str  # lookup from the model to the user: "user", "volunteer__user"
    section: str = ""
    fields: tuple[str, ...] = ()
    why: str = ""  # lazily translated: str() it in the reader's language

    @property
    def exported(self) -> bool:
        return bool(self.fields)


STAFF_WORK = _(
    "A staff member's work on someone else's record: the organisation's record of who did it, not personal data "
    "about the staff member. Not exported (it would hand over other people's data); the work shows in 'history'."
)


def staff_work(why):
    """`why`, then what `STAFF_WORK` says; translated when shown."""
    return format_lazy("{} {}", why, STAFF_WORK)


LINKS: list[Link] = [
    # --- The account ---
    Link(
        "account.EmailAddress",
        "user",
        "email_addresses",
        ("email", "verified", "primary"),
        _("Your e-mail addresses (django-allauth)."),
    ),
    Link(
        "accounts.RoleAssignment",
        "user",
        "roles",
        ("role", "house__name", "organisation__name", "created_at"),
        _("The roles you hold."),
    ),
    Link(
        "privacy.DormancyWarning",
        "user",
        "dormancy_warning",
        ("warned_at",),
        _("The warning before an unused account is anonymised."),
    ),
    Link(
        "bookings.BookingFeed",
        "user",
        "calendar_feeds",
        ("created_at",),
        _("That you have a calendar link for your bookings; its secret address is not put in a file."),
    ),
    Link(
        "volunteers.ShiftFeed",
        "user",
        "calendar_feeds",
        ("created_at",),
        _("That you have a calendar link for your shifts; its secret address is not put in a file."),
    ),
    Link(
        "mfa.Authenticator",
        "user",
        "second_factors",
        ("type", "created_at", "last_used_at"),
        _("Your second factors (kind and dates); their secrets are never exported."),
    ),
    Link(
        "usersessions.UserSession",
        "user",
        "sessions",
        ("created_at", "last_seen_at", "ip", "user_agent"),
        _("Where you are logged in."),
    ),
    # --- Activities ---
    Link(
        "activities.Registration",
        "user",
        "registrations",
        (
            "session__activity__title",
            "session__activity__house__name",
            "session__start",
            "session__end",
            "status",
            "attended",
            "created_at",
        ),
        _("Your registrations for activities and whether you came."),
    ),
    Link("activities.Activity", "created_by", why=STAFF_WORK),
    Link("activities.Session", "closed_by", why=STAFF_WORK),
    Link("activities.DoorTally", "recorded_by", why=staff_work(_("A host's tap at the door: an anonymous count."))),
    Link("activities.Signal", "created_by", why=staff_work(_("A signal holds no names."))),
    # --- Bookings ---
    Link(
        "bookings.Booking",
        "renter",
        "bookings",
        (
            "room__name",
            "room__place__house__name",
            "start",
            "end",
            "status",
            "tier",
            "purpose",
            "people",
            "price",
            "deposit",
            "cancellation_cost",
            "contact_name",
            "contact_email",
            "contact_phone",
            "rules_accepted_at",
            "decision_reason",
            "created_at",
        ),
        _("The rooms you booked."),
    ),
    Link(
        "bookings.Booking",
        "created_by",
        why=staff_work(
            _(
                "Your own bookings are exported as 'bookings' (you are their renter); a booking a coordinator "
                "made for a caller is staff work."
            )
        ),
    ),
    Link("bookings.Booking", "decided_by", why=STAFF_WORK),
    # --- Volunteering ---
    Link(
        "volunteers.Volunteer",
        "user",
        "volunteering",
        (
            "house__name",
            "first_name",
            "last_name",
            "email",
            "phone",
            "language",
            "date_of_birth",
            "skills",
            "availability",
            "availability_note",
            "motivation",
            "status",
            "status_reason",
            "start_date",
            "end_date",
            "agreement_signed_on",
            "applied_at",
        ),
        _("Your volunteer file at each house."),
    ),
    Link("volunteers.VolunteerRoleChoice", "volunteer__user", "volunteer_roles", ("volunteer__house__name", "role")),
    Link(
        "volunteers.Certificate",
        "volunteer__user",
        "certificates",
        ("volunteer__house__name", "kind", "issued_on", "valid_until"),
    ),
    Link(
        "volunteers.ShiftAssignment",
        "volunteer__user",
        "shifts",
        ("shift__house__name", "shift__title", "shift__role", "shift__start", "shift__end", "status", "created_at"),
    ),
    Link(
        "volunteers.HoursEntry",
        "volunteer__user",
        "hours",
        ("volunteer__house__name", "date", "minutes", "source", "description", "status", "decision_reason"),
    ),
    Link(
        "volunteers.AllowancePayment",
        "volunteer__user",
        "allowance_payments",
        ("volunteer__house__name", "month", "hours", "amount", "paid_on"),
    ),
    Link(
        "volunteers.HelpOffer",
        "volunteer__user",
        "help_offers",
        ("request__house__name", "request__kind", "request__wanted_on", "status", "offered_at", "answered_at"),
        _("Burenhulp you were asked to give; the other person's contact details are theirs and not exported."),
    ),
    Link("volunteers.Volunteer", "decided_by", why=STAFF_WORK),
    Link("volunteers.Volunteer", "created_by", why=STAFF_WORK),
    Link("volunteers.Certificate", "recorded_by", why=STAFF_WORK),
    Link("volunteers.ShiftPattern", "created_by", why=STAFF_WORK),
    Link("volunteers.ShiftAssignment", "assigned_by", why=STAFF_WORK),
    Link("volunteers.ShiftAssignment", "worked_confirmed_by", why=STAFF_WORK),
    Link("volunteers.HoursEntry", "created_by", why=STAFF_WORK),
    Link("volunteers.HoursEntry", "decided_by", why=STAFF_WORK),
    Link("volunteers.AllowancePayment", "recorded_by", why=STAFF_WORK),
    Link(
        "volunteers.Carer",
        "consent_recorded_by",
        why=staff_work(
            _("Informal carers have no account; the field names the staff member who recorded the carer's consent.")
        ),
    ),
    Link("volunteers.SupportContact", "recorded_by", why=STAFF_WORK),
    Link("volunteers.WaarderingApplication", "decided_by", why=STAFF_WORK),
    Link("volunteers.WaarderingApplication", "created_by", why=STAFF_WORK),
    # --- Burenhulp ---
    Link(
        "volunteers.HelpRequest",
        "requester",
        "help_requests",
        (
            "house__name",
            "kind",
            "description",
            "wanted_on",
            "wanted_time",
            "requester_name",
            "requester_phone",
            "requester_email",
            "requester_address",
            "status",
            "created_at",
            "closed_at",
        ),
        _("The help you asked your neighbours for."),
    ),
    Link(
        "volunteers.HelpRequest",
        "posted_by",
        why=staff_work(
            _(
                "Your own requests are exported as 'help_requests' (you are the requester); a request a "
                "professional posted for someone else is staff work."
            )
        ),
    ),
    Link("volunteers.HelpOffer", "offered_by", why=STAFF_WORK),
    # --- Reporting ---
    Link("reporting.Target", "updated_by", why=STAFF_WORK),
    Link("reporting.Explanation", "updated_by", why=STAFF_WORK),
    Link("reporting.ReportVersion", "created_by", why=STAFF_WORK),
    # --- History and privacy ---
    Link(
        "audit.Event",
        "actor",
        "history",
        ("at", "action", "object_type"),
        _(
            "What you did (registered, booked, ...), as the history holds it: the kind of action, what kind of "
            "record and when. The details of the change are left out, as for staff they hold other people's "
            "data."
        ),
    ),
    Link(
        "admin.LogEntry",
        "user",
        why=staff_work(_("Django's admin log of an administrator's edits: its text names other people's records.")),
    ),
    Link(
        "privacy.AccessRecord",
        "subject_user",
        "who_looked",
        ("at", "organisation", "role", "house__name", "what", "via", "export"),
        _("Which organisation's staff looked at your data and when."),
    ),
    Link(
        "privacy.AccessRecord",
        "actor",
        why=staff_work(_("A staff member's look at someone else's data: it names that other person.")),
    ),
    Link("privacy.RetentionPeriod", "changed_by", why=STAFF_WORK),
]

ACCOUNT_FIELDS = ("email", "first_name", "last_name", "language", "date_joined", "last_login")


def link_for(model: str, path: str) -> Link | None:
    return next((link for link in LINKS if link.model.lower() == model.lower() and link.path == path), None)


def _installed_model(label: str):
    try:
        return apps.get_model(label)
    except LookupError:  # an app not installed (mfa, usersessions)
        return None


def _plain(value):
    """A value as JSON writes it: times in Europe/Amsterdam, amounts as text."""
    if isinstance(value, dt.datetime):
        return timezone.localtime(value).isoformat() if timezone.is_aware(value) else value.isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    return value


def link_rows(link: Link, user) -> models.QuerySet | None:
    """The rows of `link` for `user` as dicts of its fields (one query); None when its app is not installed."""
    model = _installed_model(link.model)
    if model is None or not link.exported:
        return None
    return model.objects.filter(**{link.path: user}).order_by("pk").values(*link.fields)


def _choice_labels(model, fields) -> dict[str, dict]:
    """{field: {stored value: label}} for the exported fields that are choices ("what": "booking_contact")."""
    labels = {}
    for name in fields:
        try:
            field = model._meta.get_field(name)
        except Exception:  # a path through a relation ("house__name"): no choices of its own
            continue
        if getattr(field, "choices", None):
            labels[name] = {value: str(label) for value, label in field.flatchoices}
    return labels


def _labelled(row: dict, labels: dict[str, dict]) -> dict:
    """`row` with, beside each choice, its label in words ("what_label": "contactgegevens van een zaalboeking")."""
    for name, choices in labels.items():
        if name in row:
            row[f"{name}_label"] = choices.get(row[name], row[name])
    return row


def my_data(user) -> dict:
    """Everything held about `user`, as JSON: the account, then one section per exported link (one query each),
    then what is not exported and why."""
    sections: dict[str, list] = {}
    for link in LINKS:
        rows = link_rows(link, user)
        if rows is None:
            continue
        section = sections.setdefault(link.section, [])
        labels = _choice_labels(rows.model, link.fields)
        section.extend(_labelled({key: _plain(value) for key, value in row.items()}, labels) for row in rows)
    return {
        "account": {field: _plain(getattr(user, field)) for field in ACCOUNT_FIELDS},
        "exported_at": timezone.localtime().isoformat(),
        **sections,
        "not_exported": [
            {"record": f"{link.model}.{link.path}", "why": str(link.why)} for link in LINKS if not link.exported
        ],
    }


# --- The page ----------------------------------------------------------------------------------------------------


def my_registrations(user) -> models.QuerySet:
    from activities.models import Registration

    return (
        Registration.objects.filter(user=user)
        .select_related("session__activity__house")
        .order_by("-session__start", "-pk")
    )


def my_bookings(user) -> models.QuerySet:
    from bookings.models import Booking

    return Booking.objects.filter(renter=user).select_related("room__place__house").order_by("-start", "-pk")


def my_volunteering(user) -> models.QuerySet:
    from volunteers.models import Volunteer

    return Volunteer.objects.filter(user=user).select_related("house").order_by("house__name", "pk")


def my_help_requests(user) -> models.QuerySet:
    from volunteers.models import HelpRequest

    return HelpRequest.objects.filter(requester=user).select_related("house").order_by("-wanted_on", "-pk")


def who_looked(user) -> models.QuerySet:
    """The access log about `user`, one row per look, newest first (the index privacy_access_subject_at): a page or
    download that showed several of your records at once (six of your bookings) is one look, with `records` how
    many. Rows as dicts: at, organisation, role, what, export, house_name, records."""
    return (
        AccessRecord.objects.filter(subject_user=user)
        .values("at", "organisation", "role", "what", "export", house_name=models.F("house__name"))
        .annotate(records=models.Count("pk"))
        .order_by("-at", "organisation", "what")
    )
