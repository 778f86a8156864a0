"""Retention as policy: every category of personal data the system keeps, why, on what legal basis, and for how
long, defined once here. The daily task (`privacy.tasks.retention.apply_retention`) applies every category; the
privacy statement and the register of processing activities (verwerkingsregister) are generated from the same
definitions, so they cannot drift from what the code does.

An administrator may change a category's period (`privacy.models.RetentionPeriod`) within its legal limits
(`min_days`..`max_days`, shown beside it). `apply` is the dotted path of a function
`(*, by, now: datetime, days: int) -> int` that removes or anonymises what is older than `days` and returns how
many records it touched; it records its own audit event when it touched any.
"""

from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class Category:
    key: str
    name: Promise  # "Registrations for activities"
    data: Promise  # which personal data: "name, e-mail address, which session, attended or not"
    people: Promise  # whose data (categories of data subjects, for the register): "residents who register"
    purpose: Promise  # why it is kept
    legal_basis: Promise  # AVG article 6 ground, in words
    starts: Promise  # from when the period counts: "after the session"
    recipients: Promise  # who receives it (for the register)
    default_days: int
    min_days: int
    max_days: int
    limits: Promise  # why these limits: "at least 7 years: fiscal record-keeping (art. 52 AWR)"
    apply: str  # dotted path of the function applying it


YEAR = 365

CATEGORIES: list[Category] = [
    Category(
        key="registrations",
        name=_("Registrations for activities"),
        data=_("Name, e-mail address, the sessions registered for, and whether you came."),
        people=_("Residents who register for an activity."),
        purpose=_("Organising activities, the waiting list, and counting attendance."),
        legal_basis=_("Agreement: you register for an activity (AVG article 6(1)(b))."),
        starts=_("after the session"),
        recipients=_("The house's hosts and coordinators. Financiers get counts only."),
        default_days=400,
        min_days=30,
        max_days=2 * YEAR,
        limits=_("At most two years: attendance counts are kept without names."),
        apply="activities.services.registrations_prune",
    ),
    Category(
        key="booking_contacts",
        name=_("Contact details of room bookings"),
        data=_("Name, e-mail address and phone number of the renter or caller, and the booking."),
        people=_("Renters of rooms, and people who booked by phone."),
        purpose=_("Renting rooms and invoicing them."),
        legal_basis=_("Agreement (AVG article 6(1)(b)) and the legal duty to keep records (article 6(1)(c))."),
        starts=_("after the booking"),
        recipients=_("The house's coordinators."),
        default_days=7 * YEAR,
        min_days=7 * YEAR,
        max_days=10 * YEAR,
        limits=_("At least seven years: the records behind invoices (article 52 of the AWR)."),
        apply="bookings.services.booking_contacts_prune",
    ),
    Category(
        key="help_contacts",
        name=_("Contact details of burenhulp requests"),
        data=_("Name, phone number, address and description of the help asked for."),
        people=_("Residents who ask for burenhulp, and those who ask on their behalf."),
        purpose=_("Matching a neighbour who helps, and following up."),
        legal_basis=_("Consent of the person asking for help (AVG article 6(1)(a))."),
        starts=_("after the request was closed or cancelled"),
        recipients=_("The house's coordinators and the matched volunteer."),
        default_days=90,
        min_days=30,
        max_days=YEAR,
        limits=_("At most a year: only the follow-up needs them."),
        apply="volunteers.services.help.help_contacts_prune",
    ),
    Category(
        key="audit_events",
        name=_("History: who did what"),
        data=_("Which account changed what, and when (no names of residents)."),
        people=_("Staff, volunteers and residents who changed something."),
        purpose=_("Accountability and finding mistakes."),
        legal_basis=_("Legitimate interest and the legal duty to keep records (AVG article 6(1)(c) and (f))."),
        starts=_("after the event"),
        recipients=_("The house's coordinators and the administrators."),
        default_days=7 * YEAR,
        min_days=YEAR,
        max_days=10 * YEAR,
        limits=_("At most ten years."),
        apply="audit.services.events_prune",
    ),
    Category(
        key="access_records",
        name=_("Access log: who looked at whose data"),
        data=_("Which staff member looked at which person's data, when, and through which page or download."),
        people=_("Staff who looked at personal data, and the people whose data they saw."),
        purpose=_("Showing that personal data is only seen by those who need it, and telling you who looked."),
        legal_basis=_("Legal duty to secure personal data (AVG articles 5(2) and 32)."),
        starts=_("after the look"),
        recipients=_("The administrators and the privacy officer; you see your own on My data."),
        default_days=2 * YEAR,
        min_days=YEAR,
        max_days=5 * YEAR,
        limits=_("At least one year, at most five."),
        apply="privacy.services.access.access_records_prune",
    ),
    Category(
        key="outbox",
        name=_("E-mails waiting to be sent"),
        data=_("The e-mail address and the message of e-mails we send you."),
        people=_("Everyone we send an e-mail to."),
        purpose=_("Sending e-mails also when the mail server is away for a while."),
        legal_basis=_("The purpose of the e-mail itself (agreement, AVG article 6(1)(b))."),
        starts=_("after the e-mail was sent"),
        recipients=_("Nobody: only the system."),
        default_days=30,
        min_days=7,
        max_days=90,
        limits=_("At most 90 days."),
        apply="huizen.outbox.prune",
    ),
    Category(
        key="volunteer_files",
        name=_("Files of volunteers who stopped"),
        data=_(
            "Contact details (e-mail address, phone number), date of birth, skills, availability and motivation of "
            "a volunteer who stopped or was not accepted."
        ),
        people=_("Volunteers, and people who signed up to volunteer."),
        purpose=_("Organising volunteer work: contact, rosters, and the allowance (the date of birth sets its cap)."),
        legal_basis=_("Agreement: the volunteer agreement (AVG article 6(1)(b))."),
        starts=_("after the volunteer stopped or was not accepted"),
        recipients=_("The house's coordinators."),
        default_days=YEAR,
        min_days=30,
        max_days=2 * YEAR,
        limits=_("At most two years: after that only the name stays, with the hours and allowances paid."),
        apply="volunteers.services.people.volunteer_files_prune",
    ),
    Category(
        key="volunteer_allowances",
        name=_("Volunteer hours and allowances paid"),
        data=_("The volunteer's name with the hours given and the allowances paid (month, hours, amount)."),
        people=_("Volunteers who were paid an allowance or gave hours."),
        purpose=_("Paying the volunteer allowance within the tax-free caps, and showing that it was."),
        legal_basis=_("Legal duty to keep records (AVG article 6(1)(c); article 52 of the AWR)."),
        starts=_("after the volunteer stopped and was last paid"),
        recipients=_(
            "The house's coordinators; the tax authority (Belastingdienst) when it checks. Financiers get total "
            "hours only."
        ),
        default_days=7 * YEAR,
        min_days=7 * YEAR,
        max_days=10 * YEAR,
        limits=_(
            "At least seven years: the records behind payments (article 52 of the AWR). After that the name is "
            "removed; the hours stay as numbers without a name."
        ),
        apply="volunteers.services.people.volunteer_names_prune",
    ),
    Category(
        key="certificates",
        name=_("Certificates of volunteers (VOG, IVA)"),
        data=_("Which certificate a volunteer has, when it was issued and until when it is valid. Not the document."),
        people=_("Volunteers in roles with vulnerable people or serving alcohol."),
        purpose=_("Making sure only volunteers with a valid VOG work with vulnerable people."),
        legal_basis=_("Legitimate interest: protecting vulnerable residents (AVG article 6(1)(f))."),
        starts=_("after the certificate expired or the volunteer stopped"),
        recipients=_("The house's coordinators."),
        default_days=YEAR,
        min_days=30,
        max_days=2 * YEAR,
        limits=_("At most two years: a certificate that is no longer valid proves nothing."),
        apply="volunteers.services.people.certificates_prune",
    ),
    Category(
        key="carers",
        name=_("Informal carers (mantelzorgers)"),
        data=_(
            "Name, e-mail address, phone number, relation to the person cared for, hours of care, consent, and "
            "notes of the support contacts. Nothing about the person cared for."
        ),
        people=_("Informal carers the house supports."),
        purpose=_("Supporting informal carers, and counting the support for the municipality."),
        legal_basis=_("Consent of the carer (AVG article 6(1)(a))."),
        starts=_("after the support ended"),
        recipients=_("The house's coordinators. The municipality gets counts only."),
        default_days=YEAR,
        min_days=30,
        max_days=2 * YEAR,
        limits=_(
            "At most two years: after that the name and contact details are removed; the support contacts stay "
            "as counts."
        ),
        apply="volunteers.services.carers.carers_prune",
    ),
    Category(
        key="waardering",
        name=_("Applications for the mantelzorgwaardering"),
        data=_("Name of the account holder, IBAN, amount and year of the application."),
        people=_("Informal carers who applied for the mantelzorgwaardering."),
        purpose=_("Paying the mantelzorgwaardering, and the payment list for the municipality's accounts."),
        legal_basis=_("Legal duty: the Wmo 2015 (AVG article 6(1)(c) and (e)), and keeping records of payments."),
        starts=_("after the end of the year applied for"),
        recipients=_("The house's coordinators and the municipality (the payment list)."),
        default_days=7 * YEAR,
        min_days=7 * YEAR,
        max_days=10 * YEAR,
        limits=_("At least seven years: the municipality's payment records (article 52 of the AWR)."),
        apply="volunteers.services.carers.waardering_applications_prune",
    ),
    Category(
        key="login_sessions",
        name=_("Login sessions"),
        data=_("For each login: when, the IP address and the browser."),
        people=_("Everyone with an account."),
        purpose=_("Keeping you logged in, and showing you where you are logged in so that you can end a session."),
        legal_basis=_("Agreement (AVG article 6(1)(b)) and securing your account (article 32)."),
        starts=_("after logging in"),
        recipients=_("You; administrators see them only to help you."),
        default_days=30,
        min_days=14,
        max_days=90,
        limits=_("At least 14 days (as long as a login lasts), at most 90."),
        apply="accounts.services.login_sessions_prune",
    ),
    Category(
        key="dormant_accounts",
        name=_("Accounts not used for a long time"),
        data=_("Your account: name, e-mail address, language, and everything linked to it."),
        people=_("Everyone with an account."),
        purpose=_("Your account, for as long as you use it."),
        legal_basis=_("Agreement: you made an account (AVG article 6(1)(b))."),
        starts=_("after the last login; you get an e-mail two weeks before"),
        recipients=_("Nobody outside the organisation."),
        default_days=2 * YEAR,
        min_days=YEAR,
        max_days=5 * YEAR,
        limits=_("At least one year, at most five."),
        apply="privacy.services.mydata.dormant_accounts_apply",
    ),
]

BY_KEY: dict[str, Category] = {category.key: category for category in CATEGORIES}
