"""The second factor, enforced by the app, and one's own sessions.

`SecondFactorMiddleware`: a user whose roles reach personal data (`accounts.policy.needs_second_factor`) and who has
no second factor (an authenticator app, TOTP, or a passkey, WebAuthn) gets no page but setting one up. Every other
URL answers with a redirect to allauth's TOTP set-up page, which offers a passkey instead where the browser supports
it (an HTMX request: an HX-Redirect header; a JSON or fetch request: 403 with a JSON body).
Decided on every request, from the roles and authenticators of that request; nothing is cached beyond it.

Logging in itself is allauth's: whoever has an authenticator passes its second stage (the code, or the passkey) at
every login. A passkey is a second step only: logging in without the password is off (MFA_PASSKEY_LOGIN_ENABLED). The
admin has no login form of its own (huizen/admin_site.py sends it to allauth's).

Sessions: allauth.usersessions lists one's sessions and ends all others; the views here end one session, or all of
them at once ("log out everywhere"). Ending sessions is recorded in the history by the adapter
(accounts.adapter.UserSessionsAdapter); adding and removing a second factor by the signal receivers below.
"""

from allauth.account.internal import flows as account_flows
from allauth.mfa import app_settings as mfa_settings
from allauth.mfa import signals as mfa_signals
from allauth.mfa.base import forms as mfa_base_forms
from allauth.mfa.models import Authenticator
from allauth.mfa.totp import forms as mfa_totp_forms
from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value, yield_hotp_counters_from_time
from allauth.mfa.utils import is_mfa_enabled
from allauth.mfa.webauthn import forms as mfa_webauthn_forms
from allauth.usersessions.adapter import get_adapter as get_usersessions_adapter
from allauth.usersessions.models import UserSession
from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.dispatch import receiver
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import redirect
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from audit.services import event_record

from .policy import needs_second_factor

# What a user who must set up a second factor may still open: the set-up itself (allauth asks for the password
# again when the login is older than a few minutes; setting up needs a verified e-mail address), logging out, the
# language switch, the health check and the public information pages. Static files never reach Django's views in
# production (whitenoise), and are let through here for the development server.
ALLOWED_URL_NAMES = frozenset(
    {
        "mfa_activate_totp",
        "mfa_add_webauthn",
        "mfa_index",
        "mfa_view_recovery_codes",
        "mfa_download_recovery_codes",
        "account_reauthenticate",
        "account_logout",
        "account_email",
        "account_confirm_email",
        "set_language",
        "healthz",
        "accessibility",
        "privacy:statement",
        # The door's anonymous counts (taps, undo, today's totals): no personal data, and the hottest path, which
        # keeps its one query (the tap endpoint checks the login and the role itself, in that query).
        "activities:door_taps",
        "activities:door_undo",
        "activities:door_totals",
    }
)
SET_UP_URL_NAME = "mfa_activate_totp"
# The authenticators that are a second factor (recovery codes alone are not: they come with one).
SECOND_FACTOR_TYPES = [Authenticator.Type.TOTP, Authenticator.Type.WEBAUTHN]


def has_second_factor(user) -> bool:
    return is_mfa_enabled(user, SECOND_FACTOR_TYPES)


def must_set_up_second_factor(user) -> bool:
    """Does `user` still have to set up a second factor before any staff page opens? (One or two queries.)"""
    if not getattr(user, "is_authenticated", False):
        return False
    return needs_second_factor(user) and not has_second_factor(user)


def _wants_json(request) -> bool:
    accept = request.headers.get("Accept", "")
    content_type = request.headers.get("Content-Type", "")
    return (
        "application/json" in content_type
        or ("application/json" in accept and "text/html" not in accept)
        or request.headers.get("X-Requested-With") == "XMLHttpRequest"
    )


class SecondFactorMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        if request.path.startswith(settings.STATIC_URL):
            return None
        match = request.resolver_match
        if match is not None and match.view_name in ALLOWED_URL_NAMES:
            return None
        if not must_set_up_second_factor(request.user):
            return None
        set_up_url = reverse(SET_UP_URL_NAME)
        message = _("Set up a second factor first: an app on your phone that gives you a login code.")
        if request.headers.get("HX-Request") == "true":
            response = HttpResponse(status=204)
            response["HX-Redirect"] = set_up_url
            return response
        if _wants_json(request):
            return JsonResponse({"error": "second_factor_required", "message": message, "url": set_up_url}, status=403)
        return redirect(set_up_url)


# --- Forms: the code field for phones and password managers -------------------------------------------------


def _code_field(field, label, help_text) -> None:
    field.label = label
    field.help_text = help_text
    field.widget.attrs.pop("placeholder", None)
    field.widget.attrs.update({"autocomplete": "one-time-code", "inputmode": "numeric", "spellcheck": "false"})


class AuthenticateForm(mfa_base_forms.AuthenticateForm):
    """The second step of logging in: the code of the app, or a recovery code. In demo mode, for the demo
    accounts (whose app secret is known), `demo_code` is the code the app shows now."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _code_field(
            self.fields["code"],
            gettext_lazy("Login code"),
            gettext_lazy("The 6 digits in your app. Lost your phone? Type one of your recovery codes (8 digits)."),
        )
        self.demo_code = demo_code_for(self.user)
        # The page offers the passkey only to whoever has one (and only where the browser supports it).
        self.has_passkey = (
            "webauthn" in mfa_settings.SUPPORTED_TYPES
            and self.user is not None
            and Authenticator.objects.filter(user=self.user, type=Authenticator.Type.WEBAUTHN).exists()
        )


class ReauthenticateForm(mfa_base_forms.ReauthenticateForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _code_field(
            self.fields["code"],
            gettext_lazy("Login code"),
            gettext_lazy("The 6 digits in your app, or one of your recovery codes."),
        )


class ActivateTOTPForm(mfa_totp_forms.ActivateTOTPForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _code_field(
            self.fields["code"],
            gettext_lazy("Code from the app"),
            gettext_lazy("The 6 digits the app shows after you added this account."),
        )
        self.passkeys_offered = "webauthn" in mfa_settings.SUPPORTED_TYPES


# A malformed answer of the browser (valid JSON, wrong shape) makes allauth and fido2 raise more than the errors
# allauth catches; it is a form error here, never a 500.
_MALFORMED_PASSKEY_ANSWER = (AttributeError, KeyError, TypeError, ValueError)


def _unreadable_passkey_answer():
    return forms.ValidationError(
        gettext_lazy("The answer of the passkey could not be read. Try again."), code="malformed_credential"
    )


class AuthenticateWebAuthnForm(mfa_webauthn_forms.AuthenticateWebAuthnForm):
    """The passkey as the second step of logging in."""

    def clean_credential(self):
        try:
            return super().clean_credential()
        except _MALFORMED_PASSKEY_ANSWER:
            raise _unreadable_passkey_answer() from None


class AddWebAuthnForm(mfa_webauthn_forms.AddWebAuthnForm):
    """Adding a passkey: its name, so one recognises it later (allauth fills in a name when left empty)."""

    name = forms.CharField(
        required=False,
        max_length=100,
        label=gettext_lazy("Name of the passkey"),
        help_text=gettext_lazy("So you recognise it later, for example: laptop at home. You may leave it as it is."),
    )

    def clean(self):
        try:
            return super().clean()
        except _MALFORMED_PASSKEY_ANSWER:
            raise _unreadable_passkey_answer() from None


class EditWebAuthnForm(mfa_webauthn_forms.EditWebAuthnForm):
    """Renaming a passkey: the same name field as when adding one."""

    name = forms.CharField(max_length=100, label=gettext_lazy("Name of the passkey"))


def demo_code_for(user) -> str:
    """In demo mode only: the code a demo account's app shows now (the demo secret is public), else ""."""
    if not settings.DEMO_MODE or user is None:
        return ""
    from .demo import DEMO_TOTP_SECRET, demo_emails

    if user.email not in demo_emails():
        return ""
    from allauth.mfa.adapter import get_adapter as get_mfa_adapter

    totp = Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).first()
    if totp is None or get_mfa_adapter().decrypt(totp.data.get("secret", "")) != DEMO_TOTP_SECRET:
        return ""  # a demo account that set up its own app (as nieuw@ does): its code is its own
    return format_hotp_value(hotp_value(DEMO_TOTP_SECRET, next(yield_hotp_counters_from_time())))


# --- History: a second factor added, removed, new recovery codes ---------------------------------------------


def _record(user, action: str, authenticator) -> None:
    with transaction.atomic():
        event_record(by=user, action=action, obj=user, label=f"#{user.pk}", changes={"type": authenticator.type})


@receiver(mfa_signals.authenticator_added)
def _on_authenticator_added(sender, request, user, authenticator, **kwargs):
    # The recovery codes that come with a new authenticator app are part of setting it up.
    if authenticator.type != Authenticator.Type.RECOVERY_CODES:
        _record(user, "mfa.activate", authenticator)


@receiver(mfa_signals.authenticator_removed)
def _on_authenticator_removed(sender, request, user, authenticator, **kwargs):
    if authenticator.type != Authenticator.Type.RECOVERY_CODES:
        _record(user, "mfa.deactivate", authenticator)


@receiver(mfa_signals.authenticator_reset)
def _on_authenticator_reset(sender, request, user, authenticator, **kwargs):
    _record(user, "mfa.recovery_codes", authenticator)


def authenticator_remove(*, authenticator: Authenticator, by) -> None:
    """Remove a user's authenticator (an administrator helping someone who lost their phone and their recovery codes):
    with an authenticator app go its recovery codes. At their next page, staff are sent to set up a new one."""
    with transaction.atomic():
        user = authenticator.user
        kind = authenticator.type
        authenticator.delete()
        if kind != Authenticator.Type.RECOVERY_CODES and not has_second_factor(user):
            Authenticator.objects.filter(user=user, type=Authenticator.Type.RECOVERY_CODES).delete()
        event_record(by=by, action="mfa.deactivate", obj=user, label=f"#{user.pk}", changes={"type": kind})


# --- Sessions: end one, or all of them -----------------------------------------------------------------------


@login_required
@require_POST
def session_end(request, pk: int):
    """End one of your own sessions (another's id gives 404). Ending the current one logs you out here."""
    session = UserSession.objects.filter(user_id=request.user.pk, pk=pk).first()
    if session is None:
        raise Http404
    current = session.is_current()
    get_usersessions_adapter().end_sessions([session])
    if current:
        account_flows.logout.logout(request)
        return redirect(settings.ACCOUNT_LOGOUT_REDIRECT_URL)
    messages.success(request, _("The session is ended: that device is logged out."))
    return redirect("usersessions_list")


@login_required
@require_POST
def sessions_end_all(request):
    """Log out everywhere, here too: every session of yours ends."""
    sessions = list(UserSession.objects.filter(user_id=request.user.pk))
    get_usersessions_adapter().end_sessions(sessions)
    account_flows.logout.logout(request)
    return redirect(settings.ACCOUNT_LOGOUT_REDIRECT_URL)


urlpatterns = [
    path("accounts/sessions/<int:pk>/end/", session_end, name="session_end"),
    path("accounts/sessions/end-all/", sessions_end_all, name="sessions_end_all"),
]
