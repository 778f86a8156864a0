"""Forms of volunteering: rosters. They only read and check input; the services decide."""

from django import forms
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from huizen.forms import DateField, PlainText, TimeInput

from ..models import VolunteerRole

WEEKDAYS = [
    (0, _("Monday")),
    (1, _("Tuesday")),
    (2, _("Wednesday")),
    (3, _("Thursday")),
    (4, _("Friday")),
    (5, _("Saturday")),
    (6, _("Sunday")),
]

PEOPLE_ERRORS = {
    "required": _("Enter how many people are needed, from 1 to 50."),
    "invalid": _("Enter a whole number, from 1 to 50."),
    "min_value": _("Enter a number from 1 to 50."),
    "max_value": _("Enter a number from 1 to 50."),
}
TIME_ERRORS = {"required": _("Enter a time, such as 09:00."), "invalid": _("Enter a time, such as 09:00.")}


class _ShiftFields(PlainText, forms.Form):
    title = forms.CharField(
        label=_("Name of the shift"),
        max_length=100,
        help_text=_("For example: Host at the door, morning."),
        error_messages={"required": _("Enter a name for the shift.")},
    )
    place = forms.ModelChoiceField(
        label=_("Place"),
        queryset=None,
        error_messages={"required": _("Choose a place."), "invalid_choice": _("Choose a place of this house.")},
    )
    role = forms.ChoiceField(
        label=_("Role"), choices=VolunteerRole.choices, error_messages={"required": _("Choose a role.")}
    )
    start_time = forms.TimeField(label=_("From"), widget=TimeInput(), error_messages=TIME_ERRORS)
    end_time = forms.TimeField(
        label=pgettext_lazy("end time of a shift", "Until"), widget=TimeInput(), error_messages=TIME_ERRORS
    )
    people_needed = forms.IntegerField(
        label=_("People needed"),
        min_value=1,
        max_value=50,
        initial=1,
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
        error_messages=PEOPLE_ERRORS,
    )
    activity = forms.ModelChoiceField(
        label=_("Helpers of the activity"),
        queryset=None,
        required=False,
        help_text=_("Only when these are the helpers of one of the house's activities."),
        error_messages={"invalid_choice": _("Choose an activity of this house.")},
    )

    def __init__(self, *args, house, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["place"].queryset = house.places.order_by("name")
        # One line per activity that still runs (an activity is a row per season: the ended ones would repeat
        # every title); the activity already chosen stays in the list.
        current = self.initial.get("activity")
        still_runs = Q(until__isnull=True) | Q(until__gte=timezone.localdate())
        if current:
            still_runs |= Q(pk=getattr(current, "pk", current))
        self.fields["activity"].queryset = house.activities.filter(still_runs).distinct().order_by("title", "pk")

    def clean(self):
        data = super().clean()
        start, end = data.get("start_time"), data.get("end_time")
        if start and end and end <= start:
            self.add_error("end_time", _("The end must be after the start."))
        return data


class ShiftPatternForm(_ShiftFields):
    weekday = forms.TypedChoiceField(
        label=_("Day of the week"), choices=WEEKDAYS, coerce=int, error_messages={"required": _("Choose a day.")}
    )
    valid_from = DateField(
        label=_("First day"),
        error_messages={"required": _("Enter the first day."), "invalid": _("Enter a date, such as 7-12-2026.")},
    )
    valid_until = DateField(
        label=_("Last day"),
        required=False,
        help_text=_("Leave empty when the shift goes on every week."),
        error_messages={"invalid": _("Enter a date, such as 7-12-2026.")},
    )
    field_order = [
        "title",
        "place",
        "role",
        "weekday",
        "start_time",
        "end_time",
        "people_needed",
        "valid_from",
        "valid_until",
        "activity",
    ]

    def clean(self):
        data = super().clean()
        first, last = data.get("valid_from"), data.get("valid_until")
        if first and last and last < first:
            self.add_error("valid_until", _("The last day cannot be before the first day."))
        return data


class ShiftForm(_ShiftFields):
    date = DateField(
        label=_("Date"),
        error_messages={"required": _("Enter the date."), "invalid": _("Enter a date, such as 7-12-2026.")},
    )
    field_order = ["title", "place", "role", "date", "start_time", "end_time", "people_needed", "activity"]


class PatternEndForm(forms.Form):
    last_day = DateField(
        label=_("Last day of this weekly shift"),
        error_messages={"required": _("Enter the last day."), "invalid": _("Enter a date, such as 7-12-2026.")},
    )


class AssignForm(forms.Form):
    volunteer = forms.ModelChoiceField(
        label=_("Volunteer"),
        queryset=None,
        widget=forms.RadioSelect,
        error_messages={
            "required": _("Choose a volunteer."),
            "invalid_choice": _("Choose one of the volunteers in the list."),
        },
    )

    def __init__(self, *args, volunteers, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["volunteer"].queryset = volunteers
