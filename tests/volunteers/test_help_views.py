"""Burenhulp pages: posting as a resident and on someone's behalf, the coordinator's list (order, query count), the
match, the volunteer's answer, "did it happen?", cancelling, and who sees the requester's contact (nobody else)."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from tests.factories import RoleAssignmentFactory, UserFactory
from tests.volunteers.factories import CertificateFactory, HelpRequestFactory, VolunteerFactory
from volunteers.models import HelpOffer, HelpRequest, HoursEntry, VolunteerRole
from volunteers.services import help as services

TODAY = dt.date(2026, 11, 30)
PHONE = "06-98765432"
ADDRESS = "Kloosterstraat 17"


def neighbour_helper(house, **kwargs):
    volunteer = VolunteerFactory(house=house, roles=[VolunteerRole.NEIGHBOUR_HELP], **kwargs)
    CertificateFactory(volunteer=volunteer)
    return volunteer


@pytest.fixture
def helper(house):
    return neighbour_helper(house, first_name="Sanne")


@pytest.fixture
def help_request(house):
    return HelpRequestFactory(house=house, requester_phone=PHONE, requester_address=ADDRESS)


def offer_and_accept(help_request, helper, coordinator):
    offer = services.help_request_offer(request=help_request, volunteer=helper, by=coordinator)
    services.help_offer_answer(offer=offer, accept=True, by=helper.user)
    help_request.refresh_from_db()
    return offer


def form_data(house_or_none, **overrides):
    data = {
        "house": house_or_none.pk,
        "kind": "groceries",
        "description": "Boodschappen voor deze week.",
        "wanted_on": (TODAY + dt.timedelta(days=3)).isoformat(),
        "wanted_time": "ochtend",
        "phone": PHONE,
        "address": ADDRESS,
    }
    data.update(overrides)
    return data


# --- the resident -------------------------------------------------------------------------------------------------


def test_a_visitor_must_log_in(client):
    response = client.get(reverse("volunteers:help_new"))
    assert response.status_code == 302 and "login" in response["Location"]


def test_a_resident_posts_a_request_and_sees_it(client, house, resident):
    client.force_login(resident)
    response = client.get(reverse("volunteers:help_new") + f"?huis={house.slug}")
    assert response.status_code == 200
    response = client.post(reverse("volunteers:help_new"), form_data(house))
    assert response.status_code == 302 and response["Location"] == reverse("volunteers:my_help")
    request = HelpRequest.objects.get()
    assert (request.requester, request.house, request.requester_phone) == (resident, house, PHONE)
    page = client.get(reverse("volunteers:my_help")).content.decode()
    assert "Boodschappen voor deze week." in page


@pytest.mark.parametrize(
    "overrides",
    [
        {"wanted_on": "0001-01-01"},
        {"wanted_on": "9999-12-31"},
        {"wanted_on": "31-02-2026"},
        {"wanted_on": (TODAY - dt.timedelta(days=1)).isoformat()},
        {"wanted_on": (TODAY + dt.timedelta(days=61)).isoformat()},
        {"description": "x" * 10_000},
        {"description": "hulp\x00"},
        {"wanted_time": "x" * 10_000},
        {"phone": "1\x002"},
        {"address": ""},
        {"kind": "nonsense"},
        {"house": "abc"},
    ],
)
def test_bad_input_gives_a_dutch_error_and_saves_nothing(client, house, resident, overrides):
    client.force_login(resident)
    response = client.post(reverse("volunteers:help_new"), form_data(house, **overrides))
    assert response.status_code == 200
    assert "Er ging iets mis" in response.content.decode()
    assert response.context["form"].errors
    assert not HelpRequest.objects.exists()


def test_the_resident_cancels_their_own_open_request_but_not_another(client, house, resident, help_request):
    mine = HelpRequestFactory(house=house, requester=resident)
    client.force_login(resident)
    assert client.get(reverse("volunteers:help_cancel", args=[help_request.pk])).status_code == 404
    assert client.post(reverse("volunteers:help_cancel", args=[help_request.pk])).status_code == 404
    response = client.post(reverse("volunteers:help_cancel", args=[mine.pk]))
    assert response.status_code == 302
    mine.refresh_from_db()
    help_request.refresh_from_db()
    assert mine.status == HelpRequest.Status.CANCELLED and help_request.status == HelpRequest.Status.OPEN


def test_my_help_shows_only_own_requests(client, house, resident, help_request):
    HelpRequestFactory(house=house, requester=resident, description="Mijn eigen vraag")
    client.force_login(resident)
    page = client.get(reverse("volunteers:my_help")).content.decode()
    assert "Mijn eigen vraag" in page and PHONE not in page


# --- on someone's behalf ---------------------------------------------------------------------------------------


def test_a_professional_posts_on_someones_behalf(client, house, professional):
    client.force_login(professional)
    url = reverse("volunteers:help_new_on_behalf", args=[house.slug])
    assert client.get(url).status_code == 200
    for bad in ("xx", "", "\x00"):
        response = client.post(url, form_data(house, requester_name="Mevrouw De Vries", requester_language=bad))
        assert response.status_code == 200 and "requester_language" in response.context["form"].errors
    assert not HelpRequest.objects.exists()
    data = form_data(house, requester_name="Mevrouw De Vries", email="", requester_language="en")
    response = client.post(url, data)
    assert response.status_code == 302
    request = HelpRequest.objects.get()
    assert request.on_behalf and request.requester is None and request.posted_by == professional
    assert request.requester_name == "Mevrouw De Vries" and request.requester_language == "en"


@pytest.mark.parametrize("who", ["host", "manager", "resident", "other_house_coordinator", "municipality"])
def test_others_may_not_post_on_behalf(client, house, who, request):
    client.force_login(request.getfixturevalue(who))
    assert client.get(reverse("volunteers:help_new_on_behalf", args=[house.slug])).status_code == 404


# --- the coordinator ------------------------------------------------------------------------------------------


def test_the_list_shows_open_first_then_busy_then_closed(client, house, coordinator, helper):
    closed = HelpRequestFactory(house=house, description="GESLOTEN", status="cancelled", wanted_on=TODAY)
    busy = HelpRequestFactory(house=house, description="BEZIG")
    services.help_request_offer(request=busy, volunteer=helper, by=coordinator)
    late = HelpRequestFactory(house=house, description="LATER", wanted_on=TODAY + dt.timedelta(days=9))
    soon = HelpRequestFactory(house=house, description="EERST", wanted_on=TODAY + dt.timedelta(days=1))
    client.force_login(coordinator)
    page = client.get(reverse("volunteers:house_help", args=[house.slug])).content.decode()
    positions = [page.index(text) for text in ("EERST", "LATER", "BEZIG", "GESLOTEN")]
    assert positions == sorted(positions)
    assert closed and late and soon


def test_the_list_query_count_does_not_grow_with_rows(client, house, coordinator, helper):
    client.force_login(coordinator)
    url = reverse("volunteers:house_help", args=[house.slug])
    request = HelpRequestFactory(house=house)
    services.help_request_offer(request=request, volunteer=helper, by=coordinator)
    client.get(url)
    with CaptureQueriesContext(connection) as one:
        assert client.get(url).status_code == 200
    for _ in range(19):
        other = HelpRequestFactory(house=house)
        offer = services.help_request_offer(request=other, volunteer=helper, by=coordinator)
        services.help_offer_answer(offer=offer, accept=False, by=helper.user)
    with CaptureQueriesContext(connection) as twenty:
        assert client.get(url).status_code == 200
    assert len(twenty) == len(one)


@pytest.mark.parametrize(
    "who", ["host", "manager", "resident", "other_house_coordinator", "municipality", "professional", "administrator"]
)
def test_only_coordinators_reach_the_list_and_the_detail(client, house, help_request, who, request):
    client.force_login(request.getfixturevalue(who))
    assert client.get(reverse("volunteers:house_help", args=[house.slug])).status_code == 404
    assert client.get(reverse("volunteers:help_detail", args=[house.slug, help_request.pk])).status_code == 404


def test_another_houses_request_is_404_for_the_coordinator(client, house, other_house, coordinator):
    theirs = HelpRequestFactory(house=other_house)
    client.force_login(coordinator)
    assert client.get(reverse("volunteers:help_detail", args=[house.slug, theirs.pk])).status_code == 404
    assert client.get(reverse("volunteers:help_detail", args=[other_house.slug, theirs.pk])).status_code == 404
    assert client.post(reverse("volunteers:help_cancel", args=[theirs.pk])).status_code == 404


def test_the_coordinator_matches_a_qualified_helper_only(client, house, other_house, coordinator, helper, help_request):
    cook = VolunteerFactory(house=house, roles=[VolunteerRole.COOK])
    stranger = neighbour_helper(other_house)
    client.force_login(coordinator)
    detail = client.get(reverse("volunteers:help_detail", args=[house.slug, help_request.pk]))
    page = detail.content.decode()
    assert PHONE in page and ADDRESS in page  # the coordinator sees the contact
    assert helper.first_name in page and cook.first_name + " " + cook.last_name not in page
    url = reverse("volunteers:help_offer", args=[house.slug, help_request.pk])
    for bad in (cook.pk, stranger.pk, "abc", ""):
        response = client.post(url, {"volunteer": bad})
        assert response.status_code == 200 and response.context["offer_form"].errors
    assert not HelpOffer.objects.exists()
    response = client.post(url, {"volunteer": helper.pk})
    assert response.status_code == 302
    help_request.refresh_from_db()
    assert help_request.status == HelpRequest.Status.OFFERED


# --- the volunteer --------------------------------------------------------------------------------------------


def test_the_volunteer_sees_the_contact_only_after_accepting(client, house, coordinator, helper, help_request):
    offer = services.help_request_offer(request=help_request, volunteer=helper, by=coordinator)
    client.force_login(helper.user)
    page = client.get(reverse("volunteers:my_help_offers")).content.decode()
    assert help_request.description in page and house.neighbourhood.name in page
    assert PHONE not in page and ADDRESS not in page and help_request.requester_name not in page
    answer = client.get(reverse("volunteers:help_answer", args=[offer.pk])).content.decode()
    assert PHONE not in answer
    response = client.post(reverse("volunteers:help_answer", args=[offer.pk]), {"answer": "accept"})
    assert response.status_code == 302
    page = client.get(reverse("volunteers:my_help_offers")).content.decode()
    assert PHONE in page and ADDRESS in page and help_request.requester_name in page


def test_a_bad_answer_is_an_error(client, house, coordinator, helper, help_request):
    offer = services.help_request_offer(request=help_request, volunteer=helper, by=coordinator)
    client.force_login(helper.user)
    response = client.post(reverse("volunteers:help_answer", args=[offer.pk]), {"answer": "maybe"})
    assert response.status_code == 200 and response.context["form"].errors
    offer.refresh_from_db()
    assert offer.status == HelpOffer.Status.OFFERED


def test_declining_shows_on_the_coordinators_list(client, house, coordinator, helper, help_request):
    offer = services.help_request_offer(request=help_request, volunteer=helper, by=coordinator)
    client.force_login(helper.user)
    client.post(reverse("volunteers:help_answer", args=[offer.pk]), {"answer": "decline"})
    client.force_login(coordinator)
    page = client.get(reverse("volunteers:house_help", args=[house.slug])).content.decode()
    assert f"{helper.short_name} zei nee" in page


@pytest.mark.parametrize(
    "who",
    ["other_volunteer", "host", "manager", "other_house_coordinator", "neighbour", "professional", "administrator"],
)
def test_nobody_else_sees_the_matched_requesters_contact(client, house, other_house, coordinator, helper, who, request):
    help_request = HelpRequestFactory(house=house, requester_phone=PHONE, requester_address=ADDRESS)
    offer = offer_and_accept(help_request, helper, coordinator)
    users = {
        "other_volunteer": lambda: neighbour_helper(house).user,
        "neighbour": lambda: HelpRequestFactory(house=house).requester,
    }
    user = users[who]() if who in users else request.getfixturevalue(who)
    client.force_login(user)
    urls = [
        reverse("volunteers:my_help_offers"),
        reverse("volunteers:my_help"),
        reverse("volunteers:house_help", args=[house.slug]),
        reverse("volunteers:help_detail", args=[house.slug, help_request.pk]),
        reverse("volunteers:help_answer", args=[offer.pk]),
        reverse("volunteers:help_close", args=[help_request.pk]),
        reverse("volunteers:help_cancel", args=[help_request.pk]),
    ]
    for url in urls:
        response = client.get(url)
        assert response.status_code in (200, 404), url
        if response.status_code == 200:
            body = response.content.decode()
            assert PHONE not in body and ADDRESS not in body, url


def test_the_volunteer_answers_did_it_happen(client, house, coordinator, helper, help_request, clock):
    offer_and_accept(help_request, helper, coordinator)
    client.force_login(helper.user)
    url = reverse("volunteers:help_close", args=[help_request.pk])
    clock.move_to(dt.datetime(2026, 12, 3, 9, 0, tzinfo=timezone.get_default_timezone()))
    for bad in ({"happened": "yes"}, {"happened": "yes", "minutes": "abc"}, {"happened": "yes", "minutes": "9999"}):
        response = client.post(url, bad)
        assert response.status_code == 200 and response.context["form"].errors
    response = client.post(url, {"happened": "yes", "minutes": "90"})
    assert response.status_code == 302
    help_request.refresh_from_db()
    assert help_request.status == HelpRequest.Status.DONE
    assert HoursEntry.objects.get(help_request=help_request).minutes == 90


def test_another_volunteer_cannot_close(client, house, coordinator, helper, help_request):
    offer_and_accept(help_request, helper, coordinator)
    client.force_login(neighbour_helper(house).user)
    assert client.post(reverse("volunteers:help_close", args=[help_request.pk]), {"happened": "no"}).status_code == 404


def test_a_user_with_two_roles_is_scoped_per_house(client, house, other_house, help_request):
    user = UserFactory()
    RoleAssignmentFactory(role="coordinator", house=other_house, user=user)
    client.force_login(user)
    assert client.get(reverse("volunteers:help_detail", args=[house.slug, help_request.pk])).status_code == 404


def test_a_service_error_shows_in_dutch_at_its_field(client, house, resident):
    client.force_login(resident)
    data = form_data(house, wanted_on=(TODAY + dt.timedelta(days=61)).isoformat())
    page = client.post(reverse("volunteers:help_new"), data).content.decode()
    assert "Kies een dag vanaf vandaag tot 60 dagen vooruit." in page


def test_the_start_page_links_the_coordinator_to_burenhulp(client, house, coordinator):
    client.force_login(coordinator)
    page = client.get(reverse("start")).content.decode()
    assert reverse("volunteers:house_help", args=[house.slug]) in page


def queries(client, url) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


def test_my_lists_query_count_does_not_grow_with_rows(client, house, coordinator, helper, resident):
    def add(n):
        for _ in range(n):
            request = HelpRequestFactory(house=house, requester=resident)
            offer_and_accept(request, helper, coordinator)

    add(1)
    client.force_login(resident)
    mine_one = queries(client, reverse("volunteers:my_help"))
    client.force_login(helper.user)
    offers_one = queries(client, reverse("volunteers:my_help_offers"))
    add(19)
    offers_twenty = queries(client, reverse("volunteers:my_help_offers"))
    client.force_login(resident)
    assert queries(client, reverse("volunteers:my_help")) == mine_one
    assert offers_twenty == offers_one


def test_asking_for_a_request_no_longer_open_says_so(client, house, coordinator, helper, help_request):
    help_request.status = HelpRequest.Status.CANCELLED
    help_request.save(update_fields=["status"])
    client.force_login(coordinator)
    url = reverse("volunteers:help_offer", args=[house.slug, help_request.pk])
    page = client.post(url, {"volunteer": helper.pk}).content.decode()
    assert "Deze hulpvraag wacht niet meer op een vrijwilliger." in page
    assert not HelpOffer.objects.exists()


# --- review fixes: wording and first load -------------------------------------------------------------------------


@pytest.mark.parametrize("url_name", ["help_new", "help_new_on_behalf"])
def test_the_address_label_says_when_it_is_needed(client, house, professional, url_name):
    client.force_login(professional)
    kwargs = {"house_slug": house.slug} if url_name == "help_new_on_behalf" else {}
    page = client.get(reverse(f"volunteers:{url_name}", kwargs=kwargs)).content.decode()
    assert "Adres (nodig voor boodschappen, vervoer of een klusje)" in page
    assert 'Adres <span class="huizen-optional">(niet verplicht)' not in page
    assert "niet verplicht" not in page.split('for="id_address"')[1].split("</label>")[0]


def test_the_on_behalf_form_speaks_about_the_person_not_to_them(client, house, professional):
    client.force_login(professional)
    page = client.get(reverse("volunteers:help_new_on_behalf", kwargs={"house_slug": house.slug})).content.decode()
    assert "Wat heeft diegene nodig?" in page and "Wat voor hulp heeft diegene nodig?" in page
    assert "Wat heb je nodig?" not in page and "Wat voor hulp heb je nodig?" not in page


def test_headings_keep_the_weekday_lower_case_after_the_comma(client, house, coordinator, helper, help_request):
    offer_and_accept(help_request, helper, coordinator)  # wanted on Wednesday 2 December
    heading = "Boodschappen, woensdag 2 december"
    client.force_login(coordinator)
    assert heading in client.get(reverse("volunteers:help_detail", args=[house.slug, help_request.pk])).content.decode()
    client.force_login(help_request.requester)
    assert heading in client.get(reverse("volunteers:my_help")).content.decode()
    client.force_login(helper.user)
    page = client.get(reverse("volunteers:my_help_offers")).content.decode()
    assert heading in page and "Boodschappen, Woensdag" not in page


def test_the_volunteer_sees_their_accepted_requests_first_and_did_it_happen_at_the_top(
    client, house, coordinator, helper, clock
):
    finished = HelpRequestFactory(house=house, wanted_on=TODAY + dt.timedelta(days=1), description="Klaar")
    declined = services.help_request_offer(request=finished, volunteer=helper, by=coordinator)
    services.help_offer_answer(offer=declined, accept=False, by=helper.user)
    to_answer = HelpRequestFactory(house=house, wanted_on=TODAY + dt.timedelta(days=1), description="Te beantwoorden")
    services.help_request_offer(request=to_answer, volunteer=helper, by=coordinator)
    coming = HelpRequestFactory(house=house, wanted_on=TODAY + dt.timedelta(days=9), description="Komt nog")
    offer_and_accept(coming, helper, coordinator)
    client.force_login(helper.user)
    page = client.get(reverse("volunteers:my_help_offers")).content.decode()
    assert page.index("Komt nog") < page.index("Te beantwoorden") < page.index("Klaar")
    assert "huizen-help-to-close" not in page

    passed = HelpRequestFactory(house=house, wanted_on=TODAY + dt.timedelta(days=2), description="Voorbij")
    offer_and_accept(passed, helper, coordinator)
    clock.move_to(dt.datetime(2026, 12, 3, 9, 0, tzinfo=timezone.get_default_timezone()))
    page = client.get(reverse("volunteers:my_help_offers")).content.decode()
    top = page.index("huizen-help-to-close")
    close_url = reverse("volunteers:help_close", args=[passed.pk])
    assert top < page.index(close_url) < page.index("Voorbij") and "Is het gelukt? boodschappen op woensdag" in page
    assert page.index("Voorbij") < page.index("Komt nog") < page.index("Te beantwoorden")


@pytest.mark.parametrize("status", ["done", "cancelled", "not_happened"])
def test_cancelling_a_finished_request_says_it_can_no_longer_be_done(client, house, resident, status):
    volunteer = None if status == "cancelled" else neighbour_helper(house)
    help_request = HelpRequestFactory(house=house, requester=resident, status=status, volunteer=volunteer)
    client.force_login(resident)
    response = client.get(reverse("volunteers:help_cancel", args=[help_request.pk]))
    page = response.content.decode()
    assert response.status_code == 200 and "Deze hulpvraag kun je niet meer annuleren" in page
    assert "Hulpvraag annuleren</h1>" not in page and "<button" not in page.split("<main")[-1]


def test_the_professional_is_linked_only_to_pages_they_may_see(client, house, professional, coordinator):
    list_url = reverse("volunteers:house_help", args=[house.slug])
    form_url = reverse("volunteers:help_new_on_behalf", args=[house.slug])
    client.force_login(professional)
    page = client.get(form_url).content.decode()
    assert f'href="{list_url}"' not in page and f'href="{reverse("volunteers:my_help")}"' in page
    assert client.get(list_url).status_code == 404
    client.force_login(coordinator)
    assert f'href="{list_url}"' in client.get(form_url).content.decode()


def test_the_professional_finds_the_requests_they_posted_from_the_start_page(client, house, professional):
    client.force_login(professional)
    response = client.post(
        reverse("volunteers:help_new_on_behalf", args=[house.slug]),
        {**form_data(house), "requester_name": "Wim Visser", "requester_language": "nl"},
    )
    assert response.status_code == 302 and response["Location"] == reverse("volunteers:my_help")
    start = client.get(reverse("start")).content.decode()
    assert f'href="{reverse("volunteers:my_help")}"' in start and "Mijn hulpvragen" in start
    assert "Wim Visser" in client.get(reverse("volunteers:my_help")).content.decode()


def test_the_start_page_has_no_burenhulp_section_for_staff_who_may_not_post(client, house):
    host = UserFactory()
    RoleAssignmentFactory(user=host, house=house, role="host")
    client.force_login(host)
    assert 'id="help-heading"' not in client.get(reverse("start")).content.decode()


def test_the_request_form_is_not_bound_on_first_load(client, house, resident):
    client.force_login(resident)
    response = client.get(reverse("volunteers:help_new") + f"?huis={house.slug}")
    assert not response.context["form"].is_bound and response.context["form"]["house"].value() == house.pk
    assert 'aria-invalid="true"' not in response.content.decode()
