import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction

from audit.services import SYSTEM
from locations.models import HouseManagement, ManagementType
from locations.selectors import current_management, house_overview
from locations.services import house_management_change
from tests.audit.helpers import assert_event
from tests.factories import HouseFactory, OrganisationFactory, UserFactory


def test_the_current_management_follows_the_periods(db):
    welfare = OrganisationFactory(name="Welzijn Zuid")
    foundation = OrganisationFactory(name="Stichting Bewonershuis", kind="residents_foundation")
    house = HouseFactory(management__operator=welfare, management__valid_from=dt.date(2016, 1, 1))
    administrator = UserFactory(is_superuser=True, is_staff=True)

    house_management_change(
        house=house,
        management_type=ManagementType.SELF,
        operator=foundation,
        starts_on=dt.date(2024, 1, 1),
        by=administrator,
    )

    assert current_management(house, on=dt.date(2023, 12, 31)).operator == welfare
    assert current_management(house, on=dt.date(2024, 1, 1)).operator == foundation
    assert current_management(house, on=dt.date(2030, 6, 1)).management_type == ManagementType.SELF
    history = list(HouseManagement.objects.filter(house=house).order_by("valid_from"))
    assert [(p.valid_from, p.valid_until) for p in history] == [
        (dt.date(2016, 1, 1), dt.date(2024, 1, 1)),
        (dt.date(2024, 1, 1), None),
    ]
    overview = house_overview().get(pk=house.pk)
    assert overview.current_management_type == ManagementType.SELF
    assert overview.current_operator_name == "Stichting Bewonershuis"
    assert_event(
        "house_management.change",
        by=administrator,
        house=house,
        changes={
            "management_type": ["social", "self"],
            "operator": ["Welzijn Zuid", "Stichting Bewonershuis"],
            "valid_from": "2024-01-01",
            "previous_until": "2024-01-01",
        },
    )


def test_a_house_without_a_running_period_has_no_current_management(db):
    house = HouseFactory(management__valid_until=dt.date(2020, 1, 1))
    assert current_management(house) is None
    assert house_overview().get(pk=house.pk).current_management_type is None


def test_a_change_before_the_latest_period_is_refused_and_nothing_changes(house):
    before = list(HouseManagement.objects.filter(house=house).values_list("valid_from", "valid_until"))
    with pytest.raises(ValidationError):
        house_management_change(
            house=house,
            management_type=ManagementType.SELF,
            operator=OrganisationFactory(),
            starts_on=dt.date(2016, 1, 1),
            by=SYSTEM,
        )
    assert list(HouseManagement.objects.filter(house=house).values_list("valid_from", "valid_until")) == before


@pytest.mark.parametrize(
    "starts_on", [dt.date(1, 1, 1), dt.date(1999, 12, 31), dt.date(2100, 1, 1), dt.date(9999, 12, 31)]
)
def test_a_management_period_outside_2000_2099_is_refused_in_dutch_and_nothing_changes(house, starts_on):
    before = list(HouseManagement.objects.filter(house=house).values_list("valid_from", "valid_until"))
    with pytest.raises(ValidationError) as refused:
        house_management_change(
            house=house,
            management_type=ManagementType.SELF,
            operator=OrganisationFactory(),
            starts_on=starts_on,
            by=SYSTEM,
        )
    assert refused.value.message_dict == {"starts_on": ["Een beheerperiode begint tussen 2000 en 2099."]}
    assert list(HouseManagement.objects.filter(house=house).values_list("valid_from", "valid_until")) == before


@pytest.mark.skipif(connection.vendor != "postgresql", reason="exclusion constraints exist on PostgreSQL only")
def test_postgres_refuses_overlapping_periods_even_past_the_services(house):
    running = HouseManagement.objects.get(house=house)
    with pytest.raises(IntegrityError), transaction.atomic():
        HouseManagement.objects.create(
            house=house, management_type="self", operator=running.operator, valid_from=dt.date(2020, 1, 1)
        )
