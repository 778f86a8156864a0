"""The network: geography, operators, houses, their places, opening hours, closures and rooms.

`locations` is the base every other app builds on; it imports none of them.
"""

import datetime as dt
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from .validators import normalise_postcode, validate_postcode


class District(models.Model):
    """A gebied: Rotterdam has 14 of them."""

    name = models.CharField(_("name"), max_length=100, unique=True)
    slug = models.SlugField(_("slug"), max_length=100, unique=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("district")
        verbose_name_plural = _("districts")

    def __str__(self):
        return self.name


class Neighbourhood(models.Model):
    """A wijk, identified by its CBS code (WK + municipality code + wijk number, e.g. WK059901)."""

    district = models.ForeignKey(
        District, on_delete=models.PROTECT, related_name="neighbourhoods", verbose_name=_("district")
    )
    name = models.CharField(_("name"), max_length=100)
    slug = models.SlugField(_("slug"), max_length=100, unique=True)
    cbs_code = models.CharField(
        _("CBS code"),
        max_length=10,
        unique=True,
        validators=[
            RegexValidator(
                r"^(WK\d{6}|BU\d{8})$", _("A CBS code looks like WK059901 (a CBS wijk) or BU05990101 (a buurt).")
            )
        ],
        help_text=_(
            "The code at Statistics Netherlands (CBS). What a city calls a wijk may be a CBS buurt: "
            "WK059901 for a CBS wijk, BU05990101 for a buurt."
        ),
    )
    population = models.PositiveIntegerField(_("population"))

    class Meta:
        ordering = ["name"]
        verbose_name = _("neighbourhood")
        verbose_name_plural = _("neighbourhoods")
        constraints = [
            models.UniqueConstraint(fields=["district", "name"], name="neighbourhood_unique_name_per_district"),
        ]

    def __str__(self):
        return self.name


class NeighbourhoodIndex(models.Model):
    """The social index of a wijk in a year (Rotterdam's Wijkprofiel: 100 is the city average of 2014)."""

    neighbourhood = models.ForeignKey(
        Neighbourhood, on_delete=models.CASCADE, related_name="indices", verbose_name=_("neighbourhood")
    )
    year = models.PositiveSmallIntegerField(_("year"), validators=[MinValueValidator(2000), MaxValueValidator(2100)])
    social_index = models.DecimalField(
        _("social index"),
        max_digits=5,
        decimal_places=1,
        validators=[MinValueValidator(Decimal("0")), MaxValueValidator(Decimal("300"))],
        help_text=_("100 is the city average of the base year."),
    )
    population = models.PositiveIntegerField(
        _("population"),
        null=True,
        blank=True,
        help_text=_("Inhabitants of the wijk that year; the wijk's own population is that of its latest year."),
    )

    class Meta:
        ordering = ["neighbourhood", "-year"]
        verbose_name = _("neighbourhood index")
        verbose_name_plural = _("neighbourhood indices")
        constraints = [
            models.UniqueConstraint(fields=["neighbourhood", "year"], name="neighbourhood_index_one_per_year"),
            models.CheckConstraint(condition=Q(social_index__gte=0), name="neighbourhood_index_not_negative"),
        ]

    def __str__(self):
        return f"{self.neighbourhood} {self.year}: {self.social_index}"


class Organisation(models.Model):
    """An operator: the organisation that runs a house for a period."""

    class Kind(models.TextChoices):
        WELFARE = "welfare", _("welfare organisation")
        RESIDENTS_FOUNDATION = "residents_foundation", _("residents' foundation")
        CHILDCARE = "childcare", _("childcare organisation")
        SOCIAL_ENTERPRISE = "social_enterprise", _("social enterprise")
        MUNICIPALITY = "municipality", _("municipality")

    name = models.CharField(_("name"), max_length=150, unique=True)
    slug = models.SlugField(_("slug"), max_length=150, unique=True)
    kind = models.CharField(_("kind"), max_length=30, choices=Kind.choices)
    website = models.URLField(_("website"), blank=True)
    email = models.EmailField(_("e-mail address"), blank=True)
    phone = models.CharField(_("phone number"), max_length=20, blank=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")

    def __str__(self):
        return self.name


class ManagementType(models.TextChoices):
    SOCIAL = "social", _("social management")
    SELF = "self", _("self-management")


class SignalReaders(models.TextChoices):
    """Who sees the signals noted in a house (about neighbours; no names). `accounts.policy` applies it."""

    BY_MANAGEMENT = "by_management", _("by management type")  # social: coordinators; self-management: professionals
    COORDINATORS = "coordinators", _("the house's coordinators")
    PROFESSIONALS = "professionals", _("the house's professionals (the wijkteam)")


class House(models.Model):
    """A Huis van de Wijk: one or more places under one name, run by an operator for a period."""

    name = models.CharField(_("name"), max_length=150, unique=True)
    slug = models.SlugField(_("slug"), max_length=150, unique=True)
    neighbourhood = models.ForeignKey(
        Neighbourhood, on_delete=models.PROTECT, related_name="houses", verbose_name=_("neighbourhood")
    )
    description = models.TextField(_("description"), blank=True)
    email = models.EmailField(_("e-mail address"), blank=True)
    phone = models.CharField(_("phone number"), max_length=20, blank=True)
    website = models.URLField(_("website"), blank=True)
    # Room rental terms of the house.
    cancellation_days = models.PositiveSmallIntegerField(
        _("free cancellation until (days before)"),
        default=7,
        help_text=_("Renters cancel free of charge until this many days before the start; later they pay the price."),
    )
    party_deposit = models.DecimalField(
        _("deposit for private parties"),
        max_digits=7,
        decimal_places=2,
        default=Decimal("0"),
        validators=[MinValueValidator(Decimal("0"))],
        help_text=_("Asked from private renters; 0 means no deposit."),
    )
    house_rules = models.TextField(
        _("house rules"),
        blank=True,
        help_text=_("Shown to renters, who accept them when they book (closing time, no smoking, leave it clean)."),
    )
    # Changed only through `services.house_signal_readers_set`, which records who changed it.
    signal_readers = models.CharField(
        _("who sees signals"),
        max_length=20,
        choices=SignalReaders.choices,
        default=SignalReaders.BY_MANAGEMENT,
        help_text=_(
            "By management type: the coordinators in social management, the professionals of the wijkteam in "
            "self-management."
        ),
    )

    class Meta:
        ordering = ["name"]
        verbose_name = _("house")
        verbose_name_plural = _("houses")
        constraints = [
            models.CheckConstraint(
                condition=Q(signal_readers__in=["by_management", "coordinators", "professionals"]),
                name="house_signal_readers_known",
            )
        ]

    def __str__(self):
        return self.name


class HouseManagement(models.Model):
    """Who runs a house, and how, from one date until another (the end date itself not included).

    Periods of one house never overlap (checked in `clean`, and by an exclusion constraint on PostgreSQL).
    """

    house = models.ForeignKey(House, on_delete=models.CASCADE, related_name="managements", verbose_name=_("house"))
    management_type = models.CharField(_("management type"), max_length=10, choices=ManagementType.choices)
    operator = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="managements", verbose_name=_("operator")
    )
    valid_from = models.DateField(_("from"))
    valid_until = models.DateField(
        _("until"), null=True, blank=True, help_text=_("The first day it no longer applies. Empty: still running.")
    )

    class Meta:
        ordering = ["house", "-valid_from"]
        verbose_name = _("management period")
        verbose_name_plural = _("management periods")
        constraints = [
            models.CheckConstraint(
                condition=Q(valid_until__isnull=True) | Q(valid_until__gt=F("valid_from")),
                name="house_management_ends_after_start",
            ),
            models.UniqueConstraint(fields=["house", "valid_from"], name="house_management_unique_start"),
        ]
        indexes = [models.Index(fields=["house", "valid_from", "valid_until"])]

    def __str__(self):
        return f"{self.house}: {self.get_management_type_display()} ({self.operator})"

    def clean(self):
        if self.valid_until and self.valid_from and self.valid_until <= self.valid_from:
            raise ValidationError({"valid_until": _("The end date must be after the start date.")})
        if self.house_id and self.valid_from:
            overlapping = HouseManagement.objects.filter(house_id=self.house_id).exclude(pk=self.pk)
            overlapping = overlapping.filter(Q(valid_until__isnull=True) | Q(valid_until__gt=self.valid_from))
            if self.valid_until:
                overlapping = overlapping.filter(valid_from__lt=self.valid_until)
            if overlapping.exists():
                raise ValidationError(_("This period overlaps another management period of this house."))

    def covers(self, day: dt.date) -> bool:
        return self.valid_from <= day and (self.valid_until is None or day < self.valid_until)


class Place(models.Model):
    """A building or buurtplek where a house is found. A house may have one place or a network of them."""

    class Kind(models.TextChoices):
        MAIN = "main", _("main building")
        NEIGHBOURHOOD_SPOT = "spot", _("neighbourhood spot")
        LIVING_ROOM = "living_room", _("neighbourhood living room")

    house = models.ForeignKey(House, on_delete=models.CASCADE, related_name="places", verbose_name=_("house"))
    name = models.CharField(_("name"), max_length=150)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices, default=Kind.MAIN)
    street = models.CharField(_("street"), max_length=150)
    house_number = models.CharField(
        _("house number"),
        max_length=10,
        validators=[
            RegexValidator(r"^[1-9]\d{0,4}(\s?[A-Za-z0-9-]{1,4})?$", _("Enter a house number, such as 12 or 12a."))
        ],
    )
    postcode = models.CharField(
        _("postcode"),
        max_length=7,
        validators=[validate_postcode],
        help_text=_("Four digits and two letters, for example 3021 AB."),
    )
    city = models.CharField(_("city"), max_length=100)
    latitude = models.DecimalField(
        _("latitude"),
        max_digits=8,
        decimal_places=6,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal("50.7")), MaxValueValidator(Decimal("53.6"))],
    )
    longitude = models.DecimalField(
        _("longitude"),
        max_digits=8,
        decimal_places=6,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal("3.3")), MaxValueValidator(Decimal("7.3"))],
    )
    step_free_entrance = models.BooleanField(_("step-free entrance"), default=False)
    accessible_toilet = models.BooleanField(_("accessible toilet"), default=False)
    hearing_loop = models.BooleanField(_("hearing loop"), default=False)
    accessibility_notes = models.TextField(_("accessibility notes"), blank=True)
    phone = models.CharField(_("phone number"), max_length=20, blank=True)

    class Meta:
        ordering = ["house", "name"]
        verbose_name = _("place")
        verbose_name_plural = _("places")
        constraints = [
            models.UniqueConstraint(fields=["house", "name"], name="place_unique_name_per_house"),
        ]

    def __str__(self):
        return self.name

    def clean(self):
        if self.postcode:
            self.postcode = normalise_postcode(self.postcode)

    @property
    def address(self) -> str:
        return f"{self.street} {self.house_number}, {self.postcode} {self.city}"


class Weekday(models.IntegerChoices):
    MONDAY = 0, _("Monday")
    TUESDAY = 1, _("Tuesday")
    WEDNESDAY = 2, _("Wednesday")
    THURSDAY = 3, _("Thursday")
    FRIDAY = 4, _("Friday")
    SATURDAY = 5, _("Saturday")
    SUNDAY = 6, _("Sunday")


class OpeningHours(models.Model):
    """One opening interval of a place on a weekday. A day may have more than one (09:00-12:00, 19:00-22:00)."""

    place = models.ForeignKey(Place, on_delete=models.CASCADE, related_name="opening_hours", verbose_name=_("place"))
    weekday = models.PositiveSmallIntegerField(_("day"), choices=Weekday.choices)
    opens = models.TimeField(_("opens at"))
    closes = models.TimeField(_("closes at"))

    class Meta:
        ordering = ["place", "weekday", "opens"]
        verbose_name = _("opening hours")
        verbose_name_plural = _("opening hours")
        constraints = [
            models.CheckConstraint(condition=Q(closes__gt=F("opens")), name="opening_hours_close_after_open"),
            models.CheckConstraint(condition=Q(weekday__gte=0, weekday__lte=6), name="opening_hours_valid_weekday"),
            models.UniqueConstraint(fields=["place", "weekday", "opens"], name="opening_hours_unique_start"),
        ]
        indexes = [models.Index(fields=["weekday", "opens", "closes"])]

    def __str__(self):
        return f"{self.get_weekday_display()} {self.opens:%H:%M}-{self.closes:%H:%M}"

    def clean(self):
        if self.opens is not None and self.closes is not None and self.closes <= self.opens:
            raise ValidationError({"closes": _("The closing time must be after the opening time.")})
        if self.place_id and self.weekday is not None and self.opens and self.closes:
            overlapping = OpeningHours.objects.filter(
                place_id=self.place_id, weekday=self.weekday, opens__lt=self.closes, closes__gt=self.opens
            ).exclude(pk=self.pk)
            if overlapping.exists():
                raise ValidationError(_("These hours overlap other opening hours of this place on the same day."))


class Closure(models.Model):
    """Days a place is closed (holidays, maintenance), from start_date to end_date inclusive."""

    place = models.ForeignKey(Place, on_delete=models.CASCADE, related_name="closures", verbose_name=_("place"))
    start_date = models.DateField(_("first day closed"))
    end_date = models.DateField(_("last day closed"))
    reason = models.CharField(_("reason"), max_length=150)

    class Meta:
        ordering = ["place", "start_date"]
        verbose_name = _("closure")
        verbose_name_plural = _("closures")
        constraints = [
            models.CheckConstraint(condition=Q(end_date__gte=F("start_date")), name="closure_ends_after_start"),
            models.UniqueConstraint(fields=["place", "start_date"], name="closure_unique_start"),
        ]
        indexes = [models.Index(fields=["start_date", "end_date"])]

    def __str__(self):
        return f"{self.place}: {self.reason}"

    def clean(self):
        if self.start_date and self.end_date and self.end_date < self.start_date:
            raise ValidationError({"end_date": _("The last day must not be before the first day.")})
        if self.place_id and self.start_date and self.end_date:
            overlapping = Closure.objects.filter(
                place_id=self.place_id, start_date__lte=self.end_date, end_date__gte=self.start_date
            ).exclude(pk=self.pk)
            if overlapping.exists():
                raise ValidationError(_("This closure overlaps another closure of this place."))


class Room(models.Model):
    place = models.ForeignKey(Place, on_delete=models.CASCADE, related_name="rooms", verbose_name=_("place"))
    name = models.CharField(_("name"), max_length=100)
    capacity = models.IntegerField(  # not Positive: the form then shows our own message for 0 and below
        _("capacity"),
        validators=[MinValueValidator(1, _("A room holds at least one person."))],
        help_text=_("The largest number of people allowed in the room."),
    )
    description = models.TextField(_("description"), blank=True)
    bookable = models.BooleanField(_("can be rented"), default=True)
    # Rental rules of the room.
    requires_approval = models.BooleanField(
        _("online requests need approval"),
        default=True,
        help_text=_("Off: a free slot requested online is confirmed at once."),
    )
    evening_use = models.BooleanField(
        _("may be rented outside opening hours"), default=False, help_text=_("For evenings and weekends.")
    )
    min_booking_minutes = models.PositiveSmallIntegerField(_("shortest booking (minutes)"), default=60)
    max_booking_minutes = models.PositiveSmallIntegerField(_("longest booking (minutes)"), default=8 * 60)
    book_ahead_days = models.PositiveSmallIntegerField(_("bookable this many days ahead"), default=90)

    class Meta:
        ordering = ["place", "name"]
        verbose_name = _("room")
        verbose_name_plural = _("rooms")
        constraints = [
            models.CheckConstraint(condition=Q(capacity__gte=1), name="room_capacity_positive"),
            models.CheckConstraint(
                condition=Q(min_booking_minutes__gte=15, max_booking_minutes__gte=F("min_booking_minutes")),
                name="room_booking_durations_sensible",
                violation_error_message=_(
                    "The shortest booking is at least 15 minutes and the longest at least as long as the shortest."
                ),
            ),
            models.UniqueConstraint(fields=["place", "name"], name="room_unique_name_per_place"),
        ]

    def __str__(self):
        return f"{self.name} ({self.place})"


class Facility(models.TextChoices):
    KITCHEN = "kitchen", _("kitchen")
    PROJECTOR = "projector", _("projector")
    SOUND = "sound", _("sound system")
    WIFI = "wifi", _("wifi")
    WHITEBOARD = "whiteboard", _("whiteboard")
    PIANO = "piano", _("piano")
    ACCESSIBLE_TOILET = "accessible_toilet", _("accessible toilet nearby")
    HEARING_LOOP = "hearing_loop", _("hearing loop")
    SPORTS_FLOOR = "sports_floor", _("sports floor")
    BAR = "bar", _("bar")


class RoomFacility(models.Model):
    room = models.ForeignKey(Room, on_delete=models.CASCADE, related_name="facilities", verbose_name=_("room"))
    facility = models.CharField(_("facility"), max_length=30, choices=Facility.choices)

    class Meta:
        ordering = ["room", "facility"]
        verbose_name = _("facility")
        verbose_name_plural = _("facilities")
        constraints = [models.UniqueConstraint(fields=["room", "facility"], name="room_facility_unique")]

    def __str__(self):
        return self.get_facility_display()


class RenterTier(models.TextChoices):
    """Who rents a room, which sets the price. Free for resident initiatives open to the wijk."""

    INITIATIVE = "initiative", _("resident initiative")
    RESIDENT = "resident", _("private resident")
    SOCIAL = "social", _("social organisation")
    COMMERCIAL = "commercial", _("commercial")


class RoomRate(models.Model):
    """The price of a room for one renter tier, per hour and per dagdeel (a block of four hours)."""

    room = models.ForeignKey(Room, on_delete=models.CASCADE, related_name="rates", verbose_name=_("room"))
    tier = models.CharField(_("renter tier"), max_length=20, choices=RenterTier.choices)
    per_hour = models.DecimalField(
        _("per hour"), max_digits=8, decimal_places=2, validators=[MinValueValidator(Decimal("0"))]
    )
    per_day_part = models.DecimalField(
        _("per day part (4 hours)"),
        max_digits=8,
        decimal_places=2,
        validators=[MinValueValidator(Decimal("0"))],
    )

    class Meta:
        ordering = ["room", "tier"]
        verbose_name = _("rate")
        verbose_name_plural = _("rates")
        constraints = [
            models.UniqueConstraint(fields=["room", "tier"], name="room_rate_one_per_tier"),
            models.CheckConstraint(condition=Q(per_hour__gte=0, per_day_part__gte=0), name="room_rate_not_negative"),
        ]

    def __str__(self):
        return f"{self.room}: {self.get_tier_display()}"

    @property
    def is_free(self) -> bool:
        return self.per_hour == 0 and self.per_day_part == 0


class RoomOccupancy(models.Model):
    """One claim on a room for a time range: an activity session or (later) a booking.

    Every claim goes through `locations.services.room_claim`, and claims on one room never overlap: the service
    checks under a lock, and on PostgreSQL an exclusion constraint makes the database refuse it too. A room's
    calendar is one query on this table. Back-to-back claims (10:00-12:00 and 12:00-14:00) are fine.
    """

    class Kind(models.TextChoices):
        SESSION = "session", _("activity")
        BOOKING = "booking", _("booking")

    # No index of its own: the index on (room, start, end) and the exclusion constraint's gist index lead with it.
    room = models.ForeignKey(
        Room, on_delete=models.CASCADE, related_name="occupancies", verbose_name=_("room"), db_index=False
    )
    start = models.DateTimeField(_("start"))
    end = models.DateTimeField(_("end"))
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)

    class Meta:
        ordering = ["room", "start"]
        verbose_name = _("room occupancy")
        verbose_name_plural = _("room occupancies")
        constraints = [
            models.CheckConstraint(condition=Q(end__gt=F("start")), name="room_occupancy_ends_after_start"),
        ]
        indexes = [models.Index(fields=["room", "start", "end"])]

    def __str__(self):
        return f"{self.room}: {self.start:%Y-%m-%d %H:%M}-{self.end:%H:%M}"


class StaleDay(models.Model):
    """A day of a house whose figures changed since they were last rolled up.

    The apps that change what the figures count (a close-out, a cancelled session, a booking decision, a signal, a
    closure) mark the day through `locations.services.days_changed`, in the transaction of the change; `reporting`
    reads these marks, derives the day again and removes the mark. The mark lives here, in the base app, so no app
    has to know that reporting exists. Door taps are not marked one by one: reporting finds new taps by their id.
    """

    house = models.ForeignKey(House, on_delete=models.CASCADE, related_name="+", db_index=False)
    day = models.DateField()
    marked_at = models.DateTimeField()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["house", "day"], name="stale_day_once_per_house_day")]

    def __str__(self):
        return f"{self.house_id}: {self.day}"
