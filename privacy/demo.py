"""Demo of "My data": the demo resident (bewoner@demo.huizen.nl) has something in every section. Their bookings
and burenhulp requests come from `bookings.demo` and `volunteers.demo`; here they register for two sessions still
to come, and the demo coordinator looked at their data twice, so "who looked at my data" is not empty.

Idempotent: nothing is added when the resident already has registrations or access records. Runs after the other
seeds (it needs their sessions and bookings)."""

import datetime as dt

from django.core.exceptions import ValidationError
from django.utils import timezone

from accounts.models import User
from activities.models import Registration, Session
from activities.services import registration_register
from bookings.models import Booking

from .models import AccessRecord
from .services.access import access_record, subject_of

DEMO_RESIDENT = "bewoner@demo.huizen.nl"
DEMO_COORDINATOR = "coordinator@demo.huizen.nl"


def seed_my_data() -> int:
    """Registrations and access records for the demo resident; returns how many rows were added."""
    resident = User.objects.filter(email=DEMO_RESIDENT).first()
    coordinator = User.objects.filter(email=DEMO_COORDINATOR).first()
    if resident is None or coordinator is None:
        return 0
    house = coordinator.role_assignments.filter(house__isnull=False).values_list("house", flat=True).first()
    made = 0
    if not Registration.objects.filter(user=resident).exists():
        sessions = Session.objects.filter(
            activity__house_id=house,
            activity__registration_required=True,
            status=Session.Status.PLANNED,
            start__gt=timezone.now() + dt.timedelta(days=1),
        ).order_by("start")[:2]
        for session in sessions:
            try:
                registration_register(session=session, user=resident, by=resident)
                made += 1
            except ValidationError:  # full or already registered: the demo does without
                continue
    if not AccessRecord.objects.filter(subject_user=resident).exists():
        now = timezone.now()
        registration = (
            Registration.objects.filter(user=resident, session__activity__house_id=house)
            .select_related("session__activity__house")
            .first()
        )
        if registration is not None:
            made += access_record(
                by=coordinator,
                what=AccessRecord.What.REGISTRATIONS,
                via="activities:door_close",
                subjects=[subject_of(registration)],
                house=registration.session.activity.house,
                at=now - dt.timedelta(days=3, hours=2),
            )
        bookings = Booking.objects.filter(renter=resident, room__place__house_id=house).select_related(
            "room__place__house"
        )
        booking = bookings.order_by("-start").first()
        if booking is not None:
            made += access_record(
                by=coordinator,
                what=AccessRecord.What.BOOKING_CONTACT,
                via="bookings:house_requests",
                subjects=[subject_of(booking, user_field="renter_id")],
                house=booking.room.place.house,
                at=now - dt.timedelta(days=1, hours=5),
            )
    return made
