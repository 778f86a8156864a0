"""Writes about a user's own account. Sign-up itself is django-allauth's (`accounts.adapter`)."""

from django.db import transaction

from audit.services import diff, event_record, snapshot

from .models import User

DETAIL_FIELDS = ["first_name", "last_name", "language"]


def user_update_details(*, user: User, first_name: str, last_name: str, language: str, by) -> User:
    """Change the name and preferred language of `user`. The history records which fields changed, and the old
    and new language, but not the names themselves (they are personal data, kept out of the audit trail)."""
    with transaction.atomic():
        user = User.objects.select_for_update().get(pk=user.pk)
        before = snapshot(user, DETAIL_FIELDS)
        user.first_name, user.last_name, user.language = first_name.strip(), last_name.strip(), language
        user.full_clean(validate_unique=False, exclude=["password"])
        changes = diff(before, snapshot(user, DETAIL_FIELDS))
        if not changes:
            return user
        user.save(update_fields=list(changes))
        recorded = {field: ["…", "…"] for field in changes if field != "language"}
        if "language" in changes:
            recorded["language"] = changes["language"]
        event_record(by=by, action="user.update_details", obj=user, label=f"#{user.pk}", changes=recorded)
    return user


def login_sessions_prune(*, by, now, days: int) -> int:
    """Retention category "login_sessions": each login's IP address and browser (allauth's UserSession) go `days`
    after the login, and with them the session itself (whoever is still logged in then logs in again). Returns how
    many logins went."""
    import datetime as dt

    from allauth.usersessions.models import UserSession
    from django.contrib.sessions.models import Session

    old = UserSession.objects.filter(created_at__lt=now - dt.timedelta(days=days))
    with transaction.atomic():
        keys = list(old.values_list("session_key", flat=True))
        if not keys:
            return 0
        Session.objects.filter(session_key__in=keys).delete()
        deleted = UserSession.objects.filter(session_key__in=keys).delete()[0]
        event_record(by=by, action="login_sessions.prune", changes={"deleted": deleted, "days": days})
    return deleted
