"""The indicators a municipality asks for, each defined once, here.

An indicator is read from the daily rollups (`DayFigure`): its value over a period is the sum of its numerator
measures, divided by the sum of its denominator measures for a ratio, times `scale`. The measures themselves are
derived per house and day by `reporting.rollups` (one function per source). Adding an indicator is one
`Indicator(...)` below and, when it needs a measure nobody derives yet, one measure in `rollups.MEASURES`.

A measure is named by a string; its rows may carry a breakdown (`dimension` and `member`): "category",
"organiser", "target_group" (a session counts for each of its groups, so these members overlap), "destination"
(signals), "age_band" (door taps), "payment" ("free" or "paid" booking hours), "hours_source" (volunteer hours:
"shift", "own", "neighbour_help") and "support_kind" (support contacts with informal carers).

A DISTINCT indicator counts different people over the whole period, which is not a sum of days: it names its
counter in `people` (a key of `reporting.selectors.PEOPLE`), which counts them from the source rows with one
grouped query bounded by the period.
"""

from dataclasses import dataclass, field
from decimal import Decimal
from enum import StrEnum

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class Unit(StrEnum):
    COUNT = "count"
    PERCENT = "percent"
    HOURS = "hours"
    EUROS = "euros"


class Source(StrEnum):
    DOOR = "door"  # door taps by hosts: anonymous counts
    PROGRAMME = "programme"  # sessions as planned, held or cancelled
    CLOSE_OUT = "close_out"  # the numbers a host enters when closing a session
    REGISTRATION = "registration"  # named registrations for sessions
    SIGNALS = "signals"  # signals noted by hosts and coordinators
    BOOKINGS = "bookings"  # room bookings and their prices
    OPENING_HOURS = "opening_hours"  # opening hours and closures of the places
    SURVEY = "survey"  # a survey among visitors (none collected yet)
    VOLUNTEERS = "volunteers"  # the volunteer administration: volunteers, certificates, approved hours
    CARERS = "carers"  # support of informal carers (mantelzorgers) and their waarderingen
    NEIGHBOUR_HELP = "neighbour_help"  # burenhulp requests


SOURCE_LABELS = {
    Source.DOOR: _("door count"),
    Source.PROGRAMME: _("programme"),
    Source.CLOSE_OUT: _("close-out of sessions"),
    Source.REGISTRATION: _("registrations"),
    Source.SIGNALS: _("signals"),
    Source.BOOKINGS: _("room bookings"),
    Source.OPENING_HOURS: _("opening hours"),
    Source.SURVEY: _("survey"),
    Source.VOLUNTEERS: _("volunteer administration"),
    Source.CARERS: _("support of informal carers"),
    Source.NEIGHBOUR_HELP: _("burenhulp requests"),
}

UNIT_LABELS = {
    Unit.COUNT: pgettext_lazy("unit", "number"),
    Unit.PERCENT: pgettext_lazy("unit", "percent"),
    Unit.HOURS: pgettext_lazy("unit", "hours"),
    Unit.EUROS: pgettext_lazy("unit", "euros"),
}


class Aggregation(StrEnum):
    SUM = "sum"  # add the days up
    RATIO = "ratio"  # sum of the numerator ÷ sum of the denominator, never the average of daily ratios
    DISTINCT = "distinct"  # distinct people over the whole period: not a sum of days (see selectors)


@dataclass(frozen=True)
class Indicator:
    code: str
    name: Promise
    definition: Promise
    unit: Unit
    source: Source
    aggregation: Aggregation
    numerator: tuple[str, ...] = ()
    denominator: tuple[str, ...] = ()
    scale: Decimal = Decimal(1)  # e.g. 100 for a percentage, 1/60 for minutes shown as hours
    cap: Decimal | None = None  # the highest value that makes sense (a percentage of hours open: 100)
    suppressed: bool = True  # a count of people: below 5 it is suppressed in anything published
    breakdowns: tuple[str, ...] = field(default=())  # the dimensions its measures are broken down by
    people: str = ""  # DISTINCT only: the counter of different people (a key of reporting.selectors.PEOPLE)

    @property
    def is_count(self) -> bool:
        return self.aggregation in (Aggregation.SUM, Aggregation.DISTINCT) and self.unit == Unit.COUNT


MINUTES_AS_HOURS = Decimal(1) / Decimal(60)
SESSION_BREAKDOWNS = ("category", "organiser", "target_group")

INDICATORS: tuple[Indicator, ...] = (
    Indicator(
        code="visits",
        name=_("Visits"),
        definition=_("Every visitor counted at the door, at the walk-in and at activities together."),
        unit=Unit.COUNT,
        source=Source.DOOR,
        aggregation=Aggregation.SUM,
        numerator=("visits_walk_in", "visits_activity"),
    ),
    Indicator(
        code="visits_walk_in",
        name=_("Walk-in visits"),
        definition=_("Visitors counted at the door outside any activity (the walk-in, inloop)."),
        unit=Unit.COUNT,
        source=Source.DOOR,
        aggregation=Aggregation.SUM,
        numerator=("visits_walk_in",),
        breakdowns=("age_band",),
    ),
    Indicator(
        code="visits_activity",
        name=_("Visits to activities"),
        definition=_("Visitors counted at the door for an activity."),
        unit=Unit.COUNT,
        source=Source.DOOR,
        aggregation=Aggregation.SUM,
        numerator=("visits_activity",),
        breakdowns=("category", "organiser", "target_group", "age_band"),
    ),
    Indicator(
        code="new_visitors",
        name=_("New visitors"),
        definition=_("Visitors the host marked as coming for the first time."),
        unit=Unit.COUNT,
        source=Source.DOOR,
        aggregation=Aggregation.SUM,
        numerator=("new_visitors",),
    ),
    Indicator(
        code="sessions_held",
        name=_("Sessions held"),
        definition=_("Sessions of activities that took place (planned and not cancelled), by category."),
        unit=Unit.COUNT,
        source=Source.PROGRAMME,
        aggregation=Aggregation.SUM,
        numerator=("sessions_held",),
        suppressed=False,  # counts of sessions, not of people
        breakdowns=SESSION_BREAKDOWNS,
    ),
    Indicator(
        code="resident_initiated_share",
        name=_("Share of sessions initiated by residents"),
        definition=_("Sessions held of residents' initiatives, as a percentage of all sessions held."),
        unit=Unit.PERCENT,
        source=Source.PROGRAMME,
        aggregation=Aggregation.RATIO,
        numerator=("sessions_resident",),
        denominator=("sessions_held",),
        scale=Decimal(100),
        cap=Decimal(100),
        suppressed=False,
    ),
    Indicator(
        code="unique_participants",
        name=_("Unique registered participants"),
        definition=_("Different people with a confirmed registration for a session held in the period."),
        unit=Unit.COUNT,
        source=Source.REGISTRATION,
        aggregation=Aggregation.DISTINCT,
        breakdowns=("category",),
        people="registrations",
    ),
    Indicator(
        code="participants_closeout",
        name=_("Participants counted at close-out"),
        definition=_("The participants a host entered when closing a session, added up over the sessions."),
        unit=Unit.COUNT,
        source=Source.CLOSE_OUT,
        aggregation=Aggregation.SUM,
        numerator=("participants_closeout",),
        breakdowns=SESSION_BREAKDOWNS,
    ),
    Indicator(
        code="signals_passed_on",
        name=_("Signals passed on"),
        definition=_("Signals about residents that were passed on, with consent, by where they went."),
        unit=Unit.COUNT,
        source=Source.SIGNALS,
        aggregation=Aggregation.SUM,
        numerator=("signals_passed_on",),
        breakdowns=("destination",),
    ),
    Indicator(
        code="room_occupancy",
        name=_("Room occupancy"),
        definition=_(
            "Hours the rooms were in use (approved bookings and activities) within the opening hours, as a "
            "percentage of the hours the rooms were open. Never above 100%."
        ),
        unit=Unit.PERCENT,
        source=Source.BOOKINGS,
        aggregation=Aggregation.RATIO,
        numerator=("room_minutes_used",),
        denominator=("room_minutes_open",),
        scale=Decimal(100),
        cap=Decimal(100),
        suppressed=False,
    ),
    Indicator(
        code="booking_hours_free",
        name=_("Free booking hours"),
        definition=_("Hours of approved room bookings without a price."),
        unit=Unit.HOURS,
        source=Source.BOOKINGS,
        aggregation=Aggregation.SUM,
        numerator=("booking_minutes_free",),
        scale=MINUTES_AS_HOURS,
        suppressed=False,
    ),
    Indicator(
        code="booking_hours_paid",
        name=_("Paid booking hours"),
        definition=_("Hours of approved room bookings with a price."),
        unit=Unit.HOURS,
        source=Source.BOOKINGS,
        aggregation=Aggregation.SUM,
        numerator=("booking_minutes_paid",),
        scale=MINUTES_AS_HOURS,
        suppressed=False,
    ),
    Indicator(
        code="booking_revenue",
        name=_("Booking revenue"),
        definition=_("What approved bookings cost their renters, plus the cancellation costs charged."),
        unit=Unit.EUROS,
        source=Source.BOOKINGS,
        aggregation=Aggregation.SUM,
        numerator=("booking_revenue",),
        suppressed=False,
    ),
    Indicator(
        code="opening_hours",
        name=_("Opening hours realised"),
        definition=_("Hours the places were open, by their opening hours, leaving out closures and public holidays."),
        unit=Unit.HOURS,
        source=Source.OPENING_HOURS,
        aggregation=Aggregation.SUM,
        numerator=("opening_minutes",),
        scale=MINUTES_AS_HOURS,
        suppressed=False,
    ),
    # --- volunteering (the volunteers app): volunteers, hours, certificates, informal carers, burenhulp ---------
    Indicator(
        code="volunteers_active",
        name=_("Active volunteers"),
        definition=_("Different volunteers with approved hours in the period (volunteer administration)."),
        unit=Unit.COUNT,
        source=Source.VOLUNTEERS,
        aggregation=Aggregation.DISTINCT,
        people="volunteers",
    ),
    Indicator(
        code="volunteers_new",
        name=_("New volunteers"),
        definition=_("Volunteers who started in the period: accepted, by the date they started."),
        unit=Unit.COUNT,
        source=Source.VOLUNTEERS,
        aggregation=Aggregation.SUM,
        numerator=("volunteers_new",),
    ),
    Indicator(
        code="volunteer_hours",
        name=_("Volunteer hours"),
        definition=_(
            "Hours of volunteering approved by the coordinator: shifts that took place, burenhulp and hours the "
            "volunteers entered themselves, on the day they were given."
        ),
        unit=Unit.HOURS,
        source=Source.VOLUNTEERS,
        aggregation=Aggregation.SUM,
        numerator=("volunteer_minutes",),
        scale=MINUTES_AS_HOURS,
        suppressed=False,  # hours, not people
        breakdowns=("hours_source",),
    ),
    Indicator(
        code="certificates_valid",
        name=_("Certificates valid"),
        definition=_(
            "Of the active volunteers in roles that need a certificate (a VOG, an IVA), the share holding every "
            "certificate they need, valid on the day; counted per day over the period."
        ),
        unit=Unit.PERCENT,
        source=Source.VOLUNTEERS,
        aggregation=Aggregation.RATIO,
        numerator=("certificate_valid",),
        denominator=("certificate_needed",),
        scale=Decimal(100),
        cap=Decimal(100),
        suppressed=False,
    ),
    Indicator(
        code="carers_supported",
        name=_("Informal carers supported"),
        definition=_("Different informal carers (mantelzorgers) with at least one support contact in the period."),
        unit=Unit.COUNT,
        source=Source.CARERS,
        aggregation=Aggregation.DISTINCT,
        people="carers",
    ),
    Indicator(
        code="support_contacts",
        name=_("Support contacts with informal carers"),
        definition=_("Contacts in which the house supported an informal carer, by kind of support."),
        unit=Unit.COUNT,
        source=Source.CARERS,
        aggregation=Aggregation.SUM,
        numerator=("support_contacts",),
        breakdowns=("support_kind",),
    ),
    Indicator(
        code="waarderingen_awarded",
        name=_("Mantelzorgwaarderingen awarded"),
        definition=_("Applications for the mantelzorgwaardering that were awarded, on the day of the decision."),
        unit=Unit.COUNT,
        source=Source.CARERS,
        aggregation=Aggregation.SUM,
        numerator=("waarderingen_awarded",),
    ),
    Indicator(
        code="help_requests_matched",
        name=_("Burenhulp requests matched"),
        definition=_("Burenhulp requests for which a volunteer was found, on the day of the match."),
        unit=Unit.COUNT,
        source=Source.NEIGHBOUR_HELP,
        aggregation=Aggregation.SUM,
        numerator=("help_requests_matched",),
    ),
    Indicator(
        code="help_requests_completed",
        name=_("Burenhulp requests completed"),
        definition=_("Burenhulp requests closed as done (the help was given), on the day they were closed."),
        unit=Unit.COUNT,
        source=Source.NEIGHBOUR_HELP,
        aggregation=Aggregation.SUM,
        numerator=("help_requests_completed",),
    ),
)

BY_CODE: dict[str, Indicator] = {indicator.code: indicator for indicator in INDICATORS}
INDICATOR_CHOICES = [(indicator.code, indicator.name) for indicator in INDICATORS]

# Measures that are not indicators themselves but say how far to trust them (data completeness).
COMPLETENESS_MEASURES = (
    "sessions_not_closed",  # sessions held in the past that nobody closed out
    "open_days_without_count",  # days a place was open without a single door count
)


def get(code: str) -> Indicator:
    return BY_CODE[code]
