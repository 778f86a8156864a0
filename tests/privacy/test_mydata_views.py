"""My data (Mijn gegevens): the page, the JSON download, and deleting your own account through the real views."""

import datetime as dt
import json

import pytest
from django.contrib.sessions.models import Session as DjangoSession
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from accounts.models import Role
from activities.models import Registration
from audit.models import Event
from privacy.models import AccessRecord
from privacy.services.access import access_record, subject_of
from privacy.services.mydata import is_erased
from tests.factories import (
    PASSWORD,
    BookingFactory,
    RegistrationFactory,
    RoleAssignmentFactory,
    SessionFactory,
    UserFactory,
)
from tests.volunteers.factories import HelpRequestFactory, VolunteerFactory

pytestmark = pytest.mark.django_db

MY_DATA = reverse("privacy:my_data")
JSON = reverse("privacy:my_data_json")
ERASE = reverse("privacy:erase")


def _looks(coordinator, resident, house, count):
    access_record(
        by=coordinator,
        what=AccessRecord.What.REGISTRATIONS,
        via="activities:session_registrations",
        subjects=[subject_of(RegistrationFactory(user=resident, session=SessionFactory(activity__house=house)))] * 1,
        house=house,
    )
    for _ in range(count - 1):
        access_record(
            by=coordinator,
            what=AccessRecord.What.BOOKING_CONTACT,
            via="bookings:house_booking",
            subjects=[subject_of(resident, user_field="pk")],
            house=house,
        )


def test_anonymous_visitors_are_sent_to_log_in(client):
    for url in (MY_DATA, JSON, ERASE):
        response = client.get(url)
        assert response.status_code == 302 and reverse("account_login") in response["Location"]


def test_the_page_shows_each_section_in_dutch_and_links_to_where_you_correct(client, resident, house, coordinator):
    RegistrationFactory(user=resident, session=SessionFactory(activity__house=house, activity__title="Samen eten"))
    BookingFactory(renter=resident)
    VolunteerFactory(user=resident, house=house)
    HelpRequestFactory(requester=resident, house=house)
    _looks(coordinator, resident, house, 2)
    client.force_login(resident)
    response = client.get(MY_DATA)
    assert response.status_code == 200
    assert response["Cache-Control"].startswith("max-age=0") or "no-store" in response["Cache-Control"]
    html = response.content.decode()
    for text in (
        "Mijn gegevens",
        "Je account",
        "Samen eten",
        "Boekingen van ruimtes",
        "Vrijwilligerswerk",
        "Burenhulp",
        "Wie heeft mijn gegevens bekeken",
        "Account verwijderen",
        resident.email,
    ):
        assert text in html, text
    for name in ("accounts:my_details", "activities:my_registrations", "bookings:my_bookings", "privacy:erase"):
        assert f'href="{reverse(name)}"' in html
    assert "Medewerkers van " in html  # whose staff looked


def test_the_menu_and_my_details_link_here(client, resident):
    client.force_login(resident)
    assert f'href="{MY_DATA}"' in client.get(reverse("accounts:my_details")).content.decode()
    html = client.get(MY_DATA).content.decode()
    assert f'href="{MY_DATA}" aria-current="page"' in html


def test_who_looked_shows_only_your_own_newest_first_fifty_a_page(client, resident, house, coordinator):
    other = UserFactory()
    _looks(coordinator, other, house, 3)
    _looks(coordinator, resident, house, 55)
    newest = AccessRecord.objects.filter(subject_user=resident).order_by("-at", "-pk").first()
    client.force_login(resident)
    first = client.get(MY_DATA)
    assert len(first.context["page"].object_list) == 50
    assert first.context["page"].object_list[0]["at"] == newest.at
    assert first.context["page"].paginator.count == 55  # only the looks at you (3 at someone else)
    second = client.get(MY_DATA, {"page": 2})
    assert len(second.context["page"].object_list) == 5
    assert client.get(MY_DATA, {"page": "9999999999999"}).status_code == 200
    assert client.get(MY_DATA, {"page": "\x00"}).status_code == 200


def test_the_page_costs_the_same_queries_with_one_row_or_fifty(client, resident, house, coordinator):
    def count():
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        with CaptureQueriesContext(connection) as queries:
            assert client.get(MY_DATA).status_code == 200
        return len(queries)

    client.force_login(resident)
    _looks(coordinator, resident, house, 1)
    RegistrationFactory(user=resident, session=SessionFactory(activity__house=house))
    BookingFactory(renter=resident)
    HelpRequestFactory(requester=resident, house=house)
    one = count()
    _looks(coordinator, resident, house, 50)
    for _ in range(25):
        RegistrationFactory(user=resident, session=SessionFactory(activity__house=house))
        BookingFactory(renter=resident)
        HelpRequestFactory(requester=resident, house=house)
    assert count() == one


def test_the_download_is_an_attachment_with_everything_and_is_recorded(client, resident, house, coordinator):
    RegistrationFactory(user=resident, session=SessionFactory(activity__house=house, activity__title="Taalcafé"))
    BookingFactory(renter=resident, purpose="Verjaardag")
    VolunteerFactory(user=resident, house=house, skills="Koken")
    HelpRequestFactory(requester=resident, house=house, requester_phone="010-7654321")
    _looks(coordinator, resident, house, 1)
    _looks(coordinator, UserFactory(), house, 1)
    client.force_login(resident)
    response = client.get(JSON)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/json")
    filename = f"mijn-gegevens-{timezone.localdate():%Y-%m-%d}.json"
    assert response["Content-Disposition"] == f'attachment; filename="{filename}"'
    data = json.loads(response.content)
    assert data["account"]["email"] == resident.email
    assert data["registrations"][0]["session__activity__title"] == "Taalcafé"
    assert data["bookings"][0]["purpose"] == "Verjaardag"
    assert data["volunteering"][0]["skills"] == "Koken"
    assert data["help_requests"][0]["requester_phone"] == "010-7654321"
    assert len(data["who_looked"]) == 1  # only the looks at you
    assert data["email_addresses"] == [{"email": resident.email, "verified": True, "primary": True}]
    assert data["who_looked"][0]["at"].endswith("+01:00")  # Amsterdam time
    look = data["who_looked"][0]  # a choice is given in words beside its code
    assert look["what_label"] == str(AccessRecord.What(look["what"]).label) and look["what_label"] != look["what"]
    assert any(item["record"] == "admin.LogEntry.user" for item in data["not_exported"])
    assert Event.objects.filter(action="user.export", actor=resident).count() == 1


def test_the_download_holds_nothing_of_another_person(client, resident, house):
    other = UserFactory(first_name="Gerrit")
    RegistrationFactory(user=other, session=SessionFactory(activity__house=house))
    BookingFactory(renter=other)
    client.force_login(resident)
    body = client.get(JSON).content.decode()
    assert other.email not in body and "Gerrit" not in body


# --- Deleting your account --------------------------------------------------------------------------------------


def test_the_erase_page_explains_what_goes_and_what_stays(client, resident):
    client.force_login(resident)
    response = client.get(ERASE)
    html = response.content.decode()
    assert response.status_code == 200
    assert "Wat we verwijderen" in html and "Wat blijft" in html
    assert "7 jaar" in html
    resident.refresh_from_db()
    assert not is_erased(resident)  # GET does nothing


def test_a_wrong_password_erases_nothing(client, resident):
    client.force_login(resident)
    response = client.post(ERASE, {"password": "not-it", "confirm": "on"})
    assert response.status_code == 400
    assert "Dat is niet je wachtwoord. Er is niets verwijderd." in response.content.decode()
    resident.refresh_from_db()
    assert not is_erased(resident) and resident.is_active


@pytest.mark.parametrize(
    "data",
    [
        {"password": PASSWORD},  # no tick
        {"confirm": "on"},
        {"password": "x" * 10_000, "confirm": "on"},
        {"password": "a\x00b", "confirm": "on"},
        {"password": PASSWORD + "\x00", "confirm": "on"},
    ],
)
def test_bad_input_gives_a_dutch_error_and_erases_nothing(client, resident, data):
    client.force_login(resident)
    response = client.post(ERASE, data)
    assert response.status_code == 400
    assert "Er ging iets mis" in response.content.decode()
    resident.refresh_from_db()
    assert not is_erased(resident)


def test_erasing_needs_the_csrf_token(resident):
    client = Client(enforce_csrf_checks=True)
    client.force_login(resident)
    response = client.post(ERASE, {"password": PASSWORD, "confirm": "on"})
    assert response.status_code == 403
    resident.refresh_from_db()
    assert not is_erased(resident)


def test_erasing_logs_out_everywhere_says_goodbye_and_the_login_no_longer_works(client, resident, house):
    RegistrationFactory(user=resident, session=SessionFactory(activity__house=house))
    elsewhere = Client()
    email = resident.email
    for browser in (elsewhere, client):  # logged in as allauth does it, so the sessions are known
        assert browser.post(reverse("account_login"), {"login": email, "password": PASSWORD}).status_code == 302
    response = client.post(ERASE, {"password": PASSWORD, "confirm": "on"})
    assert response.status_code == 302 and response["Location"] == reverse("privacy:erased")
    goodbye = client.get(response["Location"])
    assert "Je account is verwijderd" in goodbye.content.decode()
    resident.refresh_from_db()
    assert is_erased(resident) and not resident.is_active
    assert Registration.objects.filter(user=resident).count() == 1  # still counts
    assert elsewhere.get(MY_DATA).status_code == 302  # the other session is gone too
    assert not DjangoSession.objects.filter(expire_date__gt=timezone.now() - dt.timedelta(days=1)).exists()
    assert not Client().login(email=email, password=PASSWORD)
    event = Event.objects.get(action="user.erase")
    assert event.actor_id == resident.pk and event.changes["reason"] == "request"
    assert email not in json.dumps(event.changes) and email not in event.object_label


@pytest.mark.parametrize("role", [Role.COORDINATOR, Role.HOST])
def test_someone_with_a_role_is_asked_to_have_it_removed_first(client, house, role):
    staff = RoleAssignmentFactory(role=role, house=house).user
    client.force_login(staff)
    page = client.get(ERASE).content.decode()
    assert "Vraag een beheerder om eerst je rollen weg te halen" in page
    response = client.post(ERASE, {"password": PASSWORD, "confirm": "on"})
    assert response.status_code == 400
    staff.refresh_from_db()
    assert not is_erased(staff)


def test_an_administrator_cannot_erase_themselves(client, administrator):
    client.force_login(administrator)
    client.post(ERASE, {"password": PASSWORD, "confirm": "on"})
    administrator.refresh_from_db()
    assert not is_erased(administrator) and administrator.is_superuser


def test_a_look_by_an_administrator_reads_well(client, resident, administrator):
    access_record(
        by=administrator,
        what=AccessRecord.What.ACCOUNT,
        via="admin:accounts_user_change",
        subjects=[subject_of(resident, user_field="pk")],
    )
    client.force_login(resident)
    html = client.get(MY_DATA).content.decode()
    row = html[html.index('<tbody class="utrecht-table__body">') :]
    assert "Medewerkers van" not in row  # not "staff of the administrators"
    organisation = AccessRecord.objects.get(subject_user=resident).organisation
    assert organisation and organisation[:1].upper() + organisation[1:] in row


@pytest.mark.parametrize(
    ("language", "words"),
    [
        ("nl", "Werk van een medewerker aan gegevens van iemand anders."),
        ("en", "A staff member's work on someone else's record"),
    ],
)
def test_the_download_says_why_not_in_the_readers_language(client, resident, language, words):
    resident.language = language
    resident.save(update_fields=["language"])
    client.force_login(resident)
    data = json.loads(client.get(JSON).content)
    whys = [row["why"] for row in data["not_exported"]]
    assert all(whys) and any(words in why for why in whys)
    assert any(why.startswith("Een tik van een gastvrouw" if language == "nl" else "A host's tap") for why in whys)


def test_one_look_at_several_of_your_records_is_one_row(client, resident, house, coordinator):
    """A coordinator's bookings page that showed three of your bookings is one look, "(3 stuks)", not three rows."""
    bookings = [BookingFactory(renter=resident) for _ in range(3)]
    access_record(
        by=coordinator,
        what=AccessRecord.What.BOOKING_CONTACT,
        via="bookings:house_requests",
        subjects=[subject_of(booking, user_field="renter_id") for booking in bookings],
        house=house,
    )
    client.force_login(resident)
    response = client.get(MY_DATA)
    assert AccessRecord.objects.filter(subject_user=resident).count() == 3
    looks = response.context["page"].object_list
    assert len(looks) == 1 and looks[0]["records"] == 3
    assert "(3 stuks)" in response.content.decode()
