"""Checks on typed text shared by forms and services, and a helper that makes text safe for an e-mail subject."""

import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

# Control characters (NUL, escape, ...) never belong in typed text; tab and line breaks only in a text area.
CONTROL_CHARACTERS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
LINE_BREAKS = re.compile(r"[\n\r\t\u2028\u2029\x85]")


def plain_text(value: str) -> None:
    """Text without control characters (PostgreSQL refuses NUL; the others garble pages and e-mails)."""
    if value and CONTROL_CHARACTERS.search(value):
        raise ValidationError(_("Remove the invisible control characters from this text."), code="control_characters")


def single_line(value: str) -> None:
    """Text on one line: a title or name goes into e-mail subjects and calendar entries."""
    plain_text(value)
    if value and LINE_BREAKS.search(value):
        raise ValidationError(_("Write this on one line, without line breaks."), code="line_break")


def one_line(text: str) -> str:
    """`text` with every run of whitespace (line breaks included) as one space: safe for an e-mail subject."""
    return " ".join(str(text).split())


def checked_reason(reason: str | None, *, max_length: int, missing: str) -> str:
    """A reason a service stores and shows to people: stripped, present (else `missing`), at most `max_length`
    characters and without control characters. Errors are on the field "reason", so every caller shows them."""
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": missing})
    if len(reason) > max_length:
        raise ValidationError(
            {"reason": _("Keep the reason to %(limit)d characters at most.") % {"limit": max_length}},
            code="max_length",
        )
    try:
        plain_text(reason)
    except ValidationError as error:
        raise ValidationError({"reason": error.messages}) from None
    return reason
