"""A room's page with its week, and requesting a booking: the preview writes nothing, the confirmation books,
every bad input is shown at its field with nothing saved, series, approval, and who may request at all."""

import datetime as dt
import re
from decimal import Decimal

import pytest
from allauth.account.models import EmailAddress
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from bookings.models import Booking
from locations.models import RenterTier, RoomOccupancy, RoomRate
from tests.factories import (
    AMSTERDAM,
    BookingFactory,
    ClosureFactory,
    UserFactory,
    at,
    bookable_room,
)

NOW = dt.datetime(2026, 1, 14, 10, 0, tzinfo=AMSTERDAM)  # a Wednesday morning in winter
MONDAY = dt.date(2026, 1, 19)
TUESDAY = dt.date(2026, 1, 20)


@pytest.fixture
def now(db, monkeypatch):
    monkeypatch.setattr("django.utils.timezone.now", lambda: NOW)
    return NOW


@pytest.fixture
def room(now):
    room = bookable_room(name="Grote zaal", capacity=20, place__name="Het Klooster")
    house = room.place.house
    house.house_rules = "Om 22:00 uur is de zaal leeg. Niet roken."
    house.cancellation_days = 7
    house.party_deposit = Decimal("50.00")
    house.save()
    return room


@pytest.fixture
def renter(english, now):
    user = UserFactory(first_name="Fatima", last_name="El Amrani", email="fatima@example.nl")
    english.force_login(user)
    return user


def detail(room):
    return reverse("bookings:room_detail", args=[room.pk])


def request_url(room):
    return reverse("bookings:booking_request", args=[room.pk])


def data(**changes):
    values = {
        "date": TUESDAY.isoformat(),
        "start": "10:00",
        "end": "12:00",
        "purpose": "Vergadering bewonerscommissie",
        "people": "12",
        "tier": "social",
        "weeks": "1",
        "rules_accepted": "on",
    }
    values.update(changes)
    return {key: value for key, value in values.items() if value is not None}


def nothing_saved():
    return not Booking.objects.exists() and not RoomOccupancy.objects.filter(kind="booking").exists()


# --- the room page -------------------------------------------------------------------------------------------


def test_room_page_shows_facts_rates_rules_terms_and_feed(english, room):
    response = english.get(detail(room))
    html = response.content.decode()
    assert response.status_code == 200
    assert "Grote zaal" in html and "Het Klooster" in html
    assert "Up to 20 people" in html
    assert "€ 15.00" in html and "€ 50.00" in html and "free" in html
    assert "Om 22:00 uur is de zaal leeg." in html
    assert "Cancel free of charge until 7 days before the start" in html
    assert "Private residents pay a deposit of € 50.00" in html
    assert "Book at least 1 hour and at most 8 hours at a time." in html
    assert "The house looks at each request" in html
    assert "Subscribe to this room's calendar" in html
    assert f"webcal://testserver/zalen/{room.pk}.ics" in html
    assert request_url(room) in html


def test_week_grid_shows_opening_hours_busy_times_and_closures_but_never_who(english, room):
    renter = UserFactory(first_name="Geheime", last_name="Huurder", email="geheim@example.nl")
    BookingFactory(room=room, renter=renter, start=at(TUESDAY, 10), end=at(TUESDAY, 12), purpose="Verjaardag Ahmed")
    RoomOccupancy.objects.create(room=room, start=at(MONDAY, 14), end=at(MONDAY, 15, 30), kind="session")
    ClosureFactory(place=room.place, start_date=dt.date(2026, 1, 22), end_date=dt.date(2026, 1, 22), reason="Studiedag")
    response = english.get(detail(room), {"week": "2026-01-21"})  # any day of the week
    html = response.content.decode()
    assert response.context["monday"] == MONDAY
    assert "week of 19 January to 25 January 2026" in html  # the caption of the table
    assert "<caption" in html and 'scope="row"' in html
    assert "Busy 10:00–12:00" in html and "Busy 14:00–15:30" in html
    assert 'Closed: <span lang="nl">Studiedag</span>' in html
    assert "09:00–17:00" in html
    assert "Free 09:00–10:00" in html and "Free 12:00–17:00" in html
    assert "Free 15:30–17:00" in html
    for secret in ("Geheime", "Huurder", "geheim@example.nl", "Verjaardag Ahmed"):
        assert secret not in html
    # Saturday has no opening hours.
    saturday = next(row for row in response.context["grid"] if row.day.date.weekday() == 5)
    assert saturday.day.opening == [] and saturday.free == []


def test_week_grid_links_to_the_previous_and_next_week_and_ignores_bad_weeks(english, room):
    html = english.get(detail(room), {"week": "2026-01-21"}).content.decode()
    assert "?week=2026-01-12" in html and "?week=2026-01-26" in html
    assert english.get(detail(room), {"week": "gisteren"}).context["monday"] == dt.date(2026, 1, 12)
    assert english.get(detail(room), {"week": "0001-01-01"}).status_code == 200
    assert english.get(detail(room), {"week": "9999-12-31"}).status_code == 200


def test_room_page_query_count_does_not_grow_with_busy_blocks(client, room):
    BookingFactory(room=room, start=at(TUESDAY, 9), end=at(TUESDAY, 10))
    with CaptureQueriesContext(connection) as one:
        client.get(detail(room), {"week": "2026-01-20"})
    for hour in range(10, 16):
        BookingFactory(room=room, start=at(TUESDAY, hour), end=at(TUESDAY, hour + 1))
        RoomOccupancy.objects.create(room=room, start=at(MONDAY, hour), end=at(MONDAY, hour + 1), kind="session")
    with CaptureQueriesContext(connection) as many:
        client.get(detail(room), {"week": "2026-01-20"})
    assert len(many) == len(one)


def test_unknown_or_unrentable_room_is_404(client, now):
    assert client.get(reverse("bookings:room_detail", args=[999999])).status_code == 404
    office = bookable_room(bookable=False)
    assert client.get(detail(office)).status_code == 404
    assert client.get(reverse("bookings:room_feed", args=[office.pk])).status_code == 404


# --- who may request -----------------------------------------------------------------------------------------


def test_anonymous_visitor_is_sent_to_the_login(client, room):
    response = client.get(request_url(room))
    assert response.status_code == 302 and response["Location"].startswith(reverse("account_login"))
    response = client.post(request_url(room), data(confirm="1"))
    assert response.status_code == 302 and nothing_saved()


def test_unverified_email_cannot_request_and_is_told_why(english, room):
    user = UserFactory(verified=False)
    EmailAddress.objects.create(user=user, email=user.email, verified=False, primary=True)
    english.force_login(user)
    response = english.get(request_url(room))
    html = response.content.decode()
    assert response.status_code == 403
    assert "Confirm your e-mail address first" in html and reverse("account_email") in html
    response = english.post(request_url(room), data(confirm="1"))
    assert response.status_code == 403 and nothing_saved()


def test_form_shows_the_rules_the_tiers_and_takes_over_the_search(english, renter, room):
    response = english.get(request_url(room), {"date": "2026-01-20", "start": "10:00", "end": "11:30", "people": "6"})
    html = response.content.decode()
    assert response.status_code == 200
    assert "Om 22:00 uur is de zaal leeg." in html
    assert "Private resident" in html and "Resident initiative, open to the neighbourhood" in html
    assert "Social organisation" in html and "Commercial" in html
    assert 'value="2026-01-20"' in html and 'value="11:30"' in html and 'value="6"' in html
    assert 'step="900"' in html


# --- preview and confirm -------------------------------------------------------------------------------------


def test_preview_shows_the_price_and_saves_nothing(english, renter, room):
    response = english.post(request_url(room), data(tier="resident", start="10:00", end="16:30"))
    html = response.content.decode()
    assert response.status_code == 200
    assert "Check your request" in html and "Nothing is booked yet" in html
    # One day part (4 hours, € 50) and 2.5 hours (€ 37.50), plus the deposit for a private party.
    assert "€ 87.50" in html and "€ 50.00" in html
    assert 'name="confirm" value="1"' in html and 'type="hidden" name="purpose"' in html
    assert nothing_saved()
    assert not mail.outbox


def test_preview_of_a_free_tier_says_free(english, renter, room):
    html = english.post(request_url(room), data(tier="initiative")).content.decode()
    assert "Free" in html and "Deposit" not in html


def test_confirm_requests_the_booking_and_mails_after_commit(english, renter, room, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = english.post(request_url(room), data(confirm="1"), follow=True)
    booking = Booking.objects.get()
    assert booking.renter == renter and booking.status == Booking.Status.REQUESTED
    assert (booking.start, booking.end) == (at(TUESDAY, 10), at(TUESDAY, 12))
    assert booking.price == Decimal("20.00") and booking.people == 12 and booking.tier == "social"
    assert booking.rules_accepted_at is not None
    assert response.redirect_chain[-1][0] == reverse("bookings:my_bookings")
    assert "waits for approval by the house" in response.content.decode()
    assert [message.to for message in mail.outbox] == [["fatima@example.nl"]]


def test_a_room_without_approval_is_confirmed_at_once(english, renter, room):
    room.requires_approval = False
    room.save()
    response = english.post(request_url(room), data(confirm="1"), follow=True)
    assert Booking.objects.get().status == Booking.Status.APPROVED
    assert "is confirmed" in response.content.decode()


def test_change_goes_back_to_the_filled_in_form(english, renter, room):
    response = english.post(request_url(room), data(edit="1"))
    html = response.content.decode()
    assert "Check and see the price" in html and 'value="Vergadering bewonerscommissie"' in html
    assert nothing_saved()


BAD_INPUT = [
    ({"end": "09:00"}, "end", "The end must be after the start"),
    ({"end": "10:30"}, "end", "Book at least 60 minutes."),
    ({"date": "2026-01-21", "start": "09:00", "end": "17:00"}, None, None),  # 8 hours: the longest, fine
    ({"date": "2026-01-12"}, "start", "Choose a time in the future."),
    ({"date": "2026-06-02"}, "start", "at most 90 days ahead"),
    ({"people": "21"}, "people", "At most 20 people fit in this room."),
    ({"people": "0"}, "people", "at least 1"),
    ({"start": "16:00", "end": "18:00"}, "start", "Book within the opening hours"),
    ({"date": "2026-01-22"}, "start", "The place is closed then (Koningsdag)."),
    ({"start": "11:00", "end": "13:00"}, "start", "already in use"),
    ({"rules_accepted": None}, "rules_accepted", "Accept the house rules to book."),
    ({"tier": "commercial"}, "tier", "This room cannot be rented by this kind of renter."),
    ({"tier": "vip"}, "tier", "Choose who rents the room."),
    ({"start": "10:10"}, "start", "on the quarter hour"),
    ({"purpose": "   "}, "purpose", "Say what the room is for."),
    ({"weeks": "27"}, "weeks", "Book 1 to 26 weeks at a time."),
    ({"date": "volgende week"}, "date", "Enter a date"),
]


@pytest.mark.parametrize("confirm", ["", "1"])
@pytest.mark.parametrize("changes, field, message", BAD_INPUT)
def test_bad_input_is_shown_at_its_field_and_nothing_is_saved(english, renter, room, changes, field, message, confirm):
    BookingFactory(room=room, start=at(TUESDAY, 12), end=at(TUESDAY, 14))
    ClosureFactory(
        place=room.place, start_date=dt.date(2026, 1, 22), end_date=dt.date(2026, 1, 22), reason="Koningsdag"
    )
    RoomRate.objects.filter(room=room, tier=RenterTier.COMMERCIAL).delete()
    bookings_before = Booking.objects.count()
    response = english.post(request_url(room), data(confirm=confirm or None, **changes))
    if field is None:  # the control cases are accepted
        assert response.status_code in (200, 302)
        assert "form" not in (response.context or {}) or not response.context["form"].errors
        return
    assert response.status_code == 200
    form = response.context["form"]
    assert field in form.errors, form.errors
    assert message in " ".join(form.errors[field])
    html = response.content.decode()
    assert f'id="id_{field}_error"' in html
    assert "Nothing is booked yet." in html
    assert Booking.objects.count() == bookings_before


def test_a_series_books_the_free_weeks_and_reports_the_clash(english, renter, room, django_capture_on_commit_callbacks):
    BookingFactory(
        room=room, start=at(TUESDAY + dt.timedelta(weeks=1), 11), end=at(TUESDAY + dt.timedelta(weeks=1), 12)
    )
    preview = english.post(request_url(room), data(weeks="3"))
    html = preview.content.decode()
    assert "2 of 3 weeks free" in html
    assert "Not possible" in html and "The room is already in use then." in html
    assert "€ 40.00 for 2 times" in html
    assert Booking.objects.count() == 1  # only the one in the way

    with django_capture_on_commit_callbacks(execute=True):
        response = english.post(request_url(room), data(weeks="3", confirm="1"), follow=True)
    mine = Booking.objects.filter(renter=renter).order_by("start")
    assert [booking.start for booking in mine] == [at(TUESDAY, 10), at(TUESDAY + dt.timedelta(weeks=2), 10)]
    assert mine[0].series_id is not None and mine[0].series_id == mine[1].series_id
    html = response.content.decode()
    assert "Your 2 requests for Grote zaal are sent" in html
    assert "Not booked on Tuesday 27 January 2026: The room is already in use then." in html
    (message,) = [message for message in mail.outbox if message.to == [renter.email]]  # one e-mail for the series
    assert message.subject.endswith("Aanvraag ontvangen: 2 weken van Grote zaal")  # in the renter's language
    assert message.body.count("€ 20,00") == 2 and "Totaal: € 40,00" in message.body


def test_a_series_of_which_no_week_is_free_is_refused(english, renter, room):
    for week in range(2):
        day = TUESDAY + dt.timedelta(weeks=week)
        BookingFactory(room=room, start=at(day, 9), end=at(day, 17))
    response = english.post(request_url(room), data(weeks="2"))
    html = response.content.decode()
    assert "None of these weeks is free." in html and "The room is already in use then." in html
    response = english.post(request_url(room), data(weeks="2", confirm="1"))
    assert "None of these weeks is free." in response.content.decode()
    assert not Booking.objects.filter(renter=renter).exists()


def test_a_clash_between_preview_and_confirm_is_shown_at_the_start(english, renter, room):
    english.post(request_url(room), data())  # the preview: still free
    BookingFactory(room=room, start=at(TUESDAY, 11), end=at(TUESDAY, 12))  # someone else was quicker
    response = english.post(request_url(room), data(confirm="1"))
    assert response.status_code == 200
    assert re.search(r"Grote zaal is already in use at that time", " ".join(response.context["form"].errors["start"]))
    assert not Booking.objects.filter(renter=renter).exists()


def test_free_time_today_starts_at_the_next_quarter_hour(english, monkeypatch, room):
    later = dt.datetime(2026, 1, 14, 10, 7, tzinfo=AMSTERDAM)
    monkeypatch.setattr("django.utils.timezone.now", lambda: later)
    response = english.get(detail(room))
    today = next(row for row in response.context["grid"] if row.is_today)
    assert today.free == [(dt.time(10, 15), dt.time(17))]
    yesterday = next(row for row in response.context["grid"] if row.day.date == dt.date(2026, 1, 13))
    assert yesterday.is_past and yesterday.free == []


@pytest.mark.parametrize("confirm", [None, "1"], ids=["preview", "confirm"])
def test_a_date_far_in_the_future_is_a_clear_error_not_a_500(english, renter, room, confirm):
    response = english.post(request_url(room), data(date="9999-12-28", weeks="2", confirm=confirm))
    assert response.status_code in (200, 400)
    assert "2000" in response.content.decode() and "2099" in response.content.decode()
    assert nothing_saved()
