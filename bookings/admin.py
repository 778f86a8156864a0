from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from huizen.admin_actions import ViewOnlyAdmin, service_action
from privacy.admin.access import AccessLoggedAdmin

from . import services
from .house_forms import ReasonForm
from .models import Booking


@admin.register(Booking)
class BookingAdmin(AccessLoggedAdmin, ViewOnlyAdmin):
    """For looking things up; bookings change state only through the services (the house's pages or the
    actions here), which release the room, e-mail the renter and record it."""

    list_display = ["room", "start", "end", "status", "tier", "price"]
    access_user_field = "renter_id"
    list_filter = ["status", "tier", "room__place__house__neighbourhood__district"]
    search_fields = ["room__name", "room__place__house__name", "renter__email", "contact_name", "purpose"]
    list_select_related = ["room__place"]
    date_hierarchy = "start"
    actions = [
        service_action(
            "approve_bookings",
            _("Approve the selected requests"),
            lambda booking, by: services.booking_approve(booking=booking, by=by),
        ),
        service_action(
            "reject_bookings",
            _("Reject the selected requests"),
            lambda booking, by, reason: services.booking_reject(booking=booking, reason=reason, by=by),
            form_class=ReasonForm,
        ),
        service_action(
            "cancel_bookings",
            _("Cancel the selected bookings (by the house)"),
            lambda booking, by, reason: services.booking_cancel_by_house(booking=booking, reason=reason, by=by),
            form_class=ReasonForm,
        ),
    ]
