"""Forms of volunteering: hours and allowance. They read and check the input; the rules live in the services."""

import datetime as dt
from decimal import Decimal

from django import forms
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from huizen.forms import DateField, PlainText

from ..models import Volunteer
from ..selectors.people import name_details


def _month_choices():
    return [(number, date_format(dt.date(2000, number, 1), "F").capitalize()) for number in range(1, 13)]


def _whole(message) -> dict:
    """The same clear message for a whole number that is not one or out of range (Django's own reads
    "hoogstens 24" or "minstens 0.01", with a decimal point)."""
    return {"invalid": message, "min_value": message, "max_value": message}


def _decimal(message, too_long) -> dict:
    return {
        "invalid": message,
        "min_value": message,
        "max_decimal_places": _("Use at most 2 digits after the decimal point."),
        "max_digits": too_long,
        "max_whole_digits": too_long,
    }


YEAR_ERRORS = _whole(_("Enter a year from 2000 to 2099, for example 2026."))


class HoursForm(PlainText, forms.Form):
    """ "Uren doorgeven": the house (when the volunteer has more than one), the day, hours and minutes, what."""

    huis = forms.ModelChoiceField(queryset=Volunteer.objects.none(), label=_("House"), empty_label=None)
    datum = DateField(label=_("Date"), help_text=_("The day you volunteered: today or earlier."))
    uren = forms.IntegerField(
        label=_("Number of hours"),
        min_value=0,
        max_value=24,
        initial=0,
        error_messages={
            "required": _("Enter the number of hours (0 if it was less than an hour)."),
            **_whole(_("Enter whole hours from 0 to 24, for example 2.")),
        },
    )
    minuten = forms.IntegerField(
        label=_("Minutes"),
        min_value=0,
        max_value=59,
        initial=0,
        required=False,
        error_messages=_whole(_("Enter minutes from 0 to 59, for example 30.")),
        widget=forms.NumberInput(attrs={"step": 1}),
        help_text=_("For example 30 for half an hour."),
    )
    omschrijving = forms.CharField(label=_("What did you do?"), max_length=300)

    def __init__(self, *args, volunteers, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["huis"].queryset = volunteers
        self.fields["huis"].label_from_instance = lambda volunteer: volunteer.house.name
        if len(volunteers) == 1:
            self.fields["huis"].widget = forms.HiddenInput()
            self.fields["huis"].initial = volunteers[0].pk
        self.fields["datum"].widget.attrs["max"] = timezone.localdate().isoformat()

    @property
    def shows_house(self) -> bool:
        return not isinstance(self.fields["huis"].widget, forms.HiddenInput)

    def clean(self):
        data = super().clean()
        hours, minutes = data.get("uren"), data.get("minuten")
        if minutes is None and "minuten" not in self.errors:
            minutes = data["minuten"] = 0  # empty: no minutes
        if hours is not None and minutes is not None:
            total = hours * 60 + minutes
            if not 1 <= total <= 24 * 60:
                self.add_error("uren", _("Enter at least 1 minute and at most 24 hours."))
            data["minutes"] = total
        return data


class RecordHoursForm(HoursForm):
    """The coordinator records hours for one of the house's volunteers: approved at once."""

    def __init__(self, *args, volunteers, **kwargs):
        super().__init__(*args, volunteers=volunteers, **kwargs)
        field = self.fields["huis"]
        field.label, field.widget = _("Volunteer"), forms.Select()
        details = name_details(volunteers)
        field.label_from_instance = lambda volunteer: _volunteer_label(volunteer, details, with_birth=False)
        field.empty_label = "---------"
        # A new widget has no choices: setting the queryset again hands them to it (and the one volunteer of a
        # house is still a choice, not a hidden field).
        field.queryset = volunteers
        self.fields["datum"].help_text = _("The day they volunteered: today or earlier.")
        self.fields["omschrijving"].label = _("What was done")


class DecideForm(PlainText, forms.Form):
    reden = forms.CharField(
        label=_("Reason"),
        max_length=300,
        help_text=_("The volunteer reads it in an e-mail."),
    )


class PeriodForm(forms.Form):
    """The period of the coordinator's overview and export: a month, a quarter or a year."""

    MONTH, QUARTER, YEAR = "maand", "kwartaal", "jaar"
    CSV, XLSX = "csv", "xlsx"

    periode = forms.ChoiceField(
        label=_("Period"), choices=[(MONTH, _("Month")), (QUARTER, _("Quarter")), (YEAR, _("Year"))], initial=MONTH
    )
    jaar = forms.IntegerField(label=_("Year"), min_value=2000, max_value=2099, error_messages=YEAR_ERRORS)
    maand = forms.TypedChoiceField(
        label=_("Month"),
        coerce=int,
        choices=_month_choices,
        help_text=_("For a quarter: any month of it."),
    )
    formaat = forms.ChoiceField(
        label=_("File type"), choices=[(CSV, "CSV"), (XLSX, "Excel (XLSX)")], initial=CSV, required=False
    )

    def period(self) -> tuple[dt.date, dt.date]:
        kind, year, month = self.cleaned_data["periode"], self.cleaned_data["jaar"], self.cleaned_data["maand"]
        if kind == self.YEAR:
            return dt.date(year, 1, 1), dt.date(year, 12, 31)
        if kind == self.QUARTER:
            first_month = (month - 1) // 3 * 3 + 1
            first = dt.date(year, first_month, 1)
            last = (dt.date(year, first_month + 3, 1) if first_month < 10 else dt.date(year + 1, 1, 1)) - dt.timedelta(
                days=1
            )
            return first, last
        first = dt.date(year, month, 1)
        last = (dt.date(year, month + 1, 1) if month < 12 else dt.date(year + 1, 1, 1)) - dt.timedelta(days=1)
        return first, last


class YearForm(forms.Form):
    jaar = forms.IntegerField(label=_("Year"), min_value=2000, max_value=2099, error_messages=YEAR_ERRORS)


def _volunteer_label(volunteer: Volunteer, details: dict[int, str], with_birth: bool = True) -> str:
    """The volunteer's name (with what tells them apart from a namesake); without a date of birth no payment fits
    (the hourly cap depends on the age)."""
    name = str(volunteer)
    if volunteer.pk in details:
        name = _("%(name)s (%(detail)s)") % {"name": name, "detail": details[volunteer.pk]}
    if with_birth and volunteer.date_of_birth is None:
        return _("%(name)s (date of birth missing)") % {"name": name}
    return name


class PaymentForm(forms.Form):
    """An allowance paid to a volunteer for a month. Leave the hours empty for the approved hours of that month
    not paid yet."""

    vrijwilliger = forms.ModelChoiceField(queryset=Volunteer.objects.none(), label=_("Volunteer"))
    jaar = forms.IntegerField(label=_("Year"), min_value=2000, max_value=2099, error_messages=YEAR_ERRORS)
    maand = forms.TypedChoiceField(label=_("Month"), coerce=int, choices=_month_choices)
    uren = forms.DecimalField(
        label=_("Hours it covers"),
        required=False,
        min_value=Decimal("0.01"),
        max_digits=6,
        decimal_places=2,
        localize=True,
        error_messages=_decimal(
            _("Enter the hours as a number above 0, for example 12.5."), _("Enter at most 9999.99 hours.")
        ),
        widget=forms.TextInput(attrs={"inputmode": "decimal"}),
        help_text=_("Leave empty to use the approved hours of that month that are not paid yet."),
    )
    bedrag = forms.DecimalField(
        label=_("Amount in euros"),
        min_value=Decimal("0.01"),
        max_digits=8,
        decimal_places=2,
        localize=True,
        error_messages=_decimal(
            _("Enter the amount in euros above 0, for example 12.50."), _("Enter an amount up to € 999,999.99.")
        ),
        widget=forms.TextInput(attrs={"inputmode": "decimal"}),
    )
    betaald_op = DateField(label=_("Paid on"))

    def __init__(self, *args, volunteers, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["vrijwilliger"].queryset = volunteers
        details = name_details(volunteers)
        self.fields["vrijwilliger"].label_from_instance = lambda volunteer: _volunteer_label(volunteer, details)
        self.fields["betaald_op"].widget.attrs["max"] = timezone.localdate().isoformat()

    def month(self) -> dt.date:
        return dt.date(self.cleaned_data["jaar"], self.cleaned_data["maand"], 1)
