"""People and certificates: the pages, who may see them, bad input and bounded queries."""

import datetime as dt

import pytest
from django.urls import reverse

from tests.factories import UserFactory
from tests.volunteers.factories import (
    CertificateFactory,
    HoursEntryFactory,
    ShiftAssignmentFactory,
    ShiftFactory,
    VolunteerFactory,
)
from volunteers.models import AllowancePayment, Certificate, RoleCertificate, Volunteer

TODAY = dt.date(2026, 11, 30)


def url(name, house, *args):
    return reverse(f"volunteers:{name}", args=[house.slug, *args])


@pytest.fixture
def as_coordinator(english, coordinator):
    english.force_login(coordinator)
    return english


# --- residents --------------------------------------------------------------------------------------------------


def test_the_public_page_lists_houses_to_sign_up(client, house):
    response = client.get(reverse("volunteers:signup_houses"))
    assert response.status_code == 200
    assert reverse("volunteers:signup", args=[house.slug]) in response.content.decode()


def test_the_sign_up_houses_are_grouped_by_area_in_one_query(client, house, django_assert_num_queries):
    from tests.factories import DistrictFactory, HouseFactory, NeighbourhoodFactory

    north = NeighbourhoodFactory(district=DistrictFactory(name="Aa Noord", slug="aa-noord"), name="Wijk Noord")
    south = NeighbourhoodFactory(district=DistrictFactory(name="Zz Zuid", slug="zz-zuid"), name="Wijk Zuid")
    HouseFactory(name="Zuidhuis", neighbourhood=south)
    HouseFactory(name="Noordhuis", neighbourhood=north)
    HouseFactory(name="Ander Noordhuis", neighbourhood=north)
    with django_assert_num_queries(1):
        page = client.get(reverse("volunteers:signup_houses")).content.decode()
    noord = page.index('id="gebied-aa-noord"')
    zuid = page.index('id="gebied-zz-zuid"')
    assert noord < page.index("Ander Noordhuis") < page.index("Noordhuis</a>") < zuid < page.index("Zuidhuis")
    assert 'href="#gebied-zz-zuid"' in page


def test_a_resident_signs_up_and_sees_it_under_my_volunteering(english, resident, house):
    english.force_login(resident)
    response = english.post(
        reverse("volunteers:signup", args=[house.slug]),
        {
            "roles": ["cook", "bar"],
            "availability": ["mon_morning"],
            "availability_note": "Not on school holidays",
            "phone": "0612345678",
        },
    )
    assert response.status_code == 302
    volunteer = Volunteer.objects.get(user=resident, house=house)
    assert volunteer.availability == ["mon_morning"]
    page = english.get(reverse("volunteers:my_volunteering")).content.decode()
    assert house.name in page and "Signed up" in page
    assert "Usually available" in page and "Monday morning" in page
    assert "Not on school holidays" in page
    again = english.get(reverse("volunteers:signup", args=[house.slug])).content.decode()
    assert "You already signed up at this house" in again


def test_sign_up_needs_login(client, house):
    response = client.get(reverse("volunteers:signup", args=[house.slug]))
    assert response.status_code == 302 and "login" in response.url


@pytest.mark.parametrize(
    "data",
    [
        {"roles": []},
        {"roles": ["astronaut"]},
        {"roles": ["cook"], "date_of_birth": "0001-01-01"},
        {"roles": ["cook"], "date_of_birth": "9999-12-31"},
        {"roles": ["cook"], "date_of_birth": "2030-01-01"},
        {"roles": ["cook"], "date_of_birth": "31-31-2000"},
        {"roles": ["cook"], "motivation": "x" * 10_000},
        {"roles": ["cook"], "phone": "06\x00123"},
        {"roles": ["cook"], "skills": "koken\x00"},
        {"roles": ["cook"], "availability": ["mon_midnight"]},
    ],
)
def test_bad_sign_up_input_gives_a_form_error_and_saves_nothing(client, resident, house, data):
    client.force_login(resident)
    response = client.post(reverse("volunteers:signup", args=[house.slug]), data)
    assert response.status_code == 400
    assert "huizen-error-summary" in response.content.decode()
    assert not Volunteer.objects.exists()


def test_my_volunteering_shows_only_my_own(client, resident, house):
    mine = VolunteerFactory(house=house, user=resident, roles=["bar"])
    RoleCertificate.objects.get_or_create(role="bar", certificate="iva")
    other = VolunteerFactory(house=house, first_name="Someone-else")
    client.force_login(resident)
    page = client.get(reverse("volunteers:my_volunteering")).content.decode()
    assert house.name in page and other.first_name not in page
    assert mine.pk


# --- the house ---------------------------------------------------------------------------------------------------


def test_the_list_shows_figures_and_idle_marks(as_coordinator, house):
    RoleCertificate.objects.get_or_create(role="host", certificate="vog")
    busy = VolunteerFactory(house=house, first_name="Busy", roles=["host"])
    CertificateFactory(volunteer=busy, issued_on=TODAY - dt.timedelta(days=3 * 365 - 30))
    HoursEntryFactory(volunteer=busy, minutes=150, date=TODAY - dt.timedelta(days=3))
    HoursEntryFactory(volunteer=busy, minutes=600, date=dt.date(2025, 12, 1))  # last year: not counted
    AllowancePayment.objects.create(
        volunteer=busy, month=dt.date(2026, 10, 1), hours=2, amount="12.50", paid_on=dt.date(2026, 11, 2)
    )
    ShiftAssignmentFactory(volunteer=busy, shift=ShiftFactory(house=house, date=TODAY - dt.timedelta(days=10)))
    VolunteerFactory(house=house, first_name="Idle", roles=["cook"])
    VolunteerFactory(house=house, first_name="Waiting", status=Volunteer.Status.APPLIED, start_date=None)
    response = as_coordinator.get(url("house_volunteers", house))
    page = response.content.decode()
    assert response.status_code == 200
    assert "2:30" in page and "12.50" in page
    assert "never rostered" in page
    assert page.index("Waiting") < page.index("Busy")
    assert "renew soon" in page
    idle = as_coordinator.get(url("house_volunteers", house) + "?idle=on").content.decode()
    assert "Idle" in idle and ">Busy " not in idle
    due = as_coordinator.get(url("house_volunteers", house) + "?due=on").content.decode()
    assert ">Busy " in due and ">Idle " not in due


def test_the_list_in_dutch_formats_like_the_other_pages(client, coordinator, house):
    """Thousands separator, hours as h:mm, the last shift that took place, waiting applications unfiltered and
    namesakes told apart."""
    client.force_login(coordinator)
    latifa = VolunteerFactory(
        house=house, first_name="Latifa", last_name="van Leeuwen", email="latifa@example.org", roles=["cook"]
    )
    VolunteerFactory(
        house=house, first_name="Latifa", last_name="van Leeuwen", email="", user=None, start_date=TODAY.replace(day=2)
    )
    for days in range(1, 6):
        HoursEntryFactory(volunteer=latifa, minutes=19 * 60 + 48, date=TODAY - dt.timedelta(days=days))
    AllowancePayment.objects.create(
        volunteer=latifa, month=dt.date(2026, 10, 1), hours=99, amount="2200.00", paid_on=dt.date(2026, 11, 2)
    )
    ShiftAssignmentFactory(volunteer=latifa, shift=ShiftFactory(house=house, date=TODAY - dt.timedelta(days=100)))
    ShiftAssignmentFactory(volunteer=latifa, shift=ShiftFactory(house=house, date=TODAY + dt.timedelta(days=60)))
    VolunteerFactory(house=house, first_name="Wachtend", status=Volunteer.Status.APPLIED, start_date=None)
    old = VolunteerFactory(house=house, first_name="Oud")
    ShiftAssignmentFactory(volunteer=old, shift=ShiftFactory(house=house, date=TODAY - dt.timedelta(days=100)))
    page = client.get(url("house_volunteers", house)).content.decode()
    assert "€ 2.200,00" in page
    assert "99:00" in page and "99,0" not in page
    row = page[page.index("latifa@example.org") :]
    row = row[: row.index("</tr>")]
    assert "22-8-2026" in row and "28-1-2027" not in row  # the shift 100 days ago, not the one planned
    assert "volgende dienst gepland" in row and "niet ingeroosterd" not in row  # a shift planned: not idle
    assert "niet ingeroosterd sinds 22-8-2026" in page  # Oud: the same shift date, nothing planned
    assert "latifa@example.org" in page and "sinds 2-11-2026" in page
    idle = client.get(url("house_volunteers", house) + "?idle=on").content.decode()
    assert ">Oud " in idle and "latifa@example.org" not in idle
    for query in ("?due=on", "?idle=on", "?role=host"):
        filtered = client.get(url("house_volunteers", house) + query).content.decode()
        assert "Wachtend" in filtered and "Er wachten geen aanmeldingen" not in filtered, query
    payment_form = client.get(reverse("volunteers:allowances", args=[house.slug])).content.decode()
    assert "Latifa van Leeuwen (latifa@example.org)" in payment_form
    assert "Latifa van Leeuwen (sinds 2-11-2026)" in payment_form


def test_the_lists_allowance_counts_the_month_paid_for_like_the_caps(as_coordinator, house):
    volunteer = VolunteerFactory(house=house, first_name="Paid")
    AllowancePayment.objects.create(  # December's allowance, paid in January: it belongs to last year
        volunteer=volunteer, month=dt.date(2025, 12, 1), hours=2, amount="7.77", paid_on=dt.date(2026, 1, 8)
    )
    AllowancePayment.objects.create(
        volunteer=volunteer, month=dt.date(2026, 1, 1), hours=1, amount="3.30", paid_on=dt.date(2026, 2, 3)
    )
    page = as_coordinator.get(url("house_volunteers", house)).content.decode()
    assert "€ 3.30" in page
    assert "11.07" not in page and "7.77" not in page


def test_the_list_costs_the_same_for_1_or_20_volunteers(client, coordinator, house, django_assert_max_num_queries):
    RoleCertificate.objects.get_or_create(role="host", certificate="vog")
    client.force_login(coordinator)

    def make(n):
        for _ in range(n):
            volunteer = VolunteerFactory(house=house, roles=["host", "cook"])
            CertificateFactory(volunteer=volunteer)
            HoursEntryFactory(volunteer=volunteer)
            ShiftAssignmentFactory(volunteer=volunteer, shift=ShiftFactory(house=house))

    make(1)
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as one:
        assert client.get(url("house_volunteers", house)).status_code == 200
    make(19)
    with CaptureQueriesContext(connection) as twenty:
        assert client.get(url("house_volunteers", house)).status_code == 200
    assert len(twenty) == len(one)


def test_permissions_on_the_list(
    client, house, coordinator, manager, host, municipality, resident, other_house_coordinator, other_manager
):
    volunteer = VolunteerFactory(house=house)
    for user, status in [
        (coordinator, 200),
        (manager, 200),
        (host, 404),
        (municipality, 404),
        (resident, 404),
        (other_house_coordinator, 404),
        (other_manager, 404),
    ]:
        client.force_login(user)
        assert client.get(url("house_volunteers", house)).status_code == status, user
        assert client.get(url("volunteer_detail", house, volunteer.pk)).status_code == status, user


def test_a_manager_reads_but_does_not_decide(client, manager, house):
    volunteer = VolunteerFactory(house=house, status=Volunteer.Status.APPLIED, start_date=None)
    client.force_login(manager)
    page = client.get(url("volunteer_detail", house, volunteer.pk)).content.decode()
    assert "Save the decision" not in page and "Opslaan" not in page.split("Besluit")[-1]
    response = client.post(url("volunteer_decide", house, volunteer.pk), {"decide-decision": "accept"})
    assert response.status_code == 404
    for name in ("volunteer_new", "paper_form", "house_settings"):
        assert client.get(url(name, house)).status_code == 404
    volunteer.refresh_from_db()
    assert volunteer.status == Volunteer.Status.APPLIED


def test_the_certificate_form_defaults_to_the_kind_the_roles_need_first(as_coordinator, house):
    RoleCertificate.objects.get_or_create(role="bar", certificate="iva")
    RoleCertificate.objects.get_or_create(role="host", certificate="vog")
    bar = VolunteerFactory(house=house, roles=["bar"])
    both = VolunteerFactory(house=house, roles=["bar", "host"])
    CertificateFactory(volunteer=both, kind="iva", issued_on=TODAY - dt.timedelta(days=30))
    expiring = VolunteerFactory(house=house, roles=["bar", "host"])
    CertificateFactory(volunteer=expiring, kind="iva", issued_on=TODAY - dt.timedelta(days=30))
    CertificateFactory(volunteer=expiring, kind="vog", issued_on=TODAY - dt.timedelta(days=3 * 365 - 30))

    def chosen(volunteer):
        page = as_coordinator.get(url("volunteer_detail", house, volunteer.pk)).content.decode()
        select = page[page.index('name="certificate-kind"') :]
        return select[: select.index("</select>")]

    assert '<option value="iva" selected>' in chosen(bar)
    assert '<option value="vog" selected>' in chosen(both)  # IVA is valid, VOG missing
    assert '<option value="vog" selected>' in chosen(expiring)  # VOG expires within 60 days


def test_another_house_volunteer_gives_404(as_coordinator, house, other_house):
    theirs = VolunteerFactory(house=other_house)
    assert as_coordinator.get(url("volunteer_detail", house, theirs.pk)).status_code == 404
    assert (
        as_coordinator.post(url("volunteer_decide", house, theirs.pk), {"decide-decision": "accept"}).status_code == 404
    )
    response = as_coordinator.post(
        url("certificate_record", house, theirs.pk), {"certificate-kind": "vog", "certificate-issued_on": "2026-01-01"}
    )
    assert response.status_code == 404
    assert not Certificate.objects.exists()


def test_accept_then_record_a_certificate_then_stop(as_coordinator, house):
    volunteer = VolunteerFactory(house=house, status=Volunteer.Status.APPLIED, start_date=None, user=None, email="")
    response = as_coordinator.post(
        url("volunteer_decide", house, volunteer.pk), {"decide-decision": "accept", "decide-start_date": "2026-12-01"}
    )
    assert response.status_code == 302
    page = as_coordinator.get(response.url).content.decode()
    assert "tell the volunteer yourself" in page
    volunteer.refresh_from_db()
    assert volunteer.start_date == dt.date(2026, 12, 1)
    response = as_coordinator.post(
        url("certificate_record", house, volunteer.pk),
        {"certificate-kind": "vog", "certificate-issued_on": "2026-11-02"},
    )
    assert response.status_code == 302
    assert volunteer.certificates.get().valid_until == dt.date(2029, 11, 1)
    message = as_coordinator.get(response.url).content.decode()
    assert "valid until 1 November 2029" in message and "01-11-2029" not in message
    response = as_coordinator.post(
        url("volunteer_decide", house, volunteer.pk),
        {"stop": "1", "stop-end_date": "2026-12-31", "stop-reason": "Klaar"},
    )
    assert response.status_code == 302
    volunteer.refresh_from_db()
    assert volunteer.status == Volunteer.Status.STOPPED and volunteer.end_date == dt.date(2026, 12, 31)


@pytest.mark.parametrize(
    "data",
    [
        {"certificate-kind": "vog", "certificate-issued_on": "0001-01-01"},
        {"certificate-kind": "vog", "certificate-issued_on": "9999-12-31"},
        {"certificate-kind": "vog", "certificate-issued_on": "2027-01-01"},
        {"certificate-kind": "vog", "certificate-issued_on": "nonsense"},
        {"certificate-kind": "passport", "certificate-issued_on": "2026-01-01"},
    ],
)
def test_bad_certificate_input(as_coordinator, house, data):
    volunteer = VolunteerFactory(house=house)
    response = as_coordinator.post(url("certificate_record", house, volunteer.pk), data)
    assert response.status_code == 400
    assert "huizen-error-summary" in response.content.decode()
    assert not Certificate.objects.exists()


def test_bad_decision_input(as_coordinator, house):
    volunteer = VolunteerFactory(house=house, status=Volunteer.Status.APPLIED, start_date=None)
    for data in (
        {"decide-decision": "maybe"},
        {"decide-decision": "accept", "decide-start_date": "9999-12-31"},
        {"decide-decision": "on_hold", "decide-reason": ""},
        {"decide-decision": "on_hold", "decide-reason": "x" * 10_000},
        {"decide-decision": "on_hold", "decide-reason": "a\x00b"},
    ):
        response = as_coordinator.post(url("volunteer_decide", house, volunteer.pk), data)
        assert response.status_code == 400, data
    volunteer.refresh_from_db()
    assert volunteer.status == Volunteer.Status.APPLIED


def test_register_someone_without_email(as_coordinator, house):
    response = as_coordinator.post(
        url("volunteer_new", house),
        {"first_name": "Henk", "language": "nl", "roles": ["odd_jobs"], "accept": "on", "start_date": ""},
    )
    assert response.status_code == 302
    volunteer = Volunteer.objects.get()
    assert volunteer.status == Volunteer.Status.ACCEPTED and volunteer.start_date == TODAY
    bad = as_coordinator.post(
        url("volunteer_new", house), {"first_name": "x" * 10_000, "language": "nl", "roles": ["bar"]}
    )
    assert bad.status_code == 400 and Volunteer.objects.count() == 1


def test_edit_details(as_coordinator, house):
    volunteer = VolunteerFactory(house=house, roles=["host"])
    data = {
        "roles": ["bar"],
        "first_name": "Nieuw",
        "last_name": "",
        "email": "",
        "phone": "",
        "language": "en",
        "agreement_signed_on": "2026-11-01",
        "date_of_birth": "",
    }
    assert as_coordinator.post(url("volunteer_edit", house, volunteer.pk), data).status_code == 302
    volunteer.refresh_from_db()
    assert volunteer.first_name == "Nieuw" and volunteer.agreement_signed_on == dt.date(2026, 11, 1)
    bad = as_coordinator.post(url("volunteer_edit", house, volunteer.pk), {**data, "agreement_signed_on": "2027-06-01"})
    assert bad.status_code == 400


def test_paper_form_and_settings(as_coordinator, house):
    page = as_coordinator.get(url("paper_form", house)).content.decode()
    assert "What would you like to do?" in page and "Monday" in page
    assert (
        as_coordinator.post(
            url("house_settings", house), {"certificate_renewal_years": "0", "idle_after_days": "90"}
        ).status_code
        == 400
    )
    assert (
        as_coordinator.post(
            url("house_settings", house), {"certificate_renewal_years": "4", "idle_after_days": "abc"}
        ).status_code
        == 400
    )
    assert (
        as_coordinator.post(
            url("house_settings", house), {"certificate_renewal_years": "4", "idle_after_days": "120"}
        ).status_code
        == 302
    )
    assert house.volunteering.certificate_renewal_years == 4


def test_settings_errors_are_clear_dutch(client, coordinator, house):
    client.force_login(coordinator)
    for data, message in (
        ({"certificate_renewal_years": "11", "idle_after_days": "90"}, "jaren in van 1 tot en met 10"),
        ({"certificate_renewal_years": "1,5", "idle_after_days": "90"}, "jaren in van 1 tot en met 10"),
        ({"certificate_renewal_years": "4", "idle_after_days": "3"}, "dagen in van 7 tot en met 730"),
    ):
        page = client.post(url("house_settings", house), data).content.decode()
        assert message in page and "Zorg ervoor" not in page, data


def test_start_page_counts_certificates_due_and_links_residents(client, coordinator, house, resident):
    RoleCertificate.objects.get_or_create(role="host", certificate="vog")
    volunteer = VolunteerFactory(house=house, roles=["host"])
    CertificateFactory(volunteer=volunteer, issued_on=dt.date(2023, 12, 10))  # valid until 2026-12-09
    client.force_login(coordinator)
    page = client.get(reverse("start")).content.decode()
    assert url("house_volunteers", house) + "?due=on" in page
    assert reverse("volunteers:house_volunteers", args=[house.slug]) in page
    client.force_login(resident)
    page = client.get(reverse("start")).content.decode()
    assert reverse("volunteers:signup_houses") in page
    VolunteerFactory(house=house, user=resident)
    page = client.get(reverse("start")).content.decode()
    assert reverse("volunteers:my_volunteering") in page


def test_a_stranger_user_cannot_see_volunteers(client, house):
    client.force_login(UserFactory())
    assert client.get(url("house_volunteers", house)).status_code == 404


def test_the_sign_up_form_is_dutch(client, resident, house):
    client.force_login(resident)
    page = client.get(reverse("volunteers:signup", args=[house.slug])).content.decode()
    assert "Wat wil je graag doen?" in page and "kok" in page
    assert "maandag ochtend" in page.lower()
