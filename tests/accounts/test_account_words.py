"""The account pages speak plain Dutch like the rest of the site: "Inloggen" (never "Aanmelden", which is for
activities), "je" (never "u" or "uw"), and no double colons."""

import html
import re

import pytest
from allauth.account.forms import default_token_generator
from allauth.account.models import EmailAddress, EmailConfirmationHMAC
from allauth.account.utils import user_pk_to_url_str
from django.urls import reverse
from django.utils import translation

from tests.factories import UserFactory

FORMAL = re.compile(r"\b(u|uw|a\.u\.b\.)\b", re.IGNORECASE)
SIGN_IN = re.compile(r"aanmeld|meld je (dan )?aan|meld u", re.IGNORECASE)


def main_text(response) -> str:
    """The visible words of the page's <main> (the menu may rightly offer "Mijn aanmeldingen")."""
    content = response.content.decode()
    main = content[content.index("<main") : content.index("</main>")]
    text = re.sub(r"<[^>]+>", " ", main)
    return " ".join(html.unescape(text).split())


def assert_plain_dutch(response, name):
    assert response.status_code == 200, name
    text = main_text(response)
    assert not SIGN_IN.search(text), f"{name}: {SIGN_IN.search(text).group()!r} in {text!r}"
    assert not FORMAL.search(text), f"{name}: {FORMAL.search(text).group()!r} in {text!r}"
    assert "::" not in text and ": :" not in text, f"{name}: double colon in {text!r}"


@pytest.fixture
def dutch():
    with translation.override("nl"):
        yield


@pytest.mark.parametrize(
    "name",
    ["account_login", "account_signup", "account_reset_password", "account_reset_password_done"],
)
def test_pages_for_visitors(client, db, dutch, name):
    assert_plain_dutch(client.get(reverse(name)), name)


def test_pages_with_errors(client, db, dutch):
    response = client.post(reverse("account_login"), {"login": "iemand@example.nl", "password": "fout"})
    assert_plain_dutch(response, "login with an error")
    assert "Inloggen" in main_text(response)
    response = client.post(reverse("account_signup"), {"email": "geen-adres", "password1": "1", "password2": "2"})
    assert_plain_dutch(response, "signup with errors")
    assert "Log dan in" in main_text(response)
    response = client.post(reverse("account_reset_password"), {"email": "geen-adres"})
    assert_plain_dutch(response, "password reset with an error")


def test_the_verification_sent_page(client, db, dutch):
    password = "een-lang-wachtwoord-42"
    data = {"first_name": "Noor", "email": "noor@example.nl", "password1": password, "password2": password}
    response = client.post(reverse("account_signup"), {**data, "language": "nl"}, follow=True)
    assert_plain_dutch(response, "verification sent")


@pytest.mark.parametrize("name", ["account_email", "account_logout", "account_change_password"])
def test_pages_for_logged_in_people(client, resident, dutch, name):
    client.force_login(resident)
    assert_plain_dutch(client.get(reverse(name)), name)


def test_the_confirm_page(client, db, dutch):
    user = UserFactory(verified=False)
    address = EmailAddress.objects.create(user=user, email=user.email, verified=False, primary=True)
    key = EmailConfirmationHMAC(address).key
    response = client.get(reverse("account_confirm_email", args=[key]))
    assert_plain_dutch(response, "confirm")
    assert user.email in main_text(response)
    assert_plain_dutch(client.get(reverse("account_confirm_email", args=["kapot"])), "confirm with a bad key")


def test_the_new_password_page(client, resident, dutch):
    uid, token = user_pk_to_url_str(resident), default_token_generator.make_token(resident)
    url = reverse("account_reset_password_from_key", kwargs={"uidb36": uid, "key": token})
    response = client.get(url, follow=True)
    assert_plain_dutch(response, "new password")
    assert "Nieuw wachtwoord" in main_text(response)
    assert_plain_dutch(
        client.get(reverse("account_reset_password_from_key", kwargs={"uidb36": "1", "key": "kapot"})), "bad key"
    )
