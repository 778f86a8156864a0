"""The door screen, its tap endpoint (idempotent, lean), undo, totals, tick-off and close-out."""

import datetime as dt
import json
import uuid
from unittest import mock

import pytest
from django.conf import settings
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from activities.models import DoorTally, Registration, Session
from activities.views.door import _today_bounds
from huizen.dates import day_start
from tests.factories import (
    ActivityFactory,
    DoorTallyFactory,
    HouseFactory,
    PlaceFactory,
    RegistrationFactory,
    RoleAssignmentFactory,
    SessionFactory,
    UserFactory,
)

pytestmark = pytest.mark.date_sensitive

ALLOWED = ["host", "coordinator"]
NOT_ALLOWED = ["other_house_host", "other_house_coordinator", "manager", "municipality", "resident", "administrator"]


@pytest.fixture
def place(house):
    return PlaceFactory(house=house, name="Het Klooster")


def today_session(place, *, title="Samen eten", registration_required=False, **kwargs):
    activity = ActivityFactory(
        house=place.house,
        place=place,
        title=title,
        first_date=timezone.localdate(),
        registration_required=registration_required,
    )
    return SessionFactory(activity=activity, **kwargs)


def a_tap(at, **overrides):
    return {
        "tap_id": str(uuid.uuid4()),
        "place": at.pk,
        "session": None,
        "recorded_at": timezone.localtime().isoformat(),
        "count": 1,
        "is_new": False,
        "age_band": "",
        **overrides,
    }


def taps_url(house):
    return reverse("activities:door_taps", args=[house.slug])


def post_json(client, url, payload):
    body = payload if isinstance(payload, str | bytes) else json.dumps(payload)
    return client.post(url, data=body, content_type="application/json")


def post_taps(client, house, taps):
    return post_json(client, taps_url(house), {"taps": taps})


def screen_url(house, place):
    return reverse("activities:door", args=[house.slug, place.pk])


# --- recording taps ---------------------------------------------------------------------------------------


def test_a_tap_is_stored_with_everything_the_device_sent(client, host, house, place):
    session = today_session(place)
    client.force_login(host)
    tap = a_tap(place, session=session.pk, count=4, is_new=True, age_band="65+")
    response = post_taps(client, house, [tap])
    assert response.status_code == 200
    assert response.json() == {"stored": [tap["tap_id"]], "rejected": []}
    tally = DoorTally.objects.get()
    assert (tally.house, tally.place, tally.session, tally.count, tally.is_new, tally.age_band) == (
        house,
        place,
        session,
        4,
        True,
        "65+",
    )
    assert str(tally.tap_id) == tap["tap_id"]
    assert tally.recorded_by == host


def test_the_same_tap_three_times_in_one_batch_is_stored_once(client, host, house, place):
    client.force_login(host)
    tap = a_tap(place)
    response = post_taps(client, house, [tap, tap, tap])
    assert response.status_code == 200
    assert set(response.json()["stored"]) == {tap["tap_id"]}
    assert DoorTally.objects.count() == 1


def test_the_same_tap_in_three_requests_is_stored_once_and_reported_stored_each_time(client, host, house, place):
    client.force_login(host)
    tap = a_tap(place)
    for _ in range(3):
        response = post_taps(client, house, [tap])
        assert response.status_code == 200
        assert response.json() == {"stored": [tap["tap_id"]], "rejected": []}
    assert DoorTally.objects.count() == 1


def test_a_batch_stores_the_good_taps_and_rejects_the_bad_ones(english, host, house, place):
    english.force_login(host)
    good, bad = a_tap(place), a_tap(place, count=0)
    response = post_taps(english, house, [good, bad])
    assert response.status_code == 200
    assert response.json()["stored"] == [good["tap_id"]]
    assert response.json()["rejected"] == [
        {"tap_id": bad["tap_id"], "error": "Count between 1 and 100 visitors at a time."}
    ]
    assert list(DoorTally.objects.values_list("tap_id", flat=True)) == [uuid.UUID(good["tap_id"])]


def test_a_tap_recorded_offline_a_while_ago_is_accepted(client, host, house, place):
    client.force_login(host)
    earlier = timezone.localtime() - dt.timedelta(hours=3)
    response = post_taps(client, house, [a_tap(place, recorded_at=earlier.isoformat())])
    assert response.json()["rejected"] == []
    assert DoorTally.objects.get().recorded_at == earlier


def far_future():
    return (timezone.now() + dt.timedelta(days=2)).isoformat()


def naive_now():
    return timezone.localtime().replace(tzinfo=None).isoformat()


BAD_TAPS = {
    "negative count": ({"count": -3}, "Count between 1 and 100"),
    "count 0": ({"count": 0}, "Count between 1 and 100"),
    "count over 100": ({"count": 101}, "Count between 1 and 100"),
    "count as text": ({"count": "3"}, "whole number"),
    "count as true": ({"count": True}, "whole number"),
    "no tap id": ({"tap_id": None}, "no valid id"),
    "bad tap id": ({"tap_id": "tap-1"}, "no valid id"),
    "unknown place": ({"place": 987654}, "not a place of this house"),
    "place as text": ({"place": "1"}, "not a place of this house"),
    "unknown session": ({"session": 987654}, "not a session of this house"),
    "naive time": ({"recorded_at": naive_now}, "no time zone"),
    "far-future time": ({"recorded_at": far_future}, "not plausible"),
    "two weeks old": ({"recorded_at": lambda: (timezone.now() - dt.timedelta(days=14)).isoformat()}, "not plausible"),
    "time as text": ({"recorded_at": "yesterday"}, "not an ISO 8601 time"),
    "no time": ({"recorded_at": None}, "not an ISO 8601 time"),
    "unknown age band": ({"age_band": "99+"}, "age band"),
    "first visit as text": ({"is_new": "yes"}, "true or false"),
}


@pytest.mark.parametrize("case", BAD_TAPS.keys())
def test_a_bad_tap_is_rejected_with_a_clear_error_and_nothing_is_saved(english, host, house, place, case):
    english.force_login(host)
    overrides, message = BAD_TAPS[case]
    overrides = {key: value() if callable(value) else value for key, value in overrides.items()}
    tap = a_tap(place, **overrides)
    response = post_taps(english, house, [tap])
    assert response.status_code == 200
    body = response.json()
    assert body["stored"] == []
    assert len(body["rejected"]) == 1
    assert message in body["rejected"][0]["error"]
    assert not DoorTally.objects.exists()


def test_a_place_of_another_house_is_rejected(english, host, house, place, other_house):
    english.force_login(host)
    response = post_taps(english, house, [a_tap(PlaceFactory(house=other_house))])
    assert "not a place of this house" in response.json()["rejected"][0]["error"]
    assert not DoorTally.objects.exists()


def test_a_session_of_another_house_is_rejected(english, host, house, place, other_house):
    english.force_login(host)
    elsewhere = today_session(PlaceFactory(house=other_house))
    response = post_taps(english, house, [a_tap(place, session=elsewhere.pk)])
    assert "not a session of this house" in response.json()["rejected"][0]["error"]
    assert not DoorTally.objects.exists()


def test_a_session_at_another_place_of_the_house_is_rejected(english, host, house, place):
    english.force_login(host)
    session = today_session(PlaceFactory(house=house, name="Buurtplek"))
    response = post_taps(english, house, [a_tap(place, session=session.pk)])
    assert response.json()["rejected"][0]["error"] == "This session is not held at this place."
    assert not DoorTally.objects.exists()


@pytest.mark.parametrize(
    "body",
    [b"{not json", b"\xff\xfe", "[]", '{"tap": []}', '{"taps": {"tap_id": "x"}}', '"taps"', "null"],
    ids=["broken", "not utf-8", "a list", "wrong key", "taps not a list", "a string", "null"],
)
def test_a_malformed_request_is_answered_400_with_an_error(english, host, house, place, body):
    english.force_login(host)
    response = post_json(english, taps_url(house), body)
    assert response.status_code == 400
    assert response.json()["error"]
    assert not DoorTally.objects.exists()


def test_more_than_500_taps_is_refused_whole(english, host, house, place):
    english.force_login(host)
    response = post_taps(english, house, [a_tap(place) for _ in range(501)])
    assert response.status_code == 400
    assert response.json() == {"error": "Send at most 500 taps at a time."}
    assert not DoorTally.objects.exists()


def test_500_taps_at_once_are_accepted(client, host, house, place):
    client.force_login(host)
    response = post_taps(client, house, [a_tap(place) for _ in range(500)])
    assert len(response.json()["stored"]) == 500
    assert DoorTally.objects.count() == 500


def test_an_unknown_house_is_404(client, host, place):
    client.force_login(host)
    response = post_taps(client, HouseFactory.build(slug="bestaat-niet"), [a_tap(place)])
    assert response.status_code == 404
    assert response.json()["error"]
    assert not DoorTally.objects.exists()


def test_the_tap_endpoint_takes_posts_only(client, host, house):
    client.force_login(host)
    assert client.get(taps_url(house)).status_code == 405


def test_a_batch_costs_the_session_read_one_query_and_one_insert(client, host, house, place):
    """The session, one indexed query (the policy's answer with the house's places, the named sessions and the
    login check; the user is not loaded) and one INSERT: the same for one tap as for thirty at two places."""
    other_place = PlaceFactory(house=house)
    sessions = [today_session(place), today_session(other_place, title="Taalcafé")]
    client.force_login(host)
    with CaptureQueriesContext(connection) as one:
        assert post_taps(client, house, [a_tap(place)]).status_code == 200
    batch = [a_tap(place) for _ in range(10)]
    batch += [a_tap(place, session=sessions[0].pk) for _ in range(10)]
    batch += [a_tap(other_place, session=sessions[1].pk, is_new=True, count=3) for _ in range(10)]
    with CaptureQueriesContext(connection) as many:
        response = post_taps(client, house, batch)
    assert len(response.json()["stored"]) == 30
    assert DoorTally.objects.count() == 31
    for captured in (one, many):
        inserts = [q["sql"] for q in captured.captured_queries if q["sql"].lstrip().upper().startswith("INSERT")]
        assert len(inserts) == 1
    for captured in (one, many):  # the session comes from the database, or from Redis with REDIS_URL set
        queries = [q["sql"] for q in captured.captured_queries if "django_session" not in q["sql"]]
        assert len(queries) == 2, queries


def test_the_policy_decides_per_house(client, host, house, place, other_house):
    client.force_login(host)
    assert post_taps(client, house, [a_tap(place)]).status_code == 200
    other_place = PlaceFactory(house=other_house)
    assert post_taps(client, other_house, [a_tap(other_place)]).status_code == 404
    assert DoorTally.objects.filter(house=other_house).count() == 0


# --- undo -------------------------------------------------------------------------------------------------


def undo_url(house):
    return reverse("activities:door_undo", args=[house.slug])


def test_undo_within_ten_minutes(client, host, house, place):
    client.force_login(host)
    tap = a_tap(place)
    post_taps(client, house, [tap])
    later = timezone.now() + dt.timedelta(minutes=9)
    with mock.patch("django.utils.timezone.now", return_value=later):
        response = post_json(client, undo_url(house), {"tap_id": tap["tap_id"]})
    assert response.status_code == 200
    assert response.json() == {"undone": tap["tap_id"]}
    assert DoorTally.objects.get().undone_at == later


def test_undo_after_ten_minutes_is_refused(english, host, house, place):
    english.force_login(host)
    tap = a_tap(place)
    post_taps(english, house, [tap])
    with mock.patch("django.utils.timezone.now", return_value=timezone.now() + dt.timedelta(minutes=11)):
        response = post_json(english, undo_url(house), {"tap_id": tap["tap_id"]})
    assert response.status_code == 400
    assert response.json() == {"error": "A tap can only be undone within 10 minutes."}
    assert DoorTally.objects.get().undone_at is None


def test_undo_of_a_tap_recorded_offline_long_ago_is_refused(client, host, house, place):
    client.force_login(host)
    tap = a_tap(place, recorded_at=(timezone.now() - dt.timedelta(minutes=30)).isoformat())
    post_taps(client, house, [tap])
    assert post_json(client, undo_url(house), {"tap_id": tap["tap_id"]}).status_code == 400


@pytest.mark.parametrize(
    "body", [{"tap_id": "nope"}, {}, "[", {"tap_id": None}], ids=["bad id", "no id", "json", "null"]
)
def test_undo_with_bad_input_is_400(client, host, house, place, body):
    client.force_login(host)
    response = post_json(client, undo_url(house), body)
    assert response.status_code == 400
    assert response.json()["error"]


def test_undo_of_an_unknown_tap_or_a_tap_of_another_house_is_400(english, host, house, other_house):
    tally = DoorTallyFactory(house=other_house)
    english.force_login(host)
    for tap_id in (str(uuid.uuid4()), str(tally.tap_id)):
        response = post_json(english, undo_url(house), {"tap_id": tap_id})
        assert response.status_code == 400
        assert response.json() == {"error": "This tap was not found."}
    assert DoorTally.objects.get().undone_at is None


# --- totals -----------------------------------------------------------------------------------------------


def test_totals_per_block_leave_out_undone_taps_other_places_and_other_days(client, host, house, place):
    session = today_session(place)
    cancelled = today_session(place, title="Yoga", status=Session.Status.CANCELLED)
    now = timezone.now()
    DoorTallyFactory(house=house, place=place, count=3)
    DoorTallyFactory(house=house, place=place, count=2, is_new=True)
    DoorTallyFactory(house=house, place=place, count=5, undone_at=now)
    DoorTallyFactory(house=house, place=place, recorded_at=now - dt.timedelta(days=1))
    DoorTallyFactory(house=house, place=PlaceFactory(house=house), count=7)
    DoorTallyFactory(house=house, place=place, session=session, count=4, is_new=True)
    client.force_login(host)
    response = client.get(reverse("activities:door_totals", args=[house.slug, place.pk]))
    assert response.status_code == 200
    assert response.json() == {"blocks": {"inloop": {"count": 5, "new": 2}, str(session.pk): {"count": 4, "new": 4}}}
    assert str(cancelled.pk) not in response.json()["blocks"]


def test_totals_of_a_place_of_another_house_is_404(client, host, house, other_house):
    client.force_login(host)
    response = client.get(reverse("activities:door_totals", args=[house.slug, PlaceFactory(house=other_house).pk]))
    assert response.status_code == 404


# --- permissions ------------------------------------------------------------------------------------------


@pytest.mark.parametrize("role", ALLOWED)
def test_hosts_and_coordinators_of_the_house_may_log(client, house, place, role, request):
    client.force_login(request.getfixturevalue(role))
    assert client.get(reverse("activities:door_start")).status_code == 200
    assert client.get(screen_url(house, place)).status_code == 200
    assert post_taps(client, house, [a_tap(place)]).status_code == 200
    assert client.get(reverse("activities:door_totals", args=[house.slug, place.pk])).status_code == 200
    assert DoorTally.objects.count() == 1


@pytest.mark.parametrize("role", NOT_ALLOWED)
def test_everyone_else_gets_404_and_nothing_is_stored(client, house, place, role, request):
    session = today_session(place, registration_required=True)
    registration = RegistrationFactory(session=session)
    tally = DoorTallyFactory(house=house, place=place)
    client.force_login(request.getfixturevalue(role))
    assert client.get(screen_url(house, place)).status_code == 404
    assert post_taps(client, house, [a_tap(place)]).status_code == 404
    assert post_json(client, undo_url(house), {"tap_id": str(tally.tap_id)}).status_code == 404
    assert client.get(reverse("activities:door_totals", args=[house.slug, place.pk])).status_code == 404
    attendance = reverse("activities:door_attendance", args=[house.slug, registration.pk])
    assert client.post(attendance, {"attended": "on"}).status_code == 404
    close = reverse("activities:door_close", args=[house.slug, session.pk])
    data = {f"close-{session.pk}-participants": 3, f"close-{session.pk}-volunteers": 1}
    assert client.post(close, data).status_code == 404
    assert DoorTally.objects.count() == 1
    assert DoorTally.objects.get().undone_at is None
    registration.refresh_from_db()
    session.refresh_from_db()
    assert not registration.attended
    assert session.closed_at is None


def test_a_removed_role_stops_working_on_the_next_request(client, house, place):
    """No door pass outlives the role: every endpoint asks the policy again on each request."""
    assignment = RoleAssignmentFactory(role="host", house=house)
    client.force_login(assignment.user)
    assert client.get(screen_url(house, place)).status_code == 200
    first = a_tap(place)
    assert post_taps(client, house, [first]).json()["stored"] == [first["tap_id"]]
    assignment.delete()
    response = post_taps(client, house, [a_tap(place)])
    assert response.status_code == 404
    assert response.json()["error"]
    assert list(DoorTally.objects.values_list("tap_id", flat=True)) == [uuid.UUID(first["tap_id"])]
    assert post_json(client, undo_url(house), {"tap_id": first["tap_id"]}).status_code == 404
    assert client.get(reverse("activities:door_totals", args=[house.slug, place.pk])).status_code == 404
    assert client.get(screen_url(house, place)).status_code == 404
    assert DoorTally.objects.get().undone_at is None


def test_a_deactivated_user_is_refused_on_the_next_tap(client, host, house, place):
    client.force_login(host)
    assert post_taps(client, house, [a_tap(place)]).status_code == 200
    host.is_active = False
    host.save(update_fields=["is_active"])
    assert post_taps(client, house, [a_tap(place)]).status_code == 403
    assert DoorTally.objects.count() == 1


def test_a_changed_password_logs_the_tablet_out_on_the_next_tap(client, host, house, place):
    """Django's login check holds on the lean path too: the session of an old password is logged out."""
    client.force_login(host)
    assert post_taps(client, house, [a_tap(place)]).status_code == 200
    host.set_password("een-nieuw-wachtwoord-123")
    host.save(update_fields=["password"])
    assert post_taps(client, house, [a_tap(place)]).status_code == 403
    assert DoorTally.objects.count() == 1


def test_a_host_of_another_house_cannot_log_here(client, house, place, other_house_host):
    client.force_login(other_house_host)
    response = post_taps(client, house, [a_tap(place)])
    assert response.status_code == 404
    assert not DoorTally.objects.exists()
    # ...nor smuggle a place of this house into their own house's endpoint
    response = post_taps(client, PlaceFactory(house=HouseFactory()).house, [a_tap(place)])
    assert response.status_code == 404
    own = post_taps(client, other_house_host.role_assignments.get().house, [a_tap(place)])
    assert own.status_code == 200
    assert own.json()["stored"] == []
    assert not DoorTally.objects.exists()


def test_anonymous_gets_403_json_on_the_endpoints_and_a_login_redirect_on_the_screens(client, house, place):
    for response in (
        post_taps(client, house, [a_tap(place)]),
        post_json(client, undo_url(house), {"tap_id": str(uuid.uuid4())}),
        client.get(reverse("activities:door_totals", args=[house.slug, place.pk])),
    ):
        assert response.status_code == 403
        assert response["Content-Type"] == "application/json"
        assert response.json()["error"]
    for url in (reverse("activities:door_start"), screen_url(house, place)):
        response = client.get(url)
        assert response.status_code == 302
        assert response.url.startswith(reverse("account_login"))
    assert not DoorTally.objects.exists()


def test_a_place_of_another_house_gives_404_on_the_screen(client, host, house, other_house):
    client.force_login(host)
    assert client.get(screen_url(house, PlaceFactory(house=other_house))).status_code == 404


def test_a_new_tap_is_refused_in_a_csrf_checked_client_without_the_token(host, house, place):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    client.force_login(host)
    assert post_taps(client, house, [a_tap(place)]).status_code == 403
    client.get(screen_url(house, place))
    token = client.cookies[settings.CSRF_COOKIE_NAME].value
    response = client.post(
        taps_url(house), json.dumps({"taps": [a_tap(place)]}), content_type="application/json", HTTP_X_CSRFTOKEN=token
    )
    assert response.status_code == 200
    assert DoorTally.objects.count() == 1


# --- the start page ---------------------------------------------------------------------------------------


def test_start_lists_the_houses_and_places_where_the_user_may_log(english, coordinator, house, place, other_house):
    PlaceFactory(house=other_house, name="Elders")
    second = HouseFactory(name="Huis van de Wijk Oost")
    RoleAssignmentFactory(user=coordinator, role="host", house=second)
    spot = PlaceFactory(house=second, name="Buurtplek Oost")
    english.force_login(coordinator)
    response = english.get(reverse("activities:door_start"))
    content = response.content.decode()
    assert [h.name for h in response.context["houses"]] == ["Huis van de Wijk Het Klooster", "Huis van de Wijk Oost"]
    assert screen_url(house, place) in content
    assert screen_url(second, spot) in content
    assert "Elders" not in content
    assert "Door screen: where are you?" in content


def test_start_tells_someone_without_a_door_role_what_to_do(english, manager):
    english.force_login(manager)
    response = english.get(reverse("activities:door_start"))
    assert response.status_code == 200
    assert "ask the coordinator of your house" in response.content.decode()


def test_start_query_count_does_not_grow_with_the_number_of_houses(client, db):
    user = UserFactory()
    first = HouseFactory()
    PlaceFactory(house=first)
    RoleAssignmentFactory(user=user, role="coordinator", house=first)
    client.force_login(user)
    with CaptureQueriesContext(connection) as one:
        assert len(client.get(reverse("activities:door_start")).context["houses"]) == 1
    for _ in range(49):
        extra = HouseFactory()
        PlaceFactory(house=extra)
        PlaceFactory(house=extra)
        RoleAssignmentFactory(user=user, role="coordinator", house=extra)
    with CaptureQueriesContext(connection) as fifty:
        assert len(client.get(reverse("activities:door_start")).context["houses"]) == 50
    assert len(fifty) == len(one)


# --- the door screen --------------------------------------------------------------------------------------


def test_the_screen_shows_walk_in_and_todays_sessions_with_their_totals(english, host, house, place):
    session = today_session(place, title="Samen eten")
    today_session(place, title="Yoga", status=Session.Status.CANCELLED, change_reason="The teacher is ill")
    tomorrow = ActivityFactory(
        house=house, place=place, title="Morgen", first_date=timezone.localdate() + dt.timedelta(1)
    )
    SessionFactory(activity=tomorrow)
    elsewhere = today_session(PlaceFactory(house=house), title="Elders")
    DoorTallyFactory(house=house, place=place, count=2, is_new=True)
    DoorTallyFactory(house=house, place=place, session=session, count=6)
    english.force_login(host)
    response = english.get(screen_url(house, place))
    content = response.content.decode()
    assert [block["title"] for block in response.context["blocks"]] == ["Walk-in", "Samen eten", "Yoga"]
    assert (response.context["blocks"][0]["count"], response.context["blocks"][0]["new"]) == (2, 2)
    assert response.context["blocks"][1]["count"] == 6
    assert "The teacher is ill" in content
    assert "huizen-door__block--cancelled" in content
    assert "Morgen" not in content and elsewhere.activity.title not in content
    assert "Change place" in content
    assert 'role="status"' in content
    assert "Write no names" in content  # the close-out remark says it plainly
    assert 'id="door-texts"' in content


def test_the_screen_names_registered_participants_by_first_name_and_initial_only(english, host, house, place):
    session = today_session(place, registration_required=True)
    RegistrationFactory(session=session, user=UserFactory(first_name="Fatima", last_name="el Amrani"))
    RegistrationFactory(session=session, user=UserFactory(first_name="Kees", last_name="Bakker"), attended=True)
    RegistrationFactory(session=session, user=UserFactory(first_name="Wacht", last_name="Lijst"), status="waiting")
    RegistrationFactory(session=session, user=UserFactory(first_name="Af", last_name="Gemeld"), status="cancelled")
    english.force_login(host)
    content = english.get(screen_url(house, place)).content.decode()
    assert "Fatima E." in content and "Kees B." in content
    assert "Amrani" not in content and "Bakker" not in content
    assert "Wacht" not in content and "Gemeld" not in content


def test_screen_query_count_does_not_grow_with_the_number_of_sessions(client, host, house, place):
    def add_session(n):
        session = today_session(place, title=f"Activiteit {n}", registration_required=True)
        RegistrationFactory(session=session)
        RegistrationFactory(session=session)
        DoorTallyFactory(house=house, place=place, session=session)

    add_session(0)
    client.force_login(host)
    with CaptureQueriesContext(connection) as one:
        assert len(client.get(screen_url(house, place)).context["blocks"]) == 2
    for n in range(1, 50):
        add_session(n)
    with CaptureQueriesContext(connection) as fifty:
        assert len(client.get(screen_url(house, place)).context["blocks"]) == 51
    assert len(fifty) == len(one)


def test_the_screen_uses_the_amsterdam_date(client, host, house, place):
    """At 00:30 in Amsterdam it is still yesterday in UTC; the screen shows the Amsterdam day's sessions."""
    zone = timezone.get_default_timezone()
    night = dt.datetime.combine(timezone.localdate() + dt.timedelta(days=3), dt.time(0, 30), tzinfo=zone)
    activity = ActivityFactory(house=house, place=place, title="Nachtcafé", first_date=night.date())
    SessionFactory(activity=activity, start=night, end=night + dt.timedelta(hours=1))
    client.force_login(host)
    with mock.patch("django.utils.timezone.now", return_value=night - dt.timedelta(minutes=20)):
        blocks = client.get(screen_url(house, place)).context["blocks"]
    assert [block["title"] for block in blocks] == ["Inloop", "Nachtcafé"]


# --- bodies the JSON endpoints cannot use: a 400 in Dutch, never a 500, nothing stored ----------------------


def undo_body(place):
    return {"tap_id": str(uuid.uuid4())}


JSON_ENDPOINTS = {"taps": (taps_url, lambda place: {"taps": [a_tap(place)]}), "undo": (undo_url, undo_body)}


def post_raw(client, url, body, content_type="application/json", **extra):
    return client.post(url, data=body, content_type=content_type, **extra)


def assert_refused(response, message):
    assert response.status_code == 400
    assert response["Content-Type"] == "application/json"
    assert response.json() == {"error": message}
    assert not DoorTally.objects.exists()


@pytest.fixture
def door_client(client, host):
    client.force_login(host)
    return client


@pytest.mark.parametrize("endpoint", JSON_ENDPOINTS)
@pytest.mark.parametrize("depth", [5, 100, 100_000])
def test_deeply_nested_json_is_refused(door_client, house, place, endpoint, depth):
    url, _body = JSON_ENDPOINTS[endpoint]
    nested = "[" * depth + "]" * depth
    for body in (nested, f'{{"taps": {nested}, "tap_id": {nested}}}'):
        response = post_raw(door_client, url(house), body)
        message = "De gegevens zijn te diep genest." if depth < 1000 else "De gegevens zijn geen geldige JSON."
        assert_refused(response, message)


@pytest.mark.parametrize("endpoint", JSON_ENDPOINTS)
def test_a_deeply_nested_field_of_a_tap_is_refused(door_client, house, place, endpoint):
    url, body = JSON_ENDPOINTS[endpoint]
    payload = body(place)
    deep = {"a": [[{"b": [1]}]]}
    if endpoint == "taps":
        payload["taps"][0]["tap_id"] = deep
    else:
        payload["tap_id"] = deep
    assert_refused(post_json(door_client, url(house), payload), "De gegevens zijn te diep genest.")


@pytest.mark.parametrize("endpoint", JSON_ENDPOINTS)
@pytest.mark.parametrize("body", [b"{not json", b'{"taps": [}', b"\xff\xfe", b"   ", b"NaN]"])
def test_malformed_json_is_refused(door_client, house, place, endpoint, body):
    url, _body = JSON_ENDPOINTS[endpoint]
    assert_refused(post_raw(door_client, url(house), body), "De gegevens zijn geen geldige JSON.")


@pytest.mark.parametrize("endpoint", JSON_ENDPOINTS)
@pytest.mark.parametrize("content_type", ["multipart", "application/x-www-form-urlencoded", "text/plain", None])
def test_a_body_that_is_not_json_is_refused_unread(host, house, place, endpoint, content_type):
    """With the CSRF check on, as in production: it reads a multipart body before the view does."""
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    client.force_login(host)
    client.get(screen_url(house, place))
    token = client.cookies[settings.CSRF_COOKIE_NAME].value
    url, body = JSON_ENDPOINTS[endpoint]
    payload = {"data": json.dumps(body(place))}
    if content_type == "multipart":
        response = client.post(url(house), payload, HTTP_X_CSRFTOKEN=token)
    elif content_type is None:
        response = client.generic("POST", url(house), json.dumps(body(place)), HTTP_X_CSRFTOKEN=token)
    else:
        encoded = "data=1" if content_type.endswith("urlencoded") else json.dumps(body(place))
        response = client.post(url(house), encoded, content_type=content_type, HTTP_X_CSRFTOKEN=token)
    assert_refused(response, "Stuur de gegevens als JSON (Content-Type: application/json).")


@pytest.mark.parametrize("endpoint", JSON_ENDPOINTS)
def test_a_nul_byte_is_refused(door_client, house, place, endpoint):
    url, body = JSON_ENDPOINTS[endpoint]
    raw = json.dumps(body(place)).encode()
    assert_refused(post_raw(door_client, url(house), raw[:-1] + b"\x00}"), "De gegevens zijn geen geldige JSON.")
    escaped = json.dumps(body(place)).replace('"tap_id": "', '"tap_id": "\\u0000', 1)
    assert "\\u0000" in escaped
    assert_refused(post_raw(door_client, url(house), escaped), "De gegevens bevatten een NUL-teken.")
    key = json.dumps(body(place))[:-1] + ', "x\\u0000": 1}'
    assert_refused(post_raw(door_client, url(house), key), "De gegevens bevatten een NUL-teken.")


@pytest.mark.parametrize("endpoint", JSON_ENDPOINTS)
@pytest.mark.parametrize("size", [600 * 1024, 3 * 1024 * 1024])
def test_a_huge_body_is_refused_before_it_is_read(door_client, house, place, endpoint, size):
    url, body = JSON_ENDPOINTS[endpoint]
    payload = body(place)
    payload["padding"] = "x" * size
    response = post_json(door_client, url(house), payload)
    assert_refused(response, "Het verzoek is te groot: stuur hoogstens 500 tikken per keer.")


def test_ids_beyond_what_the_database_holds_are_rejected_per_tap(door_client, house, place):
    huge = 2**70
    response = post_taps(door_client, house, [a_tap(place, place=huge), a_tap(place, session=huge)])
    assert response.status_code == 200
    assert response.json()["stored"] == []
    assert len(response.json()["rejected"]) == 2
    assert not DoorTally.objects.exists()


@pytest.mark.parametrize(
    "body, content_type",
    [
        (b"--x\r\nbroken", "multipart/form-data; boundary=x"),
        (b"attended=on", "multipart/form-data"),
        (b"attended=\x00on", "application/x-www-form-urlencoded"),
        (b"[" * 10_000, "application/json"),
        (b"a" * (3 * 1024 * 1024), "application/x-www-form-urlencoded"),
    ],
    ids=["broken multipart", "multipart without boundary", "nul", "json", "huge"],
)
@pytest.mark.allow_error_log  # Django's security log records a body that is too big
def test_ticking_off_with_a_bad_body_is_no_500(door_client, house, place, body, content_type):
    registration = RegistrationFactory(session=today_session(place, registration_required=True))
    url = reverse("activities:door_attendance", args=[house.slug, registration.pk])
    response = door_client.post(url, data=body, content_type=content_type, HTTP_ACCEPT="application/json")
    assert response.status_code < 500


# --- the door's reads are bounded by today ----------------------------------------------------------------


def add_history(house, place, *, days):
    """Walk-in and session taps at noon on each of the `days` days before today, at `place` and another place."""
    elsewhere = PlaceFactory(house=house)
    zone = timezone.get_default_timezone()
    tallies = []
    for back in range(1, days + 1):
        day = timezone.localdate() - dt.timedelta(days=back)
        noon = dt.datetime.combine(day, dt.time(12), tzinfo=zone)
        activity = ActivityFactory(house=house, place=place, first_date=day)
        past = SessionFactory(activity=activity)
        for at, session in ((place, None), (place, past), (elsewhere, None)):
            tallies.append(
                DoorTally(house=house, place=at, session=session, tap_id=uuid.uuid4(), recorded_at=noon, count=3)
            )
    DoorTally.objects.bulk_create(tallies)


def door_reads(client, house, place):
    """The queries of the door screen and of its totals, and what they showed."""
    with CaptureQueriesContext(connection) as screen:
        blocks = client.get(screen_url(house, place)).context["blocks"]
    with CaptureQueriesContext(connection) as totals:
        figures = client.get(reverse("activities:door_totals", args=[house.slug, place.pk])).json()
    shown = [(block["key"], block.get("count"), block.get("new")) for block in blocks]
    return screen.captured_queries, totals.captured_queries, shown, figures


def test_the_screen_and_its_totals_cost_the_same_with_one_day_or_years_of_history(client, host, house, place):
    session = today_session(place, registration_required=True)
    RegistrationFactory(session=session)
    DoorTallyFactory(house=house, place=place, count=2, is_new=True)
    DoorTallyFactory(house=house, place=place, session=session, count=5)
    client.force_login(host)
    add_history(house, place, days=1)
    screen_one, totals_one, shown_one, figures_one = door_reads(client, house, place)
    add_history(house, place, days=60)
    screen_many, totals_many, shown_many, figures_many = door_reads(client, house, place)
    assert len(screen_many) == len(screen_one)
    assert len(totals_many) == len(totals_one)
    assert shown_many == shown_one == [("inloop", 2, 2), (str(session.pk), 5, 0)]
    assert (
        figures_many
        == figures_one
        == {"blocks": {"inloop": {"count": 2, "new": 2}, str(session.pk): {"count": 5, "new": 0}}}
    )


def tally_queries(captured):
    return [query["sql"] for query in captured if "activities_doortally" in query["sql"]]


def test_every_read_of_taps_by_the_door_is_bounded_by_today_on_the_place_and_time_index(client, host, house, place):
    """Read the taps of today, at this place, with no OR across a join: the (place, recorded_at) index serves it."""
    session = today_session(place)
    DoorTallyFactory(house=house, place=place, session=session)
    add_history(house, place, days=3)
    client.force_login(host)
    screen, totals, _shown, _figures = door_reads(client, house, place)
    reads = tally_queries(screen) + tally_queries(totals)
    assert len(reads) == 2
    _today, start, end = _today_bounds()
    for sql in reads:
        for moment in (start, end):  # written in UTC (SQLite) or in Amsterdam time (PostgreSQL)
            written = {zoned.strftime("%Y-%m-%d %H:%M:%S") for zoned in (moment.astimezone(dt.UTC), moment)}
            assert any(text in sql.replace("T", " ") for text in written), sql
        assert '"activities_doortally"."place_id" =' in sql
        assert '"activities_doortally"."recorded_at" >=' in sql and '"activities_doortally"."recorded_at" <' in sql
        assert " OR " not in sql.upper() and "JOIN" not in sql.upper()
        with connection.cursor() as cursor:
            if connection.vendor == "postgresql":
                cursor.execute("SET LOCAL enable_seqscan = off")  # the test table is tiny: ask which index serves it
                cursor.execute(f"EXPLAIN {sql}")
            else:
                cursor.execute(f"EXPLAIN QUERY PLAN {sql}")
            plan = " ".join(str(row) for row in cursor.fetchall())
        assert "door_tally_place_time" in plan, plan


def test_the_tally_table_has_no_index_that_another_one_makes_redundant(db):
    with connection.cursor() as cursor:
        constraints = connection.introspection.get_constraints(cursor, DoorTally._meta.db_table)
    indexes = sorted(
        tuple(details["columns"])
        for details in constraints.values()
        if details["index"] and not details["primary_key"] and not details["unique"]
    )
    assert ("place_id", "recorded_at") in indexes and ("house_id", "recorded_at") in indexes
    for index in indexes:
        longer = [other for other in indexes if other != index and other[: len(index)] == index]
        assert indexes.count(index) == 1 and not longer, f"{index} duplicates {longer or index}"


# --- ticking off registered participants ------------------------------------------------------------------


def attendance_url(house, registration):
    return reverse("activities:door_attendance", args=[house.slug, registration.pk])


def test_ticking_off_a_registered_participant(client, host, house, place):
    registration = RegistrationFactory(session=today_session(place, registration_required=True))
    client.force_login(host)
    response = client.post(attendance_url(house, registration), {"attended": "on"}, HTTP_ACCEPT="application/json")
    assert response.json() == {"registration": registration.pk, "attended": True}
    registration.refresh_from_db()
    assert registration.attended
    response = client.post(attendance_url(house, registration), {}, HTTP_ACCEPT="application/json")
    registration.refresh_from_db()
    assert not registration.attended


def test_ticking_off_without_javascript_returns_to_the_screen(client, host, house, place):
    session = today_session(place, registration_required=True)
    registration = RegistrationFactory(session=session)
    client.force_login(host)
    response = client.post(attendance_url(house, registration), {"attended": "on"})
    assert response.status_code == 302
    assert response.url == f"{screen_url(house, place)}#block-{session.pk}"
    registration.refresh_from_db()
    assert registration.attended


def test_only_confirmed_registrations_of_this_house_can_be_ticked_off(client, host, house, place, other_house):
    waiting = RegistrationFactory(session=today_session(place, registration_required=True), status="waiting")
    elsewhere = RegistrationFactory(session=today_session(PlaceFactory(house=other_house), registration_required=True))
    client.force_login(host)
    assert client.post(attendance_url(house, waiting), {"attended": "on"}).status_code == 404
    assert client.post(attendance_url(house, elsewhere), {"attended": "on"}).status_code == 404
    assert client.get(attendance_url(house, waiting)).status_code == 405
    assert not Registration.objects.filter(attended=True).exists()


# --- closing a session ------------------------------------------------------------------------------------


def started_session(place, **kwargs):
    """A session of today that has begun: it runs the whole day, so it has started at any time of day."""
    today = timezone.localdate()
    return today_session(place, start=day_start(today), end=day_start(today + dt.timedelta(days=1)), **kwargs)


def close(client, house, session, participants="", volunteers="", remark="", **headers):
    prefix = f"close-{session.pk}"
    data = {f"{prefix}-participants": participants, f"{prefix}-volunteers": volunteers, f"{prefix}-remark": remark}
    return client.post(reverse("activities:door_close", args=[house.slug, session.pk]), data, **headers)


def test_closing_a_session_saves_the_numbers_and_who_closed_it(client, host, house, place):
    session = started_session(place)
    client.force_login(host)
    response = close(client, house, session, 12, 2, "Druk en gezellig, de soep was op.")
    assert response.status_code == 302
    assert response.url == f"{screen_url(house, place)}#block-{session.pk}"
    session.refresh_from_db()
    assert (session.participants_count, session.volunteers_count, session.closed_by) == (12, 2, host)
    assert session.close_remark == "Druk en gezellig, de soep was op."
    assert session.closed_at is not None


def test_closing_with_htmx_returns_the_form_with_a_confirmation(english, host, house, place):
    session = started_session(place, title="Samen eten")
    english.force_login(host)
    response = close(english, house, session, 8, 1, HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    content = response.content.decode()
    assert "Samen eten is closed." in content
    assert 'value="8"' in content
    assert Session.objects.get().participants_count == 8


BAD_CLOSE = {
    "negative participants": ((-1, 2, ""), "participants", "Enter 0 or more participants."),
    "negative volunteers": ((3, -2, ""), "volunteers", "Enter 0 or more volunteers."),
    "no participants": (("", 2, ""), "participants", "Enter the number of participants"),
    "not a number": (("veel", 2, ""), "participants", "Enter a whole number."),
    "huge number": ((10**12, 2, ""), "participants", "Enter a number up to 9999."),
    "a name": ((5, 1, "mevrouw Jansen was er weer"), "remark", "Leave out personal data"),
    "a phone number": ((5, 1, "bellen: 06 12345678"), "remark", "Leave out personal data"),
    "an e-mail address": ((5, 1, "mail naar a.jansen@example.nl"), "remark", "Leave out personal data"),
}


@pytest.mark.parametrize("case", BAD_CLOSE.keys())
def test_closing_with_bad_input_saves_nothing_and_shows_the_error_at_the_field(english, host, house, place, case):
    session = started_session(place)
    english.force_login(host)
    values, field, message = BAD_CLOSE[case]
    response = close(english, house, session, *values)
    assert response.status_code == 400
    form = next(block["close_form"] for block in response.context["blocks"] if block["session"] == session)
    assert any(message in error for error in form.errors[field])
    assert f'id="id_close-{session.pk}-{field}_error"' in response.content.decode()
    session.refresh_from_db()
    assert session.closed_at is None and session.participants_count is None and session.close_remark == ""


def test_closing_with_bad_input_over_htmx_shows_the_error_in_the_form(english, host, house, place):
    session = started_session(place)
    english.force_login(host)
    response = close(english, house, session, 5, 1, "mevrouw Jansen", HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    assert 'aria-invalid="true"' in response.content.decode()
    assert Session.objects.get().closed_at is None


def test_a_cancelled_session_cannot_be_closed(english, host, house, place):
    session = started_session(place, status=Session.Status.CANCELLED)
    english.force_login(host)
    response = close(english, house, session, 5, 1)
    assert response.status_code == 400
    assert "A cancelled session cannot be closed." in response.content.decode()
    assert Session.objects.get().closed_at is None


def test_a_session_of_another_house_cannot_be_closed_here(client, host, house, other_house):
    session = started_session(PlaceFactory(house=other_house))
    client.force_login(host)
    assert close(client, house, session, 5, 1).status_code == 404
    assert close(client, other_house, session, 5, 1).status_code == 404
    assert Session.objects.get().closed_at is None


def test_the_door_names_a_dutch_surname_by_its_main_word():
    """ "Marieke van Dijk" is ticked off as "Marieke D.", as the name is filed, not as "Marieke v."."""
    from accounts.models import User
    from activities.views.door import _short_name

    assert _short_name(User(first_name="Marieke", last_name="van Dijk")) == "Marieke D."
    assert _short_name(User(first_name="Jan", last_name="de van der Berg")) == "Jan B."
    assert _short_name(User(first_name="Fatima", last_name="el Amrani")) == "Fatima E."
    assert _short_name(User(first_name="Kees", last_name="van")) == "Kees V."
    assert _short_name(User(first_name="Ans", last_name="")) == "Ans"
