import datetime as dt
import itertools
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.db.models import Count, F, Max, Min
from django.utils import timezone

from accounts import policy
from accounts.demo import DEMO_PASSWORD, DEMO_TOTP_SECRET
from accounts.models import User
from activities.models import Activity, DoorTally, Organiser, Session, Signal
from locations.models import District, House, ManagementType, Neighbourhood, Place, Room
from locations.selectors import house_overview
from tests.factories import totp_code


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

    _history_covers_a_year()

    before = snapshot()
    call_command("seed_demo", stdout=StringIO())
    assert snapshot() == before

    _logins_work(demo, client)
    _results_are_there(client)


def _history_covers_a_year():
    """A year of history for the dashboards and last quarter's reports: door counts, close-outs, signals and
    bookings from a year ago until today, with what can go wrong in a year (cancelled sessions, sessions not yet
    closed out, bookings cancelled late at a cost, rejected requests)."""
    from bookings.models import Booking
    from locations.models import RoomOccupancy

    today = timezone.localdate()
    year_ago = today - dt.timedelta(days=365)
    taps = DoorTally.objects.aggregate(first=Min("recorded_at"), last=Max("recorded_at"))
    assert timezone.localdate(taps["first"]) <= year_ago + dt.timedelta(days=7)
    assert timezone.localdate(taps["last"]) >= today - dt.timedelta(days=4)  # until the last open day
    # Every house with a programme has door counts, held sessions and close-outs in each quarter of the year.
    houses = set(Activity.objects.values_list("house_id", flat=True).distinct())
    for months_back in (3, 6, 9, 12):
        first = today - dt.timedelta(days=30 * months_back)
        last = first + dt.timedelta(days=80)
        counted = DoorTally.objects.filter(recorded_at__date__range=(first, last))
        assert set(counted.values_list("house_id", flat=True).distinct()) == houses, months_back
        closed = Session.objects.filter(start__date__range=(first, last), closed_at__isnull=False)
        assert set(closed.values_list("activity__house_id", flat=True).distinct()) == houses, months_back
        assert Signal.objects.filter(date__range=(first, last)).count() > 200
    # A series spans at most a year, so the year is two seasons; both went through the services (room claims).
    assert not Session.objects.filter(room__isnull=False, status="planned", occupancy__isnull=True).exists()
    past = Session.objects.filter(start__lt=timezone.now())
    cancelled = past.filter(status="cancelled")
    assert cancelled.exists() and not cancelled.exclude(change_reason="").filter(occupancy__isnull=False).exists()
    assert not DoorTally.objects.filter(session__status="cancelled").exists()
    not_closed = past.filter(status="planned", closed_at__isnull=True)
    assert not_closed.exists()
    assert not not_closed.filter(start__date__lt=today - dt.timedelta(days=21)).exists()
    # Bookings: a year of them, free and paid, each approved one holding its claim; late cancellations cost the price.
    bookings = Booking.objects.filter(end__lte=timezone.now())
    approved = bookings.filter(status="approved")
    assert approved.filter(start__date__lte=year_ago + dt.timedelta(days=14)).exists()
    assert approved.filter(price=0).count() > 100 and approved.filter(price__gt=0).count() > 1000
    assert not approved.exclude(occupancy__start=F("start"), occupancy__end=F("end")).exists()
    late = bookings.filter(status="cancelled", cancellation_cost__gt=0)
    assert late.exists() and not late.exclude(cancellation_cost=F("price")).exists()
    assert bookings.filter(status="cancelled", cancellation_cost=0).exists()
    assert bookings.filter(status="rejected").exclude(decision_reason="").exists()
    assert not bookings.filter(status__in=["cancelled", "rejected"], occupancy__isnull=False).exists()
    # No two claims on one room overlap (on PostgreSQL the exclusion constraint guards this too).
    claims = list(RoomOccupancy.objects.order_by("room_id", "start").values_list("room_id", "start", "end"))
    for (room, _start, end), (next_room, next_start, _end) in itertools.pairwise(claims):
        assert room != next_room or end <= next_start


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
        if email != "gastvrouw@demo.huizen.nl" and email != "bewoner@demo.huizen.nl":
            # Demo staff have the demo authenticator app: the second step asks its code.
            assert response.status_code == 302 and response["Location"] == "/accounts/2fa/authenticate/", email
            response = client.post(response["Location"], {"code": totp_code(DEMO_TOTP_SECRET)})
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
