"""The programme of a house (activities and their sessions), registrations, door tallies and signals."""

from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from huizen.text import single_line
from locations.models import House, Place, Room, RoomOccupancy


class Category(models.TextChoices):
    MEETING = "meeting", _("meeting and walk-in")
    EATING = "eating", _("eating together")
    MOVEMENT = "movement", _("exercise and health")
    LANGUAGE = "language", _("language and digital skills")
    CREATIVE = "creative", _("creativity and culture")
    YOUTH = "youth", _("children and young people")
    ELDERLY = "elderly", _("older people")
    ADVICE = "advice", _("advice desk (letters, forms, money, work)")
    PEERS = "peers", _("peer support")
    VOLUNTEERS = "volunteers", _("volunteers and informal carers")
    DAYCARE = "daycare", _("day activities")
    NEIGHBOURHOOD = "neighbourhood", _("neighbourhood meeting")


class TargetGroup(models.TextChoices):
    EVERYONE = "everyone", _("everyone")
    YOUTH = "youth", _("young people (4 to 23)")
    SENIORS = "seniors", _("people over 65")
    VULNERABLE = "vulnerable", _("vulnerable residents")
    CARERS = "carers", _("informal carers")
    NEWCOMERS = "newcomers", _("newcomers and status holders")
    WOMEN = "women", _("women")


class Organiser(models.TextChoices):
    PROFESSIONAL = "professional", _("the house (professionals)")
    RESIDENTS = "residents", _("residents' initiative")
    PARTNER = "partner", _("partner organisation")


class Activity(models.Model):
    """Something a house organises, once or repeating (weekly on chosen days, every N weeks, until a date)."""

    house = models.ForeignKey(House, on_delete=models.CASCADE, related_name="activities", verbose_name=_("house"))
    place = models.ForeignKey(Place, on_delete=models.PROTECT, related_name="activities", verbose_name=_("place"))
    room = models.ForeignKey(
        Room, on_delete=models.PROTECT, null=True, blank=True, related_name="activities", verbose_name=_("room")
    )
    # One line: the title goes into e-mail subjects and calendar entries.
    title = models.CharField(_("title"), max_length=150, validators=[single_line])
    description = models.TextField(_("description"), blank=True)
    category = models.CharField(_("category"), max_length=20, choices=Category.choices)
    organiser = models.CharField(_("organised by"), max_length=20, choices=Organiser.choices)
    partner_name = models.CharField(_("name of the partner organisation"), max_length=150, blank=True)
    capacity = models.PositiveIntegerField(
        _("number of places"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1, _("At least one place, or leave it empty for no limit."))],
        help_text=_("Leave empty when there is no limit."),
    )
    price = models.DecimalField(
        _("price"), max_digits=7, decimal_places=2, default=Decimal("0"), validators=[MinValueValidator(0)]
    )
    registration_required = models.BooleanField(_("registration needed"), default=False)
    # Recurrence: the first day, the weekdays, every N weeks, until a day (inclusive).
    first_date = models.DateField(_("first day"))
    start_time = models.TimeField(_("starts at"))
    end_time = models.TimeField(_("ends at"))
    weekdays = models.JSONField(_("days of the week"), default=list, blank=True)
    interval_weeks = models.PositiveSmallIntegerField(_("every how many weeks"), default=1)
    until = models.DateField(_("repeat until"), null=True, blank=True)
    skip_holidays = models.BooleanField(_("skip public holidays"), default=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["house", "title"]
        verbose_name = _("activity")
        verbose_name_plural = _("activities")
        constraints = [
            models.CheckConstraint(condition=Q(end_time__gt=F("start_time")), name="activity_ends_after_start"),
            models.CheckConstraint(condition=Q(price__gte=0), name="activity_price_not_negative"),
            models.CheckConstraint(condition=Q(interval_weeks__gte=1), name="activity_interval_positive"),
            models.CheckConstraint(
                condition=Q(until__isnull=True) | Q(until__gte=F("first_date")), name="activity_until_after_first"
            ),
            models.CheckConstraint(
                condition=~Q(organiser="partner") | ~Q(partner_name=""), name="activity_partner_named"
            ),
        ]

    def __str__(self):
        return self.title

    def clean(self):
        from .recurrence import HORIZON_DAYS

        errors = {}
        if self.organiser == Organiser.PARTNER and not self.partner_name.strip():
            errors["partner_name"] = _("Name the partner organisation.")
        if self.start_time and self.end_time and self.end_time <= self.start_time:
            errors["end_time"] = _("The end must be after the start.")
        if self.until and self.first_date:
            if self.until < self.first_date:
                errors["until"] = _("Repeat until a day on or after the first day.")
            elif (self.until - self.first_date).days > HORIZON_DAYS:
                errors["until"] = _("Plan at most one year ahead.")
            if not self.weekdays:
                errors["weekdays"] = _("Choose the days of the week it repeats on.")
        if any(day not in range(7) for day in self.weekdays or []):
            errors["weekdays"] = _("Choose days of the week from the list.")
        if errors:
            raise ValidationError(errors)

    @property
    def is_free(self) -> bool:
        return self.price == 0


class ActivityTargetGroup(models.Model):
    activity = models.ForeignKey(Activity, on_delete=models.CASCADE, related_name="target_groups")
    group = models.CharField(_("target group"), max_length=20, choices=TargetGroup.choices)

    class Meta:
        ordering = ["activity", "group"]
        constraints = [models.UniqueConstraint(fields=["activity", "group"], name="activity_target_group_unique")]

    def __str__(self):
        return self.get_group_display()


class Session(models.Model):
    """One occurrence of an activity. Its room time is claimed through a RoomOccupancy (no overlaps)."""

    class Status(models.TextChoices):
        PLANNED = "planned", _("planned")
        CANCELLED = "cancelled", _("cancelled")

    activity = models.ForeignKey(Activity, on_delete=models.CASCADE, related_name="sessions")
    room = models.ForeignKey(Room, on_delete=models.PROTECT, null=True, blank=True, related_name="sessions")
    occupancy = models.OneToOneField(
        RoomOccupancy, on_delete=models.SET_NULL, null=True, blank=True, related_name="session"
    )
    start = models.DateTimeField(_("start"))
    end = models.DateTimeField(_("end"))
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.PLANNED)
    moved_from = models.DateTimeField(_("originally planned at"), null=True, blank=True)
    change_reason = models.CharField(_("reason shown to residents"), max_length=200, blank=True)
    # Close-out by the host: the real numbers, and a remark without personal data.
    closed_at = models.DateTimeField(null=True, blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    participants_count = models.PositiveIntegerField(_("participants present"), null=True, blank=True)
    volunteers_count = models.PositiveIntegerField(_("volunteers present"), null=True, blank=True)
    close_remark = models.CharField(_("remark"), max_length=300, blank=True)

    class Meta:
        ordering = ["start"]
        verbose_name = _("session")
        verbose_name_plural = _("sessions")
        constraints = [
            models.CheckConstraint(condition=Q(end__gt=F("start")), name="session_ends_after_start"),
            models.UniqueConstraint(fields=["activity", "start"], name="session_unique_start_per_activity"),
        ]
        indexes = [models.Index(fields=["start", "status"])]

    def __str__(self):
        return f"{self.activity} {self.start:%Y-%m-%d %H:%M}"


class Registration(models.Model):
    """A named participant of a session that needs registration; beyond capacity they wait in line."""

    class Status(models.TextChoices):
        CONFIRMED = "confirmed", _("registered")
        WAITING = "waiting", _("on the waiting list")
        CANCELLED = "cancelled", _("cancelled")

    session = models.ForeignKey(Session, on_delete=models.CASCADE, related_name="registrations")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="registrations")
    status = models.CharField(_("status"), max_length=10, choices=Status.choices)
    created_at = models.DateTimeField(auto_now_add=True)
    attended = models.BooleanField(_("present"), default=False)

    class Meta:
        ordering = ["session", "created_at", "pk"]
        verbose_name = _("registration")
        verbose_name_plural = _("registrations")
        constraints = [
            models.UniqueConstraint(
                fields=["session", "user"], condition=~Q(status="cancelled"), name="registration_one_active_per_user"
            ),
        ]

    def __str__(self):
        return f"{self.user} → {self.session}"


class AgeBand(models.TextChoices):
    CHILD = "0-12", _("0 to 12")
    YOUTH = "13-23", _("13 to 23")
    ADULT = "24-64", _("24 to 64")
    SENIOR = "65+", _("65 and over")


class DoorTally(models.Model):
    """Anonymous visitors counted at the door: no names, ever. Each tap carries an id made on the device, so a
    tap sent again after a dropped connection is stored once."""

    # No index of their own: the composite indexes below start with the house and with the place.
    house = models.ForeignKey(House, on_delete=models.CASCADE, related_name="tallies", db_index=False)
    place = models.ForeignKey(Place, on_delete=models.CASCADE, related_name="tallies", db_index=False)
    session = models.ForeignKey(Session, on_delete=models.CASCADE, null=True, blank=True, related_name="tallies")
    tap_id = models.UUIDField(unique=True)
    recorded_at = models.DateTimeField()
    received_at = models.DateTimeField(auto_now_add=True)
    count = models.PositiveSmallIntegerField(default=1)
    is_new = models.BooleanField(default=False)
    age_band = models.CharField(max_length=5, choices=AgeBand.choices, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    undone_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["recorded_at"]
        verbose_name = _("door tap")
        verbose_name_plural = _("door taps")
        constraints = [
            models.CheckConstraint(condition=Q(count__gte=1, count__lte=100), name="door_tally_count_range"),
        ]
        indexes = [
            models.Index(fields=["house", "recorded_at"]),  # the door log of a house, per day
            # The door screen and its totals: today's taps at one place, however many years lie behind them.
            models.Index(fields=["place", "recorded_at"], name="door_tally_place_time"),
        ]

    def __str__(self):
        return f"{self.place} {self.recorded_at:%Y-%m-%d %H:%M} +{self.count}"


class Signal(models.Model):
    """A signal noticed in the house (signalering): a theme and where it was passed on. No names, no diagnoses."""

    class Theme(models.TextChoices):
        LONELINESS = "loneliness", _("loneliness")
        MONEY = "money", _("money worries and debts")
        HOUSING = "housing", _("housing")
        HEALTH = "health", _("health")
        CARER = "carer", _("overburdened informal carer")
        SAFETY = "safety", _("safety")
        OTHER = "other", _("other")

    class Referral(models.TextChoices):
        NONE = "", _("not passed on")
        TEAM = "team", _("social neighbourhood team")
        VRAAGWIJZER = "vraagwijzer", _("VraagWijzer")
        GP = "gp", _("GP")
        DEBT = "debt", _("debt assistance")
        OTHER = "other", _("other")

    class FollowUp(models.TextChoices):
        OPEN = "open", _("open")
        IN_PROGRESS = "in_progress", _("in progress")
        DONE = "done", _("done")

    house = models.ForeignKey(House, on_delete=models.CASCADE, related_name="signals", verbose_name=_("house"))
    date = models.DateField(_("date"))
    theme = models.CharField(_("theme"), max_length=20, choices=Theme.choices)
    referred_to = models.CharField(_("passed on to"), max_length=20, choices=Referral.choices, blank=True)
    consent = models.BooleanField(_("the person agreed to pass it on"), default=False)
    follow_up = models.CharField(_("follow-up"), max_length=20, choices=FollowUp.choices, default=FollowUp.OPEN)
    remark = models.CharField(_("remark"), max_length=300, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-date", "-created_at"]
        verbose_name = _("signal")
        verbose_name_plural = _("signals")
        constraints = [
            models.CheckConstraint(condition=Q(referred_to="") | Q(consent=True), name="signal_referral_needs_consent"),
        ]
        indexes = [models.Index(fields=["house", "date"])]

    def __str__(self):
        return f"{self.get_theme_display()} ({self.date})"
