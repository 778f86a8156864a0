import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

# Four digits (not starting with 0), an optional space, two letters; SA, SD and SS are never issued.
POSTCODE_RE = re.compile(r"^\s*([1-9][0-9]{3})\s?([A-Za-z]{2})\s*$")
UNUSED_LETTERS = {"SA", "SD", "SS"}


def normalise_postcode(value: str) -> str:
    """'3021ab' -> '3021 AB'. Leaves anything that is not a postcode as it is."""
    match = POSTCODE_RE.match(value or "")
    if not match:
        return value
    return f"{match.group(1)} {match.group(2).upper()}"


def validate_postcode(value: str) -> None:
    match = POSTCODE_RE.match(value or "")
    if not match or match.group(2).upper() in UNUSED_LETTERS:
        raise ValidationError(
            _("Enter a Dutch postcode: four digits and two letters, for example 3021 AB."), code="invalid_postcode"
        )
