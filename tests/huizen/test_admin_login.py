"""One login for everyone: /admin/login/ has no password form of its own, it sends people to the site's login
(django-allauth), which blocks after five wrong passwords. Administrators included."""

import pytest
from django.contrib.auth import SESSION_KEY
from django.contrib.auth.models import Permission
from django.core.cache import cache
from django.test import override_settings
from django.urls import reverse

from tests.factories import PASSWORD, UserFactory, totp_code


@pytest.fixture
def rate_limits():
    """allauth's own rate limits (the test settings turn them off), on a clean cache."""
    cache.clear()
    with override_settings(ACCOUNT_RATE_LIMITS={}):
        yield
    cache.clear()


def test_admin_login_sends_to_the_one_login(client):
    response = client.get(reverse("admin:login"), {"next": "/admin/accounts/user/"})
    assert response.status_code == 302
    assert response["Location"] == reverse("account_login") + "?next=/admin/accounts/user/"


def test_admin_login_refuses_a_next_to_another_site(client):
    response = client.get(reverse("admin:login"), {"next": "https://example.com/"})
    assert response["Location"] == reverse("account_login") + "?next=/admin/"


def test_admin_index_leads_to_the_one_login(client):
    first = client.get(reverse("admin:index"))
    second = client.get(first["Location"])
    assert second.status_code == 302
    assert second["Location"].startswith(reverse("account_login") + "?next=")


def test_25_wrong_admin_passwords_then_the_right_one_do_not_log_in(client, rate_limits, administrator):
    for _attempt in range(25):
        response = client.post(
            reverse("admin:login"), {"username": administrator.email, "password": "wrong", "next": "/admin/"}
        )
        assert response.status_code == 302 and response["Location"].startswith(reverse("account_login"))
    response = client.post(
        reverse("admin:login"), {"username": administrator.email, "password": PASSWORD, "next": "/admin/"}
    )
    assert response.status_code == 302
    assert SESSION_KEY not in client.session
    assert client.get(reverse("admin:index")).status_code == 302


def test_the_one_login_blocks_an_administrator_after_five_wrong_passwords(client, rate_limits, administrator):
    login = reverse("account_login") + "?next=/admin/"
    for _attempt in range(5):
        client.post(login, {"login": administrator.email, "password": "wrong"})
    response = client.post(login, {"login": administrator.email, "password": PASSWORD})
    assert SESSION_KEY not in client.session
    assert response.status_code in (200, 429)


def test_an_administrator_logs_in_through_the_one_login_and_reaches_the_admin(client, rate_limits, administrator):
    response = client.post(
        reverse("account_login") + "?next=/admin/", {"login": administrator.email, "password": PASSWORD}
    )
    # The administrator has an authenticator app: the second step asks its code before anything opens.
    assert response.status_code == 302 and response["Location"] == reverse("mfa_authenticate")
    assert client.get(reverse("admin:index")).status_code == 302
    response = client.post(reverse("mfa_authenticate"), {"code": totp_code()})
    assert response.status_code == 302 and response["Location"] == "/admin/"
    assert client.get(reverse("admin:index")).status_code == 200
    assert client.get(reverse("admin:login"))["Location"] == reverse("admin:index")


def test_logged_in_without_the_admin_right_gets_403_not_a_loop(client, resident):
    client.force_login(resident)
    assert client.get(reverse("admin:login"), {"next": "/admin/"}).status_code == 403


@pytest.mark.parametrize(
    ("next_url", "expected"),
    [
        ("x", "/admin/"),
        ("//evil.example/", "/admin/"),
        ("bookings:my_bookings", "/admin/"),
        ("https://evil.example/", "/admin/"),
        ("/admin/accounts/user/", "/admin/accounts/user/"),
    ],
)
def test_a_logged_in_administrator_is_sent_on_only_to_a_path_on_this_site(client, administrator, next_url, expected):
    client.force_login(administrator)
    response = client.get(reverse("admin:login"), {"next": next_url})
    assert response.status_code == 302
    assert response["Location"] == expected


def test_a_bare_word_as_next_on_the_admin_login_is_ignored(client):
    response = client.get(reverse("admin:login"), {"next": "bookings:my_bookings"})
    assert response["Location"] == reverse("account_login") + "?next=/admin/"


@pytest.fixture
def staff_with_view_permissions(db):
    """`is_staff` with Django's view permissions on bookings and sessions, but no administrator in the policy."""
    user = UserFactory(is_staff=True)
    user.user_permissions.set(
        Permission.objects.filter(codename__in=["view_booking", "view_session", "view_registration", "view_house"])
    )
    return user


def test_staff_with_model_permissions_but_no_administrator_cannot_see_the_admin(client, staff_with_view_permissions):
    client.force_login(staff_with_view_permissions)
    assert client.get(reverse("admin:index")).status_code == 302
    assert client.get(reverse("admin:bookings_booking_changelist")).status_code == 302
    assert client.get(reverse("admin:login"), {"next": "/admin/"}).status_code == 403


def test_an_administrator_sees_the_admin(client, administrator):
    client.force_login(administrator)
    assert client.get(reverse("admin:index")).status_code == 200
    assert client.get(reverse("admin:bookings_booking_changelist")).status_code == 200
