"""Free-text remarks hold no personal data: names, e-mail addresses, phone numbers and BSNs are refused."""

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from activities.privacy import personal_data_found, validate_no_personal_data


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield


@pytest.mark.parametrize(
    ("text", "what"),
    [
        ("mevrouw Jansen", "a name"),
        ("Gesprek met Mevr. Yilmaz over de huur", "a name"),
        ("Jan de Vries belde", "a name"),
        ("jan@example.nl", "an e-mail address"),
        ("Mail naar iemand.anders+wijk@buurt.example.org", "an e-mail address"),
        ("06-12345678", "a phone number"),
        ("+31 6 1234 5678", "a phone number"),
        ("bel 010 123 4567", "a phone number"),
        ("111222333", "a citizen service number (BSN)"),
        ("bsn 111.222.333", "a citizen service number (BSN)"),
    ],
)
def test_personal_data_is_refused(text, what):
    with pytest.raises(ValidationError) as refused:
        validate_no_personal_data(text)
    assert refused.value.code == "personal_data"
    assert what in " ".join(refused.value.messages)


@pytest.mark.parametrize(
    "text",
    [
        "",
        "Doorverwezen naar het sociaal wijkteam",
        "Zorgen over de huur, wil hulp bij post",
        "Komt elke week, voelt zich alleen sinds de verhuizing",
        "Kenmerk 123456789 van de brief",  # nine digits that fail the eleven test: not a BSN
        "Brief van 12 maart, 3 formulieren ingevuld",
    ],
)
def test_ordinary_remarks_pass(text):
    validate_no_personal_data(text)
    assert personal_data_found(text) == []


def test_a_remark_with_several_kinds_names_them_all():
    found = [str(item) for item in personal_data_found("Jan de Vries, jan@example.nl, 06-12345678")]
    assert found == ["an e-mail address", "a phone number", "a name"]
