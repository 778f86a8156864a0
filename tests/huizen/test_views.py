import re

import pytest
from django.core import mail
from django.urls import reverse

from tests.factories import PASSWORD, HouseFactory, totp_code


def test_healthz_reports_database_and_broker(client, db, settings):
    response = client.get("/healthz")
    assert response.status_code == 200
    body = response.json()
    assert body["database"] == "ok"
    assert body["broker"] == ("ok" if settings.REDIS_URL else "eager")
    assert body["status"] == "ok"


@pytest.mark.allow_error_log  # the 503 is logged by Django as an error
def test_healthz_reports_an_unreachable_broker(client, db, settings):
    settings.REDIS_URL = "redis://127.0.0.1:1/0"
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json() == {"status": "error", "database": "ok", "broker": "error"}


def test_start_page_needs_a_login(client, db):
    response = client.get(reverse("start"))
    assert response.status_code == 302
    assert reverse("account_login") in response["Location"]


def start_page(client, user):
    client.force_login(user)
    response = client.get(reverse("start"))
    assert response.status_code == 200
    return response


@pytest.mark.parametrize("person", ["host", "coordinator", "manager"])
def test_house_staff_see_their_own_house_only(client, request, person, house, other_house):
    response = start_page(client, request.getfixturevalue(person))
    assert [h.pk for h in response.context["houses"]] == [house.pk]
    assert other_house.name not in response.content.decode()


@pytest.mark.parametrize("person", ["municipality", "administrator"])
def test_network_staff_see_every_house(client, request, person, house, other_house):
    response = start_page(client, request.getfixturevalue(person))
    assert {h.pk for h in response.context["houses"]} == {house.pk, other_house.pk}


def test_resident_start_page(client, resident, house):
    response = start_page(client, resident)
    assert response.context["houses"] == []
    assert reverse("account_change_password") in response.content.decode()


def test_start_page_query_count_is_fixed(client, municipality, django_assert_max_num_queries):
    for _ in range(30):
        HouseFactory()
    client.force_login(municipality)
    with django_assert_max_num_queries(10):
        client.get(reverse("start"))


def test_login_with_email_lands_on_the_start_page(client, coordinator):
    response = client.post(reverse("account_login"), {"login": coordinator.email, "password": PASSWORD})
    assert response.status_code == 302
    assert response["Location"] == reverse("mfa_authenticate")  # staff: the code of their app first
    response = client.post(reverse("mfa_authenticate"), {"code": totp_code()})
    assert response["Location"] == reverse("start")


def test_wrong_password_gives_a_clear_error(client, coordinator):
    response = client.post(reverse("account_login"), {"login": coordinator.email, "password": "wrong"})
    assert response.status_code == 200
    assert "wachtwoord is niet correct" in response.content.decode()


def test_resident_signs_up_and_must_verify_the_address(client, db, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):  # allauth's e-mails go through the outbox
        response = client.post(
            reverse("account_signup"),
            {
                "first_name": "Noor",
                "email": "nieuw@example.nl",
                "password1": "een-lang-wachtwoord-42",
                "password2": "een-lang-wachtwoord-42",
                "language": "nl",
            },
        )
    assert response.status_code == 302
    assert len(mail.outbox) == 1
    # Not verified yet: logging in sends the confirmation again instead of letting them in.
    client.logout()
    client.post(reverse("account_login"), {"login": "nieuw@example.nl", "password": "een-lang-wachtwoord-42"})
    assert "_auth_user_id" not in client.session
    link = re.search(r"https?://[^/]+(/accounts/confirm-email/[^\s]+/)", mail.outbox[0].body).group(1)
    client.post(link)
    response = client.post(
        reverse("account_login"), {"login": "nieuw@example.nl", "password": "een-lang-wachtwoord-42"}
    )
    assert response["Location"] == reverse("start")


def test_signup_with_bad_input_saves_nothing(client, db):
    from accounts.models import User

    response = client.post(
        reverse("account_signup"), {"email": "geen-adres", "password1": "kort", "password2": "anders"}
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert 'aria-invalid="true"' in html and "aria-describedby" in html
    assert not User.objects.exists()


def test_password_reset_sends_a_link(client, coordinator, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("account_reset_password"), {"email": coordinator.email})
    assert response.status_code == 302
    assert len(mail.outbox) == 1 and "/accounts/password/reset/key/" in mail.outbox[0].body
