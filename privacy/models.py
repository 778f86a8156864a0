"""Privacy: who looked at whose data (the access log), how long each kind of personal data is kept (retention
periods), and the warning before a dormant account is anonymised.

What each kind of data is, why it is kept and for how long by default is defined once, in code
(`privacy.retention.CATEGORIES`); the database holds only the period an administrator chose within the limits.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class AccessRecord(models.Model):
    """One look at one person's named data: who (and for which organisation), whose, what, when, and through
    which page or export. Append-only: on PostgreSQL triggers refuse every update, truncate and delete (only the
    retention prune deletes, and only rows older than the category's minimum); users and houses are anonymised,
    never deleted, so the links are protected."""

    class What(models.TextChoices):
        REGISTRATIONS = "registrations", _("registrations and attendance")
        BOOKING_CONTACT = "booking_contact", _("contact details of a booking")
        VOLUNTEER_FILE = "volunteer_file", _("volunteer file")
        VOLUNTEER_HOURS = "volunteer_hours", _("volunteer hours and allowance")
        CARER = "carer", _("informal carer's file")
        WAARDERING = "waardering", _("mantelzorgwaardering application")
        HELP_CONTACT = "help_contact", _("contact details of a burenhulp request")
        ACCOUNT = "account", _("account details")

    at = models.DateTimeField(_("when"), default=timezone.now)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("looked by"),
    )
    # Whose staff looked: the organisation running the house at the time, the manager's organisation, the
    # municipality, or the site's administrators; kept as text, as it was then.
    organisation = models.CharField(_("on behalf of"), max_length=200, blank=True)
    role = models.CharField(_("role"), max_length=20, blank=True)
    house = models.ForeignKey(
        "locations.House",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("house"),
    )
    # Whose data: a user with an account, or (subject_type, subject_id) for people without one (a carer, the
    # caller of a phone booking, a burenhulp requester posted by a professional).
    subject_user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("whose data"),
    )
    subject_type = models.CharField(_("kind of record"), max_length=60)
    subject_id = models.CharField(_("record id"), max_length=64)
    what = models.CharField(_("what"), max_length=30, choices=What.choices)
    via = models.CharField(_("through"), max_length=100, help_text=_("The page or export (its URL name)."))
    export = models.BooleanField(_("download"), default=False)

    class Meta:
        ordering = ["-at", "-pk"]
        verbose_name = _("access to personal data")
        verbose_name_plural = _("access log")
        indexes = [
            models.Index(fields=["subject_user", "-at"], name="privacy_access_subject_at"),
            models.Index(fields=["subject_type", "subject_id"], name="privacy_access_record"),
            models.Index(fields=["at"], name="privacy_access_at"),
            models.Index(fields=["house", "-at"], name="privacy_access_house_at"),
        ]

    def __str__(self):
        return f"{timezone.localtime(self.at):%Y-%m-%d %H:%M} {self.get_what_display()} #{self.subject_id}"


class RetentionPeriod(models.Model):
    """The period an administrator chose for one category of `privacy.retention.CATEGORIES` (no row: the
    category's default). Changed only through `privacy.services.retention.retention_period_set`, which keeps it
    within the category's legal limits."""

    category = models.CharField(_("category"), max_length=40, unique=True)
    days = models.PositiveIntegerField(_("kept for (days)"))
    changed_at = models.DateTimeField(_("changed at"), default=timezone.now)
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("changed by"),
    )

    class Meta:
        ordering = ["category"]
        verbose_name = _("retention period")
        verbose_name_plural = _("retention periods")
        constraints = [models.CheckConstraint(condition=Q(days__gte=1), name="retention_period_at_least_a_day")]

    def __str__(self):
        return f"{self.category}: {self.days}"


class DormancyWarning(models.Model):
    """An account that has not been used for the dormancy period was warned by e-mail; it is anonymised two weeks
    after `warned_at` unless its owner logs in first (which ends the warning)."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="dormancy_warning", verbose_name=_("user")
    )
    warned_at = models.DateTimeField(_("warned at"), default=timezone.now)

    class Meta:
        verbose_name = _("warning before anonymising")
        verbose_name_plural = _("warnings before anonymising")

    def __str__(self):
        return f"{self.user_id} {self.warned_at:%Y-%m-%d}"
