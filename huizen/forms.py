"""Form helpers shared by the apps: date and time pickers, a sanity check on dates, service errors on forms."""

import datetime as dt

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

CHECKBOX = {"class": "utrecht-checkbox utrecht-checkbox--html-input utrecht-checkbox--custom"}
FIRST_DAY, LAST_DAY = dt.date(2000, 1, 1), dt.date(2099, 12, 31)


def sensible_date(value: dt.date) -> None:
    """Dates far from now are typing errors (and 31-12-9999 has no next day to compute with)."""
    if not FIRST_DAY <= value <= LAST_DAY:
        raise ValidationError(_("Choose a date between 2000 and 2099."), code="out_of_range")


DATE_CHECKS = [sensible_date]


class DateInput(forms.DateInput):
    """The browser's date picker; it sends and shows dates as YYYY-MM-DD."""

    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs=attrs, format="%Y-%m-%d")


class TimeInput(forms.TimeInput):
    """The browser's time picker in steps of a quarter of an hour."""

    input_type = "time"

    def __init__(self, attrs=None):
        super().__init__(attrs={"step": 900, **(attrs or {})}, format="%H:%M")


def add_service_errors(form: forms.Form, error: ValidationError, *, general_field: str | None = None) -> None:
    """Show a service's ValidationError on `form`: at the field it names when the form has that field, else at
    `general_field` (when given and on the form), else above the form."""
    fallback = general_field if general_field in form.fields else None
    if hasattr(error, "error_dict"):
        for field, errors in error.error_dict.items():
            form.add_error(field if field in form.fields else fallback, errors)
    else:
        form.add_error(fallback, error.messages)
