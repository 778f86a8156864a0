"""The second factor, enforced by the app (accounts/mfa.py): staff without one reach no page but setting it up."""

import hashlib
import json
import os
import re
import uuid

import pytest
from allauth.account.models import EmailAddress, EmailConfirmationHMAC
from allauth.mfa.models import Authenticator
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec
from django.test import Client
from django.urls import NoReverseMatch, Resolver404, URLPattern, URLResolver, resolve, reverse
from fido2 import cbor
from fido2.cose import ES256
from fido2.utils import websafe_encode

from accounts.mfa import ALLOWED_URL_NAMES, SET_UP_URL_NAME
from accounts.models import Role, RoleAssignment
from audit.models import Event
from huizen import urls as root_urls
from locations.selectors import current_management

from ..factories import PASSWORD, TEST_TOTP_SECRET, RoleAssignmentFactory, UserFactory, totp_code

SET_UP = "/accounts/2fa/totp/activate/"
AUTHENTICATE = "/accounts/2fa/authenticate/"
START = "/start/"


def test_the_set_up_page_is_where_we_send_people():
    assert reverse(SET_UP_URL_NAME) == SET_UP


# --- The crawl: every URL of the site, as each staff role without a second factor -----------------------------

_CONVERTER_VALUES = {"int": "1", "slug": "x", "str": "x", "path": "x/y", "uuid": str(uuid.UUID(int=1))}


def _sample_for_group(body: str) -> str:
    """A value matching a named regex group of the admin's URLs (alternatives: the first one)."""
    if re.fullmatch(r"[\w|]+", body):
        return body.split("|")[0]
    if body in (r"\d+", r"[0-9]+"):
        return "1"
    return "x"


def _concrete(route: str, slug: str) -> str:
    values = {**_CONVERTER_VALUES, "slug": slug}
    route = re.sub(r"<(?:(\w+):)?\w+>", lambda m: values[m.group(1) or "str"], route)
    route = re.sub(r"\(\?P<\w+>([^)]*)\)", lambda m: _sample_for_group(m.group(1)), route)
    return route.replace("^", "").replace("$", "").replace("\\", "")


def _walk(patterns, prefix=""):
    for entry in patterns:
        if isinstance(entry, URLResolver):
            yield from _walk(entry.url_patterns, prefix + str(entry.pattern))
        elif isinstance(entry, URLPattern):
            yield prefix + str(entry.pattern)


def site_paths(slug: str = "x") -> list[tuple[str, str]]:
    """(path, view name) for every URL pattern of huizen.urls, with placeholder arguments (every slug: `slug`, so
    the pages of a real house open), that resolves back."""
    paths = {}
    for route in _walk(root_urls.urlpatterns):
        path = "/" + _concrete(route, slug)
        try:
            match = resolve(path)
        except Resolver404:
            continue
        paths[path] = match.view_name
    return sorted(paths.items())


def test_the_crawl_covers_the_site():
    routes = list(_walk(root_urls.urlpatterns))
    paths = site_paths()
    # Nearly every pattern becomes a concrete path (a few admin regexes do not): the crawl sees the whole site.
    assert len(paths) > 150
    assert len(paths) >= 0.9 * len(set(routes))
    names = {name for _path, name in paths}
    for name in ("start", "activities:door_start", "audit:house_history", "admin:index", "locations:house_list"):
        assert name in names


def _staff_without_second_factor(role, house):
    if role == "administrator":
        return UserFactory(is_staff=True, is_superuser=True)
    scope = {"house": house}
    if role == Role.MANAGER:
        scope = {"house": None, "organisation": current_management(house).operator}
    elif role == Role.MUNICIPALITY:
        scope = {"house": None}
    return RoleAssignmentFactory(role=role, user__second_factor=False, **scope).user


def _assert_only_set_up(client, path, view_name):
    response = client.get(path)
    status = response.status_code
    if view_name in ALLOWED_URL_NAMES:
        assert status != 500, path
        return
    # The middleware answers in process_view, before the view runs: every resolved URL that is not allowed gets
    # the redirect, whether or not the view would have found an object or accepted the method (no 404, no 405).
    assert status == 302 and response["Location"] == SET_UP, f"{path} ({view_name}): {status}"


@pytest.mark.parametrize(
    "role", [Role.COORDINATOR, Role.PROFESSIONAL, Role.MANAGER, Role.MUNICIPALITY, "administrator"]
)
def test_staff_without_a_second_factor_reach_no_page_but_the_set_up(role, house):
    user = _staff_without_second_factor(role, house)
    client = Client()
    client.force_login(user)
    for path, view_name in site_paths(house.slug):
        _assert_only_set_up(client, path, view_name)
    # And the set-up page itself opens (after the password again: this session did not just log in).
    response = client.get(SET_UP)
    assert response.status_code in (200, 302)
    if response.status_code == 302:
        assert response["Location"].startswith(reverse("account_reauthenticate"))


def test_htmx_and_json_requests_of_staff_without_a_second_factor_get_their_own_answer_on_every_url(house):
    user = _staff_without_second_factor(Role.COORDINATOR, house)
    client = Client()
    client.force_login(user)
    for path, view_name in site_paths(house.slug):
        if view_name in ALLOWED_URL_NAMES:
            continue
        htmx = client.get(path, headers={"HX-Request": "true"})
        assert (htmx.status_code, htmx.get("HX-Redirect")) == (204, SET_UP), f"{path} ({view_name})"
        as_json = client.post(path, "{}", content_type="application/json", headers={"Accept": "application/json"})
        assert as_json.status_code == 403, f"{path} ({view_name}): {as_json.status_code}"
        assert as_json.json()["url"] == SET_UP and as_json.json()["error"] == "second_factor_required"


def test_the_crawl_can_fail_the_same_coordinator_with_a_second_factor_reaches_staff_pages(coordinator, house):
    """The crawl above would see staff pages if the middleware let them through."""
    client = Client()
    client.force_login(coordinator)
    opened = [path for path, _name in site_paths(house.slug) if client.get(path).status_code == 200]
    assert len([path for path in opened if path.startswith("/beheer/")]) >= 10
    assert client.get(f"/beheer/huizen/{house.slug}/geschiedenis/").status_code == 200


def test_htmx_and_json_requests_are_refused_with_their_own_answer(house):
    user = _staff_without_second_factor(Role.COORDINATOR, house)
    client = Client()
    client.force_login(user)
    htmx = client.get(START, headers={"HX-Request": "true"})
    assert htmx.status_code == 204 and htmx["HX-Redirect"] == SET_UP
    json = client.get(START, headers={"Accept": "application/json"})
    assert json.status_code == 403 and json.json()["error"] == "second_factor_required"
    posted = client.post(f"/beheer/huizen/{house.slug}/geschiedenis/", data="{", content_type="application/json")
    assert posted.status_code == 403


def test_allowed_pages_open_without_a_second_factor(house):
    user = _staff_without_second_factor(Role.COORDINATOR, house)
    client = Client()
    client.force_login(user)
    assert client.get("/toegankelijkheid/").status_code == 200
    assert client.get("/healthz").status_code in (200, 503)
    assert client.post("/i18n/setlang/", {"language": "en", "next": "/"}).status_code == 302
    assert client.post("/accounts/logout/").status_code == 302
    assert client.get(START).status_code == 302  # logged out now: the login page
    assert client.get(START)["Location"].startswith("/accounts/login/")


def test_a_host_only_reaches_the_door_without_a_second_factor(house):
    host = RoleAssignmentFactory(role=Role.HOST, house=house, user__second_factor=False).user
    client = Client()
    client.force_login(host)
    assert client.get(reverse("activities:door_start")).status_code == 200
    assert client.get(START).status_code == 200


def test_a_resident_needs_no_second_factor(resident):
    client = Client()
    client.force_login(resident)
    assert client.get(START).status_code == 200


def test_a_role_given_later_asks_the_second_factor_at_the_next_request(resident, house):
    client = Client()
    client.force_login(resident)
    assert client.get(START).status_code == 200
    RoleAssignment.objects.create(user=resident, role=Role.COORDINATOR, house=house)
    response = client.get(START)
    assert response.status_code == 302 and response["Location"] == SET_UP


def test_a_removed_role_ends_staff_access_at_the_next_request(coordinator, house):
    client = Client()
    client.force_login(coordinator)
    history = f"/beheer/huizen/{house.slug}/geschiedenis/"
    assert client.get(history).status_code == 200
    RoleAssignment.objects.filter(user=coordinator).delete()
    assert client.get(history).status_code in (403, 404)


# --- Setting up, then logging in with the code or a recovery code ---------------------------------------------


def _log_in(client, user):
    return client.post(reverse("account_login"), {"login": user.email, "password": PASSWORD})


def test_a_coordinator_sets_up_the_app_and_then_the_login_asks_its_code(house, django_capture_on_commit_callbacks):
    user = _staff_without_second_factor(Role.COORDINATOR, house)
    client = Client()
    response = _log_in(client, user)
    assert response.status_code == 302 and response["Location"] == START
    assert client.get(START)["Location"] == SET_UP
    page = client.get(SET_UP)
    assert page.status_code == 200
    secret = page.context["form"].secret
    html = page.content.decode()
    assert secret in html  # the key as text next to the QR code
    assert 'autocomplete="one-time-code"' in html and 'inputmode="numeric"' in html
    wrong = client.post(SET_UP, {"code": "000000" if totp_code(secret) != "000000" else "111111"})
    assert wrong.status_code == 200 and not Authenticator.objects.filter(user=user).exists()
    with django_capture_on_commit_callbacks(execute=True):  # allauth sends its signal once the change is saved
        done = client.post(SET_UP, {"code": totp_code(secret)})
    assert done.status_code == 302, done.context["form"].errors
    assert done["Location"] == reverse("mfa_view_recovery_codes")
    assert client.get(done["Location"]).status_code == 200  # the new codes, once, without the password again
    assert client.get(done["Location"])["Location"].startswith(reverse("account_reauthenticate"))
    assert client.get(START).status_code == 200
    assert set(Authenticator.objects.filter(user=user).values_list("type", flat=True)) == {"totp", "recovery_codes"}
    event = Event.objects.get(action="mfa.activate")
    assert event.actor == user and event.object_id == str(user.pk)

    client.post(reverse("account_logout"))
    response = _log_in(client, user)
    assert response.status_code == 302 and response["Location"] == AUTHENTICATE
    # Not logged in yet: the password alone opens nothing.
    assert client.get(START)["Location"].startswith("/accounts/login/")
    _log_in(client, user)
    assert client.post(AUTHENTICATE, {"code": "12345"}).status_code == 200
    done = client.post(AUTHENTICATE, {"code": totp_code(secret)})
    assert done.status_code == 302 and done["Location"] == START
    assert client.get(START).status_code == 200


def _password_again(client, url):
    """Right after logging in, a change to an existing second factor still asks for the password again."""
    response = client.get(url)
    assert response.status_code == 302 and response["Location"].startswith(reverse("account_reauthenticate")), url
    assert client.post(reverse("account_reauthenticate"), {"password": PASSWORD}).status_code == 302


@pytest.mark.parametrize("url_name", ["mfa_deactivate_totp", "mfa_generate_recovery_codes", "mfa_activate_totp"])
def test_only_a_first_second_factor_is_set_up_without_the_password_again(coordinator, url_name):
    """The "not twice within minutes of logging in" exception is for the first set-up only: turning the app off,
    new recovery codes, or a new app for a user who has one ask for the password, even just after logging in."""
    client = Client()
    _log_in(client, coordinator)
    assert client.post(AUTHENTICATE, {"code": totp_code()})["Location"] == START
    response = client.get(reverse(url_name))
    assert response.status_code == 302 and response["Location"].startswith(reverse("account_reauthenticate"))
    response = client.post(reverse(url_name), {"code": totp_code()})
    assert response.status_code == 302 and response["Location"].startswith(reverse("account_reauthenticate"))
    assert Authenticator.objects.filter(user=coordinator, type="totp").exists()
    assert not Authenticator.objects.filter(user=coordinator, type="recovery_codes").exists()


def test_a_recovery_code_works_once(coordinator, django_capture_on_commit_callbacks):
    codes = Authenticator.objects.filter(user=coordinator, type="recovery_codes").first()
    assert codes is None  # the factory gives an app only; making codes is the user's step
    client = Client()
    _log_in(client, coordinator)
    client.post(AUTHENTICATE, {"code": totp_code()})
    _password_again(client, reverse("mfa_generate_recovery_codes"))
    assert client.get(reverse("mfa_generate_recovery_codes")).status_code == 200
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post(reverse("mfa_generate_recovery_codes")).status_code == 302
    assert Event.objects.filter(action="mfa.recovery_codes", actor=coordinator).count() == 1
    code = Authenticator.objects.get(user=coordinator, type="recovery_codes").wrap().get_unused_codes()[0]
    client.post(reverse("account_logout"))

    _log_in(client, coordinator)
    assert client.post(AUTHENTICATE, {"code": code})["Location"] == START
    client.post(reverse("account_logout"))
    _log_in(client, coordinator)
    again = client.post(AUTHENTICATE, {"code": code})
    assert again.status_code == 200
    assert client.get(START)["Location"].startswith("/accounts/login/")


def test_removing_the_app_is_recorded_and_sends_the_user_back_to_the_set_up(coordinator):
    client = Client()
    _log_in(client, coordinator)
    client.post(AUTHENTICATE, {"code": totp_code()})
    _password_again(client, reverse("mfa_deactivate_totp"))
    assert client.get(reverse("mfa_deactivate_totp")).status_code == 200
    assert client.post(reverse("mfa_deactivate_totp")).status_code == 302
    assert not Authenticator.objects.filter(user=coordinator, type="totp").exists()
    assert Event.objects.filter(action="mfa.deactivate", actor=coordinator).count() == 1
    assert client.get(START)["Location"] == SET_UP


# --- Every login path passes the second step -----------------------------------------------------------------


def test_the_admin_login_is_allauths_login(administrator):
    response = Client().get("/admin/login/")
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")
    client = Client()
    assert client.post("/admin/login/", {"username": administrator.email, "password": PASSWORD}).status_code == 302
    assert client.get("/admin/")["Location"].startswith("/admin/login/")


def test_the_login_by_e_mail_confirmation_asks_the_code_too(house, settings):
    user = RoleAssignmentFactory(role=Role.COORDINATOR, house=house, user__verified=False).user
    address = EmailAddress.objects.create(user=user, email=user.email, verified=False, primary=True)
    client = Client()
    # The sign-up's browser: a pending login in the session, then the link in the e-mail.
    response = _log_in(client, user)
    assert response.status_code == 302 and "confirm-email" in response["Location"]
    key = EmailConfirmationHMAC(address).key
    response = client.post(reverse("account_confirm_email", args=[key]))
    assert response.status_code == 302 and response["Location"] == AUTHENTICATE
    assert client.get(START)["Location"].startswith("/accounts/login/")
    assert client.post(AUTHENTICATE, {"code": totp_code(TEST_TOTP_SECRET)})["Location"] == START


# --- Demo mode: the code page shows the demo accounts' code -------------------------------------------------


def test_demo_mode_shows_the_code_of_demo_accounts_only(settings, house):
    from accounts.demo import DEMO_TOTP_SECRET

    settings.DEMO_MODE = True
    demo = RoleAssignmentFactory(
        role=Role.COORDINATOR, house=house, user__email="coordinator@demo.huizen.nl", user__second_factor=False
    ).user
    Authenticator.objects.filter(user=demo).delete()
    from allauth.mfa.totp.internal.auth import TOTP

    TOTP.activate(demo, DEMO_TOTP_SECRET)
    other = RoleAssignmentFactory(role=Role.COORDINATOR, house=house).user
    client = Client()
    _log_in(client, demo)
    page = client.get(AUTHENTICATE)
    assert b"data-demo-code" in page.content and totp_code(DEMO_TOTP_SECRET).encode() in page.content
    client.post(AUTHENTICATE, {"code": totp_code(DEMO_TOTP_SECRET)})
    client.post(reverse("account_logout"))
    _log_in(client, other)
    assert b"data-demo-code" not in client.get(AUTHENTICATE).content
    settings.DEMO_MODE = False
    client.post(reverse("account_logout"))
    _log_in(client, demo)
    assert b"data-demo-code" not in client.get(AUTHENTICATE).content


# --- The admin: lists second factors, removes one through the service -----------------------------------------


def test_an_administrator_removes_a_lost_authenticator_and_it_is_recorded(administrator, coordinator):
    client = Client()
    client.force_login(administrator)
    app = Authenticator.objects.get(user=coordinator, type="totp")
    assert client.get("/admin/mfa/authenticator/").status_code == 200
    assert client.get("/admin/mfa/authenticator/add/").status_code == 403
    assert client.post(f"/admin/mfa/authenticator/{app.pk}/change/", {"type": "totp"}).status_code == 403
    response = client.post(f"/admin/mfa/authenticator/{app.pk}/delete/", {"post": "yes"})
    assert response.status_code == 302
    assert not Authenticator.objects.filter(user=coordinator).exists()
    event = Event.objects.get(action="mfa.deactivate")
    assert event.actor == administrator and event.object_id == str(coordinator.pk)
    theirs = Client()
    theirs.force_login(coordinator)
    assert theirs.get(START)["Location"] == SET_UP


def test_sessions_are_read_only_in_the_admin(administrator):
    client = Client()
    client.force_login(administrator)
    assert client.get("/admin/usersessions/usersession/").status_code == 200
    assert client.get("/admin/usersessions/usersession/add/").status_code == 403


def test_demo_mode_shows_no_code_for_a_demo_account_with_its_own_app(settings, house):
    """nieuw@ is a demo account that sets up its own app: the demo code would be wrong for it, so none is shown."""
    settings.DEMO_MODE = True
    demo = RoleAssignmentFactory(
        role=Role.COORDINATOR, house=house, user__email="nieuw@demo.huizen.nl", user__second_factor=False
    ).user
    from allauth.mfa.totp.internal.auth import TOTP

    TOTP.activate(demo, TEST_TOTP_SECRET)
    client = Client()
    _log_in(client, demo)
    assert b"data-demo-code" not in client.get(AUTHENTICATE).content


# --- Passkeys (WebAuthn) as a second factor ---------------------------------------------------------------------


class SoftPasskey:
    """A passkey in software (what a phone or a security key does): it makes a credential for the options the site
    gives, and signs the site's challenge at a login. Not a mock of our code: allauth and fido2 check what it makes."""

    def __init__(self):
        self.key = ec.generate_private_key(ec.SECP256R1())
        self.credential_id = os.urandom(16)
        self.counter = 0

    def _auth_data(self, rp_id: str, flags: int, attested: bytes = b"") -> bytes:
        self.counter += 1
        return hashlib.sha256(rp_id.encode()).digest() + bytes([flags]) + self.counter.to_bytes(4, "big") + attested

    def create(self, options: dict, origin: str = "https://testserver") -> str:
        public_key = options["publicKey"]
        client_data = json.dumps(
            {"type": "webauthn.create", "challenge": public_key["challenge"], "origin": origin}
        ).encode()
        cose_key = cbor.encode(ES256.from_cryptography_key(self.key.public_key()))
        attested = bytes(16) + len(self.credential_id).to_bytes(2, "big") + self.credential_id + cose_key
        auth_data = self._auth_data(public_key["rp"]["id"], 0x45, attested)  # user present, verified, attested data
        attestation = cbor.encode({"fmt": "none", "attStmt": {}, "authData": auth_data})
        return json.dumps(
            {
                "id": websafe_encode(self.credential_id),
                "rawId": websafe_encode(self.credential_id),
                "type": "public-key",
                "response": {
                    "clientDataJSON": websafe_encode(client_data),
                    "attestationObject": websafe_encode(attestation),
                },
                "clientExtensionResults": {},
            }
        )

    def get(self, options: dict, origin: str = "https://testserver") -> str:
        public_key = options["publicKey"]
        client_data = json.dumps(
            {"type": "webauthn.get", "challenge": public_key["challenge"], "origin": origin}
        ).encode()
        auth_data = self._auth_data(public_key["rpId"], 0x05)  # user present, verified
        signature = self.key.sign(auth_data + hashlib.sha256(client_data).digest(), ec.ECDSA(hashes.SHA256()))
        return json.dumps(
            {
                "id": websafe_encode(self.credential_id),
                "rawId": websafe_encode(self.credential_id),
                "type": "public-key",
                "response": {
                    "clientDataJSON": websafe_encode(client_data),
                    "authenticatorData": websafe_encode(auth_data),
                    "signature": websafe_encode(signature),
                },
                "clientExtensionResults": {},
            }
        )


ADD_PASSKEY = "/accounts/2fa/webauthn/add/"


def test_passkeys_are_a_second_step_only_never_a_login_without_the_password(settings):
    assert "webauthn" in settings.MFA_SUPPORTED_TYPES
    assert settings.MFA_PASSKEY_LOGIN_ENABLED is False
    assert "mfa_add_webauthn" in ALLOWED_URL_NAMES
    with pytest.raises(NoReverseMatch):
        reverse("mfa_login_webauthn")
    login_page = Client().get(reverse("account_login")).content.decode()
    assert "webauthn" not in login_page and "passkey" not in login_page.lower()


def test_a_coordinator_adds_a_passkey_instead_of_the_app_and_logs_in_with_it(house, django_capture_on_commit_callbacks):
    user = _staff_without_second_factor(Role.COORDINATOR, house)
    client = Client()
    _log_in(client, user)
    set_up = client.get(SET_UP).content.decode()
    # The offer is hidden until allauth's script says the browser supports passkeys; no inline script (CSP).
    assert re.search(
        r'<p class="utrecht-paragraph" data-passkey-offer hidden>.*href="/accounts/2fa/webauthn/add/"', set_up
    )
    assert "mfa/js/webauthn-json.js" in set_up and "js/passkeys.js" in set_up

    page = client.get(ADD_PASSKEY)  # right after logging in: no password again for a first second factor
    assert page.status_code == 200
    html = page.content.decode()
    assert all('type="application/json"' in tag for tag in re.findall(r"<script(?![^>]*\bsrc=)[^>]*>", html))
    assert 'name="passwordless"' not in html
    passkey = SoftPasskey()
    credential = passkey.create(page.context["js_data"]["creation_options"])
    with django_capture_on_commit_callbacks(execute=True):
        done = client.post(ADD_PASSKEY, {"name": "Laptop thuis", "credential": credential})
    assert done.status_code == 302, done.context["form"].errors
    assert done["Location"] == reverse("mfa_view_recovery_codes")
    assert set(Authenticator.objects.filter(user=user).values_list("type", flat=True)) == {"webauthn", "recovery_codes"}
    assert Authenticator.objects.get(user=user, type="webauthn").data["name"] == "Laptop thuis"
    assert client.get(START).status_code == 200  # a passkey is a second factor
    event = Event.objects.get(action="mfa.activate")
    assert event.actor == user and event.changes == {"type": "webauthn"}

    client.post(reverse("account_logout"))
    assert _log_in(client, user)["Location"] == AUTHENTICATE
    page = client.get(AUTHENTICATE)
    html = page.content.decode()
    assert "Gebruik je passkey" in html and "data-passkey-offer hidden" in html and "gebruik je passkey, of typ" in html
    wrong = client.post(AUTHENTICATE, {"credential": SoftPasskey().get(page.context["js_data"]["request_options"])})
    assert wrong.status_code == 200  # another passkey: not logged in
    assert client.get(START)["Location"].startswith("/accounts/login/")
    _log_in(client, user)
    page = client.get(AUTHENTICATE)
    done = client.post(AUTHENTICATE, {"credential": passkey.get(page.context["js_data"]["request_options"])})
    assert done.status_code == 302 and done["Location"] == START
    assert client.get(START).status_code == 200


@pytest.mark.parametrize(
    "credential",
    ["{", '"x"', "[]", "{}", '{"id": 1}', '{"type": "public-key", "response": {}}', "a\x00b", "x" * 10_000],
)
def test_a_bad_passkey_answer_gives_an_error_and_saves_nothing(house, credential):
    user = _staff_without_second_factor(Role.COORDINATOR, house)
    client = Client()
    _log_in(client, user)
    client.get(ADD_PASSKEY)
    response = client.post(ADD_PASSKEY, {"name": "Laptop", "credential": credential})
    assert response.status_code == 200
    assert "data-error-summary" in response.content.decode()
    assert not Authenticator.objects.filter(user=user).exists()


@pytest.mark.parametrize("name", ["x" * 10_000, "a\x00b"])
def test_a_bad_passkey_name_gives_an_error_and_saves_nothing(house, name):
    user = _staff_without_second_factor(Role.COORDINATOR, house)
    client = Client()
    _log_in(client, user)
    page = client.get(ADD_PASSKEY)
    credential = SoftPasskey().create(page.context["js_data"]["creation_options"])
    response = client.post(ADD_PASSKEY, {"name": name, "credential": credential})
    assert response.status_code == 200 and "data-error-summary" in response.content.decode()
    assert not Authenticator.objects.filter(user=user).exists()


@pytest.mark.parametrize(
    "credential", ["{", "[]", "{}", '{"id": 1}', '{"type": "public-key", "response": {}}', "a\x00b"]
)
def test_a_bad_passkey_answer_at_the_login_gives_an_error_and_logs_in_nobody(coordinator, credential):
    client = Client()
    _log_in(client, coordinator)
    response = client.post(AUTHENTICATE, {"credential": credential})
    assert response.status_code == 200 and "data-error-summary" in response.content.decode()
    assert client.get(START)["Location"].startswith("/accounts/login/")


def test_the_login_offers_the_passkey_only_to_whoever_has_one(coordinator):
    client = Client()
    _log_in(client, coordinator)
    html = client.get(AUTHENTICATE).content.decode()
    assert "Gebruik je passkey" not in html and "webauthn" not in html


def _coordinator_with_a_passkey(house, django_capture_on_commit_callbacks):
    user = _staff_without_second_factor(Role.COORDINATOR, house)
    client = Client()
    _log_in(client, user)
    page = client.get(ADD_PASSKEY)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(ADD_PASSKEY, {"credential": SoftPasskey().create(page.context["js_data"]["creation_options"])})
    return user, client, Authenticator.objects.get(user=user, type="webauthn")


def test_a_passkey_is_renamed_and_removed_and_staff_go_back_to_the_set_up(house, django_capture_on_commit_callbacks):
    user, client, passkey = _coordinator_with_a_passkey(house, django_capture_on_commit_callbacks)
    listing = client.get(reverse("mfa_list_webauthn"))
    assert listing.status_code == 200 and "data-passkeys" in listing.content.decode()
    edit = reverse("mfa_edit_webauthn", args=[passkey.pk])
    _password_again(client, edit)  # not the first set-up: renaming asks for the password again
    assert client.get(edit).status_code == 200
    for bad in ("x" * 10_000, "a\x00b", ""):
        response = client.post(edit, {"name": bad})
        assert response.status_code == 200 and "data-error-summary" in response.content.decode()
    assert client.post(edit, {"name": "Telefoon"}).status_code == 302
    passkey.refresh_from_db()
    assert passkey.data["name"] == "Telefoon"

    remove = reverse("mfa_remove_webauthn", args=[passkey.pk])
    assert client.get(remove).status_code == 200
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(remove)
    assert response.status_code == 302
    assert not Authenticator.objects.filter(user=user, type="webauthn").exists()
    assert Event.objects.filter(action="mfa.deactivate", actor=user, changes={"type": "webauthn"}).count() == 1
    assert client.get(START)["Location"] == SET_UP  # no second factor left


def test_another_users_passkey_gives_404(house, django_capture_on_commit_callbacks):
    _, _, passkey = _coordinator_with_a_passkey(house, django_capture_on_commit_callbacks)
    other, client, _ = _coordinator_with_a_passkey(house, django_capture_on_commit_callbacks)
    assert client.post(reverse("account_reauthenticate"), {"password": PASSWORD}).status_code == 302
    assert client.get(reverse("mfa_edit_webauthn", args=[passkey.pk])).status_code == 404
    assert client.post(reverse("mfa_remove_webauthn", args=[passkey.pk])).status_code == 404
    assert Authenticator.objects.filter(pk=passkey.pk).exists()
