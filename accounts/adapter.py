"""django-allauth, our way: sign-up stores the name and preferred language; its e-mails speak the recipient's
language and name the site by SITE_NAME, not by the server's address. The second factor's QR code names the site
the same way, and ending sessions goes into the history."""

import time
from dataclasses import dataclass

from allauth.account import app_settings as account_settings
from allauth.account.adapter import DefaultAccountAdapter
from allauth.account.internal.flows.login import get_authentication_records
from allauth.core import context as allauth_context
from allauth.mfa.adapter import DefaultMFAAdapter
from allauth.mfa.models import Authenticator
from allauth.usersessions.adapter import DefaultUserSessionsAdapter
from django.conf import settings
from django.db import transaction
from django.utils import translation

from audit.services import event_record
from huizen import outbox

from . import tasks
from .mail import recipient_language
from .models import User


@dataclass(frozen=True)
class Site:
    """What allauth's e-mail templates read as `current_site`: our name and our address."""

    name: str
    domain: str


def _site() -> Site:
    return Site(name=settings.SITE_NAME, domain=settings.SITE_URL.split("://", 1)[-1])


FIRST_FACTOR_URL_NAMES = frozenset({"mfa_activate_totp", "mfa_add_webauthn"})


def _is_first_second_factor_set_up(request) -> bool:
    """Whether this request activates a first second factor (an app or a passkey) of a user who has none yet, or
    shows, for the first time, the recovery codes made with it."""
    match = getattr(request, "resolver_match", None)
    name = match.url_name if match is not None else None
    factors = Authenticator.objects.filter(user=request.user)
    if name in FIRST_FACTOR_URL_NAMES:
        return not factors.exclude(type=Authenticator.Type.RECOVERY_CODES).exists()
    if name == "mfa_view_recovery_codes":
        codes = factors.filter(type=Authenticator.Type.RECOVERY_CODES).first()
        return codes is not None and not codes.wrap().did_view
    return False


class AccountAdapter(DefaultAccountAdapter):
    def save_user(self, request, user, form, commit=True):
        """allauth stores the e-mail address, password, first and last name; we add the preferred language, and
        the sign-up goes into the history (by the new user, without their name)."""
        language = form.cleaned_data.get("language")
        if language:
            user.language = language
        if not commit:
            return super().save_user(request, user, form, commit=False)
        with transaction.atomic():
            user = super().save_user(request, user, form, commit=True)
            event_record(by=user, action="user.signup", obj=user, label=f"#{user.pk}")
        return user

    def is_reauthentication_required(self, *, app: str, **kwargs) -> bool:
        """Every change to the second factor asks for the password again (allauth's rule), with one exception: staff
        sent to set up their first second factor right after logging in are not asked twice. That holds only for
        activating a first app or passkey by a user who has none yet (and for seeing the recovery codes that came
        with it, once), when the password was typed in this session within the last few minutes
        (ACCOUNT_REAUTHENTICATION_TIMEOUT). Turning a factor off, adding another, or new recovery codes: the
        password again."""
        required = super().is_reauthentication_required(app=app, **kwargs)
        request = allauth_context.request
        if not required or app != "allauth.mfa" or request is None or not request.user.is_authenticated:
            return required
        if not _is_first_second_factor_set_up(request):
            return required
        typed = [
            record["at"]
            for record in get_authentication_records(request, request.user)
            if record.get("method") in ("password", "mfa")
        ]
        return not (typed and time.time() - typed[-1] < account_settings.REAUTHENTICATION_TIMEOUT)

    def format_email_subject(self, subject: str) -> str:
        return f"[{settings.SITE_NAME}] {subject}"

    def send_mail(self, template_prefix: str, email: str, context: dict) -> None:
        """Render in the recipient's language (a stranger's: the language of the page they used) and send through
        the outbox, so an SMTP or broker outage delays the e-mail instead of failing the sign-up."""
        user = context.get("user")
        if not isinstance(user, User):
            user = User.objects.filter(email__iexact=email).first()
        language = recipient_language(user) if user is not None else translation.get_language()
        request = allauth_context.request
        ctx = {"request": request, "email": email, **context, "current_site": _site(), "site_url": settings.SITE_URL}
        with translation.override(language):
            message = self.render_mail(template_prefix, email, ctx)
        alternatives = getattr(message, "alternatives", [])
        html = next((content for content, mimetype in alternatives if mimetype == "text/html"), "")
        with transaction.atomic():
            outbox.enqueue(
                tasks.send_rendered_mail, message.subject, message.body, message.from_email, message.to, html
            )


class MFAAdapter(DefaultMFAAdapter):
    def _get_site_name(self) -> str:
        return settings.SITE_NAME


class UserSessionsAdapter(DefaultUserSessionsAdapter):
    def end_sessions(self, sessions) -> None:
        """End the sessions and record it, per user, by that user (one can end only one's own sessions)."""
        sessions = list(sessions)
        if not sessions:
            return
        with transaction.atomic():
            by_user: dict[int, list] = {}
            for session in sessions:
                by_user.setdefault(session.user_id, []).append(session)
            for user in User.objects.filter(pk__in=by_user):
                ended = by_user[user.pk]
                for session in ended:
                    session.end()
                event_record(
                    by=user, action="user_sessions.end", obj=user, label=f"#{user.pk}", changes={"count": len(ended)}
                )
