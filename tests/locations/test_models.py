import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from locations.models import HouseManagement, OpeningHours, Place, Room
from locations.validators import normalise_postcode, validate_postcode
from tests.factories import (
    ClosureFactory,
    HouseFactory,
    HouseManagementFactory,
    NeighbourhoodFactory,
    NeighbourhoodIndexFactory,
    OpeningHoursFactory,
    PlaceFactory,
    RoomFacilityFactory,
    RoomFactory,
    RoomRateFactory,
    UserFactory,
)


@pytest.mark.parametrize("value", ["3021 AB", "3021AB", "3021ab", " 1011 ZZ "])
def test_valid_postcodes(value):
    validate_postcode(value)


@pytest.mark.parametrize("value", ["1234 A", "0123 AB", "3021 SS", "3021 SA", "3021 SD", "302 AB", "3021-AB", ""])
def test_invalid_postcodes(value):
    with pytest.raises(ValidationError) as error:
        validate_postcode(value)
    assert error.value.code == "invalid_postcode"


def test_postcode_is_normalised_on_clean(db):
    place = PlaceFactory.build(house=HouseFactory(), postcode="3021ab")
    place.full_clean()
    assert place.postcode == "3021 AB"
    assert normalise_postcode("not a postcode") == "not a postcode"


def test_every_factory_builds_a_valid_object(db):
    for factory in (
        NeighbourhoodIndexFactory,
        HouseManagementFactory,
        OpeningHoursFactory,
        ClosureFactory,
        RoomFacilityFactory,
        RoomRateFactory,
        UserFactory,
    ):
        factory().full_clean()


def test_closing_before_opening_is_refused(db):
    hours = OpeningHoursFactory.build(place=PlaceFactory(), opens=dt.time(17), closes=dt.time(9))
    with pytest.raises(ValidationError) as error:
        hours.full_clean()
    assert "closes" in error.value.message_dict


def test_database_refuses_closing_before_opening(db):
    with pytest.raises(IntegrityError), transaction.atomic():
        OpeningHours.objects.create(place=PlaceFactory(), weekday=1, opens=dt.time(17), closes=dt.time(9))


def test_database_refuses_a_room_without_capacity(db):
    with pytest.raises(IntegrityError), transaction.atomic():
        Room.objects.create(place=PlaceFactory(), name="Leeg", capacity=0)


def test_zero_capacity_is_a_clear_validation_error(db):
    room = RoomFactory.build(place=PlaceFactory(), capacity=0)
    with pytest.raises(ValidationError) as error:
        room.full_clean()
    assert "capacity" in error.value.message_dict


def test_closure_ending_before_it_starts_is_refused(db):
    closure = ClosureFactory.build(place=PlaceFactory(), start_date=dt.date(2027, 1, 5), end_date=dt.date(2027, 1, 4))
    with pytest.raises(ValidationError) as error:
        closure.full_clean()
    assert "end_date" in error.value.message_dict


def test_management_period_ending_before_it_starts_is_refused(db):
    house = HouseFactory(management=False)
    period = HouseManagementFactory.build(
        house=house,
        operator=HouseManagementFactory().operator,
        valid_from=dt.date(2024, 1, 1),
        valid_until=dt.date(2023, 1, 1),
    )
    with pytest.raises(ValidationError) as error:
        period.full_clean()
    assert "valid_until" in error.value.message_dict
    with pytest.raises(IntegrityError), transaction.atomic():
        period.save()


def test_overlapping_management_periods_are_refused_by_clean(house):
    running = HouseManagement.objects.get(house=house)
    overlapping = HouseManagement(
        house=house, management_type="self", operator=running.operator, valid_from=dt.date(2020, 1, 1)
    )
    with pytest.raises(ValidationError):
        overlapping.full_clean()


def test_place_address_and_neighbourhood_population(db):
    place = PlaceFactory(street="Heemraadssingel", house_number="12a", postcode="3021 DB", city="Rotterdam")
    assert place.address == "Heemraadssingel 12a, 3021 DB Rotterdam"
    neighbourhood = NeighbourhoodFactory.build(cbs_code="0599")
    with pytest.raises(ValidationError):
        neighbourhood.full_clean()
    assert isinstance(place, Place)


def test_overlapping_opening_hours_on_one_day_are_refused(db):
    existing = OpeningHoursFactory(weekday=1, opens=dt.time(9), closes=dt.time(12))
    overlapping = OpeningHoursFactory.build(place=existing.place, weekday=1, opens=dt.time(11), closes=dt.time(14))
    with pytest.raises(ValidationError):
        overlapping.full_clean()
    evening = OpeningHoursFactory.build(place=existing.place, weekday=1, opens=dt.time(12), closes=dt.time(22))
    evening.full_clean()  # back to back is fine


def test_overlapping_closures_are_refused(db):
    existing = ClosureFactory(start_date=dt.date(2027, 7, 19), end_date=dt.date(2027, 8, 1))
    overlapping = ClosureFactory.build(
        place=existing.place, start_date=dt.date(2027, 8, 1), end_date=dt.date(2027, 8, 2), reason="Schoonmaak"
    )
    with pytest.raises(ValidationError):
        overlapping.full_clean()
