"""Dormant accounts: warned by e-mail first, anonymised 14 days later unless their owner logs in in between."""

import datetime as dt

import pytest
import time_machine
from django.utils import timezone, translation
from django.utils.formats import date_format

from accounts.models import Role
from audit.models import Event
from audit.services import SCHEDULE
from privacy.models import DormancyWarning
from privacy.services.mydata import dormant_account_erase, dormant_accounts_apply, is_erased
from tests.factories import RoleAssignmentFactory, UserFactory

pytestmark = [pytest.mark.django_db, pytest.mark.date_sensitive]

DAYS = 730


def _apply(now):
    return dormant_accounts_apply(by=SCHEDULE, now=now, days=DAYS)


def _day(now, language):
    """The day of anonymising as the e-mail writes it: 14 days after the warning, in Amsterdam."""
    with translation.override(language):
        return date_format(timezone.localdate(now + dt.timedelta(days=14)), "l j F Y")


def _user(last_login, **kwargs):
    user = UserFactory(**kwargs)
    user.last_login = last_login
    user.date_joined = last_login - dt.timedelta(days=30)
    user.save(update_fields=["last_login", "date_joined"])
    return user


def test_not_warned_before_the_day(mailoutbox, django_capture_on_commit_callbacks):
    now = timezone.now()
    user = _user(now - dt.timedelta(days=DAYS) + dt.timedelta(seconds=1))
    with django_capture_on_commit_callbacks(execute=True):
        assert _apply(now) == 0
    assert not DormancyWarning.objects.filter(user=user).exists()
    assert mailoutbox == []


def test_warned_on_the_day_in_their_own_language(mailoutbox, django_capture_on_commit_callbacks):
    now = timezone.now()
    dutch = _user(now - dt.timedelta(days=DAYS), language="nl")
    english = _user(now - dt.timedelta(days=DAYS + 100), language="en")
    with django_capture_on_commit_callbacks(execute=True):
        assert _apply(now) == 2
    assert set(DormancyWarning.objects.values_list("user_id", flat=True)) == {dutch.pk, english.pk}
    by_address = {message.to[0]: message for message in mailoutbox}
    assert _day(now, "nl") in by_address[dutch.email].body
    assert _day(now, "en") in by_address[english.email].body
    assert "log in before that day" in by_address[english.email].body
    assert Event.objects.filter(action="user.dormant_warn").count() == 2
    # Run again the same day: nobody is warned twice.
    with django_capture_on_commit_callbacks(execute=True):
        assert _apply(now) == 0
    assert len(mailoutbox) == 2


def test_never_logged_in_counts_from_the_day_the_account_was_made():
    now = timezone.now()
    user = UserFactory()
    user.last_login = None
    user.date_joined = now - dt.timedelta(days=DAYS + 1)
    user.save(update_fields=["last_login", "date_joined"])
    fresh = UserFactory()
    assert _apply(now) == 1
    assert DormancyWarning.objects.filter(user=user).exists()
    assert not DormancyWarning.objects.filter(user=fresh).exists()


def test_anonymised_fourteen_days_after_the_warning_not_before():
    now = timezone.now()
    user = _user(now - dt.timedelta(days=DAYS))
    assert _apply(now) == 1
    # 13 days later: still warned, not anonymised.
    assert _apply(now + dt.timedelta(days=13, hours=23)) == 0
    user.refresh_from_db()
    assert not is_erased(user) and user.is_active
    assert _apply(now + dt.timedelta(days=14)) == 1
    user.refresh_from_db()
    assert is_erased(user)
    assert not user.is_active and not user.has_usable_password()
    assert user.first_name == "" and user.last_name == ""
    assert not DormancyWarning.objects.filter(user=user).exists()
    assert Event.objects.filter(action="user.anonymise_dormant", object_id=str(user.pk)).exists()
    assert Event.objects.filter(action="user.erase", object_id=str(user.pk), changes__reason="dormant").exists()
    # An erased account is never warned again.
    assert _apply(now + dt.timedelta(days=30)) == 0


def test_a_login_in_between_keeps_the_account(client):
    now = timezone.now()
    user = _user(now - dt.timedelta(days=DAYS))
    assert _apply(now) == 1
    with time_machine.travel(now + dt.timedelta(days=5), tick=False):
        client.force_login(user)
    assert not DormancyWarning.objects.filter(user=user).exists()
    assert _apply(now + dt.timedelta(days=14)) == 0
    user.refresh_from_db()
    assert not is_erased(user) and user.is_active


def test_a_login_missed_by_the_signal_still_keeps_the_account():
    """Safety net: a login recorded after the warning (last_login) keeps the account even if the warning stayed."""
    now = timezone.now()
    user = _user(now - dt.timedelta(days=DAYS))
    _apply(now)
    user.last_login = now + dt.timedelta(days=1)
    user.save(update_fields=["last_login"])
    assert _apply(now + dt.timedelta(days=14)) == 0
    user.refresh_from_db()
    assert not is_erased(user)


def test_administrators_are_warned_never_anonymised(mailoutbox, django_capture_on_commit_callbacks):
    now = timezone.now()
    admin = _user(now - dt.timedelta(days=DAYS), is_superuser=True, is_staff=True, language="en")
    with django_capture_on_commit_callbacks(execute=True):
        assert _apply(now) == 1
    (message,) = mailoutbox
    assert "will not be removed automatically" in message.body
    assert _apply(now + dt.timedelta(days=60)) == 0
    admin.refresh_from_db()
    assert not is_erased(admin) and admin.is_superuser and admin.is_active


def test_the_warning_is_dutch_by_default(mailoutbox, django_capture_on_commit_callbacks):
    now = timezone.now()
    _user(now - dt.timedelta(days=DAYS), language="nl")
    with translation.override("en"), django_capture_on_commit_callbacks(execute=True):
        _apply(now)
    (message,) = mailoutbox
    assert f"Op {_day(now, 'nl')} halen we je naam en e-mailadres uit je account." in message.body
    assert "Log dan in voor die dag." in message.body
    assert message.subject.startswith("Je account bij ")


def test_people_holding_a_role_are_warned_never_anonymised(mailoutbox, django_capture_on_commit_callbacks):
    now = timezone.now()
    coordinator = _user(now - dt.timedelta(days=DAYS), language="en")
    RoleAssignmentFactory(user=coordinator, role=Role.COORDINATOR)
    with django_capture_on_commit_callbacks(execute=True):
        assert _apply(now) == 1
    (message,) = mailoutbox
    assert "You have a role at a house or organisation" in message.body
    assert "will not be removed automatically" in message.body
    assert Event.objects.get(action="user.dormant_warn").changes["role"] is True
    assert _apply(now + dt.timedelta(days=60)) == 0
    coordinator.refresh_from_db()
    assert not is_erased(coordinator) and coordinator.is_active


def test_a_login_between_listing_and_erasing_keeps_the_account(client):
    """The due warnings are listed first; one whose owner logs in before its turn is checked again under the lock."""
    now = timezone.now()
    user = _user(now - dt.timedelta(days=DAYS))
    _apply(now)
    later = now + dt.timedelta(days=14)
    (listed,) = DormancyWarning.objects.filter(warned_at__lte=later - dt.timedelta(days=14)).values_list(
        "pk", flat=True
    )
    with time_machine.travel(later, tick=False):
        client.force_login(user)  # ends the warning
        assert dormant_account_erase(warning_id=listed, by=SCHEDULE) == 0
    # The warning kept (a signal missed), but the login came after it: still kept.
    DormancyWarning.objects.create(user=user, warned_at=now)
    warning = DormancyWarning.objects.get(user=user)
    assert dormant_account_erase(warning_id=warning.pk, by=SCHEDULE) == 0
    user.refresh_from_db()
    assert not is_erased(user) and user.is_active
