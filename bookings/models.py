"""Room rental: booking requests, their approval, prices fixed at booking time, and private calendar feeds.

A booking that is requested or approved holds a claim on its room (`locations.RoomOccupancy`), so it can never
overlap another booking, an activity session or itself; rejected and cancelled bookings give the room back.
"""

import secrets

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from locations.models import RenterTier, Room, RoomOccupancy


class BookingSeries(models.Model):
    """A weekly series requested in one go; each week is its own booking."""

    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("booking series")
        verbose_name_plural = _("booking series")

    def __str__(self):
        return f"series {self.pk}"


class Booking(models.Model):
    class Status(models.TextChoices):
        REQUESTED = "requested", _("requested")
        APPROVED = "approved", _("approved")
        REJECTED = "rejected", _("rejected")
        CANCELLED = "cancelled", _("cancelled")

    ACTIVE = (Status.REQUESTED, Status.APPROVED)

    # No index of its own: the index on (room, start) leads with it.
    room = models.ForeignKey(
        Room, on_delete=models.PROTECT, related_name="bookings", verbose_name=_("room"), db_index=False
    )
    occupancy = models.OneToOneField(
        RoomOccupancy, on_delete=models.SET_NULL, null=True, blank=True, related_name="booking"
    )
    series = models.ForeignKey(BookingSeries, on_delete=models.SET_NULL, null=True, blank=True, related_name="bookings")
    start = models.DateTimeField(_("start"))
    end = models.DateTimeField(_("end"))
    renter = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="bookings",
        verbose_name=_("renter"),
    )
    # Booked on behalf of someone who phoned: their name and how to reach them (named data, pruned later).
    contact_name = models.CharField(_("name of the renter"), max_length=150, blank=True)
    contact_email = models.EmailField(_("e-mail address of the renter"), blank=True)
    contact_phone = models.CharField(_("phone number of the renter"), max_length=20, blank=True)
    tier = models.CharField(_("renter tier"), max_length=20, choices=RenterTier.choices)
    purpose = models.CharField(_("purpose"), max_length=200)
    people = models.PositiveIntegerField(_("number of people"))
    price = models.DecimalField(_("price"), max_digits=8, decimal_places=2)
    deposit = models.DecimalField(_("deposit"), max_digits=8, decimal_places=2, default=0)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.REQUESTED)
    rules_accepted_at = models.DateTimeField(_("house rules accepted at"), null=True, blank=True)
    decision_reason = models.CharField(_("reason"), max_length=300, blank=True)
    cancellation_cost = models.DecimalField(_("cancellation cost"), max_digits=8, decimal_places=2, default=0)
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["start"]
        verbose_name = _("booking")
        verbose_name_plural = _("bookings")
        constraints = [
            models.CheckConstraint(condition=Q(end__gt=F("start")), name="booking_ends_after_start"),
            models.CheckConstraint(condition=Q(people__gte=1), name="booking_people_positive"),
            models.CheckConstraint(
                condition=Q(price__gte=0, deposit__gte=0, cancellation_cost__gte=0), name="booking_amounts_positive"
            ),
            # An active booking always holds its claim on the room; a finished one never does.
            models.CheckConstraint(
                condition=Q(status__in=["requested", "approved"], occupancy__isnull=False)
                | Q(status__in=["rejected", "cancelled"], occupancy__isnull=True),
                name="booking_claim_matches_status",
            ),
            models.CheckConstraint(
                condition=Q(renter__isnull=False) | ~Q(contact_name=""), name="booking_has_a_renter"
            ),
        ]
        indexes = [models.Index(fields=["room", "start"]), models.Index(fields=["status", "start"])]

    def __str__(self):
        return f"{self.room} {self.start:%Y-%m-%d %H:%M}"

    @property
    def renter_label(self) -> str:
        if self.renter_id:
            return self.renter.get_full_name() or self.renter.email
        return self.contact_name


def new_feed_token() -> str:
    return secrets.token_urlsafe(24)


class BookingFeed(models.Model):
    """The secret address of a resident's private calendar of their bookings; renewing it ends the old one."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="booking_feed")
    token = models.CharField(max_length=64, unique=True, default=new_feed_token)
    created_at = models.DateTimeField(auto_now=True)

    def __str__(self):
        return f"feed of {self.user}"
