"""Where you are logged in: the list of your sessions, ending one, all others, or all of them (accounts/mfa.py)."""

from allauth.usersessions.models import UserSession
from django.test import Client
from django.urls import reverse

from audit.models import Event

from ..factories import PASSWORD, totp_code

LIST = "/accounts/sessions/"
START = "/start/"


def _logged_in_client(user, browser="Firefox op laptop") -> Client:
    client = Client(headers={"User-Agent": browser})
    response = client.post(reverse("account_login"), {"login": user.email, "password": PASSWORD})
    if response["Location"] == "/accounts/2fa/authenticate/":
        response = client.post("/accounts/2fa/authenticate/", {"code": totp_code()})
    assert response["Location"] == START
    return client


def _logged_in(client) -> bool:
    return client.get(START).status_code == 200


def test_a_coordinator_sees_their_sessions_and_ends_one(coordinator, other_house_coordinator, clock):
    import datetime as dt

    laptop = _logged_in_client(coordinator, "Firefox op laptop")
    clock.shift(dt.timedelta(seconds=31))  # the next login code
    phone = _logged_in_client(coordinator, "Safari op telefoon")
    clock.shift(dt.timedelta(seconds=31))
    _logged_in_client(other_house_coordinator)

    page = laptop.get(LIST)
    assert page.status_code == 200
    html = page.content.decode()
    assert "Firefox op laptop" in html and "Safari op telefoon" in html
    assert html.count("data-session") == 2  # only one's own sessions
    assert "dit apparaat" in html

    phone_session = UserSession.objects.get(user=coordinator, user_agent="Safari op telefoon")
    response = laptop.post(reverse("accounts:session_end", args=[phone_session.pk]))
    assert response.status_code == 302 and response["Location"] == LIST
    assert not _logged_in(phone)
    assert _logged_in(laptop)
    event = Event.objects.get(action="user_sessions.end")
    assert event.actor == coordinator and event.changes == {"count": 1}

    # Another's session: 404, and it stays.
    theirs = UserSession.objects.get(user=other_house_coordinator)
    assert laptop.post(reverse("accounts:session_end", args=[theirs.pk])).status_code == 404
    assert UserSession.objects.filter(pk=theirs.pk).exists()
    # Only by POST.
    assert laptop.get(reverse("accounts:session_end", args=[theirs.pk])).status_code == 405


def test_log_out_everywhere_else_and_everywhere(resident, clock):
    first = _logged_in_client(resident, "Browser een")
    second = _logged_in_client(resident, "Browser twee")
    third = _logged_in_client(resident, "Browser drie")

    response = first.post(LIST)  # allauth's "log out of all other sessions"
    assert response.status_code == 302
    assert _logged_in(first) and not _logged_in(second) and not _logged_in(third)
    assert Event.objects.get(action="user_sessions.end").changes == {"count": 2}

    fourth = _logged_in_client(resident, "Browser vier")
    response = first.post(reverse("accounts:sessions_end_all"))
    assert response.status_code == 302 and response["Location"] == "/"
    assert not _logged_in(first) and not _logged_in(fourth)
    assert not UserSession.objects.filter(user=resident).exists()
    assert list(Event.objects.filter(action="user_sessions.end").values_list("changes", flat=True)) == [
        {"count": 2},
        {"count": 2},
    ]


def test_ending_the_current_session_logs_out_here(resident):
    client = _logged_in_client(resident)
    session = UserSession.objects.get(user=resident)
    response = client.post(reverse("accounts:session_end", args=[session.pk]))
    assert response.status_code == 302
    assert not _logged_in(client)


def test_the_sessions_page_needs_a_login(client):
    assert client.get(LIST)["Location"].startswith("/accounts/login/")
    assert client.post(reverse("accounts:sessions_end_all"))["Location"].startswith("/accounts/login/")


def test_the_list_costs_a_fixed_amount_per_session_shown(resident, django_assert_max_num_queries):
    client = _logged_in_client(resident)
    with django_assert_max_num_queries(40) as one:
        client.get(LIST)
    for n in range(10):
        _logged_in_client(resident, f"Browser {n}")
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as many:
        assert client.get(LIST).content.decode().count("data-session") == 11
    # allauth checks that each listed session is still alive (the session row and its user: three lookups each), so
    # the cost grows with the rows shown, never beyond them. A person has a handful of sessions.
    assert len(many) - len(one) <= 3 * 10
