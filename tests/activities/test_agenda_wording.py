"""The Dutch words of the agenda: places left at a session are 'plekken' (a house's places stay 'locaties'), the
subscription link is explained, and a place named as its house does not repeat the house's name."""

import datetime as dt
import re
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse
from django.utils import translation

from tests.factories import ActivityFactory, HouseFactory, PlaceFactory, SessionFactory

NOW = dt.datetime(2026, 1, 14, 10, 0, tzinfo=ZoneInfo("Europe/Amsterdam"))


@pytest.fixture
def now(db, monkeypatch):
    monkeypatch.setattr("django.utils.timezone.now", lambda: NOW)
    return NOW


def session(**activity):
    activity = ActivityFactory(
        first_date=NOW.date() + dt.timedelta(days=1), start_time=dt.time(14), end_time=dt.time(16), **activity
    )
    return SessionFactory(activity=activity)


def text(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


def test_places_left_at_a_session_are_plekken(client, now):
    item = session(registration_required=True, capacity=12)
    with translation.override("nl"):
        html = text(client.get(reverse("activities:session_detail", args=[item.pk])).content.decode())
    assert "Plekken Nog 12 plekken vrij" in html
    assert "Locaties" not in html


def test_the_agenda_explains_the_subscription_link(client, now):
    session()
    with translation.override("nl"):
        html = client.get(reverse("activities:agenda")).content.decode()
    assert "<summary>Wat is een abonnementslink?</summary>" in html
    assert "iCalendar is de gewone manier waarop agenda-apps afspraken delen." in html


def test_a_place_named_as_its_house_is_not_named_twice(client, now):
    house = HouseFactory(name="Huis van de Wijk Het Klooster")
    same = PlaceFactory(house=house, name="Huis van de Wijk Het Klooster")
    session(title="Koffie", house=house, place=same)
    other = HouseFactory(name="Huis van de Wijk Middelland")
    session(title="Yoga", house=other, place=PlaceFactory(house=other, name="Buurtplek Heemraadssingel"))
    html = text(client.get(reverse("activities:agenda")).content.decode())
    assert "Huis van de Wijk Het Klooster · Huis van de Wijk Het Klooster" not in html
    assert "Huis van de Wijk Het Klooster" in html
    assert "Huis van de Wijk Middelland · Buurtplek Heemraadssingel" in html
