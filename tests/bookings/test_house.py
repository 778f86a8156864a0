"""The house side of room rental: requests waiting, approve, reject, cancel, booking on behalf and the calendar."""

import datetime as dt
from decimal import Decimal

import pytest
from django.contrib.messages import get_messages
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from activities.models import Session
from bookings import services
from bookings.models import Booking
from locations.models import RoomOccupancy
from tests.factories import (
    ActivityFactory,
    BookingFactory,
    ClosureFactory,
    PlaceFactory,
    RoomFactory,
    RoomRateFactory,
    UserFactory,
    at,
    bookable_room,
    next_weekday,
)

pytestmark = pytest.mark.date_sensitive

TUESDAY = next_weekday(1)


@pytest.fixture
def as_coordinator(english, coordinator):
    english.force_login(coordinator)
    return english


@pytest.fixture
def place(house):
    return PlaceFactory(house=house, name="Het Klooster")


@pytest.fixture
def room(place):
    return bookable_room(place=place, name="Grote zaal", capacity=30)


@pytest.fixture
def other_room(other_house):
    return bookable_room(place=PlaceFactory(house=other_house, name="De Larenkamp"), name="Zaal elders")


def another_room(place, **kwargs):
    """A second bookable room in a place that already has its opening hours."""
    room = RoomFactory(place=place, **kwargs)
    for tier in ("initiative", "resident", "social", "commercial"):
        RoomRateFactory(room=room, tier=tier)
    return room


def url(name, house, **kwargs):
    return reverse(f"bookings:{name}", kwargs={"house_slug": house.slug, **kwargs})


def request_booking(room, *, renter=None, hour=10, day=TUESDAY, hours=2, purpose="Verjaardag oma", tier="resident"):
    return services.booking_request(
        room=room,
        start=at(day, hour),
        end=at(day, hour + hours),
        tier=tier,
        purpose=purpose,
        people=12,
        renter=renter or UserFactory(first_name="Fatima", last_name="Amrani"),
        rules_accepted=True,
        by=renter or UserFactory(first_name="Fatima", last_name="Amrani"),
    )


def messages_of(response):
    return [str(message) for message in get_messages(response.wsgi_request)]


# --- the requests page ----------------------------------------------------------------------------------------


def test_requests_page_shows_waiting_requests_oldest_first_then_approved_bookings(as_coordinator, house, room):
    later = request_booking(room, hour=14, renter=UserFactory(first_name="Ahmed", last_name="Yilmaz"))
    first = request_booking(room, hour=10, day=TUESDAY + dt.timedelta(days=1))
    Booking.objects.filter(pk=first.pk).update(created_at=later.created_at - dt.timedelta(hours=1))
    approved = BookingFactory(room=room, start=at(TUESDAY, 12), end=at(TUESDAY, 13), purpose="Bestuursvergadering")

    response = as_coordinator.get(url("house_requests", house))

    assert response.status_code == 200
    assert [booking.pk for booking in response.context["waiting"]] == [first.pk, later.pk]
    assert list(response.context["page"].object_list) == [approved]
    page = response.content.decode()
    assert "Fatima Amrani" in page and "Ahmed Yilmaz" in page
    assert "Verjaardag oma" in page and "Private resident" in page and "Bestuursvergadering" in page
    assert "€&nbsp;30.00" in page  # two hours at the private rate of 15 an hour
    assert "2 requests waiting" in page and "1 approved booking" in page
    assert f'action="{url("booking_approve", house, booking_id=later.pk)}"' in page
    assert url("booking_reject", house, booking_id=later.pk) in page
    assert url("house_booking_cancel", house, booking_id=approved.pk) in page


def test_requests_page_without_bookings_says_what_to_do(as_coordinator, house, room):
    page = as_coordinator.get(url("house_requests", house)).content.decode()
    assert "No requests are waiting. New requests from residents appear here." in page
    assert "No approved bookings to come." in page


def test_a_phone_booking_shows_the_caller(as_coordinator, house, room, coordinator):
    services.booking_book_on_behalf(
        room=room,
        start=at(TUESDAY, 10),
        end=at(TUESDAY, 12),
        tier="social",
        purpose="Taalles",
        people=5,
        contact_name="Stichting Taalmaatje",
        contact_phone="010-1234567",
        by=coordinator,
    )
    page = as_coordinator.get(url("house_requests", house)).content.decode()
    assert "Stichting Taalmaatje" in page and "010-1234567" in page


def test_requests_page_shows_only_this_house(as_coordinator, house, room, other_room):
    request_booking(other_room, purpose="Feest elders")
    BookingFactory(room=other_room, start=at(TUESDAY, 14), end=at(TUESDAY, 16), purpose="Vergadering elders")
    response = as_coordinator.get(url("house_requests", house))
    assert response.context["waiting"] == [] and not response.context["page"].object_list
    assert "elders" not in response.content.decode()


def test_filter_by_room_and_period(as_coordinator, house, room, place):
    small = another_room(place, name="Kleine zaal")
    in_room = request_booking(room, hour=10)
    request_booking(small, hour=10)
    next_week = request_booking(room, hour=10, day=TUESDAY + dt.timedelta(weeks=1))

    response = as_coordinator.get(url("house_requests", house), {"ruimte": room.pk})
    assert {booking.pk for booking in response.context["waiting"]} == {in_room.pk, next_week.pk}

    day = TUESDAY.isoformat()
    response = as_coordinator.get(url("house_requests", house), {"ruimte": room.pk, "van": day, "tot": day})
    assert [booking.pk for booking in response.context["waiting"]] == [in_room.pk]
    assert "Clear filters" in response.content.decode()


@pytest.mark.parametrize(
    ("query", "field", "message"),
    [
        ({"van": "gisteren"}, "van", "Enter a valid date."),
        ({"van": "2026-05-10", "tot": "2026-05-01"}, "tot", "The end date must be on or after the start date."),
        ({"ruimte": "999999"}, "ruimte", "Select a valid choice."),
        ({"tot": "9999-12-31"}, "tot", "Choose a date between 2000 and 2099."),
    ],
)
def test_a_bad_filter_is_shown_at_the_field(as_coordinator, house, room, query, field, message):
    request_booking(room)
    response = as_coordinator.get(url("house_requests", house), query)
    assert response.status_code == 400
    assert any(message in error for error in response.context["filter"].errors[field])
    assert f'id="id_{field}_error"' in response.content.decode()
    assert response.context["waiting"] == []


def test_another_house_room_cannot_be_chosen_in_the_filter(as_coordinator, house, room, other_room):
    response = as_coordinator.get(url("house_requests", house), {"ruimte": other_room.pk})
    assert response.status_code == 400


def test_requests_page_query_count_does_not_grow_with_the_bookings(as_coordinator, house, room, place):
    request_booking(room)
    BookingFactory(room=room, start=at(TUESDAY, 15), end=at(TUESDAY, 16))
    with CaptureQueriesContext(connection) as one:
        assert as_coordinator.get(url("house_requests", house)).status_code == 200
    for week in range(1, 50):
        day = TUESDAY + dt.timedelta(weeks=week % 10, days=(week // 10) % 4)
        extra = another_room(place) if week % 10 == 0 else room
        renter = UserFactory()
        late = week >= 40  # the same days as weeks 1 to 9: later in the day
        request_booking(extra, day=day, hour=13 if late else 10, renter=renter)
        BookingFactory(room=extra, start=at(day, 16 if late else 15), end=at(day, 17 if late else 16), renter=renter)
    with CaptureQueriesContext(connection) as fifty:
        response = as_coordinator.get(url("house_requests", house))
    assert len(response.context["waiting"]) == 50 and len(response.context["page"].object_list) == 50
    assert len(fifty) == len(one), [query["sql"] for query in fifty.captured_queries]


def test_requests_page_shows_this_months_occupancy(as_coordinator, house, room, place):
    RoomFactory(place=place, name="Berging", bookable=False)
    response = as_coordinator.get(url("house_requests", house))
    rows = response.context["occupancy"]
    assert [row[0] for row in rows] == [room]
    figures = rows[0][1]
    assert figures["open_hours"] > 0 and figures["percentage"] is not None
    assert "Occupancy per room" in response.content.decode()


# --- approve, reject, cancel ---------------------------------------------------------------------------------


def test_coordinator_approves_a_request_and_the_renter_gets_an_email(
    as_coordinator, house, room, coordinator, mailoutbox, django_capture_on_commit_callbacks
):
    booking = request_booking(room)
    mailoutbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        response = as_coordinator.post(url("booking_approve", house, booking_id=booking.pk))
    assert response.status_code == 302 and response.url == url("house_requests", house)
    booking.refresh_from_db()
    assert booking.status == Booking.Status.APPROVED and booking.decided_by == coordinator
    assert booking.occupancy_id is not None
    assert [mail.to for mail in mailoutbox] == [[booking.renter.email]]
    assert "Grote zaal" in mailoutbox[0].subject
    assert messages_of(response)[0].startswith("Approved: Grote zaal on ")


def test_approve_goes_back_to_the_filtered_list(as_coordinator, house, room):
    booking = request_booking(room)
    back = url("house_requests", house) + f"?ruimte={room.pk}"
    response = as_coordinator.post(url("booking_approve", house, booking_id=booking.pk), {"next": back})
    assert response.url == back
    response = as_coordinator.post(
        url("booking_approve", house, booking_id=booking.pk), {"next": "https://evil.example/"}
    )
    assert response.url == url("house_requests", house)


def test_approving_a_rejected_request_is_refused(as_coordinator, house, room, coordinator, mailoutbox):
    booking = request_booking(room)
    services.booking_reject(booking=booking, reason="Vol", by=coordinator)
    mailoutbox.clear()
    response = as_coordinator.post(url("booking_approve", house, booking_id=booking.pk), follow=True)
    booking.refresh_from_db()
    assert booking.status == Booking.Status.REJECTED and booking.occupancy_id is None
    assert "Only a request that is waiting can be approved." in messages_of(response)
    assert mailoutbox == []


def test_approve_is_post_only(as_coordinator, house, room):
    booking = request_booking(room)
    assert as_coordinator.get(url("booking_approve", house, booking_id=booking.pk)).status_code == 405
    booking.refresh_from_db()
    assert booking.status == Booking.Status.REQUESTED


def test_coordinator_rejects_with_a_reason_and_the_room_is_free_again(
    as_coordinator, house, room, mailoutbox, django_capture_on_commit_callbacks
):
    booking = request_booking(room)
    reject_url = url("booking_reject", house, booking_id=booking.pk)
    page = as_coordinator.get(reject_url).content.decode()
    assert "Reject a request" in page and "Verjaardag oma" in page and "Fatima Amrani" in page
    mailoutbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        response = as_coordinator.post(reject_url, {"reason": "De zaal wordt die dag geschilderd"})
    assert response.status_code == 302 and response.url == url("house_requests", house)
    booking.refresh_from_db()
    assert booking.status == Booking.Status.REJECTED
    assert booking.decision_reason == "De zaal wordt die dag geschilderd"
    assert not RoomOccupancy.objects.filter(room=room).exists()
    assert len(mailoutbox) == 1 and "De zaal wordt die dag geschilderd" in mailoutbox[0].body
    assert messages_of(response)[0].startswith("Rejected: the request of Fatima Amrani for Grote zaal on ")


@pytest.mark.parametrize("reason", ["", "   "])
def test_reject_without_a_reason_is_refused_and_nothing_changes(as_coordinator, house, room, mailoutbox, reason):
    booking = request_booking(room)
    mailoutbox.clear()
    response = as_coordinator.post(url("booking_reject", house, booking_id=booking.pk), {"reason": reason})
    assert response.status_code == 200
    assert response.context["form"].errors["reason"] == ["Give a reason; the renter will read it."]
    page = response.content.decode()
    assert 'id="id_reason_error"' in page and 'aria-invalid="true"' in page
    booking.refresh_from_db()
    assert booking.status == Booking.Status.REQUESTED and booking.occupancy_id is not None
    assert mailoutbox == []


def test_rejecting_an_approved_booking_is_refused(as_coordinator, house, room):
    booking = BookingFactory(room=room)
    response = as_coordinator.get(url("booking_reject", house, booking_id=booking.pk))
    assert "This request is no longer waiting" in response.content.decode()
    response = as_coordinator.post(url("booking_reject", house, booking_id=booking.pk), {"reason": "Toch niet"})
    assert response.status_code == 200
    assert "Only a request that is waiting can be rejected." in response.context["form"].non_field_errors()
    booking.refresh_from_db()
    assert booking.status == Booking.Status.APPROVED


def test_coordinator_cancels_an_approved_booking_with_a_reason(
    as_coordinator, house, room, mailoutbox, django_capture_on_commit_callbacks
):
    booking = BookingFactory(room=room, price=Decimal("40.00"))
    cancel_url = url("house_booking_cancel", house, booking_id=booking.pk)
    assert "Cancel a booking" in as_coordinator.get(cancel_url).content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        response = as_coordinator.post(cancel_url, {"reason": "Lekkage in de zaal"})
    assert response.status_code == 302
    booking.refresh_from_db()
    assert booking.status == Booking.Status.CANCELLED and booking.decision_reason == "Lekkage in de zaal"
    assert booking.cancellation_cost == 0  # the house cancels: the renter pays nothing
    assert booking.occupancy_id is None and not RoomOccupancy.objects.filter(room=room).exists()
    assert [mail.to for mail in mailoutbox] == [[booking.renter.email]]
    assert "Lekkage in de zaal" in mailoutbox[0].body
    assert messages_of(response)[0].endswith("The renter gets an e-mail.")


def test_cancelling_a_phone_booking_without_an_address_says_to_call(as_coordinator, house, room, mailoutbox):
    booking = BookingFactory(room=room, renter=None, contact_name="Henk de Vries", contact_phone="06-12345678")
    response = as_coordinator.post(url("house_booking_cancel", house, booking_id=booking.pk), {"reason": "Lekkage"})
    [message] = messages_of(response)
    assert message.startswith("Cancelled: the booking of Henk de Vries for Grote zaal on ")
    assert message.endswith("There is no e-mail address: let them know by phone (06-12345678).")
    assert mailoutbox == []


def test_cancel_without_a_reason_is_refused_and_nothing_changes(as_coordinator, house, room, mailoutbox):
    booking = BookingFactory(room=room)
    response = as_coordinator.post(url("house_booking_cancel", house, booking_id=booking.pk), {"reason": ""})
    assert response.status_code == 200
    assert response.context["form"].errors["reason"] == ["Give a reason; the renter will read it."]
    booking.refresh_from_db()
    assert booking.status == Booking.Status.APPROVED and booking.occupancy_id is not None
    assert mailoutbox == []


def test_cancelling_a_cancelled_booking_is_refused(as_coordinator, house, room, coordinator):
    booking = BookingFactory(room=room)
    services.booking_cancel_by_house(booking=booking, reason="Lekkage", by=coordinator)
    response = as_coordinator.post(url("house_booking_cancel", house, booking_id=booking.pk), {"reason": "Nog eens"})
    assert "This booking is no longer active." in response.context["form"].non_field_errors()
    booking.refresh_from_db()
    assert booking.decision_reason == "Lekkage"


@pytest.mark.parametrize("name", ["booking_approve", "booking_reject", "house_booking_cancel"])
def test_a_booking_of_another_house_is_404(as_coordinator, house, other_room, name):
    booking = request_booking(other_room)
    data = {"reason": "Niet van ons"}
    assert as_coordinator.post(url(name, house, booking_id=booking.pk), data).status_code == 404
    assert as_coordinator.post(url(name, house, booking_id=999999), data).status_code == 404
    booking.refresh_from_db()
    assert booking.status == Booking.Status.REQUESTED


# --- who may ---------------------------------------------------------------------------------------------------

ROLES_REFUSED = ["host", "manager", "municipality", "resident", "other_house_coordinator", "other_house_host"]


def page_urls(house, booking):
    return [
        url("house_requests", house),
        url("book_on_behalf", house),
        url("house_calendar", house),
        url("house_export", house),
        url("booking_reject", house, booking_id=booking.pk),
        url("house_booking_cancel", house, booking_id=booking.pk),
    ]


@pytest.mark.parametrize("role", ["coordinator", "administrator"])
def test_the_coordinator_and_the_administrator_may(english, house, room, request, role):
    english.force_login(request.getfixturevalue(role))
    booking = request_booking(room)
    for page_url in page_urls(house, booking):
        assert english.get(page_url).status_code == 200, page_url
    assert english.post(url("booking_approve", house, booking_id=booking.pk)).status_code == 302
    booking.refresh_from_db()
    assert booking.status == Booking.Status.APPROVED


@pytest.mark.parametrize("role", ROLES_REFUSED)
def test_other_roles_get_404_and_change_nothing(english, house, room, request, role):
    english.force_login(request.getfixturevalue(role))
    booking = request_booking(room)
    for page_url in page_urls(house, booking):
        assert english.get(page_url).status_code == 404, page_url
    assert english.post(url("booking_approve", house, booking_id=booking.pk)).status_code == 404
    assert english.post(url("booking_reject", house, booking_id=booking.pk), {"reason": "x"}).status_code == 404
    assert english.post(url("house_booking_cancel", house, booking_id=booking.pk), {"reason": "x"}).status_code == 404
    booking.refresh_from_db()
    assert booking.status == Booking.Status.REQUESTED


def test_anonymous_visitors_are_sent_to_the_login_page(client, house, room):
    booking = request_booking(room)
    for page_url in page_urls(house, booking) + [url("booking_approve", house, booking_id=booking.pk)]:
        method = client.post if "goedkeuren" in page_url else client.get
        response = method(page_url)
        assert response.status_code == 302 and response.url.startswith(reverse("account_login")), page_url
    booking.refresh_from_db()
    assert booking.status == Booking.Status.REQUESTED


def test_an_unknown_house_is_404(as_coordinator):
    assert as_coordinator.get(reverse("bookings:house_requests", args=["bestaat-niet"])).status_code == 404


# --- booking on behalf -----------------------------------------------------------------------------------------


def on_behalf_data(the_room, **overrides):
    data = {
        "room": the_room.pk,
        "date": TUESDAY.isoformat(),
        "start": "10:00",
        "end": "13:00",
        "tier": "social",
        "purpose": "Cursus Nederlands",
        "people": "10",
        "contact_name": "Stichting Taalmaatje",
        "contact_phone": "010-1234567",
        "contact_email": "",
    }
    data.update(overrides)
    return {key: value for key, value in data.items() if value is not None}


def test_the_form_offers_only_this_houses_bookable_rooms(as_coordinator, house, room, place, other_room):
    RoomFactory(place=place, name="Berging", bookable=False)
    response = as_coordinator.get(url("book_on_behalf", house))
    assert list(response.context["form"].fields["room"].queryset) == [room]
    assert "Zaal elders" not in response.content.decode()


def test_book_on_behalf_shows_the_price_then_books(
    as_coordinator, house, room, coordinator, mailoutbox, django_capture_on_commit_callbacks
):
    data = on_behalf_data(room, contact_email="taal@example.nl")
    response = as_coordinator.post(url("book_on_behalf", house), data)
    assert response.status_code == 200
    assert response.templates[0].name == "bookings/house/book_on_behalf_confirm.html"
    page = response.content.decode()
    assert "€&nbsp;30.00" in page  # three hours at 10 an hour, never more than a day part of 30
    assert "Social organisation" in page and "Stichting Taalmaatje" in page
    assert not Booking.objects.exists()

    with django_capture_on_commit_callbacks(execute=True):
        response = as_coordinator.post(url("book_on_behalf", house), {**data, "action": "confirm"})
    assert response.status_code == 302 and response.url == url("house_requests", house)
    booking = Booking.objects.get()
    assert booking.status == Booking.Status.APPROVED and booking.renter is None
    assert (booking.contact_name, booking.contact_phone, booking.contact_email) == (
        "Stichting Taalmaatje",
        "010-1234567",
        "taal@example.nl",
    )
    assert booking.start == at(TUESDAY, 10) and booking.end == at(TUESDAY, 13)
    assert booking.price == Decimal("30.00") and booking.created_by == coordinator
    assert [mail.to for mail in mailoutbox] == [["taal@example.nl"]]
    assert "They get a confirmation by e-mail." in messages_of(response)[0]


def test_change_goes_back_to_the_filled_in_form(as_coordinator, house, room):
    response = as_coordinator.post(url("book_on_behalf", house), {**on_behalf_data(room), "action": "edit"})
    assert response.templates[0].name == "bookings/house/book_on_behalf.html"
    assert not response.context["form"].errors
    assert 'value="Cursus Nederlands"' in response.content.decode()
    assert not Booking.objects.exists()


def test_a_taken_room_is_refused_at_the_preview_and_at_booking(as_coordinator, house, room):
    BookingFactory(room=room, start=at(TUESDAY, 12), end=at(TUESDAY, 14))
    for action in ("preview", "confirm"):
        response = as_coordinator.post(url("book_on_behalf", house), {**on_behalf_data(room), "action": action})
        assert response.status_code == 200
        form = response.context["form"]
        assert "Grote zaal is already in use at that time." in str(form.errors), action
    assert Booking.objects.count() == 1


@pytest.mark.parametrize("action", ["preview", "confirm"])
@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"room": ""}, "room", "This field is required."),
        ({"room": "999999"}, "room", "Choose one of the rooms of this house."),
        ({"date": "morgen"}, "date", "Enter a valid date."),
        ({"start": ""}, "start", "This field is required."),
        ({"start": "25:00"}, "start", "Enter a valid time."),
        ({"end": "09:00"}, "end", "The end must be after the start."),
        ({"end": "10:15"}, "end", "Book at least 60 minutes."),
        ({"start": "07:00"}, "start", "Book within the opening hours of the place."),
        ({"date": "2020-01-07"}, "start", "Choose a time in the future."),
        ({"date": "9999-12-31"}, "date", "Choose a date between 2000 and 2099."),
        ({"tier": ""}, "tier", "This field is required."),
        ({"tier": "vip"}, "tier", "Select a valid choice."),
        ({"purpose": "  "}, "purpose", "This field is required."),
        ({"purpose": "x" * 201}, "purpose", "Ensure this value has at most 200 characters"),
        ({"people": "0"}, "people", "Enter the number of people: at least 1."),
        ({"people": "veel"}, "people", "Enter a whole number."),
        ({"people": "31"}, "people", "At most 30 people fit in this room."),
        ({"contact_name": ""}, "contact_name", "This field is required."),
        ({"contact_phone": ""}, "contact_phone", "Enter a phone number or an e-mail address to reach them."),
        ({"contact_phone": "0" * 21}, "contact_phone", "Ensure this value has at most 20 characters"),
        ({"contact_email": "geen-adres"}, "contact_email", "Enter a valid email address."),
    ],
)
def test_bad_input_is_shown_at_the_field_and_nothing_is_saved(
    as_coordinator, house, room, overrides, field, message, action
):
    response = as_coordinator.post(
        url("book_on_behalf", house), {**on_behalf_data(room, **overrides), "action": action}
    )
    assert response.status_code == 200
    assert response.templates[0].name == "bookings/house/book_on_behalf.html"
    errors = response.context["form"].errors
    assert any(message in error for error in errors.get(field, [])), errors
    assert f'id="id_{field}_error"' in response.content.decode()
    assert not Booking.objects.exists()


def test_a_room_of_another_house_cannot_be_booked(as_coordinator, house, room, other_room):
    for action in ("preview", "confirm"):
        response = as_coordinator.post(url("book_on_behalf", house), {**on_behalf_data(other_room), "action": action})
        assert "Choose one of the rooms of this house." in response.context["form"].errors["room"]
    assert not Booking.objects.exists()


def test_a_tier_without_a_rate_is_refused_at_the_tier(as_coordinator, house, room):
    room.rates.filter(tier="commercial").delete()
    response = as_coordinator.post(url("book_on_behalf", house), on_behalf_data(room, tier="commercial"))
    assert "This room cannot be rented by this kind of renter." in response.context["form"].errors["tier"][0]
    assert not Booking.objects.exists()


def test_a_closed_day_is_refused(as_coordinator, house, room, place):
    ClosureFactory(place=place, start_date=TUESDAY, end_date=TUESDAY, reason="Schilderwerk")
    response = as_coordinator.post(url("book_on_behalf", house), on_behalf_data(room))
    assert "The place is closed then (Schilderwerk)." in response.context["form"].errors["start"]


# --- the calendar ----------------------------------------------------------------------------------------------


def calendar_of(client, house, **query):
    return client.get(url("house_calendar", house), query)


def test_the_week_calendar_shows_bookings_sessions_and_closures_per_room(as_coordinator, house, room, place):
    small = another_room(place, name="Kleine zaal")
    request_booking(room, hour=14, purpose="Verjaardag oma")
    BookingFactory(
        room=room,
        start=at(TUESDAY, 10),
        end=at(TUESDAY, 12),
        purpose="Bestuursvergadering",
        renter=UserFactory(first_name="Ahmed", last_name="Yilmaz"),
    )
    activity = ActivityFactory(house=house, place=place, title="Sjoelen")
    claim = RoomOccupancy.objects.create(room=small, start=at(TUESDAY, 9), end=at(TUESDAY, 11), kind="session")
    Session.objects.create(activity=activity, room=small, occupancy=claim, start=claim.start, end=claim.end)
    ClosureFactory(
        place=place,
        start_date=TUESDAY + dt.timedelta(days=2),
        end_date=TUESDAY + dt.timedelta(days=9),
        reason="Schilderwerk",
    )

    response = calendar_of(as_coordinator, house, plaats=place.pk, dag=TUESDAY.isoformat(), weergave="week")

    assert response.status_code == 200
    rooms = dict(response.context["rooms"])
    assert [(entry.kind, entry.title, entry.renter, entry.status) for entry in rooms[room]] == [
        ("booking", "Bestuursvergadering", "Ahmed Yilmaz", "approved"),
        ("booking", "Verjaardag oma", "Fatima Amrani", "requested"),
    ] + [("closed", "Schilderwerk", "", "")] * 4  # Thursday to Sunday
    assert [(entry.kind, entry.title) for entry in rooms[small]] == [("session", "Sjoelen")] + [
        ("closed", "Schilderwerk")
    ] * 4
    page = response.content.decode()
    assert "Ahmed Yilmaz" in page and "Sjoelen" in page and 'Closed: <span lang="nl">Schilderwerk</span>' in page
    assert response.context["first"] == TUESDAY - dt.timedelta(days=1)
    assert response.context["last"] == TUESDAY + dt.timedelta(days=5)
    assert "<caption" in page and "Grote zaal, " in page
    previous = (TUESDAY - dt.timedelta(weeks=1)).isoformat()
    assert f"plaats={place.pk}&amp;dag={previous}&amp;weergave=week" in page


def test_the_day_calendar_shows_one_day(as_coordinator, house, room, place):
    BookingFactory(room=room, start=at(TUESDAY, 10), end=at(TUESDAY, 12), purpose="Dinsdag")
    BookingFactory(room=room, start=at(TUESDAY + dt.timedelta(days=1), 10), end=at(TUESDAY + dt.timedelta(days=1), 12))
    response = calendar_of(as_coordinator, house, plaats=place.pk, dag=TUESDAY.isoformat(), weergave="dag")
    assert [entry.title for entry in dict(response.context["rooms"])[room]] == ["Dinsdag"]
    following = (TUESDAY + dt.timedelta(days=1)).isoformat()
    assert f"dag={following}&amp;weergave=dag" in response.content.decode()


def test_the_calendar_starts_at_the_first_place_this_week(as_coordinator, house, room, place):
    response = calendar_of(as_coordinator, house)
    assert response.status_code == 200
    assert response.context["place"] == place and response.context["view"] == "week"
    assert "Nothing booked or planned in this room this week." in response.content.decode()


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ({"dag": "volgende week"}, "dag"),
        ({"dag": "9999-12-31"}, "dag"),
        ({"weergave": "maand"}, "weergave"),
        ({"plaats": "abc"}, "plaats"),
    ],
)
def test_a_bad_calendar_query_is_a_clear_error(as_coordinator, house, room, query, field):
    response = calendar_of(as_coordinator, house, **query)
    assert response.status_code == 400
    assert field in response.context["form"].errors
    assert f'id="id_{field}_error"' in response.content.decode()


def test_a_place_of_another_house_is_refused(as_coordinator, house, room, other_room):
    response = calendar_of(as_coordinator, house, plaats=other_room.place_id)
    assert response.status_code == 400
    assert "Choose one of the places of this house." in response.context["form"].errors["plaats"]
    assert "Zaal elders" not in response.content.decode()


def test_calendar_query_count_does_not_grow_with_rooms_or_bookings(as_coordinator, house, room, place):
    BookingFactory(room=room, start=at(TUESDAY, 10), end=at(TUESDAY, 11))
    query = {"plaats": place.pk, "dag": TUESDAY.isoformat(), "weergave": "week"}
    with CaptureQueriesContext(connection) as one:
        assert calendar_of(as_coordinator, house, **query).status_code == 200
    for number in range(10):
        extra = another_room(place) if number < 5 else room
        for hour in (12, 14, 16) if extra is not room else (11 + number - 5,):
            BookingFactory(room=extra, start=at(TUESDAY, hour), end=at(TUESDAY, hour + 1))
    ClosureFactory(place=place, start_date=TUESDAY + dt.timedelta(days=3), end_date=TUESDAY + dt.timedelta(days=3))
    activity = ActivityFactory(house=house, place=place, title="Sjoelen")
    for day in range(2):
        start = at(TUESDAY + dt.timedelta(days=day - 1), 9)
        claim = RoomOccupancy.objects.create(room=room, start=start, end=start + dt.timedelta(hours=1), kind="session")
        Session.objects.create(activity=activity, room=room, occupancy=claim, start=claim.start, end=claim.end)
    with CaptureQueriesContext(connection) as many:
        response = calendar_of(as_coordinator, house, **query)
    assert len(response.context["rooms"]) == 6
    assert len(many) == len(one), [captured["sql"] for captured in many.captured_queries]
