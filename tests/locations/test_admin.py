"""The administrator manages the network in the Django admin; bad input gets a clear Dutch message and
nothing is saved."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from locations.models import Closure, HouseManagement, OpeningHours, Place, Room, StaleDay
from tests.factories import OrganisationFactory, PlaceFactory, RoomFactory


def inline(prefix, *rows):
    data = {
        f"{prefix}-TOTAL_FORMS": str(len(rows)),
        f"{prefix}-INITIAL_FORMS": "0",
        f"{prefix}-MIN_NUM_FORMS": "0",
        f"{prefix}-MAX_NUM_FORMS": "1000",
    }
    for index, row in enumerate(rows):
        data.update({f"{prefix}-{index}-{key}": value for key, value in row.items()})
    return data


@pytest.fixture
def admin_client(client, administrator):
    client.force_login(administrator)
    return client


def place_data(house, **overrides):
    data = {
        "house": house.pk,
        "name": "Buurtplek Heemraadssingel",
        "kind": "spot",
        "street": "Heemraadssingel",
        "house_number": "12",
        "postcode": "3021 DB",
        "city": "Rotterdam",
        **inline("opening_hours"),
        **inline("closures"),
        **inline("rooms"),
    }
    data.update(overrides)
    return data


def test_administrator_adds_a_place_with_hours_closure_and_room(admin_client, house):
    data = place_data(
        house,
        postcode="3021db",
        **inline("opening_hours", {"weekday": "0", "opens": "09:00", "closes": "17:00"}),
        **inline("closures", {"start_date": "2026-12-25", "end_date": "2026-12-26", "reason": "Kerst"}),
        **inline("rooms", {"name": "Huiskamer", "capacity": "15", "bookable": "on"}),
    )
    response = admin_client.post(reverse("admin:locations_place_add"), data)
    assert response.status_code == 302, response.context["errors"] if response.context else response
    place = Place.objects.get(name="Buurtplek Heemraadssingel")
    assert place.postcode == "3021 DB"
    assert place.opening_hours.count() == 1 and place.closures.count() == 1 and place.rooms.count() == 1


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"postcode": "1234 A"}, "Vul een Nederlandse postcode in"),
        (
            inline("opening_hours", {"weekday": "0", "opens": "17:00", "closes": "09:00"}),
            "De sluitingstijd moet na de openingstijd liggen.",
        ),
        (
            inline("closures", {"start_date": "2027-01-05", "end_date": "2027-01-04", "reason": "Verbouwing"}),
            "De laatste dag mag niet voor de eerste dag liggen.",
        ),
        (inline("rooms", {"name": "Zaal", "capacity": "-5"}), "In een ruimte past minstens één persoon."),
    ],
    ids=["postcode", "closing-before-opening", "closure-end-before-start", "negative-capacity"],
)
def test_bad_place_input_is_refused_in_dutch_and_nothing_is_saved(admin_client, house, overrides, message):
    response = admin_client.post(reverse("admin:locations_place_add"), place_data(house, **overrides))
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not Place.objects.exists()
    assert not OpeningHours.objects.exists() and not Closure.objects.exists() and not Room.objects.exists()


def house_data(house, *periods):
    return {
        "name": house.name,
        "slug": house.slug,
        "neighbourhood": house.neighbourhood.pk,
        "managements-TOTAL_FORMS": str(len(periods)),
        "managements-INITIAL_FORMS": "0",
        "managements-MIN_NUM_FORMS": "0",
        "managements-MAX_NUM_FORMS": "1000",
        **{f"managements-{i}-{k}": v for i, period in enumerate(periods) for k, v in period.items()},
        **inline("places"),
    }


def test_management_periods_cannot_be_edited_in_the_house_form(admin_client, db):
    """Periods are history: the house form shows them read-only and ignores posted ones."""
    from tests.factories import HouseFactory

    house = HouseFactory(management=False)
    operator = OrganisationFactory()
    response = admin_client.post(
        reverse("admin:locations_house_change", args=[house.pk]),
        house_data(
            house,
            {"management_type": "social", "operator": operator.pk, "valid_from": "2016-01-01", "valid_until": ""},
        ),
    )
    assert response.status_code == 302
    assert not HouseManagement.objects.filter(house=house).exists()


def test_rental_terms_cannot_be_edited_in_the_admin(admin_client, house):
    """They are set on the house's rental terms page, which records who changed them."""
    room = RoomFactory(place=PlaceFactory(house=house), requires_approval=True)
    data = {**house_data(house), "cancellation_days": "30", "party_deposit": "99"}
    assert admin_client.post(reverse("admin:locations_house_change", args=[house.pk]), data).status_code == 302
    house.refresh_from_db()
    assert (house.cancellation_days, house.party_deposit) == (7, 0)
    page = admin_client.get(reverse("admin:locations_room_change", args=[room.pk])).content.decode()
    assert 'name="requires_approval"' not in page and 'name="capacity"' in page


def change_management(admin_client, house, **fields):
    data = {"action": "change_management", "_selected_action": [house.pk]}
    if fields:
        data |= {"apply": "1", **fields}
    return admin_client.post(reverse("admin:locations_house_changelist"), data, follow=bool(fields))


def test_the_management_changes_through_the_service_with_the_administrator_as_actor(admin_client, administrator):
    from tests.audit.helpers import assert_event
    from tests.factories import HouseFactory

    house = HouseFactory(management__valid_from=dt.date(2016, 1, 1))
    foundation = OrganisationFactory(name="Stichting Buurtkracht", kind="residents_foundation")
    form = change_management(admin_client, house)
    assert form.status_code == 200 and 'name="starts_on"' in form.content.decode()

    response = change_management(
        admin_client, house, management_type="self", operator=foundation.pk, starts_on="2025-01-01"
    )
    assert response.status_code == 200
    periods = list(HouseManagement.objects.filter(house=house).order_by("valid_from"))
    assert [(p.valid_from, p.valid_until, p.operator) for p in periods][-1] == (dt.date(2025, 1, 1), None, foundation)
    assert periods[0].valid_until == dt.date(2025, 1, 1)
    assert_event(
        "house_management.change",
        by=administrator,
        house=house,
        changes={"management_type": ["social", "self"], "valid_from": "2025-01-01"},
    )


def test_a_management_change_the_service_refuses_is_reported_and_changes_nothing(admin_client):
    from tests.factories import HouseFactory

    house = HouseFactory(management__valid_from=dt.date(2020, 1, 1))
    before = list(HouseManagement.objects.filter(house=house).values_list("valid_from", "valid_until"))
    response = change_management(
        admin_client, house, management_type="self", operator=OrganisationFactory().pk, starts_on="2019-01-01"
    )
    assert "Er begint al een beheerperiode" in response.content.decode()
    assert list(HouseManagement.objects.filter(house=house).values_list("valid_from", "valid_until")) == before


def test_a_management_change_without_a_date_shows_the_form_again(admin_client, house):
    response = change_management(admin_client, house, management_type="self", operator=OrganisationFactory().pk)
    assert response.status_code == 200 and "errorlist" in response.content.decode()


@pytest.mark.parametrize(
    ("starts_on", "message"),
    [
        ("0001-01-01", "Kies een datum tussen 2000 en 2099."),
        ("9999-12-31", "Kies een datum tussen 2000 en 2099."),
        ("99999-01-01", "Voer een geldige datum in."),
        ("gisteren", "Voer een geldige datum in."),
    ],
)
def test_a_management_change_on_a_nonsense_date_shows_the_form_again_in_dutch(admin_client, house, starts_on, message):
    before = list(HouseManagement.objects.filter(house=house).values_list("valid_from", "valid_until"))
    response = change_management(
        admin_client, house, management_type="self", operator=OrganisationFactory().pk, starts_on=starts_on
    )
    page = response.content.decode()
    assert response.status_code == 200 and 'name="starts_on"' in page and message in page
    assert list(HouseManagement.objects.filter(house=house).values_list("valid_from", "valid_until")) == before


@pytest.mark.parametrize(
    "url",
    [
        "admin:locations_house_changelist",
        "admin:locations_place_changelist",
        "admin:locations_room_changelist",
        "admin:accounts_user_changelist",
        "admin:activities_activity_changelist",
        "admin:activities_session_changelist",
        "admin:activities_registration_changelist",
        "admin:bookings_booking_changelist",
    ],
)
def test_admin_lists_and_search_work(admin_client, url, house):
    PlaceFactory(house=house)
    response = admin_client.get(reverse(url), {"q": "Klooster"})
    assert response.status_code == 200


@pytest.mark.parametrize("person", ["host", "coordinator", "manager", "municipality", "resident"])
def test_only_administrators_enter_the_admin(client, request, person):
    client.force_login(request.getfixturevalue(person))
    response = client.get(reverse("admin:index"))
    assert response.status_code == 302 and reverse("admin:login") in response["Location"]


@pytest.mark.date_sensitive
def test_closures_and_opening_hours_mark_the_days_whose_figures_change(admin_client, house):
    """A closure in the past changes what the figures counted (open hours, open days): those days are derived again;
    new opening hours change today's. A closure in the future changes no figure yet."""
    today = timezone.localdate()
    data = place_data(
        house,
        **inline("opening_hours", {"weekday": "0", "opens": "09:00", "closes": "17:00"}),
        **inline(
            "closures",
            {
                "start_date": str(today - dt.timedelta(days=3)),
                "end_date": str(today - dt.timedelta(days=2)),
                "reason": "Lekkage",
            },
            {
                "start_date": str(today + dt.timedelta(days=20)),
                "end_date": str(today + dt.timedelta(days=21)),
                "reason": "Kerst",
            },
        ),
    )
    response = admin_client.post(reverse("admin:locations_place_add"), data)
    assert response.status_code == 302
    marked = set(StaleDay.objects.filter(house=house).values_list("day", flat=True))
    assert marked == {today - dt.timedelta(days=3), today - dt.timedelta(days=2), today}
