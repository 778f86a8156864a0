"""Form helpers shared by the apps: date and time pickers, a sanity check on dates, service errors on forms."""

import datetime as dt

import django_filters
from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from huizen.text import plain_text, single_line

CHECKBOX = {"class": "utrecht-checkbox utrecht-checkbox--html-input utrecht-checkbox--custom"}
FIRST_DAY, LAST_DAY = dt.date(2000, 1, 1), dt.date(2099, 12, 31)


def sensible_date(value: dt.date) -> None:
    """Dates far from now are typing errors (and 31-12-9999 has no next day to compute with)."""
    if not FIRST_DAY <= value <= LAST_DAY:
        raise ValidationError(_("Choose a date between 2000 and 2099."), code="out_of_range")


DATE_CHECKS = [sensible_date]


class PlainText:
    """Mix into a form (first): its text fields refuse control characters, and a text field that is not a text
    area is single-line. `class MyForm(PlainText, forms.Form)` or `(PlainText, forms.ModelForm)`."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            if isinstance(field, forms.CharField):
                multi_line = isinstance(field.widget, forms.Textarea)
                field.validators.append(plain_text if multi_line else single_line)


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


class DateField(forms.DateField):
    """A date typed or picked in the browser: only dates between 2000 and 2099 (`sensible_date`), so a view can
    compute the next day or midnight of any date it gets. Use it for every date a form reads."""

    default_validators = [sensible_date]

    def __init__(self, *, widget=None, **kwargs):
        super().__init__(widget=widget or DateInput(), **kwargs)


class DateFilter(django_filters.DateFilter):
    """A django-filter date with the same bounds as `DateField`."""

    field_class = DateField


def add_service_errors(form: forms.Form, error: ValidationError, *, general_field: str | None = None) -> None:
    """Show a service's ValidationError on `form`: at the field it names when the form has that field, else at
    `general_field` (when given and on the form), else above the form."""
    fallback = general_field if general_field in form.fields else None
    if hasattr(error, "error_dict"):
        for field, errors in error.error_dict.items():
            form.add_error(field if field in form.fields else fallback, errors)
    else:
        form.add_error(fallback, error.messages)
