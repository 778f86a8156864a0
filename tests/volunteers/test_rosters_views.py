"""The roster pages through real views: who sees what, fixed query counts, bad input."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from django.core import mail
from django.urls import reverse

from tests.factories import ClosureFactory, OpeningHoursFactory, PlaceFactory
from tests.volunteers.factories import CertificateFactory, ShiftAssignmentFactory, ShiftFactory, VolunteerFactory
from volunteers.models import HoursEntry, Shift, ShiftAssignment, ShiftFeed, ShiftPattern, VolunteerRole

AMS = ZoneInfo("Europe/Amsterdam")
MONDAY = dt.date(2026, 11, 30)


def open_place(house, **kwargs):
    """A place of `house` open every day of the week (a weekly shift needs a weekday the place is open)."""
    place = PlaceFactory(house=house, **kwargs)
    for weekday in range(7):
        OpeningHoursFactory(place=place, weekday=weekday)
    return place


def host_volunteer(house, **kwargs):
    volunteer = VolunteerFactory(house=house, roles=[VolunteerRole.HOST], **kwargs)
    CertificateFactory(volunteer=volunteer)
    return volunteer


def roster_url(house):
    return reverse("volunteers:roster", args=[house.slug])


# --- the roster ---------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "who, status",
    [
        ("coordinator", 200),
        ("manager", 200),
        ("host", 404),
        ("municipality", 404),
        ("resident", 404),
        ("other_house_coordinator", 404),
        ("other_manager", 404),
    ],
)
def test_roster_access(client, house, request, who, status):
    client.force_login(request.getfixturevalue(who))
    assert client.get(roster_url(house)).status_code == status


def test_manager_sees_roster_without_changing_it(client, house, manager, coordinator):
    shift = ShiftFactory(house=house, title="Deur ochtend")
    client.force_login(manager)
    text = client.get(roster_url(house)).content.decode()
    assert "Deur ochtend" in text and "Invullen" not in text and "Wekelijkse dienst plannen" not in text
    assert client.get(reverse("volunteers:shift_detail", args=[house.slug, shift.pk])).status_code == 404
    assert client.get(reverse("volunteers:shift_pattern_new", args=[house.slug])).status_code == 404


def test_roster_shows_gaps(client, house, coordinator):
    shift = ShiftFactory(house=house, people_needed=3, title="Deur ochtend")
    ShiftAssignmentFactory(shift=shift, volunteer=host_volunteer(house, first_name="Ria", last_name="Smit"))
    client.force_login(coordinator)
    response = client.get(roster_url(house))
    text = response.content.decode()
    assert "Deur ochtend" in text and "Ria S." in text
    assert "Gaten de komende twee weken: 2" in text


def test_roster_hides_shift_on_closed_day(client, house, coordinator):
    shift = ShiftFactory(house=house, title="Gesloten dienst")
    ClosureFactory(place=shift.place, start_date=shift.date, end_date=shift.date)
    client.force_login(coordinator)
    assert "Gesloten dienst" not in client.get(roster_url(house)).content.decode()


def test_roster_queries_do_not_grow(client, house, coordinator, django_assert_max_num_queries):
    client.force_login(coordinator)

    def shifts(count):
        for index in range(count):
            shift = ShiftFactory(house=house, date=MONDAY + dt.timedelta(days=1 + index % 10))
            ShiftAssignmentFactory(shift=shift, volunteer=host_volunteer(house))

    shifts(1)
    client.get(roster_url(house))
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as one:
        client.get(roster_url(house))
    shifts(19)
    with CaptureQueriesContext(connection) as twenty:
        client.get(roster_url(house))
    assert len(twenty) == len(one)


@pytest.mark.parametrize("value", ["0001-01-01", "9999-12-31", "x" * 10000, "2026-13-45", "\x00"])
def test_roster_bad_week_is_today(client, house, coordinator, value):
    client.force_login(coordinator)
    assert client.get(roster_url(house), {"van": value}).status_code == 200


def test_pattern_new_makes_shifts(client, house, coordinator):
    place = open_place(house)
    client.force_login(coordinator)
    url = reverse("volunteers:shift_pattern_new", args=[house.slug])
    assert client.get(url).status_code == 200
    data = {
        "action": "update",
        "title": "Deur middag",
        "place": place.pk,
        "role": "host",
        "weekday": "2",
        "start_time": "13:00",
        "end_time": "17:00",
        "people_needed": "2",
        "valid_from": "2026-11-30",
        "valid_until": "",
        "activity": "",
    }
    response = client.post(url, data)
    assert response.status_code == 302
    pattern = ShiftPattern.objects.get()
    assert pattern.shifts.count() == 8  # Wednesdays 2 December to 20 January
    assert pattern.shifts.first().date == dt.date(2026, 12, 2)


@pytest.mark.parametrize(
    "field, value",
    [
        ("people_needed", "0"),
        ("people_needed", "51"),
        ("people_needed", "1,5"),
        ("valid_from", "0001-01-01"),
        ("valid_from", "9999-12-31"),
        ("title", "x" * 10000),
        ("title", "a\x00b"),
        ("end_time", "08:00"),
        ("start_time", "25:99"),
        ("place", "abc"),
    ],
)
def test_pattern_bad_input(client, house, coordinator, field, value):
    place = open_place(house)
    client.force_login(coordinator)
    data = {
        "title": "Deur",
        "place": place.pk,
        "role": "host",
        "weekday": "0",
        "start_time": "09:00",
        "end_time": "12:00",
        "people_needed": "1",
        "valid_from": "2026-11-30",
        field: value,
    }
    response = client.post(reverse("volunteers:shift_pattern_new", args=[house.slug]), data)
    assert response.status_code == 200
    assert "Er ging iets mis" in response.content.decode() or "Something went wrong" in response.content.decode()
    assert not ShiftPattern.objects.exists() and not Shift.objects.exists()


def test_pattern_of_other_house_is_404(client, house, other_house, other_house_coordinator, coordinator):
    from volunteers.services.rosters import shift_pattern_create

    pattern = shift_pattern_create(
        house=other_house,
        place=open_place(other_house),
        title="Bar",
        role="bar",
        weekday=4,
        start_time=dt.time(16),
        end_time=dt.time(20),
        people_needed=1,
        valid_from=MONDAY,
        by=other_house_coordinator,
    )
    client.force_login(coordinator)
    assert client.get(reverse("volunteers:shift_pattern_edit", args=[house.slug, pattern.pk])).status_code == 404
    shift = pattern.shifts.first()
    assert client.get(reverse("volunteers:shift_detail", args=[house.slug, shift.pk])).status_code == 404
    assert client.get(reverse("volunteers:shift_detail", args=[other_house.slug, shift.pk])).status_code == 404


def test_pattern_end_through_page(client, house, coordinator):
    from volunteers.services.rosters import shift_pattern_create

    pattern = shift_pattern_create(
        house=house,
        place=open_place(house),
        title="Bar",
        role="bar",
        weekday=4,
        start_time=dt.time(16),
        end_time=dt.time(20),
        people_needed=1,
        valid_from=MONDAY,
        by=coordinator,
    )
    client.force_login(coordinator)
    url = reverse("volunteers:shift_pattern_edit", args=[house.slug, pattern.pk])
    assert client.get(url).status_code == 200
    assert client.post(url, {"action": "end", "last_day": "9999-12-31"}).status_code == 200
    response = client.post(url, {"action": "end", "last_day": "2026-12-10"})
    assert response.status_code == 302
    assert set(pattern.shifts.values_list("date", flat=True)) == {dt.date(2026, 12, 4)}


def test_coordinator_fills_gap(client, house, coordinator, django_capture_on_commit_callbacks):
    shift = ShiftFactory(house=house, people_needed=2)
    busy_shift = ShiftFactory(house=house, date=shift.date, place=shift.place)
    busy = host_volunteer(house, first_name="Bas", last_name="Bezig")
    ShiftAssignmentFactory(shift=busy_shift, volunteer=busy)
    free = host_volunteer(house, first_name="Vera", last_name="Vrij")
    VolunteerFactory(house=house, roles=[VolunteerRole.HOST], first_name="Zonder")  # no VOG
    client.force_login(coordinator)
    url = reverse("volunteers:shift_detail", args=[house.slug, shift.pk])
    text = client.get(url).content.decode()
    assert "Vera Vrij" in text and "Bas Bezig" in text and "Zonder" not in text
    assert "al op een andere dienst" in text
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, {"action": "assign", "volunteer": free.pk})
    assert response.status_code == 302
    assert ShiftAssignment.objects.filter(shift=shift, volunteer=free).exists()
    assert mail.outbox[0].to == [free.user.email]
    assert client.post(url, {"action": "assign", "volunteer": "abc"}).status_code == 200
    assert client.post(url, {"action": "confirm", "assignment": "x\x00"}).status_code == 404


def test_coordinator_fills_a_stand_in_gap(client, house, coordinator, django_capture_on_commit_callbacks):
    from audit.models import Event

    shift = ShiftFactory(house=house, people_needed=1)
    away = host_volunteer(house, first_name="Anna", last_name="Afwezig")
    wanted = ShiftAssignmentFactory(shift=shift, volunteer=away, status=ShiftAssignment.Status.STAND_IN_WANTED)
    free = host_volunteer(house, first_name="Vera", last_name="Vrij")
    client.force_login(coordinator)
    url = reverse("volunteers:shift_detail", args=[house.slug, shift.pk])
    assert "1 plek" in client.get(url).content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, {"action": "assign", "volunteer": free.pk}, follow=True)
    assert "Deze dienst is vol" not in response.content.decode()
    assert "neemt de dienst van Anna A. over" in response.content.decode()
    wanted.refresh_from_db()
    assert wanted.status == ShiftAssignment.Status.HANDED_OVER
    new = ShiftAssignment.objects.get(shift=shift, volunteer=free)
    assert new.status == ShiftAssignment.Status.ASSIGNED and new.stand_in_for == wanted
    assert sorted(message.to[0] for message in mail.outbox) == sorted([away.user.email, free.user.email])
    assert Event.objects.filter(action="shift.take_over", actor=coordinator).count() == 1
    assert ShiftAssignment.objects.filter(shift=shift, status__in=ShiftAssignment.ACTIVE).count() == 1


def test_coordinator_confirms_past_shift(client, house, coordinator, clock):
    shift = ShiftFactory(house=house, date=MONDAY)
    assignment = ShiftAssignmentFactory(shift=shift, volunteer=host_volunteer(house))
    clock.move_to(dt.datetime(2026, 12, 2, 10, tzinfo=AMS))
    client.force_login(coordinator)
    url = reverse("volunteers:shift_detail", args=[house.slug, shift.pk])
    client.post(url, {"action": "confirm", "assignment": assignment.pk})
    assert HoursEntry.objects.get().minutes == 210
    client.post(url, {"action": "unconfirm", "assignment": assignment.pk})
    assert not HoursEntry.objects.exists()


def test_shift_new_and_cancel(client, house, coordinator):
    place = open_place(house)
    client.force_login(coordinator)
    url = reverse("volunteers:shift_new", args=[house.slug])
    data = {
        "title": "Extra",
        "place": place.pk,
        "role": "odd_jobs",
        "date": "2026-12-05",
        "start_time": "10:00",
        "end_time": "12:00",
        "people_needed": "3",
    }
    assert client.post(url, {**data, "date": "2020-01-01"}).status_code == 200
    response = client.post(url, data)
    assert response.status_code == 302
    shift = Shift.objects.get()
    response = client.post(reverse("volunteers:shift_detail", args=[house.slug, shift.pk]), {"action": "cancel"})
    assert response.status_code == 302
    shift.refresh_from_db()
    assert shift.cancelled_at is not None


# --- a volunteer's own shifts -------------------------------------------------------------------------------------


def test_my_shifts_shows_only_what_i_may_take(client, house, other_house):
    volunteer = host_volunteer(house)
    ShiftFactory(house=house, title="Mijn deur")
    ShiftFactory(house=house, title="Kookdienst", role=VolunteerRole.COOK)
    ShiftFactory(house=other_house, title="Ander huis")
    ShiftFactory(house=house, title="Te laat", date=MONDAY + dt.timedelta(days=40))
    client.force_login(volunteer.user)
    text = client.get(reverse("volunteers:my_shifts")).content.decode()
    assert "Mijn deur" in text
    assert "Kookdienst" not in text and "Ander huis" not in text and "Te laat" not in text


def test_my_shifts_hides_day_after_vog_ends(client, house):
    volunteer = VolunteerFactory(house=house, roles=[VolunteerRole.HOST])
    CertificateFactory(
        volunteer=volunteer, issued_on=MONDAY - dt.timedelta(days=700), valid_until=MONDAY + dt.timedelta(days=1)
    )
    ShiftFactory(house=house, title="Dinsdag", date=MONDAY + dt.timedelta(days=1))
    ShiftFactory(house=house, title="Woensdag", date=MONDAY + dt.timedelta(days=2))
    client.force_login(volunteer.user)
    text = client.get(reverse("volunteers:my_shifts")).content.decode()
    assert "Dinsdag" in text and "Woensdag" not in text


def test_sign_up_cancel_and_stand_in(client, house, django_capture_on_commit_callbacks):
    volunteer = host_volunteer(house)
    other = host_volunteer(house)
    shift = ShiftFactory(house=house)
    client.force_login(volunteer.user)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("volunteers:my_shift_sign_up", args=[shift.pk]))
    assignment = ShiftAssignment.objects.get(volunteer=volunteer)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("volunteers:my_assignment", args=[assignment.pk]), {"action": "stand_in"})
    assignment.refresh_from_db()
    assert assignment.status == ShiftAssignment.Status.STAND_IN_WANTED
    assert other.user.email in [message.to[0] for message in mail.outbox]
    client.force_login(other.user)
    assert client.post(reverse("volunteers:my_assignment_cancel", args=[assignment.pk])).status_code == 404
    text = client.get(reverse("volunteers:my_shifts")).content.decode()
    assert "Overnemen" in text
    client.post(reverse("volunteers:my_stand_in_take", args=[assignment.pk]))
    assert ShiftAssignment.objects.get(volunteer=other).stand_in_for == assignment


def test_sign_up_other_house_is_404(client, house, other_house):
    volunteer = host_volunteer(house)
    shift = ShiftFactory(house=other_house)
    client.force_login(volunteer.user)
    assert client.post(reverse("volunteers:my_shift_sign_up", args=[shift.pk])).status_code == 404


def test_full_shift_gives_dutch_message(client, house):
    shift = ShiftFactory(house=house, people_needed=1)
    ShiftAssignmentFactory(shift=shift, volunteer=host_volunteer(house))
    volunteer = host_volunteer(house)
    client.force_login(volunteer.user)
    response = client.post(reverse("volunteers:my_shift_sign_up", args=[shift.pk]), follow=True)
    assert "Deze dienst is vol." in response.content.decode()


def test_my_shifts_queries_do_not_grow(client, house):
    volunteer = host_volunteer(house)
    client.force_login(volunteer.user)
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    ShiftAssignmentFactory(shift=ShiftFactory(house=house), volunteer=volunteer)
    ShiftFactory(house=house, date=MONDAY + dt.timedelta(days=2))
    with CaptureQueriesContext(connection) as one:
        client.get(reverse("volunteers:my_shifts"))
    for index in range(19):
        ShiftAssignmentFactory(
            shift=ShiftFactory(house=house, date=MONDAY + dt.timedelta(days=3 + index)), volunteer=volunteer
        )
        afternoon = MONDAY + dt.timedelta(days=3 + index)  # not at the time of my own shift that day
        ShiftFactory(
            house=house,
            date=afternoon,
            start=dt.datetime.combine(afternoon, dt.time(14), tzinfo=AMS),
            end=dt.datetime.combine(afternoon, dt.time(16), tzinfo=AMS),
        )
    with CaptureQueriesContext(connection) as twenty:
        response = client.get(reverse("volunteers:my_shifts"))
    assert len(twenty) == len(one)
    assert response.content.decode().count("Aanmelden") == 20


def test_closure_after_sign_up_hides_the_shift_from_me_and_my_calendar(client, house, coordinator):
    volunteer = host_volunteer(house)
    shift = ShiftFactory(house=house, title="Deur ochtend", date=MONDAY + dt.timedelta(days=2))
    ShiftAssignmentFactory(shift=shift, volunteer=volunteer)
    ClosureFactory(place=shift.place, start_date=shift.date, end_date=shift.date)
    token = ShiftFeed.objects.create(user=volunteer.user).token
    client.force_login(volunteer.user)
    assert "Deur ochtend" not in client.get(reverse("volunteers:my_shifts")).content.decode()
    assert b"Deur ochtend" not in client.get(reverse("volunteers:shift_feed_ics", args=[token])).content
    client.force_login(coordinator)
    text = client.get(roster_url(house)).content.decode()
    assert f"{shift.place.name} is deze dag dicht" in text and text.count("is deze dag dicht") == 1


def test_pattern_on_a_day_the_place_is_closed_gives_dutch_error(client, house, coordinator):
    place = PlaceFactory(house=house)
    OpeningHoursFactory(place=place, weekday=0)
    client.force_login(coordinator)
    data = {
        "title": "Deur",
        "place": place.pk,
        "role": "host",
        "weekday": "6",
        "start_time": "09:00",
        "end_time": "12:00",
        "people_needed": "1",
        "valid_from": "2026-11-30",
    }
    response = client.post(reverse("volunteers:shift_pattern_new", args=[house.slug]), data)
    assert response.status_code == 200
    assert "is op deze dag van de week niet open" in response.content.decode()
    assert not ShiftPattern.objects.exists()


def test_feed(client, house):
    volunteer = host_volunteer(house)
    ShiftAssignmentFactory(shift=ShiftFactory(house=house, title="Deur ochtend"), volunteer=volunteer)
    client.force_login(volunteer.user)
    page = client.get(reverse("volunteers:shift_feed"))
    assert page.status_code == 200
    token = ShiftFeed.objects.get(user=volunteer.user).token
    client.logout()
    feed = client.get(reverse("volunteers:shift_feed_ics", args=[token]))
    assert feed.status_code == 200 and b"Deur ochtend" in feed.content
    client.force_login(volunteer.user)
    client.post(reverse("volunteers:shift_feed"))
    assert client.get(reverse("volunteers:shift_feed_ics", args=[token])).status_code == 404


# --- at the door --------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "who, status",
    [("host", 200), ("coordinator", 200), ("manager", 404), ("resident", 404), ("other_house_host", 404)],
)
def test_door_shifts_access(client, house, request, who, status):
    client.force_login(request.getfixturevalue(who))
    assert client.get(reverse("volunteers:door_shifts", args=[house.slug])).status_code == status


def test_host_confirms_today(client, house, host, clock):
    shift = ShiftFactory(house=house, date=MONDAY)
    assignment = ShiftAssignmentFactory(
        shift=shift, volunteer=host_volunteer(house, first_name="Ria", last_name="Smit")
    )
    clock.move_to(dt.datetime(2026, 11, 30, 9, 30, tzinfo=AMS))
    client.force_login(host)
    url = reverse("volunteers:door_shifts", args=[house.slug])
    text = client.get(url, HTTP_ACCEPT_LANGUAGE="nl").content.decode()
    assert "Ria S." in text
    # The door screen's slim header, not the site's header with its small menu links.
    assert 'class="huizen-door-header"' in text and "huizen-header" not in text and "huizen-nav" not in text
    assert f'<form method="post" action="{reverse("account_logout")}"' in text
    text = client.post(url, {"action": "confirm", "assignment": assignment.pk}, follow=True).content.decode()
    assert HoursEntry.objects.filter(assignment=assignment).exists()
    assert "Ria S. was er: de uren zijn genoteerd." in text and "geschreven" not in text
    text = client.post(url, {"action": "unconfirm", "assignment": assignment.pk}, follow=True).content.decode()
    assert not HoursEntry.objects.exists()
    assert "Ongedaan gemaakt: Ria S. staat niet meer als aanwezig." in text and ".." not in text
    assert client.post(url, {"action": "confirm", "assignment": "abc"}).status_code == 404


# --- admin --------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("model", ["shiftpattern", "shift", "shiftassignment"])
def test_admin_lists_read_only(client, administrator, house, model):
    ShiftAssignmentFactory(shift=ShiftFactory(house=house), volunteer=host_volunteer(house))
    administrator.is_staff = True
    administrator.save(update_fields=["is_staff"])
    client.force_login(administrator)
    assert client.get(reverse(f"admin:volunteers_{model}_changelist")).status_code == 200
    assert client.get(reverse(f"admin:volunteers_{model}_add")).status_code == 403


def test_pattern_edit_through_page(client, house, coordinator):
    from volunteers.services.rosters import shift_pattern_create

    place = open_place(house)
    pattern = shift_pattern_create(
        house=house,
        place=place,
        title="Kok",
        role="cook",
        weekday=2,
        start_time=dt.time(16),
        end_time=dt.time(19),
        people_needed=2,
        valid_from=MONDAY,
        by=coordinator,
    )
    client.force_login(coordinator)
    url = reverse("volunteers:shift_pattern_edit", args=[house.slug, pattern.pk])
    data = {
        "action": "update",
        "title": "Kok buurtmaaltijd",
        "place": place.pk,
        "role": "cook",
        "weekday": "3",
        "start_time": "15:30",
        "end_time": "19:30",
        "people_needed": "3",
        "valid_until": "",
    }
    assert client.post(url, {**data, "people_needed": "abc"}).status_code == 200
    assert client.post(url, data).status_code == 302
    dates = set(pattern.shifts.values_list("date", flat=True))
    assert dt.date(2026, 12, 3) in dates and dt.date(2026, 12, 2) not in dates
    assert set(pattern.shifts.values_list("people_needed", flat=True)) == {3}
    roster = client.get(roster_url(house)).content.decode()
    assert "Kok buurtmaaltijd" in roster and "donderdag 15:30" in roster


def test_filling_a_gap_with_someone_without_e_mail_says_so(
    client, house, coordinator, django_capture_on_commit_callbacks
):
    shift = ShiftFactory(house=house)
    offline = VolunteerFactory(
        house=house, user=None, roles=[VolunteerRole.HOST], first_name="Farid", last_name="Mansour"
    )
    CertificateFactory(volunteer=offline)
    client.force_login(coordinator)
    url = reverse("volunteers:shift_detail", args=[house.slug, shift.pk])
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, {"action": "assign", "volunteer": offline.pk}, follow=True)
    text = response.content.decode()
    assert "krijgt een e-mail" not in text
    assert "Farid M. is ingeroosterd, maar heeft geen e-mailadres: laat het zelf weten." in text
    assert mail.outbox == []


def test_pattern_form_lists_each_running_activity_once(client, house, coordinator):
    from tests.factories import ActivityFactory

    place = open_place(house)
    ActivityFactory(
        house=house,
        place=place,
        title="Taalcafé",
        first_date=MONDAY - dt.timedelta(days=300),
        until=MONDAY - dt.timedelta(days=92),
    )
    ActivityFactory(
        house=house,
        place=place,
        title="Taalcafé",
        first_date=MONDAY - dt.timedelta(days=91),
        until=MONDAY + dt.timedelta(days=56),
    )
    ActivityFactory(house=house, place=place, title="Koffie-inloop", first_date=MONDAY - dt.timedelta(days=91))
    client.force_login(coordinator)
    text = client.get(
        reverse("volunteers:shift_pattern_new", args=[house.slug]), HTTP_ACCEPT_LANGUAGE="nl"
    ).content.decode()
    assert text.count(">Taalcafé</option>") == 1
    assert text.index(">Koffie-inloop</option>") < text.index(">Taalcafé</option>")
    assert ">Tot</label>" in text and "Tot en met" not in text
