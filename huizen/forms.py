"""Form helpers shared by the apps."""

from django import forms
from django.core.exceptions import ValidationError


def add_service_errors(form: forms.Form, error: ValidationError, *, general_field: str | None = None) -> None:
    """Show a service's ValidationError on `form`: at the field it names when the form has that field, else at
    `general_field` (when given and on the form), else above the form."""
    fallback = general_field if general_field in form.fields else None
    if hasattr(error, "error_dict"):
        for field, errors in error.error_dict.items():
            form.add_error(field if field in form.fields else fallback, errors)
    else:
        form.add_error(fallback, error.messages)
