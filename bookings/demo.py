"""Demo room rental: a few weeks of requests and bookings in every house, through the booking services.

Left alone when bookings exist, so running the seed again changes nothing."""

import datetime as dt
import random

from django.core.exceptions import ValidationError
from django.utils import timezone

from accounts.models import Role, RoleAssignment, User
from locations.models import RenterTier, Room
from locations.services import RoomTaken

from . import services
from .models import Booking

PURPOSES = [
    ("Vergadering bewonerscommissie", RenterTier.INITIATIVE, 12),
    ("Verjaardag", RenterTier.RESIDENT, 20),
    ("Cursus Nederlands", RenterTier.SOCIAL, 10),
    ("Training teamleiders", RenterTier.COMMERCIAL, 8),
    ("Buurtkoor repetitie", RenterTier.INITIATIVE, 15),
    ("Spreekuur woningcorporatie", RenterTier.SOCIAL, 4),
]
CALLERS = [("Buurtkoor De Zingende Wijk", "010-4112233"), ("Stichting Taalmaatjes", "010-4223344")]
WEEKS = 4


def seed_bookings() -> int:
    if Booking.objects.exists():
        return 0
    renter = User.objects.filter(email="bewoner@demo.huizen.nl").first()
    coordinators = {
        assignment.house_id: assignment.user
        for assignment in RoleAssignment.objects.filter(role=Role.COORDINATOR).select_related("user")
    }
    administrator = User.objects.filter(is_superuser=True).order_by("pk").first()
    today = timezone.localdate()
    made = 0
    rooms = Room.objects.filter(bookable=True, rates__isnull=False).distinct().select_related("place__house")
    for room in rooms.order_by("pk"):
        rng = random.Random(f"bookings-{room.pk}")
        for _ in range(rng.randint(1, 4)):
            day = today + dt.timedelta(days=rng.randint(1, 7 * WEEKS))
            if day.weekday() > 4:
                continue
            start = timezone.make_aware(dt.datetime.combine(day, dt.time(rng.choice([9, 10, 13, 14]))))
            end = start + dt.timedelta(hours=rng.choice([1, 2, 3]))
            purpose, tier, people = rng.choice(PURPOSES)
            people = min(people, room.capacity)
            coordinator = coordinators.get(room.place.house_id, administrator)
            try:
                if renter is not None and rng.random() < 0.6:
                    booking = services.booking_request(
                        room=room,
                        start=start,
                        end=end,
                        tier=tier,
                        purpose=purpose,
                        people=people,
                        renter=renter,
                        rules_accepted=True,
                        by=renter,
                    )
                    if coordinator and booking.status == Booking.Status.REQUESTED and rng.random() < 0.5:
                        services.booking_approve(booking=booking, by=coordinator)
                elif coordinator is not None:
                    name, phone = rng.choice(CALLERS)
                    services.booking_book_on_behalf(
                        room=room,
                        start=start,
                        end=end,
                        tier=RenterTier.INITIATIVE,
                        purpose=purpose,
                        people=people,
                        contact_name=name,
                        contact_phone=phone,
                        by=coordinator,
                    )
                else:
                    continue
                made += 1
            except (ValidationError, RoomTaken):
                continue
    return made
