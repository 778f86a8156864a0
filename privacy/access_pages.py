"""Which pages and exports show named personal data, declared once.

`LOGGED` maps each URL name (namespace:name) whose page or download shows someone's named data to what it shows
(`AccessRecord.What`): the view records every person it shows in the access log. `NOT_LOGGED` lists every other
URL name, grouped, with the one reason it shows none. `NOT_LOGGED_PREFIXES` classifies whole families of URLs by
their name's start (allauth's own account pages). The Django admin is declared per model: `ADMIN_LOGGED` maps each
model label whose change list and change view show named data to what they show (its ModelAdmin uses
`privacy.admin.access.AccessLoggedAdmin`); `ADMIN_NOT_LOGGED` lists the other registered models.

tests/privacy/test_access_pages.py walks every URL pattern of huizen.urls and every registered ModelAdmin: a URL
name or model in neither list fails with the line to add here; every entry of `LOGGED` has its own test fetching
the page with data present and checking the rows written.
"""

from .models import AccessRecord

What = AccessRecord.What

# --- pages and exports that show named personal data: the view calls access_record_for_request ---------------------

LOGGED: dict[str, str] = {
    # activities: the door screen shows the first names (and an initial) of those registered for today's sessions;
    # closing a session with errors shows the screen again.
    "activities:door": What.REGISTRATIONS,
    "activities:door_close": What.REGISTRATIONS,
    # bookings: the house's list, calendar and export show who booked with their contact details; rejecting or
    # cancelling shows the booking's renter.
    "bookings:house_requests": What.BOOKING_CONTACT,
    "bookings:house_calendar": What.BOOKING_CONTACT,
    "bookings:house_export": What.BOOKING_CONTACT,
    "bookings:booking_reject": What.BOOKING_CONTACT,
    "bookings:house_booking_cancel": What.BOOKING_CONTACT,
    # volunteers: the list, the file (and the pages that show it again with a form's errors), the edit form
    "volunteers:house_volunteers": What.VOLUNTEER_FILE,
    "volunteers:volunteer_detail": What.VOLUNTEER_FILE,
    "volunteers:volunteer_decide": What.VOLUNTEER_FILE,
    "volunteers:certificate_record": What.VOLUNTEER_FILE,
    "volunteers:volunteer_edit": What.VOLUNTEER_FILE,
    # rosters with the volunteers' names
    "volunteers:roster": What.VOLUNTEER_FILE,
    "volunteers:shift_detail": What.VOLUNTEER_FILE,
    "volunteers:door_shifts": What.VOLUNTEER_FILE,
    # hours and allowances
    "volunteers:house_hours": What.VOLUNTEER_HOURS,
    "volunteers:hours_record": What.VOLUNTEER_HOURS,
    "volunteers:hours_decide": What.VOLUNTEER_HOURS,
    "volunteers:hours_export": What.VOLUNTEER_HOURS,
    "volunteers:house_hours_statement": What.VOLUNTEER_HOURS,
    "volunteers:allowances": What.VOLUNTEER_HOURS,
    # informal carers
    "volunteers:carers": What.CARER,
    "volunteers:carer_detail": What.CARER,
    "volunteers:carer_edit": What.CARER,
    "volunteers:carer_end": What.CARER,
    "volunteers:support_contact_new": What.CARER,
    # mantelzorgwaardering: applying and deciding show the carer; the payment lists (house and municipality)
    "volunteers:waardering_apply": What.WAARDERING,
    "volunteers:waardering_decide": What.WAARDERING,
    "volunteers:waardering_payments": What.WAARDERING,
    "volunteers:waardering_network_payments": What.WAARDERING,
    # burenhulp: the house's list names the requester; the detail shows their contact; the matched volunteer sees
    # it on their offers; cancelling or closing as the coordinator shows the request
    "volunteers:house_help": What.HELP_CONTACT,
    "volunteers:help_detail": What.HELP_CONTACT,
    "volunteers:help_offer": What.HELP_CONTACT,
    "volunteers:my_help_offers": What.HELP_CONTACT,
    # a house's history names who did each thing (residents too, for their registrations and bookings)
    "audit:house_history": What.ACCOUNT,
}

# --- every other page: no named personal data of others, one reason per group ---------------------------------------

NOT_LOGGED: dict[str, list[str]] = {
    "public pages, feeds and technical endpoints: no personal data": [
        "healthz",
        "start",
        "accessibility",
        "set_language",
        "activities:agenda",
        "activities:agenda_feed",
        "activities:session_detail",
        "activities:house_agenda",
        "activities:house_feed",
        "activities:door_start",
        "activities:door_service_worker",
        "bookings:room_search",
        "bookings:room_detail",
        "bookings:room_feed",
        "volunteers:signup_houses",
        "volunteers:waardering_network",
        "locations:house_list",
        "locations:house_detail",
        "locations:neighbourhood_field",
        "privacy:statement",
        "privacy:erased",
    ],
    "the user's own data (their registrations, bookings, shifts, hours, requests, account): not logged": [
        "accounts:my_details",
        "activities:session_register",
        "activities:my_registrations",
        "activities:registration_cancel",
        "bookings:booking_request",
        "bookings:my_bookings",
        "bookings:booking_cancel",
        "bookings:series_cancel",
        "bookings:my_feed_renew",
        "bookings:my_feed",
        "volunteers:signup",
        "volunteers:my_volunteering",
        "volunteers:my_shifts",
        "volunteers:my_shift_sign_up",
        "volunteers:my_assignment",
        "volunteers:my_assignment_cancel",
        "volunteers:my_stand_in_take",
        "volunteers:shift_feed",
        "volunteers:shift_feed_ics",
        "volunteers:my_hours",
        "volunteers:hours_submit",
        "volunteers:hours_statement",
        "volunteers:help_new",
        "volunteers:my_help",
        "volunteers:help_answer",
        "privacy:my_data",
        "privacy:my_data_json",
        "privacy:erase",
        "accounts:session_end",
        "accounts:sessions_end_all",
    ],
    "forms that show only what the staff member types in, or redirect after a write: no stored person shown": [
        "bookings:book_on_behalf",
        "bookings:booking_approve",
        "bookings:request_emails",
        "volunteers:volunteer_new",
        "volunteers:paper_form",
        "volunteers:carer_new",
        "volunteers:help_new_on_behalf",
        "volunteers:help_cancel",
        "volunteers:help_close",
    ],
    "counts, tallies and settings of a house, without names": [
        "activities:door_totals",
        "activities:door_taps",
        "activities:door_undo",
        "activities:door_attendance",
        "activities:programme",
        "activities:activity_create",
        "activities:session_cancel",
        "activities:session_move",
        "activities:activity_edit",
        "activities:activity_end_series",
        "activities:door_log",
        "activities:door_log_export",
        "activities:signal_list",
        "activities:signal_create",
        "activities:signal_follow_up",
        "bookings:rental_terms",
        "bookings:room_rates",
        "volunteers:house_settings",
        "volunteers:shift_pattern_new",
        "volunteers:shift_pattern_edit",
        "volunteers:shift_new",
        "privacy:register",
        "locations:house_signal_readers",
    ],
    "reports and dashboards: aggregates only, small counts suppressed": [
        "reporting:dashboard",
        "reporting:network_indicator",
        "reporting:house",
        "reporting:drilldown",
        "reporting:targets",
        "reporting:targets_upload",
        "reporting:targets_example",
        "reporting:target_edit",
        "reporting:neighbourhood_upload",
        "reporting:neighbourhood_example",
        "reporting:explanations",
        "reporting:reports",
        "reporting:report_build",
        "reporting:report_progress",
        "reporting:report_zip",
        "reporting:report_file",
    ],
}

NOT_LOGGED_PREFIXES: dict[str, str] = {
    "account_": "allauth's own account pages: the user's own account",
    "mfa_": "allauth's second-factor pages: the user's own second factor",
    "usersessions_": "allauth's list of sessions: the user's own sessions",
}

# --- the Django admin, per model (app_label.model_name) -------------------------------------------------------------

ADMIN_LOGGED: dict[str, str] = {
    "accounts.user": What.ACCOUNT,
    "activities.registration": What.REGISTRATIONS,
    "bookings.booking": What.BOOKING_CONTACT,
    "volunteers.volunteer": What.VOLUNTEER_FILE,
    "volunteers.certificate": What.VOLUNTEER_FILE,
    "volunteers.shiftassignment": What.VOLUNTEER_FILE,
    "volunteers.hoursentry": What.VOLUNTEER_HOURS,
    "volunteers.allowancepayment": What.VOLUNTEER_HOURS,
    "volunteers.helprequest": What.HELP_CONTACT,
    "mfa.authenticator": What.ACCOUNT,
    "usersessions.usersession": What.ACCOUNT,
    "account.emailaddress": What.ACCOUNT,
}

ADMIN_NOT_LOGGED: dict[str, list[str]] = {
    "reference data, figures and settings: no named personal data": [
        "auth.group",
        "locations.district",
        "locations.neighbourhood",
        "locations.organisation",
        "locations.house",
        "locations.place",
        "locations.room",
        "activities.activity",
        "activities.session",
        "volunteers.waarderingrules",
        "volunteers.allowancecaps",
        "volunteers.rolecertificate",
        "volunteers.housevolunteering",
        "volunteers.shiftpattern",
        "volunteers.shift",
        "reporting.target",
        "reporting.explanation",
        "reporting.reportversion",
        "privacy.retentionperiod",
    ],
    "logs read by administrators only (history of staff actions, the access log itself, mail waiting to go)": [
        "audit.event",
        "huizen.outboxmessage",
        "privacy.accessrecord",
    ],
}


def classification(url_name: str) -> str | None:
    """What `url_name` is declared as: the What it logs, a reason it logs nothing, or None (not declared)."""
    if url_name in LOGGED:
        return str(LOGGED[url_name])
    for reason, names in NOT_LOGGED.items():
        if url_name in names:
            return reason
    for prefix, reason in NOT_LOGGED_PREFIXES.items():
        if url_name.startswith(prefix):
            return reason
    return None
