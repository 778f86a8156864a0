from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.db.models import Count

from accounts import policy
from accounts.demo import DEMO_PASSWORD
from accounts.models import User
from activities.models import Activity, DoorTally, Organiser, Session, Signal
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

    labels = {"locations", "accounts", "account", "activities", "bookings", "reporting"}
    models = [m for m in apps.get_models() if m._meta.app_label in labels]

    # Rollup rows are derived again on every run (new ids, the same figures): compare them without their id.
    def rows(model):
        if model._meta.label == "reporting.DayFigure":
            fields = [f.attname for f in model._meta.concrete_fields if not f.primary_key]
            return model.objects.values_list(*fields)
        return model.objects.values_list(flat=False)

    return {m._meta.label: sorted(map(str, rows(m))) for m in models}


def test_demo_network_is_a_realistic_city_and_running_it_again_changes_nothing(demo, client):
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
    # The programme: a weekly mix per house, about a third resident initiatives, history at the door.
    activities = Activity.objects.all()
    assert activities.count() >= 4 * len(houses)
    residents_share = activities.filter(organiser=Organiser.RESIDENTS).count() / activities.count()
    assert 0.2 <= residents_share <= 0.5
    assert DoorTally.objects.filter(session__isnull=True).exists() and DoorTally.objects.filter(session__isnull=False)
    assert Session.objects.filter(closed_at__isnull=False, participants_count__gt=0).exists()
    assert Signal.objects.exclude(referred_to="").filter(consent=True).exists()
    assert not Signal.objects.exclude(referred_to="").filter(consent=False).exists()

    # Room rental: bookings waiting and approved, each holding its claim on the room.
    from bookings.models import Booking

    assert Booking.objects.filter(status="requested").exists() and Booking.objects.filter(status="approved").exists()
    assert not Booking.objects.filter(status__in=["requested", "approved"], occupancy__isnull=True).exists()

    before = snapshot()
    call_command("seed_demo", stdout=StringIO())
    assert snapshot() == before

    _logins_work(demo, client)
    _results_are_there(client)


def _logins_work(demo, client):
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


def _results_are_there(client):
    """The demo's dashboards have figures and targets, and last quarter's reports are there to download."""
    from reporting.models import DayFigure, Explanation, ReportVersion, Target

    assert DayFigure.objects.filter(measure="visits_walk_in").exists()
    assert Target.objects.filter(house__isnull=False).exists() and Target.objects.filter(house__isnull=True).exists()
    assert Explanation.objects.exists()
    network = ReportVersion.objects.filter(house__isnull=True, status=ReportVersion.Status.READY)
    assert network.count() >= 1 and all(v.files.count() == 3 for v in network)
    client.force_login(User.objects.get(email="gemeente@demo.huizen.nl"))
    start = client.get("/start/").content.decode()
    for url in ("/resultaten/", "/resultaten/rapportages/", "/resultaten/doelen/", "/resultaten/doelen/inlezen/"):
        assert f'href="{url}"' in start
        assert client.get(url).status_code == 200
    dashboard = client.get("/resultaten/").content.decode()
    assert "Voor op schema" in dashboard or "Achter op schema" in dashboard or "Op schema" in dashboard
