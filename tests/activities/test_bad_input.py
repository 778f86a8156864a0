"""Nonsense input on the programme, agenda, door log and signal pages: a clear message, never a 500, nothing stored."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import translation

from activities import services
from activities.models import Activity, Registration, Session
from audit.services import SYSTEM
from tests.factories import ActivityFactory, PlaceFactory, RegistrationFactory, SessionFactory, SignalFactory

AMSTERDAM = ZoneInfo("Europe/Amsterdam")
NOW = dt.datetime(2026, 11, 30, 10, 0, tzinfo=AMSTERDAM)  # a Monday
NONSENSE = ["0001-01-01", "9999-12-31", "99999-01-01", "2026-02-30", "junk"]
OUT_OF_RANGE = "Choose a date between 2000 and 2099."


@pytest.fixture(autouse=True)
def frozen():
    with time_machine.travel(NOW, tick=False), translation.override("en"):
        yield


@pytest.fixture
def as_coordinator(english, coordinator):
    english.force_login(coordinator)
    return english


@pytest.fixture
def place(house):
    return PlaceFactory(house=house, name="Het Klooster")


def url(name, house, **kwargs):
    return reverse(f"activities:{name}", kwargs={"house_slug": house.slug, **kwargs})


def form_errors(response, form="form"):
    return [str(error) for errors in response.context[form].errors.values() for error in errors]


# --- dates ---------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("day", NONSENSE)
@pytest.mark.parametrize("field", ["date_from", "date_to"])
def test_the_agenda_answers_nonsense_dates_with_a_message(english, house, day, field):
    for page in (reverse("activities:agenda"), reverse("activities:house_agenda", args=[house.slug])):
        response = english.get(page, {field: day})
        assert response.status_code == 200
        assert response.context["filter"].form.errors[field]


@pytest.mark.parametrize("field", ["house", "district", "neighbourhood", "category", "period", "page"])
def test_the_agenda_answers_a_nul_byte_in_a_filter(english, house, field):
    # PostgreSQL refuses NUL in text: the value must never reach a query.
    response = english.get(reverse("activities:agenda"), {field: "het-\x00klooster"})
    assert response.status_code == 200


def test_the_agenda_names_the_sane_range(db, english):
    response = english.get(reverse("activities:agenda"), {"date_from": "0001-01-01", "date_to": "9999-12-31"})
    assert response.status_code == 200
    assert OUT_OF_RANGE in response.content.decode()


@pytest.mark.parametrize("day", NONSENSE)
def test_the_door_log_answers_a_nonsense_day_with_a_message(as_coordinator, house, day):
    response = as_coordinator.get(url("door_log", house), {"datum": day})
    assert response.status_code == 200
    assert response.context["day"] == NOW.date()
    assert response.context["day_form"].errors["datum"]


@pytest.mark.parametrize("month", ["0001-01", "9999-12", "99999-01", "2026-13", "junk"])
def test_the_signal_list_answers_a_nonsense_month_with_a_message(as_coordinator, house, month):
    SignalFactory(house=house)
    response = as_coordinator.get(url("signal_list", house), {"month": month})
    assert response.status_code == 200


def activity_data(place, **changes):
    data = {
        "title": "Sjoelen",
        "category": "meeting",
        "organiser": "residents",
        "place": place.pk,
        "price": "0",
        "first_date": "2026-12-07",
        "start_time": "19:00",
        "end_time": "21:00",
        "repeat": "none",
    }
    data.update(changes)
    return data


@pytest.mark.parametrize("day", ["0001-01-01", "9999-12-31"])
@pytest.mark.parametrize("field", ["first_date", "until"])
def test_an_activity_on_a_nonsense_day_is_refused_by_the_form(as_coordinator, house, place, day, field):
    data = activity_data(place, repeat="weekly", weekdays=["0"], interval_weeks="1", until="2027-01-04")
    data[field] = day
    response = as_coordinator.post(url("activity_create", house), data)
    assert response.status_code == 200
    assert OUT_OF_RANGE in response.context["form"].errors[field]
    assert not Activity.objects.exists()


@pytest.mark.parametrize(
    "first_date, until, field",
    [
        (dt.date(1, 1, 1), None, "first_date"),
        (dt.date(9999, 12, 31), None, "first_date"),
        (dt.date(2025, 11, 1), None, "first_date"),  # more than a year ago
        (dt.date(2029, 1, 1), None, "first_date"),  # more than two years ahead
        (dt.date(2026, 12, 7), dt.date(2028, 12, 7), "until"),  # a series longer than a year
        (dt.date(2026, 12, 7), dt.date(2026, 12, 1), "until"),  # ending before it starts
    ],
)
def test_the_service_refuses_nonsense_dates_too(house, place, first_date, until, field):
    with pytest.raises(ValidationError) as caught:
        services.activity_create(
            house=house,
            place=place,
            room=None,
            title="Sjoelen",
            category="meeting",
            organiser="residents",
            first_date=first_date,
            start_time=dt.time(19),
            end_time=dt.time(21),
            weekdays=[0] if until else [],
            until=until,
            by=SYSTEM,
        )
    assert field in caught.value.error_dict
    assert not Activity.objects.exists()


def test_the_service_accepts_a_recent_past_and_a_year_long_series(house, place):
    activity = services.activity_create(
        house=house,
        place=place,
        room=None,
        title="Sjoelen",
        category="meeting",
        organiser="residents",
        first_date=dt.date(2026, 9, 1),
        start_time=dt.time(19),
        end_time=dt.time(21),
        weekdays=[1],
        until=dt.date(2027, 9, 1),
        by=SYSTEM,
    )
    assert activity.sessions.count() > 50


@pytest.mark.parametrize("day", NONSENSE + [""])
def test_moving_a_session_to_a_nonsense_day_is_refused(as_coordinator, house, place, day):
    session = SessionFactory(activity__house=house, activity__place=place, activity__first_date=dt.date(2026, 12, 8))
    data = {"date": day, "start_time": "10:00", "end_time": "11:00", "reason": "Buurtfeest"}
    response = as_coordinator.post(url("session_move", house, session_id=session.pk), data)
    assert response.status_code == 200
    assert response.context["form"].errors["date"]
    session.refresh_from_db()
    assert session.moved_from is None


# --- titles and text ---------------------------------------------------------------------------------------


@pytest.mark.parametrize("title", ["Koffie\nthee", "Koffie\r\nthee", "Koffie\x00thee", "Koffie\x1bthee"])
def test_a_title_on_more_than_one_line_or_with_control_characters_is_refused(as_coordinator, house, place, title):
    response = as_coordinator.post(url("activity_create", house), activity_data(place, title=title))
    assert response.status_code == 200
    assert response.context["form"].errors["title"]
    assert not Activity.objects.exists()


def test_the_service_refuses_a_title_with_a_line_break(house, place):
    with pytest.raises(ValidationError) as caught:
        services.activity_create(
            house=house,
            place=place,
            room=None,
            title="Koffie\nthee",
            category="meeting",
            organiser="residents",
            first_date=dt.date(2026, 12, 7),
            start_time=dt.time(19),
            end_time=dt.time(21),
            by=SYSTEM,
        )
    assert caught.value.message_dict["title"] == ["Write this on one line, without line breaks."]


@pytest.mark.parametrize("text", ["a\x00b", "x" * 10_000])
@pytest.mark.parametrize("field", ["title", "description", "partner_name"])
def test_nul_bytes_and_very_long_text_give_a_form_error_or_are_kept(as_coordinator, house, place, field, text):
    data = activity_data(place, organiser="partner", partner_name="Humanitas")
    data[field] = text
    response = as_coordinator.post(url("activity_create", house), data)
    if field == "description" and "\x00" not in text:
        assert response.status_code == 302
        assert Activity.objects.get().description == text
    else:
        assert response.status_code == 200 and response.context["form"].errors[field]
        assert not Activity.objects.exists()


def test_a_nul_byte_in_a_cancel_reason_is_refused(as_coordinator, house, place):
    session = SessionFactory(activity__house=house, activity__place=place, activity__first_date=dt.date(2026, 12, 8))
    response = as_coordinator.post(url("session_cancel", house, session_id=session.pk), {"reason": "ziek\x00"})
    assert response.status_code == 200 and response.context["form"].errors["reason"]
    assert Session.objects.get().status == Session.Status.PLANNED


# --- next= -------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("next_url", ["x", "activities:agenda", "//evil.example/"])
def test_cancelling_a_registration_with_a_bare_word_as_next_goes_to_my_registrations(client, resident, next_url):
    session = SessionFactory(activity__first_date=dt.date(2026, 12, 8), activity__registration_required=True)
    registration = RegistrationFactory(session=session, user=resident)
    client.force_login(resident)
    response = client.post(reverse("activities:registration_cancel", args=[registration.pk]), {"next": next_url})
    assert response.status_code == 302 and response.url == reverse("activities:my_registrations")
    assert Registration.objects.get().status == Registration.Status.CANCELLED


def test_a_signal_follow_up_with_a_bare_word_as_next_goes_to_the_list(as_coordinator, house):
    signal = SignalFactory(house=house)
    response = as_coordinator.post(
        url("signal_follow_up", house, signal_id=signal.pk), {"follow_up": "done", "next": "x"}
    )
    assert response.status_code == 302 and response.url == url("signal_list", house)


def test_the_model_refuses_a_title_with_a_line_break_so_the_admin_does_too(house, place):
    activity = ActivityFactory.build(house=house, place=place, title="Koffie\nthee")
    with pytest.raises(ValidationError) as caught:
        activity.full_clean()
    assert caught.value.message_dict["title"] == ["Write this on one line, without line breaks."]


def test_the_service_refuses_to_move_a_session_far_ahead(house, place):
    session = SessionFactory(activity__house=house, activity__place=place, activity__first_date=dt.date(2026, 12, 8))
    start = dt.datetime(2099, 12, 8, 10, tzinfo=AMSTERDAM)
    with pytest.raises(ValidationError) as caught:
        services.session_move(
            session=session, start=start, end=start + dt.timedelta(hours=1), reason="Later", by=SYSTEM
        )
    assert caught.value.message_dict["start"] == ["Choose a new day at most two years ahead."]
    session.refresh_from_db()
    assert session.moved_from is None


@pytest.mark.parametrize("day", [dt.date(1, 1, 1), dt.date(2025, 11, 1)])
def test_the_service_refuses_a_signal_of_long_ago(house, day):
    with pytest.raises(ValidationError) as caught:
        services.signal_record(house=house, date=day, theme="money", by=SYSTEM)
    assert caught.value.message_dict["date"] == ["Choose a date in the past year."]


def test_a_signal_of_last_month_is_recorded(house):
    assert services.signal_record(house=house, date=dt.date(2026, 10, 30), theme="money", by=SYSTEM).pk
