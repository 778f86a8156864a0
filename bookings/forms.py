"""Forms of room rental. They parse and check the input; the rules of a room live in `services`."""

import datetime as dt

from django import forms
from django.core.exceptions import ValidationError
from django.utils.functional import lazy
from django.utils.translation import gettext_lazy as _

from huizen.forms import CHECKBOX, DATE_CHECKS, DateInput, PlainText, TimeInput
from huizen.forms import add_service_errors as shared_add_service_errors
from locations.models import RenterTier
from locations.services import RoomTaken

from .filters import local_datetime
from .services import MAX_SERIES_WEEKS

RADIO = {"class": "utrecht-radio-button utrecht-radio-button--html-input"}

# Who rents the room, in the order a resident reads them, each with one line to choose by.
TIER_CHOICES = [
    (RenterTier.RESIDENT, _("Private resident")),
    (RenterTier.INITIATIVE, _("Resident initiative, open to the neighbourhood")),
    (RenterTier.SOCIAL, _("Social organisation")),
    (RenterTier.COMMERCIAL, _("Commercial")),
]
TIER_EXPLANATIONS = {
    RenterTier.RESIDENT: _("You rent the room for yourself, for example for a birthday or a family gathering."),
    RenterTier.INITIATIVE: _(
        "Residents organise an activity that everyone in the neighbourhood may join; usually free of charge."
    ),
    RenterTier.SOCIAL: _("A foundation, association or other non-profit organisation working for the neighbourhood."),
    RenterTier.COMMERCIAL: _("A company, or an activity to earn money, such as a paid course."),
}


def _with_max_weeks(message) -> str:
    return str(message) % {"max": MAX_SERIES_WEEKS}


with_max_weeks = lazy(_with_max_weeks, str)  # translated when shown, in the language of the request


def add_service_errors(form: forms.Form, error: ValidationError) -> None:
    """As `huizen.forms.add_service_errors`; a room that is already in use is shown at the start time."""
    shared_add_service_errors(form, error, general_field="start" if isinstance(error, RoomTaken) else None)


class BookingRequestForm(PlainText, forms.Form):
    """A resident's request for a room: when, for what and for how many, who rents it, once or weekly."""

    date = forms.DateField(
        label=_("Date"),
        widget=DateInput(),
        validators=DATE_CHECKS,
        error_messages={"required": _("Enter the date."), "invalid": _("Enter a date, such as 2026-03-17.")},
    )
    start = forms.TimeField(
        label=_("From"),
        widget=TimeInput(),
        error_messages={"required": _("Enter the start time."), "invalid": _("Enter a time, such as 10:00.")},
    )
    end = forms.TimeField(
        label=_("Until"),
        widget=TimeInput(),
        error_messages={"required": _("Enter the end time."), "invalid": _("Enter a time, such as 12:00.")},
    )
    purpose = forms.CharField(
        label=_("What is the room for?"),
        max_length=200,
        help_text=_("For example: a meeting of the residents' committee, a birthday, a sewing class."),
        error_messages={"required": _("Say what the room is for.")},
    )
    people = forms.IntegerField(
        label=_("Number of people"),
        min_value=1,
        max_value=10000,
        help_text=_("How many people you expect, yourself included."),
        error_messages={
            "required": _("Enter the number of people: at least 1."),
            "min_value": _("Enter the number of people: at least 1."),
            "invalid": _("Enter the number of people as a whole number."),
        },
    )
    tier = forms.ChoiceField(
        label=_("Who rents the room?"),
        choices=TIER_CHOICES,
        widget=forms.RadioSelect(attrs=RADIO),
        help_text=_("This sets the price."),
        error_messages={"required": _("Choose who rents the room."), "invalid_choice": _("Choose who rents the room.")},
    )
    weeks = forms.IntegerField(
        label=_("Number of weeks"),
        min_value=1,
        max_value=MAX_SERIES_WEEKS,
        initial=1,
        help_text=with_max_weeks(_("1 is once. More: the same day and time every week, up to %(max)s weeks.")),
        error_messages={
            "required": _("Enter the number of weeks: 1 for once."),
            "min_value": with_max_weeks(_("Book 1 to %(max)s weeks at a time.")),
            "max_value": with_max_weeks(_("Book 1 to %(max)s weeks at a time.")),
            "invalid": _("Enter the number of weeks as a whole number."),
        },
    )
    rules_accepted = forms.BooleanField(
        label=_("I have read the house rules and accept them"),
        widget=forms.CheckboxInput(attrs=CHECKBOX),
        error_messages={"required": _("Accept the house rules to book.")},
    )

    def clean_purpose(self):
        purpose = self.cleaned_data.get("purpose", "").strip()
        if not purpose:
            raise ValidationError(_("Say what the room is for."))
        return purpose

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("start"), cleaned.get("end")
        if start and end and end <= start:
            self.add_error("end", _("The end must be after the start, on the same day."))
        return cleaned

    @property
    def start_at(self) -> dt.datetime:
        return local_datetime(self.cleaned_data["date"], self.cleaned_data["start"])

    @property
    def end_at(self) -> dt.datetime:
        return local_datetime(self.cleaned_data["date"], self.cleaned_data["end"])

    def tier_options(self):
        """The radio buttons of the tier with their one-line explanation."""
        return [(choice, TIER_EXPLANATIONS[choice.data["value"]]) for choice in self["tier"]]
