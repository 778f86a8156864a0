"""Sign-up asks a first name, an optional surname and the preferred language, stores them, and confirming the
e-mail address logs the person in; the host at the door then sees their name."""

import re

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import translation

from accounts.models import User
from audit.models import Event
from tests.activities.test_door import screen_url, today_session
from tests.factories import PlaceFactory, RegistrationFactory, UserFactory

PASSWORD = "een-lang-wachtwoord-42"


def signup_data(**overrides):
    return {
        "first_name": "Noor",
        "last_name": "Bakker",
        "email": "noor@example.nl",
        "password1": PASSWORD,
        "password2": PASSWORD,
        "language": "en",
        **overrides,
    }


def confirmation_link(message) -> str:
    return re.search(r"https?://[^/\s]+(/accounts/confirm-email/[^\s]+/)", message.body).group(1)


def test_signup_stores_name_and_language_and_records_it(client, db):
    response = client.post(reverse("account_signup"), signup_data())
    assert response.status_code == 302
    user = User.objects.get(email="noor@example.nl")
    assert (user.first_name, user.last_name, user.language) == ("Noor", "Bakker", "en")
    event = Event.objects.get(action="user.signup")
    assert event.actor == user and "Noor" not in event.object_label


def test_the_surname_is_optional_and_names_are_trimmed(client, db):
    client.post(reverse("account_signup"), signup_data(first_name="  Noor ", last_name="  "))
    user = User.objects.get(email="noor@example.nl")
    assert (user.first_name, user.last_name) == ("Noor", "")


@pytest.mark.parametrize(
    ("overrides", "field", "error"),
    [
        ({"first_name": ""}, "first_name", "Vul je voornaam in."),
        ({"first_name": "   "}, "first_name", "Vul je voornaam in."),
        ({"first_name": "No\nor"}, "first_name", "Schrijf dit op één regel"),
        ({"language": "de"}, "language", "Kies een van de talen uit de lijst."),
    ],
)
def test_signup_with_a_bad_name_or_language_says_so_in_dutch_and_saves_nothing(client, db, overrides, field, error):
    response = client.post(reverse("account_signup"), signup_data(**overrides))
    assert response.status_code == 200
    assert any(error in message for message in response.context["form"].errors[field])
    assert not User.objects.exists()
    assert not mail.outbox


@pytest.mark.parametrize(("cookie", "expected"), [(None, "nl"), ("en", "en")])
def test_the_language_starts_as_the_language_of_the_page(client, db, settings, cookie, expected):
    if cookie:
        client.cookies[settings.LANGUAGE_COOKIE_NAME] = cookie
    html = client.get(reverse("account_signup")).content.decode()
    assert re.search(rf'<option value="{expected}"[^>]*selected', html)
    # Each language is named in its own words, so it can be found whatever language the page is in.
    assert ">Nederlands</option>" in html and ">English</option>" in html


def test_signup_shows_name_fields_first_and_language_last(client, db):
    form = client.get(reverse("account_signup")).context["form"]
    names = list(form.fields)
    assert names[:3] == ["first_name", "last_name", "email"]
    assert names.index("language") > names.index("password2")


def test_confirming_the_address_logs_the_person_in(client, db, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):  # allauth's e-mails go through the outbox
        client.post(reverse("account_signup"), signup_data())
    assert "_auth_user_id" not in client.session  # verification is mandatory: not logged in yet
    (message,) = mail.outbox
    response = client.post(confirmation_link(message))
    assert response.status_code == 302 and response["Location"] == reverse("start")
    assert client.session["_auth_user_id"] == str(User.objects.get(email="noor@example.nl").pk)
    assert client.get(reverse("start")).status_code == 200


def test_a_person_who_signed_up_shows_at_the_door_by_name(client, db, host, house):
    client.post(reverse("account_signup"), signup_data())
    resident = User.objects.get(email="noor@example.nl")
    place = PlaceFactory(house=house)
    session = today_session(place, registration_required=True)
    RegistrationFactory(session=session, user=resident)
    RegistrationFactory(session=session, user=UserFactory(first_name="", last_name=""))  # an account from before
    client.force_login(host)
    with translation.override("nl"):
        content = client.get(screen_url(house, place)).content.decode()
    assert "Noor B." in content and "Bakker" not in content
    assert content.count("(geen naam opgegeven)") == 1  # an older account without a name still shows
