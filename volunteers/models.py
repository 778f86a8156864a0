"""Volunteers of a house, their certificates, rosters, hours and allowance; informal carers (mantelzorgers) and
their support; burenhulp (neighbours helping neighbours).

Built on `locations` (every row belongs to a house) and reading `activities` for the helpers an activity needs;
nothing built earlier imports this app (`reporting` reads it, as it reads every app).

Personal data is kept to what the work needs: a volunteer's date of birth only decides the allowance's hourly cap;
of a carer nothing is stored about the person cared for, and never a BSN.
"""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from locations.models import House, Organisation, Place

# --- reference data -------------------------------------------------------------------------------------------


class VolunteerRole(models.TextChoices):
    """What a volunteer does. Which certificates a role needs is data (`RoleCertificate`), not code."""

    HOST = "host", _("host at the door")
    ACTIVITY_LEADER = "activity_leader", _("activity leader")
    COOK = "cook", _("cook")
    BAR = "bar", _("bar")
    ODD_JOBS = "odd_jobs", _("odd jobs")
    NEIGHBOUR_HELP = "neighbour_help", _("neighbour help")
    LANGUAGE_BUDDY = "language_buddy", _("language buddy")
    BOARD = "board", _("board member (self-managed house)")


class CertificateKind(models.TextChoices):
    VOG = "vog", _("certificate of conduct (VOG)")
    IVA = "iva", _("IVA or Sociale Hygiëne certificate")


class RoleCertificate(models.Model):
    """A role that needs a certificate: a volunteer in that role must hold a valid one on the day of a shift."""

    role = models.CharField(_("role"), max_length=20, choices=VolunteerRole.choices)
    certificate = models.CharField(_("certificate"), max_length=10, choices=CertificateKind.choices)

    class Meta:
        ordering = ["role", "certificate"]
        verbose_name = _("certificate a role needs")
        verbose_name_plural = _("certificates roles need")
        constraints = [models.UniqueConstraint(fields=["role", "certificate"], name="role_certificate_unique")]

    def __str__(self):
        return f"{self.get_role_display()}: {self.get_certificate_display()}"


class HouseVolunteering(models.Model):
    """A house's own settings for its volunteers (a house without a row uses the defaults)."""

    DEFAULT_RENEWAL_YEARS = 3
    DEFAULT_IDLE_DAYS = 90

    house = models.OneToOneField(House, on_delete=models.CASCADE, related_name="volunteering", verbose_name=_("house"))
    certificate_renewal_years = models.PositiveSmallIntegerField(
        _("renew certificates after (years)"),
        default=DEFAULT_RENEWAL_YEARS,
        validators=[MinValueValidator(1), MaxValueValidator(10)],
    )
    idle_after_days = models.PositiveSmallIntegerField(
        _("not rostered for long after (days)"),
        default=DEFAULT_IDLE_DAYS,
        validators=[MinValueValidator(7), MaxValueValidator(730)],
    )

    class Meta:
        verbose_name = _("volunteer settings of a house")
        verbose_name_plural = _("volunteer settings of houses")
        constraints = [
            models.CheckConstraint(
                condition=Q(certificate_renewal_years__gte=1, certificate_renewal_years__lte=10),
                name="house_volunteering_renewal_years_range",
            )
        ]

    def __str__(self):
        return str(self.house)


class AllowanceCaps(models.Model):
    """The tax-free volunteer allowance caps of one year (vrijwilligersvergoeding): data, they change yearly."""

    year = models.PositiveSmallIntegerField(
        _("year"), unique=True, validators=[MinValueValidator(2000), MaxValueValidator(2099)]
    )
    adult_age = models.PositiveSmallIntegerField(_("adult from age"), default=21)
    hourly_adult = models.DecimalField(_("per hour, adults"), max_digits=6, decimal_places=2)
    hourly_young = models.DecimalField(_("per hour, under the adult age"), max_digits=6, decimal_places=2)
    monthly = models.DecimalField(_("per month"), max_digits=8, decimal_places=2)
    yearly = models.DecimalField(_("per year"), max_digits=8, decimal_places=2)

    class Meta:
        ordering = ["-year"]
        verbose_name = _("allowance caps")
        verbose_name_plural = _("allowance caps")
        constraints = [
            models.CheckConstraint(
                condition=Q(hourly_adult__gt=0, hourly_young__gt=0, monthly__gt=0, yearly__gt=0),
                name="allowance_caps_positive",
            )
        ]

    def __str__(self):
        return str(self.year)


# --- volunteers -------------------------------------------------------------------------------------------------


class Volunteer(models.Model):
    """Someone who volunteers (or offered to) at one house. A resident who signs up online is linked to their
    account; a coordinator can register someone without an e-mail address (then `user` is empty)."""

    class Status(models.TextChoices):
        APPLIED = "applied", _("signed up")
        ACCEPTED = "accepted", _("accepted")
        ON_HOLD = "on_hold", _("on hold")
        DECLINED = "declined", _("declined")
        STOPPED = "stopped", _("stopped")

    house = models.ForeignKey(House, on_delete=models.PROTECT, related_name="volunteers", verbose_name=_("house"))
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="volunteering",
        verbose_name=_("account"),
    )
    first_name = models.CharField(_("first name"), max_length=100)
    last_name = models.CharField(_("surname"), max_length=100, blank=True)
    email = models.EmailField(_("e-mail address"), blank=True)
    phone = models.CharField(_("phone number"), max_length=20, blank=True)
    language = models.CharField(_("language"), max_length=8, choices=settings.LANGUAGES, default="nl")
    # Only for the allowance: under the adult age (21) the hourly cap is lower.
    date_of_birth = models.DateField(_("date of birth"), null=True, blank=True)
    skills = models.TextField(_("skills"), blank=True, max_length=2000)
    # Day parts the volunteer is usually available: codes like "mon_morning" (see volunteers.forms.DAY_PARTS).
    availability = models.JSONField(_("available"), default=list, blank=True)
    availability_note = models.CharField(_("about when you are available"), max_length=300, blank=True)
    motivation = models.TextField(_("why you want to volunteer"), blank=True, max_length=2000)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.APPLIED)
    status_reason = models.CharField(_("reason"), max_length=300, blank=True)
    start_date = models.DateField(_("volunteer since"), null=True, blank=True)
    end_date = models.DateField(_("stopped on"), null=True, blank=True)
    agreement_signed_on = models.DateField(_("volunteer agreement signed on"), null=True, blank=True)
    applied_at = models.DateTimeField(_("signed up at"), auto_now_add=True)
    decided_at = models.DateTimeField(null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["first_name", "last_name"]
        verbose_name = _("volunteer")
        verbose_name_plural = _("volunteers")
        constraints = [
            models.UniqueConstraint(
                fields=["house", "user"], condition=Q(user__isnull=False), name="volunteer_once_per_house"
            ),
            models.CheckConstraint(
                condition=~Q(status="accepted") | Q(start_date__isnull=False), name="volunteer_accepted_has_start"
            ),
            models.CheckConstraint(
                condition=Q(end_date__isnull=True) | Q(start_date__isnull=True) | Q(end_date__gte=F("start_date")),
                name="volunteer_ends_after_start",
            ),
        ]
        indexes = [models.Index(fields=["house", "status"])]

    def __str__(self):
        return f"{self.first_name} {self.last_name}".strip()

    @property
    def short_name(self) -> str:
        """First name and initial, as shown to other volunteers and at the door."""
        initial = f" {self.last_name[:1]}." if self.last_name else ""
        return f"{self.first_name}{initial}"


class VolunteerRoleChoice(models.Model):
    """A role a volunteer has (or wants, while signed up)."""

    volunteer = models.ForeignKey(
        Volunteer, on_delete=models.CASCADE, related_name="roles", verbose_name=_("volunteer")
    )
    role = models.CharField(_("role"), max_length=20, choices=VolunteerRole.choices)

    class Meta:
        ordering = ["role"]
        verbose_name = _("role of a volunteer")
        verbose_name_plural = _("roles of volunteers")
        constraints = [models.UniqueConstraint(fields=["volunteer", "role"], name="volunteer_role_unique")]
        indexes = [models.Index(fields=["role", "volunteer"])]

    def __str__(self):
        return self.get_role_display()


class Certificate(models.Model):
    """A certificate a volunteer holds (VOG, IVA): valid from the day issued until `valid_until` inclusive,
    which the service sets from the house's renewal period."""

    volunteer = models.ForeignKey(
        Volunteer, on_delete=models.CASCADE, related_name="certificates", verbose_name=_("volunteer")
    )
    kind = models.CharField(_("certificate"), max_length=10, choices=CertificateKind.choices)
    issued_on = models.DateField(_("date issued"))
    valid_until = models.DateField(_("valid until"))
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["volunteer", "kind", "-issued_on"]
        verbose_name = _("certificate")
        verbose_name_plural = _("certificates")
        constraints = [
            models.UniqueConstraint(fields=["volunteer", "kind", "issued_on"], name="certificate_once_per_issue"),
            models.CheckConstraint(condition=Q(valid_until__gte=F("issued_on")), name="certificate_valid_after_issue"),
        ]
        indexes = [models.Index(fields=["valid_until"])]

    def __str__(self):
        return f"{self.get_kind_display()} {self.issued_on}"


class CertificateReminder(models.Model):
    """A reminder sent for a certificate that is about to expire: one per certificate and step (60, 30, 7 days
    before), so the daily task never reminds twice."""

    certificate = models.ForeignKey(Certificate, on_delete=models.CASCADE, related_name="reminders")
    days_before = models.PositiveSmallIntegerField()
    sent_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["certificate", "days_before"], name="certificate_reminder_once")]

    def __str__(self):
        return f"{self.certificate} −{self.days_before}"


# --- rosters ------------------------------------------------------------------------------------------------------


class ShiftPattern(models.Model):
    """A shift that repeats weekly (door host Monday morning, the cook for Tuesday's meal, the helpers of an
    activity), with the number of people needed. Its dated `Shift`s are made ahead by the roster service."""

    house = models.ForeignKey(House, on_delete=models.CASCADE, related_name="shift_patterns", verbose_name=_("house"))
    place = models.ForeignKey(Place, on_delete=models.CASCADE, related_name="shift_patterns", verbose_name=_("place"))
    activity = models.ForeignKey(
        "activities.Activity",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="shift_patterns",
        verbose_name=_("activity"),
    )
    title = models.CharField(_("name of the shift"), max_length=100)
    role = models.CharField(_("role"), max_length=20, choices=VolunteerRole.choices)
    weekday = models.PositiveSmallIntegerField(_("day"), validators=[MaxValueValidator(6)])
    start_time = models.TimeField(_("from"))
    end_time = models.TimeField(_("until"))
    people_needed = models.PositiveSmallIntegerField(
        _("people needed"), default=1, validators=[MinValueValidator(1), MaxValueValidator(50)]
    )
    valid_from = models.DateField(_("first day"))
    valid_until = models.DateField(_("last day"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["weekday", "start_time"]
        verbose_name = _("weekly shift")
        verbose_name_plural = _("weekly shifts")
        constraints = [
            models.CheckConstraint(condition=Q(end_time__gt=F("start_time")), name="shift_pattern_ends_after_start"),
            models.CheckConstraint(condition=Q(weekday__lte=6), name="shift_pattern_weekday_range"),
            models.CheckConstraint(
                condition=Q(people_needed__gte=1, people_needed__lte=50), name="shift_pattern_people_range"
            ),
            models.CheckConstraint(
                condition=Q(valid_until__isnull=True) | Q(valid_until__gte=F("valid_from")),
                name="shift_pattern_ends_after_first_day",
            ),
        ]

    def __str__(self):
        return self.title


class Shift(models.Model):
    """One dated shift of the roster (from a weekly pattern or made once)."""

    house = models.ForeignKey(House, on_delete=models.CASCADE, related_name="shifts", verbose_name=_("house"))
    place = models.ForeignKey(Place, on_delete=models.CASCADE, related_name="shifts", verbose_name=_("place"))
    pattern = models.ForeignKey(ShiftPattern, on_delete=models.SET_NULL, null=True, blank=True, related_name="shifts")
    activity = models.ForeignKey(
        "activities.Activity",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="shifts",
        verbose_name=_("activity"),
    )
    title = models.CharField(_("name of the shift"), max_length=100)
    role = models.CharField(_("role"), max_length=20, choices=VolunteerRole.choices)
    date = models.DateField(_("date"))
    start = models.DateTimeField(_("from"))
    end = models.DateTimeField(_("until"))
    people_needed = models.PositiveSmallIntegerField(
        _("people needed"), default=1, validators=[MinValueValidator(1), MaxValueValidator(50)]
    )
    cancelled_at = models.DateTimeField(_("cancelled at"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["start"]
        verbose_name = _("shift")
        verbose_name_plural = _("shifts")
        constraints = [
            models.CheckConstraint(condition=Q(end__gt=F("start")), name="shift_ends_after_start"),
            models.CheckConstraint(condition=Q(people_needed__gte=1, people_needed__lte=50), name="shift_people_range"),
            models.UniqueConstraint(
                fields=["pattern", "date"], condition=Q(pattern__isnull=False), name="shift_once_per_pattern_day"
            ),
        ]
        indexes = [models.Index(fields=["house", "date"]), models.Index(fields=["role", "date"])]

    def __str__(self):
        return f"{self.title} {self.date}"


class ShiftAssignment(models.Model):
    """A volunteer on a shift. Asking for a stand-in keeps the volunteer on it until someone else takes it over;
    then this row is `handed_over` and the other volunteer has a new one."""

    class Status(models.TextChoices):
        ASSIGNED = "assigned", _("on the roster")
        STAND_IN_WANTED = "stand_in", _("stand-in wanted")
        HANDED_OVER = "handed_over", _("taken over by someone else")
        CANCELLED = "cancelled", _("cancelled")

    ACTIVE = (Status.ASSIGNED, Status.STAND_IN_WANTED)

    shift = models.ForeignKey(Shift, on_delete=models.CASCADE, related_name="assignments", verbose_name=_("shift"))
    volunteer = models.ForeignKey(
        Volunteer, on_delete=models.CASCADE, related_name="assignments", verbose_name=_("volunteer")
    )
    status = models.CharField(_("status"), max_length=12, choices=Status.choices, default=Status.ASSIGNED)
    stand_in_for = models.ForeignKey("self", on_delete=models.SET_NULL, null=True, blank=True, related_name="stand_ins")
    assigned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    reminded_at = models.DateTimeField(null=True, blank=True)
    # The shift took place with this volunteer: confirmed by the coordinator or by the host at the door.
    worked_confirmed_at = models.DateTimeField(null=True, blank=True)
    worked_confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["shift__start"]
        verbose_name = _("shift assignment")
        verbose_name_plural = _("shift assignments")
        constraints = [
            models.UniqueConstraint(
                fields=["shift", "volunteer"],
                condition=Q(status__in=["assigned", "stand_in"]),
                name="assignment_once_per_shift",
            )
        ]
        indexes = [models.Index(fields=["volunteer", "status"])]

    def __str__(self):
        return f"{self.volunteer} · {self.shift}"


def new_feed_token() -> str:
    import secrets

    return secrets.token_urlsafe(24)


class ShiftFeed(models.Model):
    """The secret address of a volunteer's calendar of their own shifts; renewing it ends the old one."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="shift_feed")
    token = models.CharField(max_length=64, unique=True, default=new_feed_token)
    created_at = models.DateTimeField(auto_now=True)

    def __str__(self):
        return f"shift feed of {self.user}"


# --- hours and allowance ----------------------------------------------------------------------------------------


class HoursEntry(models.Model):
    """Hours a volunteer gave: from a shift that took place, from a burenhulp request, or entered by the volunteer
    (then the coordinator approves them). Only approved hours count."""

    class Source(models.TextChoices):
        SHIFT = "shift", _("shift")
        NEIGHBOUR_HELP = "neighbour_help", _("neighbour help")
        OWN = "own", _("entered by the volunteer")

    class Status(models.TextChoices):
        SUBMITTED = "submitted", _("waiting for approval")
        APPROVED = "approved", _("approved")
        REJECTED = "rejected", _("not approved")

    volunteer = models.ForeignKey(
        Volunteer, on_delete=models.PROTECT, related_name="hours", verbose_name=_("volunteer")
    )
    date = models.DateField(_("date"))
    minutes = models.PositiveIntegerField(_("minutes"), validators=[MinValueValidator(1), MaxValueValidator(24 * 60)])
    source = models.CharField(_("source"), max_length=20, choices=Source.choices)
    description = models.CharField(_("what you did"), max_length=300, blank=True)
    assignment = models.OneToOneField(
        ShiftAssignment, on_delete=models.SET_NULL, null=True, blank=True, related_name="hours"
    )
    help_request = models.OneToOneField(
        "volunteers.HelpRequest", on_delete=models.SET_NULL, null=True, blank=True, related_name="hours"
    )
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.SUBMITTED)
    decision_reason = models.CharField(_("reason"), max_length=300, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["-date"]
        verbose_name = _("hours")
        verbose_name_plural = _("hours")
        constraints = [
            models.CheckConstraint(condition=Q(minutes__gte=1, minutes__lte=24 * 60), name="hours_entry_minutes_range"),
        ]
        indexes = [models.Index(fields=["volunteer", "date"]), models.Index(fields=["status", "date"])]

    def __str__(self):
        return f"{self.volunteer} {self.date} {self.minutes} min"


class AllowancePayment(models.Model):
    """A volunteer allowance paid for one month's volunteering. The service refuses a payment that would exceed
    the hourly, monthly or yearly cap of `AllowanceCaps`."""

    volunteer = models.ForeignKey(
        Volunteer, on_delete=models.PROTECT, related_name="payments", verbose_name=_("volunteer")
    )
    month = models.DateField(_("month"))  # the first day of the month paid for
    hours = models.DecimalField(_("hours"), max_digits=6, decimal_places=2)
    amount = models.DecimalField(_("amount"), max_digits=8, decimal_places=2)
    paid_on = models.DateField(_("paid on"))
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-month"]
        verbose_name = _("allowance payment")
        verbose_name_plural = _("allowance payments")
        constraints = [
            models.CheckConstraint(condition=Q(amount__gt=0, hours__gt=0), name="allowance_payment_positive"),
            models.CheckConstraint(condition=Q(month__day=1), name="allowance_payment_month_first_day"),
        ]
        indexes = [models.Index(fields=["volunteer", "month"])]

    def __str__(self):
        return f"{self.volunteer} {self.month:%Y-%m} €{self.amount}"


# --- informal carers (mantelzorgers) --------------------------------------------------------------------------


class Carer(models.Model):
    """An informal carer the house supports, registered with their explicit consent. Nothing about the person
    cared for is stored beyond the relation; never a BSN."""

    class Relation(models.TextChoices):
        PARTNER = "partner", _("partner")
        PARENT = "parent", _("parent of the person cared for")
        CHILD = "child", _("child of the person cared for")
        FAMILY = "family", _("other family")
        NEIGHBOUR = "neighbour", _("neighbour or friend")
        OTHER = "other", _("other")

    class HoursBand(models.TextChoices):
        UNDER_8 = "under_8", _("less than 8 hours a week")
        FROM_8 = "8_16", _("8 to 16 hours a week")
        FROM_16 = "16_24", _("16 to 24 hours a week")
        FROM_24 = "24_plus", _("24 hours a week or more")

    house = models.ForeignKey(House, on_delete=models.PROTECT, related_name="carers", verbose_name=_("house"))
    first_name = models.CharField(_("first name"), max_length=100)
    last_name = models.CharField(_("surname"), max_length=100, blank=True)
    email = models.EmailField(_("e-mail address"), blank=True)
    phone = models.CharField(_("phone number"), max_length=20, blank=True)
    language = models.CharField(_("language"), max_length=8, choices=settings.LANGUAGES, default="nl")
    relation = models.CharField(_("relation to the person cared for"), max_length=10, choices=Relation.choices)
    hours_band = models.CharField(_("hours of care"), max_length=10, choices=HoursBand.choices)
    caring_since = models.DateField(_("caring since"))
    # Consent: what was agreed, when, and who recorded it. No carer is saved without it.
    consent_given_on = models.DateField(_("consent given on"))
    consent_text = models.TextField(_("what was agreed"), max_length=2000)
    consent_recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("consent recorded by")
    )
    created_at = models.DateTimeField(auto_now_add=True)
    ended_on = models.DateField(_("support ended on"), null=True, blank=True)

    class Meta:
        ordering = ["first_name", "last_name"]
        verbose_name = _("informal carer")
        verbose_name_plural = _("informal carers")
        constraints = [
            models.CheckConstraint(condition=~Q(consent_text=""), name="carer_has_consent"),
        ]
        indexes = [models.Index(fields=["house", "ended_on"])]

    def __str__(self):
        return f"{self.first_name} {self.last_name}".strip()


class SupportKind(models.TextChoices):
    INFORMATION = "information", _("information and advice")
    LISTENING = "listening", _("a listening ear")
    PEER_GROUP = "peer_group", _("peer group")
    RESPITE = "respite", _("respite care arranged")
    TRAINING = "training", _("training")
    REFERRAL_VRAAGWIJZER = "vraagwijzer", _("referral to VraagWijzer")
    REFERRAL_BROKER = "broker", _("referral to a mantelzorgmakelaar")


class SupportContact(models.Model):
    """One contact in which the house supported a carer."""

    carer = models.ForeignKey(Carer, on_delete=models.CASCADE, related_name="contacts", verbose_name=_("carer"))
    date = models.DateField(_("date"))
    kind = models.CharField(_("kind of support"), max_length=20, choices=SupportKind.choices)
    note = models.CharField(_("note"), max_length=500, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-date", "-pk"]
        verbose_name = _("support contact")
        verbose_name_plural = _("support contacts")
        indexes = [models.Index(fields=["carer", "date"]), models.Index(fields=["date"])]

    def __str__(self):
        return f"{self.get_kind_display()} {self.date}"


class WaarderingRules(models.Model):
    """A municipality's rules for the yearly mantelzorgwaardering: data, they differ per municipality and year."""

    municipality = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="waardering_rules", verbose_name=_("municipality")
    )
    year = models.PositiveSmallIntegerField(_("year"), validators=[MinValueValidator(2000), MaxValueValidator(2099)])
    amount = models.DecimalField(_("amount"), max_digits=8, decimal_places=2)
    description = models.CharField(
        _("what the carer gets"), max_length=200, blank=True, help_text=_("For example: credit on the city pass.")
    )
    opens_on = models.DateField(_("applications from"))
    closes_on = models.DateField(_("applications until"))
    min_hours_per_week = models.PositiveSmallIntegerField(_("at least hours of care a week"), default=8)
    min_months = models.PositiveSmallIntegerField(_("for at least months"), default=3)

    class Meta:
        ordering = ["-year"]
        verbose_name = _("mantelzorgwaardering rules")
        verbose_name_plural = _("mantelzorgwaardering rules")
        constraints = [
            models.UniqueConstraint(fields=["municipality", "year"], name="waardering_rules_once_per_year"),
            models.CheckConstraint(condition=Q(closes_on__gte=F("opens_on")), name="waardering_window_order"),
            models.CheckConstraint(condition=Q(amount__gte=0), name="waardering_amount_positive"),
        ]

    def __str__(self):
        return f"{self.municipality} {self.year}"


class WaarderingApplication(models.Model):
    """A carer's application for the year's mantelzorgwaardering, often taken at the house's desk for someone
    without DigiD. One per carer per year (the database refuses a second), so one award per carer per year."""

    class Status(models.TextChoices):
        APPLIED = "applied", _("applied")
        AWARDED = "awarded", _("awarded")
        REFUSED = "refused", _("refused")

    carer = models.ForeignKey(
        Carer, on_delete=models.PROTECT, related_name="waardering_applications", verbose_name=_("carer")
    )
    rules = models.ForeignKey(WaarderingRules, on_delete=models.PROTECT, related_name="applications")
    year = models.PositiveSmallIntegerField(_("year"))
    applied_on = models.DateField(_("applied on"))
    taken_at_desk = models.BooleanField(_("taken at the desk"), default=False)
    # What payment needs, nothing more: to whom and where.
    payee_name = models.CharField(_("name of the account holder"), max_length=150, blank=True)
    iban = models.CharField(_("IBAN"), max_length=34, blank=True)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.APPLIED)
    amount = models.DecimalField(_("amount"), max_digits=8, decimal_places=2, null=True, blank=True)
    decision_reason = models.CharField(_("reason"), max_length=300, blank=True)
    decided_at = models.DateTimeField(null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-year", "carer"]
        verbose_name = _("mantelzorgwaardering application")
        verbose_name_plural = _("mantelzorgwaardering applications")
        constraints = [
            models.UniqueConstraint(fields=["carer", "year"], name="waardering_once_per_carer_year"),
            models.CheckConstraint(
                condition=~Q(status="awarded") | Q(amount__isnull=False), name="waardering_awarded_has_amount"
            ),
        ]
        indexes = [models.Index(fields=["year", "status"])]

    def __str__(self):
        return f"{self.carer} {self.year}"


# --- burenhulp ------------------------------------------------------------------------------------------------


class HelpKind(models.TextChoices):
    GROCERIES = "groceries", _("groceries")
    LIFT = "lift", _("a lift (to the GP, the hospital)")
    SMALL_JOB = "small_job", _("a small job in or around the house")
    COMPANY = "company", _("company (a visit, a walk)")
    OTHER = "other", _("something else")


class HelpRequest(models.Model):
    """A request for help from a neighbour, posted by a resident or by a professional on someone's behalf. Only
    the house's coordinators and the matched volunteer see the requester's contact details."""

    class Status(models.TextChoices):
        OPEN = "open", _("waiting for a volunteer")
        OFFERED = "offered", _("asked a volunteer")
        MATCHED = "matched", _("a volunteer will help")
        DONE = "done", _("done")
        NOT_HAPPENED = "not_happened", _("did not happen")
        CANCELLED = "cancelled", _("cancelled")

    OPEN_STATES = (Status.OPEN, Status.OFFERED, Status.MATCHED)

    house = models.ForeignKey(House, on_delete=models.PROTECT, related_name="help_requests", verbose_name=_("house"))
    kind = models.CharField(_("what kind of help"), max_length=20, choices=HelpKind.choices)
    description = models.TextField(_("what do you need"), max_length=1000)
    wanted_on = models.DateField(_("on which day"))
    wanted_time = models.CharField(_("what time"), max_length=100, blank=True)
    # The person who needs the help: their account, or (posted on their behalf) their name and contact.
    requester = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="help_requests",
        verbose_name=_("requester"),
    )
    requester_name = models.CharField(_("name"), max_length=150)
    requester_phone = models.CharField(_("phone number"), max_length=20, blank=True)
    requester_email = models.EmailField(_("e-mail address"), blank=True)
    requester_address = models.CharField(_("address"), max_length=200, blank=True)
    # The language of the e-mails to a requester without an account (one with an account gets theirs).
    requester_language = models.CharField(_("language"), max_length=8, choices=settings.LANGUAGES, default="nl")
    posted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    on_behalf = models.BooleanField(_("posted on someone's behalf"), default=False)
    status = models.CharField(_("status"), max_length=12, choices=Status.choices, default=Status.OPEN)
    volunteer = models.ForeignKey(
        Volunteer, on_delete=models.SET_NULL, null=True, blank=True, related_name="help_requests"
    )
    matched_at = models.DateTimeField(null=True, blank=True)
    followed_up_at = models.DateTimeField(null=True, blank=True)  # the volunteer was asked "did it happen?"
    minutes_spent = models.PositiveIntegerField(
        _("time spent (minutes)"), null=True, blank=True, validators=[MaxValueValidator(24 * 60)]
    )
    closed_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["wanted_on", "pk"]
        verbose_name = _("burenhulp request")
        verbose_name_plural = _("burenhulp requests")
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=["open", "cancelled"]) | Q(volunteer__isnull=False),
                name="help_request_has_volunteer_when_matched",
            ),
            models.CheckConstraint(
                condition=Q(minutes_spent__isnull=True) | Q(minutes_spent__lte=24 * 60),
                name="help_request_minutes_range",
            ),
        ]
        indexes = [models.Index(fields=["house", "status"]), models.Index(fields=["status", "wanted_on"])]

    def __str__(self):
        return f"{self.get_kind_display()} {self.wanted_on}"


class HelpOffer(models.Model):
    """The coordinator asked a volunteer to take a request; the volunteer accepts or declines."""

    class Status(models.TextChoices):
        OFFERED = "offered", _("asked")
        ACCEPTED = "accepted", _("accepted")
        DECLINED = "declined", _("declined")
        WITHDRAWN = "withdrawn", _("withdrawn")

    request = models.ForeignKey(HelpRequest, on_delete=models.CASCADE, related_name="offers")
    volunteer = models.ForeignKey(Volunteer, on_delete=models.CASCADE, related_name="help_offers")
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.OFFERED)
    offered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    offered_at = models.DateTimeField(auto_now_add=True)
    answered_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-offered_at"]
        constraints = [
            # One open question at a time per request.
            models.UniqueConstraint(
                fields=["request"], condition=Q(status__in=["offered", "accepted"]), name="help_offer_one_open"
            )
        ]

    def __str__(self):
        return f"{self.request} → {self.volunteer}"
