"""'My details': a resident changes their name and preferred language, through the service, with an audit event."""

import pytest
from django.conf import settings
from django.urls import reverse

from accounts import services
from audit.models import Event

URL = reverse("accounts:my_details")


def test_logging_in_is_needed(client, db):
    response = client.get(URL)
    assert response.status_code == 302 and reverse("account_login") in response["Location"]


def test_the_form_shows_the_current_details(client, resident):
    client.force_login(resident)
    form = client.get(URL).context["form"]
    assert form["first_name"].value() == resident.first_name
    assert form["last_name"].value() == resident.last_name
    assert form["language"].value() == "nl"


def test_changing_name_and_language_saves_them_records_it_and_switches_the_site(client, resident):
    client.force_login(resident)
    response = client.post(URL, {"first_name": "Noor", "last_name": "B", "language": "en"}, follow=True)
    resident.refresh_from_db()
    assert (resident.first_name, resident.last_name, resident.language) == ("Noor", "B", "en")
    assert "Your details are saved." in response.content.decode()  # the site speaks the chosen language now
    assert client.cookies[settings.LANGUAGE_COOKIE_NAME].value == "en"
    event = Event.objects.get(action="user.update_details")
    assert event.actor == resident
    assert event.changes["language"] == ["nl", "en"]
    assert "Noor" not in str(event.changes) and "Noor" not in event.object_label  # no names in the history


@pytest.mark.parametrize(
    ("data", "field", "error"),
    [
        ({"first_name": "", "last_name": "", "language": "nl"}, "first_name", "Vul je voornaam in."),
        ({"first_name": "Noor", "last_name": "", "language": "xx"}, "language", "Kies een van de talen"),
        ({"first_name": "N" * 151, "last_name": "", "language": "nl"}, "first_name", "niet meer dan 150 tekens"),
        ({"first_name": "Noor", "last_name": "\x00", "language": "nl"}, "last_name", "onzichtbare"),
    ],
)
def test_bad_input_gives_a_dutch_error_and_saves_nothing(client, resident, data, field, error):
    before = (resident.first_name, resident.last_name, resident.language)
    client.force_login(resident)
    response = client.post(URL, data)
    assert response.status_code == 200
    assert any(error in message for message in response.context["form"].errors[field])
    assert 'aria-invalid="true"' in response.content.decode()
    resident.refresh_from_db()
    assert (resident.first_name, resident.last_name, resident.language) == before
    assert not Event.objects.filter(action="user.update_details").exists()


def test_saving_without_a_change_records_nothing(resident):
    services.user_update_details(
        user=resident, first_name=resident.first_name, last_name=resident.last_name, language="nl", by=resident
    )
    assert not Event.objects.filter(action="user.update_details").exists()


def test_the_service_refuses_an_unknown_language(resident):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError):
        services.user_update_details(user=resident, first_name="Noor", last_name="", language="xx", by=resident)
    resident.refresh_from_db()
    assert resident.language == "nl"
