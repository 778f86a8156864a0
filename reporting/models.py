"""Results: the daily rollups every figure is read from, targets, explanations and the quarterly report versions.

`reporting` reads the other apps and no app imports it. Figures never come from raw rows at read time: a
`DayFigure` row holds one measure of one house (and place) on one day, derived by `reporting.rollups` and kept
current as the data changes, so a quarter of a house is about 90 days of rows, however many years lie behind it.
"""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from locations.models import House, Place

from .indicators import INDICATOR_CHOICES


class DayFigure(models.Model):
    """One measure of one house on one day, for one place (or the house as a whole), in total or for one member
    of a breakdown (`dimension` "category", member "eating"). Written only by `reporting.rollups`."""

    house = models.ForeignKey(House, on_delete=models.CASCADE, related_name="+", db_index=False)
    place = models.ForeignKey(Place, on_delete=models.CASCADE, null=True, blank=True, related_name="+", db_index=False)
    day = models.DateField()
    measure = models.CharField(max_length=40)
    dimension = models.CharField(max_length=20, blank=True)  # "" for the total
    member = models.CharField(max_length=40, blank=True)  # "" for the total
    value = models.DecimalField(max_digits=16, decimal_places=2)

    class Meta:
        indexes = [
            models.Index(fields=["house", "day"], name="reporting_dayfigure_house_day"),
            # The network's pages read every house over a period: by dimension and day, with the summed columns in
            # the index (PostgreSQL), so five years of history cost what one year does.
            models.Index(
                fields=["dimension", "day"],
                include=["house", "place", "measure", "member", "value"],
                name="reporting_dayfigure_dim_day",
            ),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["house", "place", "day", "measure", "dimension", "member"],
                condition=Q(place__isnull=False),
                name="dayfigure_once_per_place",
            ),
            models.UniqueConstraint(
                fields=["house", "day", "measure", "dimension", "member"],
                condition=Q(place__isnull=True),
                name="dayfigure_once_per_house",
            ),
        ]

    def __str__(self):
        return f"{self.house_id} {self.day} {self.measure} {self.dimension}={self.member}: {self.value}"


class Watermark(models.Model):
    """How far a rollup pass has read an append-mostly table (the door taps): the highest id it has seen, and how
    many rows it saw in the overlap window just below that id (`reporting.rollups.OVERLAP_IDS`), so the next pass
    notices a row that committed late, below the watermark (see `reporting.rollups.refresh_stale`)."""

    name = models.CharField(max_length=40, unique=True)
    last_id = models.BigIntegerField(default=0)
    window_count = models.BigIntegerField(default=0)

    def __str__(self):
        return f"{self.name}: {self.last_id}"


class Target(models.Model):
    """A resultaatafspraak: what a house (or, without a house, the whole network) should reach for one indicator
    in one year, and how that is spread over the quarters. Changed only through `reporting.services.target_set`,
    which records who changed it and the old and new values."""

    house = models.ForeignKey(
        House, on_delete=models.CASCADE, null=True, blank=True, related_name="+", verbose_name=_("house")
    )
    indicator = models.CharField(_("indicator"), max_length=40, choices=INDICATOR_CHOICES)
    year = models.PositiveSmallIntegerField(_("year"), validators=[MinValueValidator(2000), MaxValueValidator(2099)])
    value = models.DecimalField(_("target for the year"), max_digits=14, decimal_places=2)
    q1 = models.DecimalField(_("first quarter"), max_digits=14, decimal_places=2)
    q2 = models.DecimalField(_("second quarter"), max_digits=14, decimal_places=2)
    q3 = models.DecimalField(_("third quarter"), max_digits=14, decimal_places=2)
    q4 = models.DecimalField(_("fourth quarter"), max_digits=14, decimal_places=2)
    updated_at = models.DateTimeField(_("changed at"))
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["year", "indicator"]
        verbose_name = _("target")
        verbose_name_plural = _("targets")
        constraints = [
            models.UniqueConstraint(
                fields=["house", "indicator", "year"], condition=Q(house__isnull=False), name="target_once_per_house"
            ),
            models.UniqueConstraint(
                fields=["indicator", "year"], condition=Q(house__isnull=True), name="target_once_for_network"
            ),
            models.CheckConstraint(
                condition=Q(value__gte=0, q1__gte=0, q2__gte=0, q3__gte=0, q4__gte=0), name="target_not_negative"
            ),
            models.CheckConstraint(condition=Q(year__gte=2000, year__lte=2099), name="target_year_in_range"),
        ]

    def __str__(self):
        return f"{self.house or '-'} {self.indicator} {self.year}: {self.value}"

    def for_quarter(self, quarter: int):
        return getattr(self, f"q{quarter}")


class Explanation(models.Model):
    """A coordinator's short explanation (toelichting) of one indicator of their house in one quarter; the
    quarter's report carries it."""

    house = models.ForeignKey(House, on_delete=models.CASCADE, related_name="+", verbose_name=_("house"))
    indicator = models.CharField(_("indicator"), max_length=40, choices=INDICATOR_CHOICES)
    year = models.PositiveSmallIntegerField(_("year"))
    quarter = models.PositiveSmallIntegerField(_("quarter"))
    text = models.TextField(_("explanation"))
    updated_at = models.DateTimeField(_("changed at"))
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("explanation")
        verbose_name_plural = _("explanations")
        constraints = [
            models.UniqueConstraint(fields=["house", "indicator", "year", "quarter"], name="explanation_once"),
            models.CheckConstraint(condition=Q(quarter__gte=1, quarter__lte=4), name="explanation_quarter_1_to_4"),
        ]

    def __str__(self):
        return f"{self.house_id} {self.indicator} {self.year}Q{self.quarter}"


class ReportVersion(models.Model):
    """One build of the quarterly report of a house (or, without a house, of the network). Immutable once ready:
    rebuilding makes a new version with the next number and keeps this one, files and checksums included."""

    class Kind(models.TextChoices):
        PROVISIONAL = "provisional", _("provisional")
        FINAL = "final", _("final")

    class Status(models.TextChoices):
        BUILDING = "building", _("being built")
        READY = "ready", _("ready")
        FAILED = "failed", _("failed")

    house = models.ForeignKey(
        House, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("house")
    )
    year = models.PositiveSmallIntegerField(_("year"))
    quarter = models.PositiveSmallIntegerField(_("quarter"))
    number = models.PositiveIntegerField(_("version"))
    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.BUILDING)
    progress = models.PositiveSmallIntegerField(_("progress"), default=0)  # percent, while building
    # One version per run: the schedule's run for a quarter, or the request a person made. A retried or repeated
    # run finds its version by this key instead of making another.
    run_key = models.CharField(max_length=120, unique=True)
    created_at = models.DateTimeField(_("created at"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    by_schedule = models.BooleanField(_("built by the schedule"), default=False)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)
    figures = models.JSONField(_("figures"), default=dict, blank=True)  # what the files were built from

    class Meta:
        ordering = ["-year", "-quarter", "-number"]
        verbose_name = _("report version")
        verbose_name_plural = _("report versions")
        constraints = [
            models.UniqueConstraint(
                fields=["house", "year", "quarter", "number"],
                condition=Q(house__isnull=False),
                name="report_version_number_per_house",
            ),
            models.UniqueConstraint(
                fields=["year", "quarter", "number"],
                condition=Q(house__isnull=True),
                name="report_version_number_for_network",
            ),
            models.CheckConstraint(condition=Q(quarter__gte=1, quarter__lte=4), name="report_quarter_1_to_4"),
            models.CheckConstraint(condition=Q(progress__lte=100), name="report_progress_at_most_100"),
        ]

    def __str__(self):
        return f"{self.house_id or 'network'} {self.year}Q{self.quarter} v{self.number}"


class ReportFile(models.Model):
    """One file of a report version (PDF, XLSX or CSV), kept in the database with its SHA-256 checksum."""

    class Format(models.TextChoices):
        PDF = "pdf", "PDF"
        XLSX = "xlsx", "XLSX"
        CSV = "csv", "CSV"

    version = models.ForeignKey(ReportVersion, on_delete=models.CASCADE, related_name="files")
    format = models.CharField(max_length=4, choices=Format.choices)
    content = models.BinaryField()
    checksum = models.CharField(max_length=64)  # SHA-256, hex
    size = models.PositiveIntegerField()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["version", "format"], name="report_file_once_per_format")]

    def __str__(self):
        return f"{self.version} {self.format}"
