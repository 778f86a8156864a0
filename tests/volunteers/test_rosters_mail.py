"""The roster e-mails greet the volunteer by first name, also one without an account (only an e-mail address)."""

import pytest
from django.core import mail

from tests.volunteers.factories import CertificateFactory, ShiftAssignmentFactory, ShiftFactory, VolunteerFactory
from volunteers.models import ShiftAssignment, VolunteerRole
from volunteers.tasks import rosters as tasks


@pytest.mark.parametrize("with_account", [True, False])
def test_stand_in_invitation_greets_by_first_name(house, with_account):
    shift = ShiftFactory(house=house)
    asking = VolunteerFactory(house=house, roles=[VolunteerRole.HOST])
    wanted = ShiftAssignmentFactory(shift=shift, volunteer=asking, status=ShiftAssignment.Status.STAND_IN_WANTED)
    if with_account:
        invited = VolunteerFactory(house=house, roles=[VolunteerRole.HOST], user__first_name="Sanne")
    else:
        invited = VolunteerFactory(
            house=house, user=None, roles=[VolunteerRole.HOST], first_name="Sanne", email="sanne@example.org"
        )
    CertificateFactory(volunteer=invited)
    tasks.send_stand_in_wanted(wanted.pk, invited.pk)
    assert len(mail.outbox) == 1
    body = mail.outbox[0].body
    assert body.startswith("Hallo Sanne,") or body.startswith("Hello Sanne,")


def test_shift_email_without_account_greets_by_first_name(house):
    volunteer = VolunteerFactory(
        house=house, user=None, roles=[VolunteerRole.HOST], first_name="Sanne", email="sanne@example.org"
    )
    assignment = ShiftAssignmentFactory(shift=ShiftFactory(house=house), volunteer=volunteer)
    tasks.send_shift_email(assignment.pk, "assigned")
    assert mail.outbox[0].body.split("\n", 1)[0] in {"Hallo Sanne,", "Hello Sanne,"}
