"""Recording signals (hosts and coordinators) and the signal list (the house's coordinators only)."""

import datetime as dt

import pytest
from django.contrib.messages import get_messages
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from activities.models import Signal
from tests.factories import SignalFactory

pytestmark = pytest.mark.date_sensitive


@pytest.fixture
def as_host(english, host):
    english.force_login(host)
    return english


@pytest.fixture
def as_coordinator(english, coordinator):
    english.force_login(coordinator)
    return english


def url(name, house, **kwargs):
    return reverse(f"activities:{name}", kwargs={"house_slug": house.slug, **kwargs})


def signal_data(**overrides):
    data = {
        "date": timezone.localdate().isoformat(),
        "theme": "money",
        "referred_to": "team",
        "consent": "on",
        "follow_up": "open",
        "remark": "Zorgen over de huur, wil hulp bij post",
    }
    data.update(overrides)
    return {key: value for key, value in data.items() if value is not None}


def messages_of(response):
    return [str(message) for message in get_messages(response.wsgi_request)]


# --- recording ----------------------------------------------------------------------------------------------


def test_the_form_says_no_names_and_no_diagnoses_and_defaults_to_today(as_host, house):
    response = as_host.get(url("signal_create", house))
    assert response.status_code == 200
    page = response.content.decode()
    assert "No names and no diagnoses." in page
    assert "Do not write names" in page  # also at the remark field itself
    assert response.context["form"]["date"].value() == timezone.localdate()
    assert f'max="{timezone.localdate().isoformat()}"' in page


def test_host_records_a_signal_and_goes_back_to_the_start_page(as_host, host, house):
    response = as_host.post(url("signal_create", house), signal_data())
    assert response.status_code == 302 and response.url == reverse("start")
    signal = Signal.objects.get()
    assert (signal.house, signal.theme, signal.referred_to, signal.consent) == (house, "money", "team", True)
    assert signal.created_by == host and signal.date == timezone.localdate()
    assert messages_of(response) == ["The signal is saved. Thank you for noticing."]


def test_coordinator_records_a_signal_and_goes_to_the_list(as_coordinator, house):
    data = signal_data(referred_to="", consent=None, remark="", follow_up="done")
    response = as_coordinator.post(url("signal_create", house), data)
    assert response.status_code == 302 and response.url == url("signal_list", house)
    signal = Signal.objects.get()
    assert signal.referred_to == "" and not signal.consent and signal.follow_up == "done"


def test_a_signal_in_the_past_year_is_fine(as_host, house):
    earlier = timezone.localdate() - dt.timedelta(days=300)  # a fixed date falls out of the past year on a later today
    as_host.post(url("signal_create", house), signal_data(date=earlier.isoformat()))
    assert Signal.objects.get().date == earlier


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"remark": "Mevrouw Jansen voelt zich eenzaam"}, "remark", "this looks like a name"),
        ({"remark": "Jan de Vries belde over de huur"}, "remark", "this looks like a name"),
        ({"remark": "Bereikbaar via jan@example.nl"}, "remark", "this looks like an e-mail address"),
        ({"remark": "Terugbellen op 06-12345678"}, "remark", "this looks like a phone number"),
        ({"remark": "BSN 111222333"}, "remark", "this looks like a citizen service number (BSN)"),
        ({"consent": None}, "consent", "Only pass a signal on when the person agrees."),
        (
            {"date": (timezone.localdate() + dt.timedelta(days=1)).isoformat()},
            "date",
            "The date cannot be in the future.",
        ),
        ({"date": "gisteren"}, "date", "Enter a valid date."),
        ({"date": ""}, "date", "This field is required."),
        ({"theme": ""}, "theme", "This field is required."),
        ({"theme": "ruzie"}, "theme", "Select a valid choice."),
        ({"referred_to": "politie"}, "referred_to", "Select a valid choice."),
        ({"follow_up": "misschien"}, "follow_up", "Select a valid choice."),
        ({"remark": "x" * 301}, "remark", "Ensure this value has at most 300 characters"),
    ],
)
def test_bad_input_is_refused_at_the_field_and_nothing_is_saved(as_host, house, overrides, field, message):
    response = as_host.post(url("signal_create", house), signal_data(**overrides))
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert any(message in error for error in errors[field]), errors
    page = response.content.decode()
    assert f'id="id_{field}_error"' in page and 'aria-invalid="true"' in page
    assert not Signal.objects.exists()


def test_the_remark_error_keeps_what_was_typed_so_it_can_be_fixed(as_host, house):
    response = as_host.post(url("signal_create", house), signal_data(remark="Mevrouw Jansen is eenzaam"))
    assert "Mevrouw Jansen is eenzaam" in response.content.decode()
    response = as_host.post(url("signal_create", house), signal_data(remark="Is eenzaam sinds de verhuizing"))
    assert response.status_code == 302
    assert Signal.objects.get().remark == "Is eenzaam sinds de verhuizing"


# --- the list -----------------------------------------------------------------------------------------------


def test_coordinator_sees_the_signals_of_their_house_with_counts_per_theme(as_coordinator, house, other_house):
    SignalFactory(house=house, theme="loneliness", remark="Komt elke week alleen")
    SignalFactory(house=house, theme="loneliness")
    SignalFactory(house=house, theme="housing", referred_to="vraagwijzer", consent=True)
    SignalFactory(house=other_house, theme="safety", remark="Elders genoteerd")
    response = as_coordinator.get(url("signal_list", house))
    assert response.status_code == 200
    assert len(response.context["signals"]) == 3
    counts = {value: count for value, _label, count in response.context["theme_counts"]}
    assert counts == {"loneliness": 2, "money": 0, "housing": 1, "health": 0, "carer": 0, "safety": 0, "other": 0}
    page = response.content.decode()
    assert "Komt elke week alleen" in page and "VraagWijzer" in page
    assert "Elders genoteerd" not in page


def test_filter_by_theme_follow_up_and_month(as_coordinator, house):
    SignalFactory(house=house, theme="money", date=dt.date(2026, 3, 2), follow_up="open")
    SignalFactory(house=house, theme="money", date=dt.date(2026, 3, 31), follow_up="done")
    SignalFactory(house=house, theme="health", date=dt.date(2026, 3, 15), follow_up="open")
    SignalFactory(house=house, theme="money", date=dt.date(2026, 4, 1), follow_up="open")

    def listed(**params):
        response = as_coordinator.get(url("signal_list", house), params)
        return sorted((signal.theme, signal.date.isoformat()) for signal, _form in response.context["signals"])

    assert listed(theme="money") == [("money", "2026-03-02"), ("money", "2026-03-31"), ("money", "2026-04-01")]
    assert listed(month="2026-03") == [("health", "2026-03-15"), ("money", "2026-03-02"), ("money", "2026-03-31")]
    assert listed(theme="money", month="2026-03", follow_up="open") == [("money", "2026-03-02")]
    response = as_coordinator.get(url("signal_list", house), {"month": "2026-03"})
    counts = {value: count for value, _label, count in response.context["theme_counts"]}
    assert counts["money"] == 2 and counts["health"] == 1


def test_unknown_filter_values_give_a_form_error_not_a_500(as_coordinator, house):
    SignalFactory(house=house)
    response = as_coordinator.get(url("signal_list", house), {"month": "maart", "theme": "ruzie"})
    assert response.status_code == 200
    form = response.context["filter"].form
    assert "month" in form.errors and "theme" in form.errors


def test_empty_list_says_what_to_do(as_coordinator, house):
    page = as_coordinator.get(url("signal_list", house)).content.decode()
    assert "No signals have been recorded for this house yet." in page


def test_list_query_count_does_not_grow_with_the_number_of_signals(as_coordinator, house):
    SignalFactory(house=house)
    with CaptureQueriesContext(connection) as one:
        assert as_coordinator.get(url("signal_list", house)).status_code == 200
    for n in range(49):
        SignalFactory(house=house, theme=Signal.Theme.values[n % 7], date=dt.date(2026, 1, 1) + dt.timedelta(days=n))
    with CaptureQueriesContext(connection) as fifty:
        response = as_coordinator.get(url("signal_list", house))
    assert len(response.context["signals"]) == 50
    assert len(fifty) == len(one)


# --- follow-up from the list --------------------------------------------------------------------------------


def test_coordinator_updates_the_follow_up_and_returns_to_the_filtered_list(as_coordinator, house):
    signal = SignalFactory(house=house, theme="money", date=dt.date(2026, 3, 2))
    back = url("signal_list", house) + "?theme=money"
    response = as_coordinator.post(
        url("signal_follow_up", house, signal_id=signal.pk), {"follow_up": "in_progress", "next": back}
    )
    assert response.status_code == 302 and response.url == back
    signal.refresh_from_db()
    assert signal.follow_up == "in_progress"
    assert messages_of(response) == [
        "Follow-up of the signal of 2 March 2026 about money worries and debts: in progress."
    ]


def test_a_follow_up_with_an_unknown_status_or_a_foreign_next_changes_nothing(as_coordinator, house):
    signal = SignalFactory(house=house)
    response = as_coordinator.post(
        url("signal_follow_up", house, signal_id=signal.pk), {"follow_up": "vergeten", "next": "https://example.com/"}
    )
    assert response.status_code == 302 and response.url == url("signal_list", house)
    assert messages_of(response) == ["Choose a follow-up status from the list."]
    signal.refresh_from_db()
    assert signal.follow_up == "open"


def test_follow_up_only_by_post(as_coordinator, house):
    signal = SignalFactory(house=house)
    assert as_coordinator.get(url("signal_follow_up", house, signal_id=signal.pk)).status_code == 405


def test_a_signal_of_another_house_is_not_found(as_coordinator, house, other_house):
    elsewhere = SignalFactory(house=other_house)
    response = as_coordinator.post(url("signal_follow_up", house, signal_id=elsewhere.pk), {"follow_up": "done"})
    assert response.status_code == 404
    elsewhere.refresh_from_db()
    assert elsewhere.follow_up == "open"


# --- who may do what ----------------------------------------------------------------------------------------


@pytest.mark.parametrize("role", ["host", "coordinator"])
def test_hosts_and_coordinators_may_record(client, request, house, role):
    client.force_login(request.getfixturevalue(role))
    assert client.get(url("signal_create", house)).status_code == 200
    assert client.post(url("signal_create", house), signal_data()).status_code == 302
    assert Signal.objects.filter(house=house).count() == 1


NOT_RECORDING = ["manager", "municipality", "administrator", "resident", "other_house_coordinator", "other_house_host"]


@pytest.mark.parametrize("role", NOT_RECORDING)
def test_everyone_else_cannot_record(client, request, house, role):
    client.force_login(request.getfixturevalue(role))
    assert client.get(url("signal_create", house)).status_code == 404
    assert client.post(url("signal_create", house), signal_data()).status_code == 404
    assert not Signal.objects.exists()


def test_only_the_houses_coordinators_see_the_list(client, coordinator, house):
    client.force_login(coordinator)
    assert client.get(url("signal_list", house)).status_code == 200


@pytest.mark.parametrize("role", ["host", *NOT_RECORDING])
def test_everyone_else_gets_404_on_the_list_and_the_follow_up(client, request, house, role):
    signal = SignalFactory(house=house)
    client.force_login(request.getfixturevalue(role))
    assert client.get(url("signal_list", house)).status_code == 404
    assert client.post(url("signal_follow_up", house, signal_id=signal.pk), {"follow_up": "done"}).status_code == 404
    signal.refresh_from_db()
    assert signal.follow_up == "open"


@pytest.mark.parametrize("name", ["signal_create", "signal_list"])
def test_anonymous_visitors_are_sent_to_the_login(client, house, name):
    response = client.get(url(name, house))
    assert response.status_code == 302 and response.url.startswith(reverse("account_login"))


def test_anonymous_post_saves_nothing(client, house):
    response = client.post(url("signal_create", house), signal_data())
    assert response.status_code == 302 and response.url.startswith(reverse("account_login"))
    assert not Signal.objects.exists()
