"""Forms of the programme and signal pages. They parse and check input; the rules live in `services`."""

import datetime as dt

import django_filters
from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from huizen.forms import DateField, DateFilter, PlainText, TimeInput
from locations.models import Weekday

from .models import Category, Organiser, Signal, TargetGroup

CHECKBOX = {"class": "utrecht-checkbox utrecht-checkbox--html-input utrecht-checkbox--custom"}
RADIO = {"class": "utrecht-radio-button utrecht-radio-button--html-input"}
MAX_INTERVAL_WEEKS = 8
DESCRIPTION_MAX_LENGTH = 10_000  # as activities.services checks it


# Activities start on any five minutes (19:05 happens); bookings keep to quarter hours.
FIVE_MINUTES = {"step": 300}


def one_year_after(day: dt.date) -> dt.date:
    try:
        return day.replace(year=day.year + 1)
    except ValueError:  # 29 February
        return day.replace(year=day.year + 1, day=28)


class RoomChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.name} ({obj.place.name})"


class ActivityForm(PlainText, forms.Form):
    """Plan an activity, once or weekly. `house` limits the places and rooms to that house's own."""

    REPEAT_NONE = "none"
    REPEAT_WEEKLY = "weekly"

    title = forms.CharField(label=_("Title"), max_length=150)
    description = forms.CharField(
        label=_("Description"),
        required=False,
        max_length=DESCRIPTION_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("What residents can expect; shown in the agenda."),
    )
    category = forms.ChoiceField(label=_("Category"), choices=[("", _("Choose a category"))] + Category.choices)
    target_groups = forms.MultipleChoiceField(
        label=_("For whom"),
        choices=TargetGroup.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple(attrs=CHECKBOX),
    )
    organiser = forms.ChoiceField(
        label=_("Organised by"),
        choices=Organiser.choices,
        initial=Organiser.PROFESSIONAL,
        widget=forms.RadioSelect(attrs=RADIO),
    )
    partner_name = forms.CharField(
        label=_("Name of the partner organisation"),
        max_length=150,
        required=False,
        help_text=_("Required when a partner organisation organises the activity."),
    )
    place = forms.ModelChoiceField(
        label=_("Place"),
        queryset=None,
        empty_label=_("Choose a place"),
        error_messages={"invalid_choice": _("Choose one of the places of this house.")},
    )
    room = RoomChoiceField(
        label=_("Room"),
        queryset=None,
        required=False,
        empty_label=_("No room"),
        help_text=_("The room is reserved for every session; the plan is refused if it is already in use."),
        error_messages={"invalid_choice": _("Choose one of the rooms of this house.")},
    )
    capacity = forms.IntegerField(
        label=_("Number of places"),
        required=False,
        min_value=1,
        help_text=_("Leave empty when there is no limit."),
        error_messages={"min_value": _("Enter at least 1 place, or leave it empty when there is no limit.")},
    )
    price = forms.DecimalField(
        label=_("Price in euros"),
        min_value=0,
        max_digits=7,
        decimal_places=2,
        initial=0,
        help_text=_("0 means free of charge."),
        error_messages={"min_value": _("The price cannot be negative. Enter 0 when it is free.")},
    )
    registration_required = forms.BooleanField(label=_("Residents register in advance"), required=False)
    first_date = DateField(label=_("First day"))
    start_time = forms.TimeField(label=_("Starts at"), widget=TimeInput(attrs=FIVE_MINUTES))
    end_time = forms.TimeField(label=_("Ends at"), widget=TimeInput(attrs=FIVE_MINUTES))
    repeat = forms.ChoiceField(
        label=_("Repeat"),
        choices=[(REPEAT_NONE, _("Does not repeat")), (REPEAT_WEEKLY, _("Weekly, on the days chosen below"))],
        initial=REPEAT_NONE,
        widget=forms.RadioSelect(attrs=RADIO),
    )
    weekdays = forms.TypedMultipleChoiceField(
        label=_("On these days"),
        choices=Weekday.choices,
        coerce=int,
        required=False,
        widget=forms.CheckboxSelectMultiple(attrs=CHECKBOX),
    )
    interval_weeks = forms.IntegerField(
        label=_("Every how many weeks"),
        required=False,
        min_value=1,
        max_value=MAX_INTERVAL_WEEKS,
        initial=1,
        help_text=_("1 is every week, 2 every other week; at most 8."),
        error_messages={
            "min_value": _("Enter a number from 1 to 8."),
            "max_value": _("Enter a number from 1 to 8."),
        },
    )
    until = DateField(
        label=_("Repeat until"),
        required=False,
        help_text=_("The last day it may take place, at most one year after the first day."),
    )
    skip_holidays = forms.BooleanField(label=_("Skip public holidays"), required=False, initial=True)

    def __init__(self, *args, places, rooms, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["place"].queryset = places
        self.fields["room"].queryset = rooms

    def clean(self):
        data = super().clean()
        organiser, partner_name = data.get("organiser"), (data.get("partner_name") or "").strip()
        if organiser == Organiser.PARTNER and not partner_name:
            self.add_error("partner_name", _("Enter the name of the partner organisation."))
        if organiser != Organiser.PARTNER:
            data["partner_name"] = ""
        place, room = data.get("place"), data.get("room")
        if place is not None and room is not None and room.place_id != place.pk:
            self.add_error(
                "room",
                _("This room is not in the place you chose. Choose a room of %(place)s.") % {"place": place.name},
            )
        start, end = data.get("start_time"), data.get("end_time")
        if start is not None and end is not None and end <= start:
            self.add_error("end_time", _("The end time must be after the start time."))
        first, until = data.get("first_date"), data.get("until")
        if data.get("repeat") == self.REPEAT_WEEKLY:
            if not data.get("weekdays") and "weekdays" not in self.errors:
                self.add_error("weekdays", _("Choose at least one day of the week."))
            if until is None and "until" not in self.errors:
                self.add_error("until", _("Choose the last day the activity repeats."))
            elif until is not None and first is not None:
                if until < first:
                    self.add_error("until", _("The last day cannot be before the first day."))
                elif until > one_year_after(first):
                    self.add_error(
                        "until",
                        _("Plan at most one year ahead: until %(day)s at the latest.")
                        % {"day": one_year_after(first).strftime("%d-%m-%Y")},
                    )
        else:
            data["weekdays"], data["interval_weeks"], data["until"] = [], 1, None
        return data

    def service_arguments(self) -> dict:
        """The cleaned data as the keyword arguments of `services.activity_create`."""
        data = dict(self.cleaned_data)
        data.pop("repeat")
        data["capacity"] = data.get("capacity")
        data["interval_weeks"] = data.get("interval_weeks") or 1
        return data


class SessionCancelForm(PlainText, forms.Form):
    reason = forms.CharField(
        label=_("Reason"),
        max_length=200,
        help_text=_("Residents see this reason in the agenda, for example: the teacher is ill."),
        error_messages={"required": _("Give a reason; residents will see it.")},
    )


class SessionMoveForm(PlainText, forms.Form):
    date = DateField(label=_("New date"))
    start_time = forms.TimeField(label=_("Starts at"), widget=TimeInput(attrs=FIVE_MINUTES))
    end_time = forms.TimeField(label=_("Ends at"), widget=TimeInput(attrs=FIVE_MINUTES))
    reason = forms.CharField(
        label=_("Reason"),
        max_length=200,
        help_text=_("Residents see this reason in the agenda, for example: moved because of the neighbourhood party."),
        error_messages={"required": _("Give a reason; residents will see it.")},
    )

    def clean(self):
        data = super().clean()
        start, end = data.get("start_time"), data.get("end_time")
        if start is not None and end is not None and end <= start:
            self.add_error("end_time", _("The end time must be after the start time."))
        return data


class ActivityEditForm(PlainText, forms.Form):
    """Change what residents see of an activity, and the room of its coming sessions. `rooms` are the rooms of
    the activity's own place."""

    # The same fields as when the activity was planned (each form gets its own copy of a field).
    title = ActivityForm.base_fields["title"]
    description = ActivityForm.base_fields["description"]
    target_groups = ActivityForm.base_fields["target_groups"]
    capacity = forms.IntegerField(
        label=_("Number of places"),
        required=False,
        min_value=1,
        max_value=10_000,
        help_text=_(
            "Leave empty when there is no limit. With fewer places than people registered, nobody loses their "
            "place: new registrations go to the waiting list."
        ),
        error_messages={
            "min_value": _("Enter at least 1 place, or leave it empty when there is no limit."),
            "max_value": _("Enter at most 10000 places."),
        },
    )
    room = RoomChoiceField(
        label=_("Room for the coming sessions"),
        queryset=None,
        required=False,
        empty_label=_("No room"),
        help_text=_("Sessions that have started or are cancelled keep their room. It must be free for the others."),
        error_messages={"invalid_choice": _("Choose one of the rooms of this place.")},
    )

    def __init__(self, *args, rooms, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["room"].queryset = rooms


class ActivityEndSeriesForm(PlainText, forms.Form):
    from_date = DateField(
        label=_("Cancel from this day on"),
        help_text=_("Sessions on this day and later are cancelled; earlier sessions stay."),
    )
    reason = forms.CharField(
        label=_("Reason"),
        max_length=200,
        help_text=_("Residents see this reason in the agenda, for example: the course is over."),
        error_messages={"required": _("Give a reason; residents will see it.")},
    )


class DoorLogDayForm(forms.Form):
    """The period of the door log: a day, the week (Monday to Sunday) or the month around `datum`."""

    DAY, WEEK, MONTH = "dag", "week", "maand"
    CSV, XLSX = "csv", "xlsx"

    datum = DateField(label=_("Date"), required=False)
    periode = forms.ChoiceField(
        label=_("Period"),
        required=False,
        choices=[(DAY, _("Day")), (WEEK, _("Week")), (MONTH, _("Month"))],
        error_messages={"invalid_choice": _("Choose a day, week or month.")},
    )


class SignalForm(PlainText, forms.Form):
    """Record a signal: what it is about and where it went, never who."""

    date = DateField(label=_("Date"))
    theme = forms.ChoiceField(label=_("Theme"), choices=[("", _("Choose a theme"))] + Signal.Theme.choices)
    referred_to = forms.ChoiceField(
        label=_("Passed on to"),
        choices=Signal.Referral.choices,
        required=False,
        help_text=_("Only with the person's consent."),
    )
    consent = forms.BooleanField(label=_("The person agreed to pass it on"), required=False)
    follow_up = forms.ChoiceField(label=_("Follow-up"), choices=Signal.FollowUp.choices, initial=Signal.FollowUp.OPEN)
    remark = forms.CharField(
        label=_("Remark"),
        max_length=300,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_(
            "Describe the situation in general words. Do not write names, addresses, phone numbers, "
            "e-mail addresses, citizen service numbers (BSN) or diagnoses."
        ),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        today = timezone.localdate()
        self.fields["date"].initial = today
        self.fields["date"].widget.attrs["max"] = today.isoformat()


class SignalFollowUpForm(forms.Form):
    follow_up = forms.ChoiceField(label=_("Follow-up"), choices=Signal.FollowUp.choices)


class SignalFilter(django_filters.FilterSet):
    """Filters of the signal list. Works on `selectors.signals_for_house`."""

    theme = django_filters.ChoiceFilter(choices=Signal.Theme.choices, label=_("Theme"), empty_label=_("All themes"))
    follow_up = django_filters.ChoiceFilter(
        choices=Signal.FollowUp.choices, label=_("Follow-up"), empty_label=_("Any follow-up")
    )
    month = DateFilter(
        method="filter_month",
        label=_("Month"),
        input_formats=["%Y-%m"],
        widget=forms.DateInput(attrs={"type": "month"}, format="%Y-%m"),
        help_text=_("For example 2027-03."),
        error_messages={"invalid": _("Enter a month as year and month, for example 2027-03.")},
    )

    class Meta:
        model = Signal
        fields: list[str] = []

    def filter_month(self, queryset, name, value):
        first = value.replace(day=1)
        following = (first + dt.timedelta(days=32)).replace(day=1)
        return queryset.filter(date__gte=first, date__lt=following)
