"""The action codes of the audit trail and how they read.

A code is `<entity>.<action>`, taken from the service that records it (`booking_approve` records
"booking.approve", `house_management_change` records "house_management.change"). A new service adds its code
here; `event_record` refuses codes that are not listed, so every event has a readable label.
"""

from django.utils.translation import gettext_lazy as _

ACTIONS = {
    # accounts
    "user.signup": _("Signed up"),
    "user.update_details": _("Own name or language changed"),
    # locations
    "house_management.change": _("Management changed"),
    "rental_terms.update": _("Rental terms changed"),
    "room_rates.update": _("Room rates changed"),
    # activities
    "activity.create": _("Activity planned"),
    "activity.update": _("Activity changed"),
    "activity.end_series": _("Series ended"),
    "session.cancel": _("Session cancelled"),
    "session.move": _("Session moved"),
    "session.close": _("Session closed out"),
    "registration.register": _("Registered for a session"),
    "registration.cancel": _("Registration cancelled"),
    "registration.promote": _("Moved up from the waiting list"),
    "registration.mark_attended": _("Attendance ticked off"),
    "registration.prune": _("Old registrations deleted"),
    "tally.undo": _("Door tap undone"),
    "signal.record": _("Signal recorded"),
    "signal.follow_up": _("Signal follow-up changed"),
    # bookings
    "booking.request": _("Room requested"),
    "booking.book_on_behalf": _("Room booked for a caller"),
    "booking.approve": _("Booking approved"),
    "booking.reject": _("Booking rejected"),
    "booking.expire": _("Request expired"),
    "booking.cancel_by_renter": _("Booking cancelled by the renter"),
    "booking.cancel_by_house": _("Booking cancelled by the house"),
    "booking_series.cancel_by_renter": _("Weekly booking series cancelled by the renter"),
    "booking.contacts_prune": _("Old contact details wiped"),
    "booking_feed.renew": _("Calendar address renewed"),
    "role.email_booking_requests": _("E-mail about new booking requests switched"),
    # reporting
    "target.set": _("Target changed"),
    "target.import": _("Targets imported"),
    "explanation.set": _("Explanation of the figures changed"),
    "neighbourhood_index.import": _("Neighbourhood figures imported"),
    "report.build": _("Report built"),
    "report.request": _("Report requested"),
    "rollup.rebuild": _("Figures derived again"),
    # audit
    "event.prune": _("Old history deleted"),
    # reference data edited in the admin (houses, places, rooms, users and roles)
    "admin.add": _("Added in the admin"),
    "admin.change": _("Changed in the admin"),
    "admin.delete": _("Deleted in the admin"),
}


def label_of(code: str) -> str:
    return str(ACTIONS.get(code, code))
