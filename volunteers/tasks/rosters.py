"""Background work of volunteering: rosters. Tasks take primary keys, load, and are safe to run twice."""

from celery import shared_task

from accounts.mail import reverse_absolute, send_templated_mail

EVENTS = {"signed_up", "assigned", "shift_cancelled", "handed_over", "took_over", "reminder"}


def _recipient(volunteer):
    """The volunteer's account (their language), else their e-mail address in the language they chose."""
    if volunteer.user_id and volunteer.user.email:
        return volunteer.user, None
    return volunteer.email, volunteer.language


def _first_name(volunteer) -> str:
    """The name to greet by (the greeting of every e-mail): the account's first name, else the volunteer's."""
    if volunteer.user_id and volunteer.user.first_name:
        return volunteer.user.first_name
    return volunteer.first_name


def has_address(volunteer) -> bool:
    """Whether the volunteer's e-mails reach someone (else the coordinator must tell them)."""
    return bool(_recipient(volunteer)[0])


def _send(assignment, template: str, **context) -> None:
    to, language = _recipient(assignment.volunteer)
    if not to:
        return
    context = {
        "assignment": assignment,
        "shift": assignment.shift,
        "place": assignment.shift.place,
        "my_shifts_url": reverse_absolute("volunteers:my_shifts"),
        "recipient_name": _first_name(assignment.volunteer),
        **context,
    }
    send_templated_mail(to=to, template=template, context=context, language=language)


def _assignment(assignment_id: int):
    from ..models import ShiftAssignment

    return (
        ShiftAssignment.objects.select_related("shift__place", "shift__house", "volunteer__user")
        .filter(pk=assignment_id)
        .first()
    )


@shared_task(bind=True, autoretry_for=(OSError,), retry_backoff=True, max_retries=5)
def send_shift_email(self, assignment_id: int, event: str) -> None:
    """Tell a volunteer what happened to their place on a shift."""
    assignment = _assignment(assignment_id)
    if assignment is None or event not in EVENTS:
        return
    _send(assignment, "volunteers/rosters/email/shift", event=event)


@shared_task(bind=True, autoretry_for=(OSError,), retry_backoff=True, max_retries=5)
def send_stand_in_wanted(self, assignment_id: int, volunteer_id: int) -> None:
    """Ask one volunteer whether they can take over a shift (only while a stand-in is still wanted)."""
    from ..models import ShiftAssignment, Volunteer

    assignment = _assignment(assignment_id)
    volunteer = Volunteer.objects.select_related("user").filter(pk=volunteer_id).first()
    if assignment is None or volunteer is None or assignment.status != ShiftAssignment.Status.STAND_IN_WANTED:
        return
    to, language = _recipient(volunteer)
    if not to:
        return
    context = {
        "assignment": assignment,
        "shift": assignment.shift,
        "place": assignment.shift.place,
        "volunteer": volunteer,
        "recipient_name": _first_name(volunteer),
        "my_shifts_url": reverse_absolute("volunteers:my_shifts"),
    }
    send_templated_mail(to=to, template="volunteers/rosters/email/stand_in_wanted", context=context, language=language)


@shared_task(bind=True, autoretry_for=(OSError,), retry_backoff=True, max_retries=5)
def send_gap_notice(self, assignment_id: int, user_id: int) -> None:
    """Tell one coordinator of the house that a volunteer cancelled their place on a shift soon: a gap to fill
    (only while the gap is still there)."""
    from accounts.models import Role, RoleAssignment

    from ..selectors.rosters import active_count

    assignment = _assignment(assignment_id)
    if assignment is None:
        return
    shift = assignment.shift
    if shift.cancelled_at is not None or active_count(shift) >= shift.people_needed:
        return
    coordinator = (
        RoleAssignment.objects.select_related("user")
        .filter(user_id=user_id, house_id=shift.house_id, role=Role.COORDINATOR, user__is_active=True)
        .first()
    )
    if coordinator is None:
        return
    context = {
        "assignment": assignment,
        "shift": shift,
        "place": shift.place,
        "house": shift.house,
        "url": reverse_absolute("volunteers:shift_detail", house_slug=shift.house.slug, shift_id=shift.pk),
    }
    send_templated_mail(to=coordinator.user, template="volunteers/rosters/email/gap_notice", context=context)


@shared_task
def make_shifts() -> int:
    """Daily: keep eight weeks of shifts made for every weekly shift."""
    from ..services.rosters import make_shifts as make

    return make()


@shared_task
def send_shift_reminders() -> int:
    """Daily at 10:00: remind each volunteer of their shift tomorrow, once."""
    from ..services.rosters import shift_reminders_claim

    return len(shift_reminders_claim())
