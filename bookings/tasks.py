"""Background work of room rental. Tasks take primary keys, load, and are safe to run twice."""

from celery import shared_task

from accounts.mail import reverse_absolute, send_templated_mail

EVENTS = {"created", "approved", "rejected", "cancelled"}


@shared_task(bind=True, autoretry_for=(OSError,), retry_backoff=True, max_retries=5)
def send_booking_email(self, booking_id: int, event: str) -> None:
    """Tell the renter what happened to their booking (requested, confirmed, rejected, cancelled)."""
    from .models import Booking

    booking = Booking.objects.select_related("room__place__house", "renter").filter(pk=booking_id).first()
    if booking is None or event not in EVENTS:
        return
    # A renter with an account finds the booking under "My bookings"; the contact of a booking made by phone has
    # no account, so their e-mail (in the site's language) links to the room's page.
    to = booking.renter if booking.renter_id else booking.contact_email
    if not to:
        return
    context = {
        "booking": booking,
        "event": event,
        "booking_url": reverse_absolute("bookings:my_bookings")
        if booking.renter_id
        else reverse_absolute("bookings:room_detail", booking.room_id),
    }
    send_templated_mail(to=to, template="bookings/email/booking", context=context)


@shared_task
def expire_requests() -> int:
    """Hourly: requests not decided before their start are rejected, so they stop holding the room."""
    from audit.services import SCHEDULE

    from .services import booking_requests_expire

    return booking_requests_expire(by=SCHEDULE)


# --- Coordinators hear of new requests (issue 9, coordinators) ----------------------------------------------


def _send_series_email(booking_ids: list[int], template: str, **filters) -> None:
    """One e-mail to the renter about several weeks of their series (`filters` narrow the bookings that count),
    listing each week; the template gets the weeks, their total price and their total cancellation cost."""
    from .models import Booking

    bookings = list(
        Booking.objects.select_related("room__place__house", "renter")
        .filter(pk__in=booking_ids, renter__isnull=False, **filters)
        .order_by("start")
    )
    if not bookings:
        return
    context = {
        "booking": bookings[0],
        "bookings": bookings,
        "approved": all(booking.status == Booking.Status.APPROVED for booking in bookings),
        "total_price": sum(booking.price + booking.deposit for booking in bookings),
        "total_cost": sum(booking.cancellation_cost for booking in bookings),
        "booking_url": reverse_absolute("bookings:my_bookings"),
    }
    send_templated_mail(to=bookings[0].renter, template=template, context=context)


@shared_task(bind=True, autoretry_for=(OSError,), retry_backoff=True, max_retries=5)
def send_series_created_email(self, booking_ids: list[int]) -> None:
    """Tell the renter of a new weekly series which weeks they booked or requested, with the prices: one e-mail."""
    _send_series_email(booking_ids, "bookings/email/series_created")


@shared_task(bind=True, autoretry_for=(OSError,), retry_backoff=True, max_retries=5)
def send_series_cancelled_email(self, booking_ids: list[int]) -> None:
    """Tell the renter which weeks of their series they cancelled in one step, with each week's cost: one e-mail."""
    _send_series_email(booking_ids, "bookings/email/series_cancelled", status="cancelled")


@shared_task(bind=True, autoretry_for=(OSError,), retry_backoff=True, max_retries=5)
def send_request_notice(self, booking_ids: list[int], user_id: int) -> None:
    """Tell one coordinator that a resident asked for a room of their house (a weekly series: one e-mail), in
    their language. Nothing is sent when they switched these e-mails off since, are no longer the house's
    coordinator, or the house already decided on every booking of the request."""
    from accounts.models import Role, RoleAssignment

    from .models import Booking

    bookings = list(
        Booking.objects.select_related("room__place__house", "renter")
        .filter(pk__in=booking_ids, status=Booking.Status.REQUESTED)
        .order_by("start")
    )
    if not bookings:
        return
    house = bookings[0].room.place.house
    assignment = (
        RoleAssignment.objects.select_related("user")
        .filter(
            user_id=user_id,
            role=Role.COORDINATOR,
            house=house,
            email_booking_requests=True,
            user__is_active=True,
        )
        .first()
    )
    if assignment is None:
        return
    context = {
        "booking": bookings[0],
        "bookings": bookings,
        "house": house,
        "url": reverse_absolute("bookings:house_requests", house_slug=house.slug),
    }
    send_templated_mail(to=assignment.user, template="bookings/email/request_notice", context=context)
