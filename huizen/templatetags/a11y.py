"""Helpers for the error summary (templates/fragments/form_errors.html)."""

from django import template

register = template.Library()


@register.filter
def field_error_links(form):
    """(field, error) for every error of a visible field, in the order of the form: one link each in the summary."""
    if not getattr(form, "errors", None):
        return []
    return [(field, error) for field in form.visible_fields() for error in field.errors]


@register.filter
def hidden_field_errors(form):
    """The errors of hidden fields: shown as general errors, as there is no field to link to."""
    if not getattr(form, "errors", None):
        return []
    return [error for field in form.hidden_fields() for error in field.errors]
