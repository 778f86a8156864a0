from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.db.models import Count

from accounts import policy
from accounts.demo import DEMO_PASSWORD
from accounts.models import User
from locations.models import District, House, ManagementType, Neighbourhood, Place, Room
from locations.selectors import house_overview


@pytest.fixture
def demo(db, settings):
    settings.DEMO_MODE = True
    output = StringIO()
    call_command("seed_demo", stdout=output)
    return output.getvalue()


def snapshot():
    from django.apps import apps

    models = [m for m in apps.get_models() if m._meta.app_label in {"locations", "accounts", "account"}]
    return {m._meta.label: sorted(map(str, m.objects.values_list(flat=False))) for m in models}


def test_demo_network_is_a_realistic_city(demo):
    assert District.objects.count() == 14
    assert 38 <= Neighbourhood.objects.count() <= 50
    assert all(3000 <= n.population <= 24000 for n in Neighbourhood.objects.all())
    houses = list(house_overview())
    assert 40 <= len(houses) <= 50
    self_managed = sum(h.current_management_type == ManagementType.SELF for h in houses)
    assert 0.15 <= self_managed / len(houses) <= 0.35
    middelland = House.objects.annotate(n=Count("places")).get(name__icontains="Middelland")
    assert middelland.n == 12
    assert set(middelland.places.values_list("kind", flat=True)) == {Place.Kind.NEIGHBOURHOOD_SPOT}
    assert Room.objects.filter(bookable=True, rates__isnull=False).exists()
    for place in Place.objects.all()[:20]:
        place.full_clean()


def test_running_it_twice_changes_nothing(demo, settings):
    before = snapshot()
    call_command("seed_demo", stdout=StringIO())
    assert snapshot() == before


def test_prints_one_login_per_role_that_works(demo, client):
    emails = [
        "beheerder@demo.huizen.nl",
        "gemeente@demo.huizen.nl",
        "manager@demo.huizen.nl",
        "coordinator@demo.huizen.nl",
        "gastvrouw@demo.huizen.nl",
        "bewoner.middelland@demo.huizen.nl",
        "bewoner@demo.huizen.nl",
    ]
    for email in emails:
        assert email in demo
        client.logout()
        response = client.post("/accounts/login/", {"login": email, "password": DEMO_PASSWORD})
        assert response.status_code == 302 and response["Location"] == "/start/", email
    scope = {
        email: policy.houses_for(User.objects.get(email=email), policy.Action.VIEW_STAFF).count() for email in emails
    }
    total = House.objects.count()
    assert scope["beheerder@demo.huizen.nl"] == scope["gemeente@demo.huizen.nl"] == total
    assert 1 < scope["manager@demo.huizen.nl"] < total
    assert scope["coordinator@demo.huizen.nl"] == scope["gastvrouw@demo.huizen.nl"] == 1
    assert scope["bewoner.middelland@demo.huizen.nl"] == 1 and scope["bewoner@demo.huizen.nl"] == 0


def test_refuses_outside_demo_mode(db, settings):
    settings.DEMO_MODE = False
    settings.DEBUG = False
    with pytest.raises(CommandError):
        call_command("seed_demo", stdout=StringIO())
    assert not House.objects.exists()
