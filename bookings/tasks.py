"""Background work of room rental. Tasks take primary keys, load, and are safe to run twice."""

from celery import shared_task
from django.conf import settings
from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.utils import translation

from huizen.text import one_line

EVENTS = {"created", "approved", "rejected", "cancelled"}


@shared_task(bind=True, autoretry_for=(OSError,), retry_backoff=True, max_retries=5)
def send_booking_email(self, booking_id: int, event: str) -> None:
    """Tell the renter what happened to their booking (requested, confirmed, rejected, cancelled)."""
    from .models import Booking

    booking = Booking.objects.select_related("room__place__house", "renter").filter(pk=booking_id).first()
    if booking is None or event not in EVENTS:
        return
    email = booking.renter.email if booking.renter_id else booking.contact_email
    if not email:
        return
    with translation.override(settings.LANGUAGE_CODE):
        context = {"booking": booking, "event": event, "SITE_NAME": settings.SITE_NAME}
        subject = one_line(render_to_string("bookings/email/booking_subject.txt", context))
        body = render_to_string("bookings/email/booking.txt", context)
    send_mail(subject, body, None, [email])


@shared_task
def expire_requests() -> int:
    """Hourly: requests not decided before their start are rejected, so they stop holding the room."""
    from audit.services import SCHEDULE

    from .services import booking_requests_expire

    return booking_requests_expire(by=SCHEDULE)


@shared_task
def prune_contacts() -> int:
    """Daily: wipe the contact details of phone bookings after the retention period."""
    from audit.services import SCHEDULE

    from .services import booking_contacts_prune

    return booking_contacts_prune(by=SCHEDULE)
