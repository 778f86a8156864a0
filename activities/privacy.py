"""Free text that must hold no personal data (signal remarks, session close-out remarks).

A check, not a guarantee: it refuses text that looks like an e-mail address, a phone number, a BSN or a
name (a title such as "mevrouw" before a capitalised word, or a first name and surname together).
"""

import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

EMAIL = re.compile(r"[\w.+-]+@[\w-]+(\.[\w-]+)+")
PHONE = re.compile(r"(?<!\d)(\+31|0031|0)[\s-]?(\d[\s-]?){9}(?!\d)")
NINE_DIGITS = re.compile(r"(?<!\d)(\d[\s.]?){8}\d(?!\d)")
TITLE_AND_NAME = re.compile(
    r"\b(mevrouw|mevr|mw|meneer|mijnheer|dhr|de heer|mr|mrs|ms|juf|meester|opa|oma|tante|oom)\.?\s+[A-Z][a-z]",
    re.IGNORECASE,
)
PARTICLES = r"(?:van|de|der|den|ter|ten|te|el|al|bin|da|di|du|le|la)"
FULL_NAME = re.compile(rf"\b[A-Z][a-z]{{1,20}}(?:\s+{PARTICLES})*\s+[A-Z][a-z]{{1,20}}\b")
# Capitalised pairs that are words, not names (organisations a remark may name).
ALLOWED_PAIRS = {"sociaal wijkteam", "huis van", "de wijk", "geen idee"}


def _is_bsn(digits: str) -> bool:
    """The eleven test (elfproef) that every BSN passes."""
    if len(digits) != 9:
        return False
    total = sum(int(d) * w for d, w in zip(digits[:8], range(9, 1, -1), strict=True)) - int(digits[8])
    return total % 11 == 0


def personal_data_found(text: str) -> list[str]:
    """What in `text` looks like personal data, as Dutch descriptions (empty: nothing found)."""
    found = []
    if EMAIL.search(text):
        found.append(_("an e-mail address"))
    if PHONE.search(text):
        found.append(_("a phone number"))
    for match in NINE_DIGITS.finditer(text):
        if _is_bsn(re.sub(r"\D", "", match.group())):
            found.append(_("a citizen service number (BSN)"))
            break
    if TITLE_AND_NAME.search(text) or any(
        match.group().lower() not in ALLOWED_PAIRS for match in FULL_NAME.finditer(text)
    ):
        found.append(_("a name"))
    return found


def validate_no_personal_data(text: str) -> None:
    found = personal_data_found(text or "")
    if found:
        raise ValidationError(
            _("Leave out personal data: this looks like %(what)s. Describe the situation without names or numbers.")
            % {"what": ", ".join(str(item) for item in found)},
            code="personal_data",
        )
