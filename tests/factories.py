"""One factory per model (factory-boy)."""

import datetime as dt
from decimal import Decimal
from zoneinfo import ZoneInfo

import factory
from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import TOTP, format_hotp_value, hotp_value, yield_hotp_counters_from_time
from django.utils import timezone

from accounts.models import Role, RoleAssignment, User
from locations.models import (
    Closure,
    District,
    Facility,
    House,
    HouseManagement,
    ManagementType,
    Neighbourhood,
    NeighbourhoodIndex,
    OpeningHours,
    Organisation,
    Place,
    RenterTier,
    Room,
    RoomFacility,
    RoomOccupancy,
    RoomRate,
)

PASSWORD = "a-test-password-1234"
AMSTERDAM = ZoneInfo("Europe/Amsterdam")


class DistrictFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = District
        django_get_or_create = ["slug"]

    name = factory.Sequence(lambda n: f"Gebied {n}")
    slug = factory.Sequence(lambda n: f"gebied-{n}")


class NeighbourhoodFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Neighbourhood

    district = factory.SubFactory(DistrictFactory)
    name = factory.Sequence(lambda n: f"Wijk {n}")
    slug = factory.Sequence(lambda n: f"wijk-{n}")
    cbs_code = factory.Sequence(lambda n: f"WK{n % 1000000:06d}")
    population = 12000


class NeighbourhoodIndexFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = NeighbourhoodIndex

    neighbourhood = factory.SubFactory(NeighbourhoodFactory)
    year = 2024
    social_index = Decimal("98.5")


class OrganisationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organisation

    name = factory.Sequence(lambda n: f"Welzijn {n}")
    slug = factory.Sequence(lambda n: f"welzijn-{n}")
    kind = Organisation.Kind.WELFARE


class HouseFactory(factory.django.DjangoModelFactory):
    """A house with a running management period (sociaal beheer by a new welfare organisation)."""

    class Meta:
        model = House
        skip_postgeneration_save = True

    name = factory.Sequence(lambda n: f"Huis van de Wijk {n}")
    slug = factory.Sequence(lambda n: f"huis-{n}")
    neighbourhood = factory.SubFactory(NeighbourhoodFactory)

    @factory.post_generation
    def management(self, create, extracted, **kwargs):
        if not create or extracted is False:
            return
        HouseManagementFactory(house=self, **kwargs)


class HouseManagementFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = HouseManagement

    house = factory.SubFactory(HouseFactory, management=False)
    management_type = ManagementType.SOCIAL
    operator = factory.SubFactory(OrganisationFactory)
    valid_from = dt.date(2016, 1, 1)
    valid_until = None


class PlaceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Place

    house = factory.SubFactory(HouseFactory)
    name = factory.Sequence(lambda n: f"Locatie {n}")
    kind = Place.Kind.MAIN
    street = "Middellandstraat"
    house_number = factory.Sequence(lambda n: str(n % 900 + 1))
    postcode = "3021 BA"
    city = "Rotterdam"
    latitude = Decimal("51.917000")
    longitude = Decimal("4.460000")
    step_free_entrance = True


class OpeningHoursFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = OpeningHours

    place = factory.SubFactory(PlaceFactory)
    weekday = 0
    opens = dt.time(9, 0)
    closes = dt.time(17, 0)


class ClosureFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Closure

    place = factory.SubFactory(PlaceFactory)
    start_date = dt.date(2026, 12, 25)
    end_date = dt.date(2026, 12, 26)
    reason = "Kerstmis"


class RoomFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Room

    place = factory.SubFactory(PlaceFactory)
    name = factory.Sequence(lambda n: f"Zaal {n}")
    capacity = 20


class RoomFacilityFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = RoomFacility

    room = factory.SubFactory(RoomFactory)
    facility = Facility.KITCHEN


class RoomRateFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = RoomRate

    room = factory.SubFactory(RoomFactory)
    tier = RenterTier.SOCIAL
    per_hour = Decimal("10.00")
    per_day_part = Decimal("35.00")


class UserFactory(factory.django.DjangoModelFactory):
    """A user with a verified e-mail address, able to log in."""

    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"user{n}@example.nl")
    first_name = "Sam"
    last_name = factory.Sequence(lambda n: f"Jansen{n}")
    password = factory.PostGenerationMethodCall("set_password", PASSWORD)

    @factory.post_generation
    def verified(self, create, extracted, **kwargs):
        self.save()
        if create and extracted is not False:
            EmailAddress.objects.create(user=self, email=self.email, verified=True, primary=True)

    @factory.post_generation
    def second_factor(self, create, extracted, **kwargs):
        """`second_factor=True`: an authenticator app (TOTP) with TEST_TOTP_SECRET. Staff made by
        RoleAssignmentFactory get one unless `user__second_factor=False` (accounts/mfa.py enforces it)."""
        self._factory_second_factor = extracted
        if create and extracted:
            give_second_factor(self)


# Every test user's authenticator app has this secret: `totp_code()` is the code it shows now.
TEST_TOTP_SECRET = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"


def give_second_factor(user, secret: str = TEST_TOTP_SECRET) -> None:
    """An active authenticator app (TOTP) for `user`, unless they have one."""
    if not Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists():
        TOTP.activate(user, secret)


def totp_code(secret: str = TEST_TOTP_SECRET) -> str:
    """The code an authenticator app with `secret` shows now (on the tests' clock)."""
    return format_hotp_value(hotp_value(secret, next(yield_hotp_counters_from_time())))


class RoleAssignmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = RoleAssignment
        skip_postgeneration_save = True

    user = factory.SubFactory(UserFactory)
    role = Role.HOST
    house = factory.SubFactory(HouseFactory)
    organisation = None

    @factory.post_generation
    def second_factor(self, create, extracted, **kwargs):
        """Staff have a second factor (TOTP, TEST_TOTP_SECRET), so the tests reach staff pages; switch it off with
        `second_factor=False` or `user__second_factor=False` (the tests of the enforcement)."""
        if not create:
            return
        choice = extracted if extracted is not None else getattr(self.user, "_factory_second_factor", None)
        if choice is not False:
            give_second_factor(self.user)


# --- activities -------------------------------------------------------------------------------------------


class ActivityFactory(factory.django.DjangoModelFactory):
    """A one-off activity (no recurrence) tomorrow afternoon, without a room; SessionFactory makes its sessions.

    Prefer `activities.services.activity_create` in tests of planning; this factory is for everything else."""

    class Meta:
        model = "activities.Activity"
        skip_postgeneration_save = True

    house = factory.SubFactory(HouseFactory)
    place = factory.LazyAttribute(lambda o: PlaceFactory(house=o.house))
    room = None
    title = factory.Sequence(lambda n: f"Koffieochtend {n}")
    category = "meeting"
    organiser = "professional"
    first_date = factory.LazyFunction(lambda: timezone.localdate() + dt.timedelta(days=1))
    start_time = dt.time(14, 0)
    end_time = dt.time(16, 0)
    weekdays = factory.LazyFunction(list)


class SessionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "activities.Session"

    activity = factory.SubFactory(ActivityFactory)
    room = None
    start = factory.LazyAttribute(
        lambda o: dt.datetime.combine(o.activity.first_date, o.activity.start_time, tzinfo=AMSTERDAM)
    )
    end = factory.LazyAttribute(
        lambda o: dt.datetime.combine(o.activity.first_date, o.activity.end_time, tzinfo=AMSTERDAM)
    )


class RegistrationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "activities.Registration"

    session = factory.SubFactory(SessionFactory)
    user = factory.SubFactory(UserFactory)
    status = "confirmed"


class DoorTallyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "activities.DoorTally"

    house = factory.SubFactory(HouseFactory)
    place = factory.LazyAttribute(lambda o: PlaceFactory(house=o.house))
    tap_id = factory.Faker("uuid4", cast_to=None)
    recorded_at = factory.LazyFunction(timezone.now)
    count = 1


class SignalFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "activities.Signal"

    house = factory.SubFactory(HouseFactory)
    date = factory.LazyFunction(timezone.localdate)
    theme = "loneliness"


# --- bookings ---------------------------------------------------------------------------------------------


def bookable_room(**kwargs):
    """A room open Monday to Friday 09:00-17:00 with a rate for every renter tier (free for initiatives)."""
    room = RoomFactory(**kwargs)
    for weekday in range(5):
        OpeningHoursFactory(place=room.place, weekday=weekday, opens=dt.time(9), closes=dt.time(17))
    rates = {
        RenterTier.INITIATIVE: (Decimal("0"), Decimal("0")),
        RenterTier.SOCIAL: (Decimal("10.00"), Decimal("30.00")),
        RenterTier.RESIDENT: (Decimal("15.00"), Decimal("50.00")),
        RenterTier.COMMERCIAL: (Decimal("30.00"), Decimal("100.00")),
    }
    for tier, (per_hour, per_day_part) in rates.items():
        RoomRateFactory(room=room, tier=tier, per_hour=per_hour, per_day_part=per_day_part)
    return room


def next_weekday(weekday: int = 1, weeks_ahead: int = 1) -> dt.date:
    """A date `weeks_ahead` weeks from now on `weekday` (0 = Monday), never today (the Amsterdam date)."""
    today = timezone.localdate()
    return today + dt.timedelta(days=(weekday - today.weekday()) % 7 + 7 * weeks_ahead)


def at(day: dt.date, hour: int, minute: int = 0) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hour, minute), tzinfo=AMSTERDAM)


class BookingFactory(factory.django.DjangoModelFactory):
    """An approved booking with its claim on the room. Prefer `bookings.services` in tests of the rules."""

    class Meta:
        model = "bookings.Booking"

    room = factory.LazyFunction(bookable_room)
    start = factory.LazyFunction(lambda: at(next_weekday(), 10))
    end = factory.LazyAttribute(lambda o: o.start + dt.timedelta(hours=2))
    occupancy = factory.LazyAttribute(
        lambda o: RoomOccupancy.objects.create(room=o.room, start=o.start, end=o.end, kind="booking")
    )
    renter = factory.SubFactory(UserFactory)
    tier = RenterTier.SOCIAL
    purpose = "Vergadering bewonerscommissie"
    people = 8
    price = Decimal("20.00")
    status = "approved"


def pass_second_factor(page) -> None:
    """In a browser test, right after the login form: when allauth asks for the second factor (the user has an
    authenticator app), type the code of the test authenticator (TEST_TOTP_SECRET)."""
    page.wait_for_load_state()
    if "/2fa/authenticate/" in page.url:
        code = page.locator("input[name=code]")
        code.fill(totp_code())
        code.press("Enter")
        page.wait_for_url(lambda url: "/2fa/authenticate/" not in url)
