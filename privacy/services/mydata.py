"""A resident's own data: everything held about them (page and JSON), erasure, and dormant accounts.

Erasure (`user_erase`) anonymises the account and keeps its row: every registration, booking hour, volunteer hour and
audit event that counts in a figure keeps pointing at the same (now nameless) user, so no figure changes. What only
serves the account goes (e-mail addresses, calendar feeds, sessions, second factors, roles, a dormancy warning);
each app wipes the named data of its own records through its own scrub function.

Dormant accounts (`dormant_accounts_apply`, retention category "dormant_accounts"): an account whose last login
(or, never logged in, its creation) lies `days` back gets an e-mail and a `DormancyWarning`; still unused
`DORMANCY_GRACE` after the warning, it is erased. Logging in ends the warning (`dormancy_warning_end`, called on
django's `user_logged_in` signal, connected in `privacy.apps`). Administrators (superusers) and people holding a
role are warned but never anonymised automatically: a site must not lose its last administrator to a holiday, nor a
house its coordinator without notice.
"""

import datetime as dt

from django.apps import apps
from django.contrib.auth import get_user_model
from django.contrib.sessions.models import Session
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Exists, F, OuterRef, Q
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import RoleAssignment
from audit.services import event_record
from huizen import outbox

from ..models import DormancyWarning

DORMANCY_GRACE = dt.timedelta(days=14)
# What a wiped name becomes (volunteer files, carers, booking contacts), by erasure and by retention alike.
ANONYMOUS_NAME = "-"
# Erased accounts get an address on a reserved top-level domain (RFC 2606): unique, and never deliverable.
ERASED_DOMAIN = "erased.invalid"


def erased_email(user_id: int) -> str:
    return f"erased-{user_id}@{ERASED_DOMAIN}"


def is_erased(user) -> bool:
    return bool(user.email) and user.email.endswith("@" + ERASED_DOMAIN)


def _user_sessions_delete(user) -> int:
    """Delete the database sessions of `user` that allauth's user sessions know (one row per login), with those
    rows. Any other session of theirs stops working anyway: the unusable password changes the session hash."""
    from allauth.usersessions.models import UserSession

    known = UserSession.objects.filter(user=user)
    deleted = Session.objects.filter(session_key__in=list(known.values_list("session_key", flat=True))).delete()[0]
    known.delete()
    return deleted


def _account_only_delete(user) -> dict[str, int]:
    """Delete what serves only the account. Returns {what: how many}."""
    from allauth.account.models import EmailAddress

    from bookings.models import BookingFeed
    from volunteers.models import ShiftFeed

    counts = {
        "email_addresses": EmailAddress.objects.filter(user=user).delete()[0],
        "calendar_feeds": BookingFeed.objects.filter(user=user).delete()[0]
        + ShiftFeed.objects.filter(user=user).delete()[0],
        "roles": RoleAssignment.objects.filter(user=user).delete()[0],
        "dormancy_warnings": DormancyWarning.objects.filter(user=user).delete()[0],
        "sessions": _user_sessions_delete(user),
    }
    if apps.is_installed("allauth.mfa"):
        from allauth.mfa.models import Authenticator

        counts["second_factors"] = Authenticator.objects.filter(user=user).delete()[0]
    return counts


# Tasks of the outbox that write to a person, and which argument says to whom: (position, what the id is of).
# An e-mail to an erased account is not sent any more, and a sent one leaves no row pointing at them.
_ADDRESSED = {
    "send_registration_email": (0, "registration"),
    "send_session_change_email": (0, "registration"),
    "send_activity_change_email": (1, "user"),
    "send_booking_email": (0, "booking"),
    "send_series_created_email": (0, "booking"),
    "send_series_cancelled_email": (0, "booking"),
    "send_request_notice": (1, "user"),
    "send_dormancy_warning": (0, "user"),
    "send_help_email": (0, "help_request"),
    "send_hours_rejected_email": (0, "hours"),
    "send_volunteer_email": (0, "volunteer"),
    "send_sign_up_notice": (1, "user"),
    "send_certificate_reminder": (0, "certificate"),
    "send_shift_email": (0, "assignment"),
    "send_stand_in_wanted": (1, "volunteer"),
    "send_gap_notice": (1, "user"),
    "send_rendered_mail": (3, "address"),  # allauth's mails (password reset...): the addresses themselves
}


def _owned_objects(user) -> dict[str, tuple[type, set]]:
    """The user's own objects, by kind: {kind: (model, primary keys)}. Read before the apps unlink them."""
    from allauth.account.models import EmailAddress

    from activities.models import Registration
    from bookings.models import Booking
    from volunteers.models import Certificate, HelpRequest, HoursEntry, ShiftAssignment, Volunteer

    def keys(queryset) -> set:
        return set(queryset.values_list("pk", flat=True))

    volunteers = keys(Volunteer.objects.filter(user=user))
    return {
        "user": (get_user_model(), {user.pk}),
        "registration": (Registration, keys(Registration.objects.filter(user=user))),
        "booking": (Booking, keys(Booking.objects.filter(renter=user))),
        "help_request": (HelpRequest, keys(HelpRequest.objects.filter(requester=user))),
        "volunteer": (Volunteer, volunteers),
        "hours": (HoursEntry, keys(HoursEntry.objects.filter(volunteer__in=volunteers))),
        "certificate": (Certificate, keys(Certificate.objects.filter(volunteer__in=volunteers))),
        "assignment": (ShiftAssignment, keys(ShiftAssignment.objects.filter(volunteer__in=volunteers))),
        "role": (RoleAssignment, keys(RoleAssignment.objects.filter(user=user))),
        "email_address": (EmailAddress, keys(EmailAddress.objects.filter(user=user))),
    }


def _outbox_delete(user, owned: dict[str, tuple[type, set]]) -> int:
    """Delete the outbox messages (waiting or sent) addressed to `user` or about their own objects."""
    from allauth.account.models import EmailAddress

    from huizen.models import OutboxMessage

    addresses = {user.email.lower()} | {
        address.lower() for address in EmailAddress.objects.filter(user=user).values_list("email", flat=True)
    }
    tasks = Q()
    for name in _ADDRESSED:
        tasks |= Q(task__endswith=f".{name}") | Q(task=name)
    doomed = []
    for message in OutboxMessage.objects.filter(tasks).only("pk", "task", "args", "kwargs").iterator():
        position, kind = _ADDRESSED[message.task.rsplit(".", 1)[-1]]
        value = message.args[position] if len(message.args) > position else message.kwargs.get("to")
        values = value if isinstance(value, list) else [value]
        if kind == "address":
            hit = any(isinstance(item, str) and item.lower() in addresses for item in values)
        else:
            hit = any(item in owned[kind][1] for item in values)
        if hit:
            doomed.append(message.pk)
    return OutboxMessage.objects.filter(pk__in=doomed).delete()[0]


def _admin_log_blank(owned: dict[str, tuple[type, set]]) -> int:
    """The admin's history of the user's own objects keeps what was done and when, not their names: the object's
    description becomes its number and the change message goes."""
    from django.contrib.admin.models import LogEntry
    from django.contrib.contenttypes.models import ContentType
    from django.db.models import Value
    from django.db.models.functions import Concat

    about = Q(pk__in=[])
    for model, keys in owned.values():
        if keys:
            content_type = ContentType.objects.get_for_model(model, for_concrete_model=False)
            about |= Q(content_type=content_type, object_id__in=[str(key) for key in keys])
    return LogEntry.objects.filter(about).update(object_repr=Concat(Value("#"), F("object_id")), change_message="")


def _apps_scrub(*, user, by) -> dict[str, int]:
    """Each app wipes the named data of its own records of `user`; the rows (and so the figures) stay."""
    from activities.services import user_data_scrub as activities_scrub
    from bookings.services import user_data_scrub as bookings_scrub
    from volunteers.services.help import user_data_scrub as help_scrub
    from volunteers.services.people import user_data_scrub as volunteers_scrub

    counts: dict[str, int] = {}
    for scrub in (activities_scrub, bookings_scrub, volunteers_scrub, help_scrub):
        counts.update(scrub(user=user, by=by))
    return counts


def user_erase(*, user, by, reason: str = "request") -> dict[str, int]:
    """Erase `user`'s account: anonymise the user row (kept, with its pk, so every count stays), delete what only
    serves the account and let each app scrub its named data. One transaction; audit "user.erase" with the counts
    (never the name). `reason` is "request" (the person asked) or "dormant" (see `dormant_accounts_apply`).
    Returns the counts."""
    with transaction.atomic():
        user = get_user_model().objects.select_for_update().get(pk=user.pk)
        owned = _owned_objects(user)
        counts = {"outbox_messages": _outbox_delete(user, owned), "admin_log_entries": _admin_log_blank(owned)}
        counts.update(_account_only_delete(user))
        counts.update(_apps_scrub(user=user, by=by))
        user.email = erased_email(user.pk)
        user.first_name = ""
        user.last_name = ""
        user.set_unusable_password()
        user.is_active = False
        user.is_staff = False
        user.is_superuser = False
        user.save(
            update_fields=["email", "first_name", "last_name", "password", "is_active", "is_staff", "is_superuser"]
        )
        event_record(
            by=by,
            action="user.erase",
            obj=user,
            label=f"#{user.pk}",
            changes={"reason": reason, **{key: value for key, value in counts.items() if value}},
        )
    return counts


def erasure_refused_reason(user) -> str:
    """Why `user` may not erase their own account (empty: they may). An administrator or someone holding a role
    asks an administrator to remove the roles first, so that no house is left without notice."""
    if user.is_superuser or user.is_staff:
        return _("You are an administrator. Ask another administrator to delete your account.")
    if RoleAssignment.objects.filter(user=user).exists():
        return _(
            "You have a role at a house or organisation. Ask an administrator to remove your roles first, so that "
            "the house knows and is never left without someone in your place. Then you can delete your account here."
        )
    return ""


def user_erase_own(*, user) -> dict[str, int]:
    """A resident erases their own account (after the page checked their password). Refused with the reason for
    administrators and people holding a role."""
    reason = erasure_refused_reason(user)
    if reason:
        raise ValidationError(reason)
    return user_erase(user=user, by=user, reason="request")


def user_export(*, user) -> dict:
    """Everything held about `user`, for their own download; the download itself is recorded ("user.export")."""
    from ..selectors.mydata import my_data

    data = my_data(user)
    with transaction.atomic():
        event_record(
            by=user,
            action="user.export",
            obj=user,
            label=f"#{user.pk}",
            changes={"sections": sorted(key for key, value in data.items() if isinstance(value, list) and value)},
        )
    return data


# --- Dormant accounts ---------------------------------------------------------------------------------------------


def dormant_users(*, now: dt.datetime, days: int):
    """Accounts not used since `days` before `now` (last login, or creation when never logged in), not erased."""
    cutoff = now - dt.timedelta(days=days)
    return (
        get_user_model()
        .objects.annotate(last_used=Coalesce(F("last_login"), F("date_joined")))
        .filter(last_used__lte=cutoff)
        .exclude(email__endswith="@" + ERASED_DOMAIN)
    )


def dormancy_warning_end(*, user) -> int:
    """The owner used the account: the warning ends, nothing will be anonymised. Returns 1 if there was one."""
    return DormancyWarning.objects.filter(user=user).delete()[0]


def _kept_automatically(prefix: str = "") -> Q:
    """Accounts that are warned but never anonymised automatically: administrators, and people holding a role (a
    house is never left without notice; an administrator removes the roles first)."""
    return Q(**{f"{prefix}is_superuser": True}) | Q(**{f"{prefix}role_assignments__isnull": False})


def dormant_account_erase(*, warning_id: int, by) -> int:
    """Anonymise the account of a due warning, after checking again under the lock that the warning still stands
    (a login ends it) and the account was not used since, nor became kept. Returns 1 if erased, else 0."""
    user_model = get_user_model()
    with transaction.atomic():
        warning = DormancyWarning.objects.select_for_update().filter(pk=warning_id).first()
        if warning is None:
            return 0
        user = user_model.objects.select_for_update().get(pk=warning.user_id)
        if user.last_login is not None and user.last_login >= warning.warned_at:
            return 0
        if is_erased(user) or user_model.objects.filter(_kept_automatically(), pk=user.pk).exists():
            return 0
        event_record(by=by, action="user.anonymise_dormant", obj=user, label=f"#{user.pk}")
        user_erase(user=user, by=by, reason="dormant")
    return 1


def dormant_accounts_apply(*, by, now: dt.datetime, days: int) -> int:
    """Warn each account unused for `days` (an e-mail in its own language with the day it will be anonymised, and
    that logging in keeps it), and anonymise accounts warned `DORMANCY_GRACE` ago that were not used since.
    Administrators and people holding a role are warned, never anonymised. Safe to run twice. Returns how many
    accounts were warned or anonymised."""
    from ..tasks.mydata import send_dormancy_warning

    touched = 0
    due = (
        DormancyWarning.objects.filter(warned_at__lte=now - DORMANCY_GRACE)
        .filter(Q(user__last_login__isnull=True) | Q(user__last_login__lt=F("warned_at")))
        .exclude(_kept_automatically("user__"))
        .exclude(user__email__endswith="@" + ERASED_DOMAIN)
        .order_by("pk")
    )
    for warning_id in list(due.values_list("pk", flat=True)):
        touched += dormant_account_erase(warning_id=warning_id, by=by)
    users = dormant_users(now=now, days=days).filter(dormancy_warning__isnull=True).order_by("pk")
    for user in users.annotate(has_role=Exists(RoleAssignment.objects.filter(user=OuterRef("pk")))):
        with transaction.atomic():
            DormancyWarning.objects.create(user=user, warned_at=now)
            event_record(
                by=by,
                action="user.dormant_warn",
                obj=user,
                label=f"#{user.pk}",
                changes={
                    "erase_on": timezone.localdate(now + DORMANCY_GRACE),
                    "administrator": user.is_superuser,
                    "role": user.has_role,
                },
            )
            outbox.enqueue(send_dormancy_warning, user.pk)
        touched += 1
    return touched
