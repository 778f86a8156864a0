"""The volunteer's page on a phone: a short summary with in-page links at the top, and only the coming four weeks of
their own shifts unless they ask for more, so the open shifts are near."""

import datetime as dt
from zoneinfo import ZoneInfo

from django.urls import reverse

from tests.volunteers.factories import CertificateFactory, ShiftAssignmentFactory, ShiftFactory, VolunteerFactory
from volunteers.models import VolunteerRole

AMS = ZoneInfo("Europe/Amsterdam")
MONDAY = dt.date(2026, 11, 30)


def host_volunteer(house, **kwargs):
    volunteer = VolunteerFactory(house=house, roles=[VolunteerRole.HOST], **kwargs)
    CertificateFactory(volunteer=volunteer)
    return volunteer


def at(day, hour):
    return dt.datetime.combine(day, dt.time(hour), tzinfo=AMS)


def test_summary_and_four_weeks_of_my_shifts(client, house):
    volunteer = host_volunteer(house)
    for week in range(8):  # every Wednesday morning for eight weeks
        day = MONDAY + dt.timedelta(days=2, weeks=week)
        ShiftAssignmentFactory(
            shift=ShiftFactory(house=house, date=day, title=f"Deur week {week + 1}"), volunteer=volunteer
        )
    tuesday = MONDAY + dt.timedelta(days=1)
    ShiftFactory(house=house, date=tuesday, title="Open middag", start=at(tuesday, 14), end=at(tuesday, 16))
    client.force_login(volunteer.user)
    text = client.get(reverse("volunteers:my_shifts"), HTTP_ACCEPT_LANGUAGE="nl").content.decode()
    first = ShiftFactory._meta.model.objects.get(title="Deur week 1")
    # The summary comes before the list of my own shifts and links into the page.
    summary = text.index("Je volgende dienst: woensdag 2 december, 09:00, Deur week 1")
    assert summary < text.index('id="mine-heading"')
    assert f'href="#dienst-{first.pk}"' in text and f'id="dienst-{first.pk}"' in text
    assert 'href="#open">Open diensten (1)</a>' in text and 'id="open"' in text
    # Four weeks of my shifts (2, 9, 16, 23 December); the later four behind a link.
    assert "Deur week 4" in text and "Deur week 5" not in text
    assert "Toon mijn 4 diensten vanaf 28 december" in text
    text = client.get(reverse("volunteers:my_shifts") + "?alle=1", HTTP_ACCEPT_LANGUAGE="nl").content.decode()
    assert "Deur week 8" in text and "Toon alleen de komende vier weken" in text
