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
    # volunteers: people and certificates
    "volunteer.sign_up": _("Signed up as a volunteer"),
    "volunteer.register": _("Volunteer registered by the house"),
    "volunteer.decide": _("Decision on a volunteer"),
    "volunteer.update": _("Volunteer's details changed"),
    "volunteer.stop": _("Volunteer stopped"),
    "certificate.record": _("Certificate recorded"),
    "house_volunteering.update": _("Volunteer settings changed"),
    # volunteers: rosters
    "shift_pattern.create": _("Weekly shift planned"),
    "shift_pattern.update": _("Weekly shift changed"),
    "shift_pattern.end": _("Weekly shift ended"),
    "shift.create": _("Shift planned"),
    "shift.cancel": _("Shift cancelled"),
    "shift.sign_up": _("Signed up for a shift"),
    "shift.assign": _("Volunteer put on a shift"),
    "shift.cancel_assignment": _("Shift assignment cancelled"),
    "shift.ask_stand_in": _("Stand-in asked for"),
    "shift.take_over": _("Shift taken over"),
    "shift.confirm_worked": _("Shift confirmed as worked"),
    "shift_feed.renew": _("Shift calendar address renewed"),
    "shift.unconfirm_worked": _("Shift no longer confirmed as worked"),
    # volunteers: hours and allowance
    "hours.submit": _("Hours entered"),
    "hours.decide": _("Hours approved or not"),
    "allowance.pay": _("Volunteer allowance paid"),
    "allowance_caps.set": _("Allowance caps set"),
    # volunteers: informal carers
    "carer.register": _("Informal carer registered"),
    "carer.update": _("Informal carer's details changed"),
    "carer.end": _("Support of an informal carer ended"),
    "support_contact.record": _("Support contact recorded"),
    "waardering_rules.set": _("Mantelzorgwaardering rules set"),
    "waardering.apply": _("Mantelzorgwaardering applied for"),
    "waardering.decide": _("Mantelzorgwaardering decided"),
    "waardering.export": _("Mantelzorgwaardering payment list downloaded"),
    # volunteers: burenhulp
    "help_request.post": _("Burenhulp request posted"),
    "help_request.offer": _("Burenhulp request offered to a volunteer"),
    "help_request.answer": _("Volunteer answered a burenhulp request"),
    "help_request.cancel": _("Burenhulp request cancelled"),
    "help_request.close": _("Burenhulp request closed"),
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
    # privacy
    "access.prune": _("Old access log deleted"),
    "retention.set": _("Retention period changed"),
    "retention.apply": _("Retention periods applied"),
    "user.export": _("Own data downloaded"),
    "user.erase": _("Account erased"),
    "user.dormant_warn": _("Warned before anonymising an unused account"),
    "user.anonymise_dormant": _("Unused account anonymised"),
    "mfa.activate": _("Second factor set up"),
    "mfa.deactivate": _("Second factor removed"),
    "mfa.recovery_codes": _("New recovery codes made"),
    "user_sessions.end": _("Sessions ended"),
    "login_sessions.prune": _("Old login sessions deleted"),
    "house.signal_readers": _("Who sees signals changed"),
    # retention: what the daily retention task removes (privacy.retention, one code per category's apply)
    "outbox.prune": _("Old sent e-mails deleted"),
    "help.contacts_prune": _("Old burenhulp contact details wiped"),
    "volunteer.files_prune": _("Files of volunteers who stopped wiped"),
    "volunteer.names_prune": _("Names of volunteers who stopped long ago removed"),
    "certificate.prune": _("Old certificates deleted"),
    "carer.prune": _("Details of carers whose support ended wiped"),
    "waardering.prune": _("Old payment details of waardering applications wiped"),
    # reference data edited in the admin (houses, places, rooms, users and roles)
    "admin.add": _("Added in the admin"),
    "admin.change": _("Changed in the admin"),
    "admin.delete": _("Deleted in the admin"),
}


def label_of(code: str) -> str:
    return str(ACTIONS.get(code, code))
