"""Forms of the house side of room rental: the coordinator's filters, reasons, booking on behalf, calendar and export.

They parse and check input; the rules of renting live in `services`."""

import datetime as dt
from decimal import Decimal
from types import SimpleNamespace

import django_filters
from django import forms
from django.utils import timezone
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from huizen.forms import DATE_CHECKS, DateInput, PlainText, TimeInput
from locations.models import RenterTier

from . import selectors

MAX_PERIOD_DAYS = 366


class RoomChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.name} ({obj.place.name})"


def check_period(form: forms.Form, first_name: str, last_name: str) -> None:
    first, last = form.cleaned_data.get(first_name), form.cleaned_data.get(last_name)
    if first and last:
        if last < first:
            form.add_error(last_name, _("The end date must be on or after the start date."))
        elif (last - first).days >= MAX_PERIOD_DAYS:
            form.add_error(last_name, _("Choose at most a year at a time."))


class PeriodFilterForm(forms.Form):
    def clean(self):
        cleaned = super().clean()
        check_period(self, "van", "tot")
        return cleaned


class HouseBookingFilter(django_filters.FilterSet):
    """Room and period of the requests page, on `selectors.house_bookings(house)`."""

    ruimte = django_filters.ModelChoiceFilter(
        field_name="room", queryset=None, label=_("Room"), empty_label=_("All rooms")
    )
    van = django_filters.DateFilter(
        method="filter_nothing", label=_("Starting from"), widget=DateInput, validators=DATE_CHECKS
    )
    tot = django_filters.DateFilter(
        method="filter_nothing", label=_("Up to and including"), widget=DateInput, validators=DATE_CHECKS
    )

    class Meta:
        fields: list[str] = []
        form = PeriodFilterForm

    def __init__(self, data=None, queryset=None, *, house, **kwargs):
        super().__init__(data, queryset, **kwargs)
        self.filters["ruimte"].queryset = selectors.house_rooms(house)
        self.filters["ruimte"].field_class = RoomChoiceField

    def filter_nothing(self, queryset, name, value):
        """The dates act together, in `filter_queryset`."""
        return queryset

    def period(self) -> tuple[dt.date | None, dt.date | None]:
        """The chosen first and last day (either may be None); call after validation."""
        if not self.is_bound or not self.is_valid():
            return None, None
        return self.form.cleaned_data.get("van"), self.form.cleaned_data.get("tot")

    def filter_queryset(self, queryset):
        first, last = self.period()
        queryset = selectors.house_bookings_starting(queryset, first=first, last=last)
        return super().filter_queryset(queryset)


REASON_ERRORS = {"required": _("Give a reason; the renter will read it.")}


class ReasonForm(PlainText, forms.Form):
    reason = forms.CharField(
        label=_("Reason"),
        max_length=300,
        help_text=_("The renter reads this in the e-mail we send."),
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages=REASON_ERRORS,
    )


class BookOnBehalfForm(PlainText, forms.Form):
    """A booking for someone who phoned or came by. `house` limits the rooms to that house's bookable rooms."""

    room = RoomChoiceField(
        label=_("Room"),
        queryset=None,
        empty_label=_("Choose a room"),
        error_messages={"invalid_choice": _("Choose one of the rooms of this house.")},
    )
    date = forms.DateField(label=_("Date"), widget=DateInput(), validators=DATE_CHECKS)
    start = forms.TimeField(label=_("Starts at"), widget=TimeInput())
    end = forms.TimeField(label=_("Ends at"), widget=TimeInput())
    tier = forms.ChoiceField(
        label=_("Renter tier"),
        choices=[("", _("Choose who rents the room"))]
        + [(value, capfirst(label)) for value, label in RenterTier.choices],
        help_text=_("This sets the price."),
    )
    purpose = forms.CharField(label=_("Purpose"), max_length=200, help_text=_("What the room is for."))
    people = forms.IntegerField(
        label=_("Number of people"),
        min_value=1,
        error_messages={"min_value": _("Enter the number of people: at least 1.")},
    )
    contact_name = forms.CharField(label=_("Name of the renter"), max_length=150)
    contact_phone = forms.CharField(
        label=_("Phone number"),
        max_length=20,
        required=False,
        help_text=_("A phone number or an e-mail address, so the house can reach them."),
    )
    contact_email = forms.EmailField(
        label=_("E-mail address"),
        required=False,
        help_text=_("With an e-mail address they get a confirmation."),
    )

    def __init__(self, *args, house, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["room"].queryset = selectors.house_bookable_rooms(house)

    def clean(self):
        cleaned = super().clean()
        if not cleaned.get("contact_phone") and not cleaned.get("contact_email") and "contact_email" not in self.errors:
            self.add_error("contact_phone", _("Enter a phone number or an e-mail address to reach them."))
        return cleaned

    def bounds(self) -> tuple[dt.datetime, dt.datetime]:
        """Start and end as aware datetimes: wall-clock times in Amsterdam on the chosen day."""
        zone = timezone.get_default_timezone()
        day = self.cleaned_data["date"]
        return (
            dt.datetime.combine(day, self.cleaned_data["start"], tzinfo=zone),
            dt.datetime.combine(day, self.cleaned_data["end"], tzinfo=zone),
        )

    def service_arguments(self) -> dict:
        data = self.cleaned_data
        start, end = self.bounds()
        return {
            "room": data["room"],
            "start": start,
            "end": end,
            "tier": data["tier"],
            "purpose": data["purpose"],
            "people": data["people"],
            "contact_name": data["contact_name"],
            "contact_phone": data["contact_phone"],
            "contact_email": data["contact_email"],
        }


class View:
    DAY = "dag"
    WEEK = "week"
    CHOICES = [(WEEK, _("Week")), (DAY, _("Day"))]


class CalendarForm(forms.Form):
    """Which place, which day and whether to show that day or its week (Monday to Sunday)."""

    plaats = forms.ModelChoiceField(
        label=_("Place"),
        queryset=None,
        required=False,
        empty_label=None,
        error_messages={"invalid_choice": _("Choose one of the places of this house.")},
    )
    dag = forms.DateField(label=_("Day"), required=False, widget=DateInput(), validators=DATE_CHECKS)
    weergave = forms.ChoiceField(label=_("Show"), choices=View.CHOICES, required=False)

    def __init__(self, *args, house, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["plaats"].queryset = selectors.house_places(house)


class ExportForm(forms.Form):
    """The period of an export and its format. By default the export holds what the house invoices."""

    CSV = "csv"
    XLSX = "xlsx"

    van = forms.DateField(label=_("From"), widget=DateInput(), validators=DATE_CHECKS)
    tot = forms.DateField(label=_("Up to and including"), widget=DateInput(), validators=DATE_CHECKS)
    formaat = forms.ChoiceField(
        label=_("Format"),
        choices=[(CSV, _("CSV (for Excel and other spreadsheets)")), (XLSX, _("Excel workbook (XLSX)"))],
        required=False,
    )
    alle = forms.BooleanField(
        label=_("Every status: also requests waiting, rejected bookings and free cancellations"),
        required=False,
    )

    def clean(self):
        cleaned = super().clean()
        check_period(self, "van", "tot")
        cleaned["formaat"] = cleaned.get("formaat") or self.CSV
        return cleaned


class HouseTermsForm(PlainText, forms.ModelForm):
    """The house's rental terms. Saved through `locations.services.rental_terms_update`, never with `save()`."""

    class Meta:
        from locations.models import House

        model = House
        fields = ["cancellation_days", "party_deposit", "house_rules"]
        widgets = {"house_rules": forms.Textarea(attrs={"rows": 5})}


class RoomTermsForm(PlainText, forms.ModelForm):
    """One room's rental rules. Saved through `locations.services.rental_terms_update`, never with `save()`."""

    class Meta:
        from locations.models import Room

        model = Room
        fields = ["requires_approval", "evening_use", "min_booking_minutes", "max_booking_minutes", "book_ahead_days"]


# --- Rate cards (issue 9, coordinators) -------------------------------------------------------------------

RATE_MAX = Decimal("10000")


class AmountField(forms.DecimalField):
    """An amount in euros with at most two decimals, 0 to RATE_MAX. A decimal comma is read as a point."""

    def __init__(self, **kwargs):
        super().__init__(
            required=False,
            min_value=Decimal("0"),
            max_value=RATE_MAX,
            max_digits=7,
            decimal_places=2,
            widget=forms.NumberInput(attrs={"step": "0.01", "min": "0", "inputmode": "decimal"}),
            error_messages={
                "invalid": _("Enter an amount in euros, such as 12.50."),
                "min_value": _("An amount cannot be below 0."),
                "max_value": _("Enter an amount of at most 10,000 euros."),
                "max_digits": _("Enter an amount of at most 10,000 euros."),
                "max_whole_digits": _("Enter an amount of at most 10,000 euros."),
                "max_decimal_places": _("Enter at most 2 decimals (whole cents)."),
            },
            **kwargs,
        )

    def to_python(self, value):
        if isinstance(value, str):
            value = value.strip().replace(",", ".")
            if len(value) > 20:  # no amount up to 10,000 needs more; "1e999999" and worse are typing errors
                raise forms.ValidationError(self.error_messages["max_value"], code="max_value")
        return super().to_python(value)


class RoomRatesForm(forms.Form):
    """The rate card of one room: per renter tier an amount per hour and per day part (4 hours). Both empty: the
    room is not rented to that tier. Saved through `locations.services.room_rates_update`."""

    def __init__(self, *args, room, **kwargs):
        self.room = room
        rates = {rate.tier: rate for rate in room.rates.all()}
        initial = {}
        for tier in RenterTier.values:
            if tier in rates:
                initial[f"{tier}-per_hour"] = rates[tier].per_hour
                initial[f"{tier}-per_day_part"] = rates[tier].per_day_part
        super().__init__(*args, initial=initial, **kwargs)
        for tier in RenterTier.values:
            self.fields[f"{tier}-per_hour"] = AmountField(label=_("Per hour (euros)"))
            self.fields[f"{tier}-per_day_part"] = AmountField(label=_("Per day part of 4 hours (euros)"))

    def tiers(self):
        """Per renter tier its label and its two fields, for the template."""
        return [
            (value, capfirst(label), self[f"{value}-per_hour"], self[f"{value}-per_day_part"])
            for value, label in RenterTier.choices
        ]

    def clean(self):
        cleaned = super().clean()
        for tier in RenterTier.values:
            names = (f"{tier}-per_hour", f"{tier}-per_day_part")
            if any(name in self.errors for name in names):
                continue
            values = [cleaned.get(name) for name in names]
            if (values[0] is None) != (values[1] is None):
                missing = names[0] if values[0] is None else names[1]
                self.add_error(
                    missing,
                    _("Enter both amounts, or leave both empty when this room is not rented to these renters."),
                )
        return cleaned

    def rates(self) -> dict[str, tuple[Decimal, Decimal] | None]:
        """Per tier (per hour, per day part), or None when the room is not rented to it; call after validation."""
        result = {}
        for tier in RenterTier.values:
            per_hour = self.cleaned_data.get(f"{tier}-per_hour")
            per_day_part = self.cleaned_data.get(f"{tier}-per_day_part")
            result[tier] = None if per_hour is None else (per_hour, per_day_part)
        return result


class RequestEmailsForm(forms.Form):
    """The coordinator switches the e-mail about each new request of the house on ("aan") or off ("uit")."""

    email = forms.TypedChoiceField(
        choices=[("aan", "aan"), ("uit", "uit")],  # never shown: the page has one button
        coerce=lambda value: value == "aan",
        error_messages={
            "required": _("Choose whether you want these e-mails."),
            "invalid_choice": _("Choose whether you want these e-mails."),
        },
    )


class RateCardErrors:
    """The errors of every room's rate form as one form for the error summary (fragments/form_errors.html): each
    field named by its room, its renters and its amount, as the page has four "per hour" fields a room."""

    prefix = "rates"

    def __init__(self, rate_forms):
        self.rate_forms = rate_forms
        self.errors = {
            f"{form.prefix}-{name}": errors for _room, form in rate_forms for name, errors in form.errors.items()
        }

    def non_field_errors(self):
        return [f"{room.name}: {error}" for room, form in self.rate_forms for error in form.non_field_errors()]

    def visible_fields(self):
        return [
            SimpleNamespace(
                auto_id=field.auto_id, label=f"{room.name}, {label}, {field.label.lower()}", errors=field.errors
            )
            for room, form in self.rate_forms
            for _tier, label, per_hour, per_day_part in form.tiers()
            for field in (per_hour, per_day_part)
        ]

    def hidden_fields(self):
        return []
