"""Background work of volunteering: people. E-mails to volunteers and coordinators (queued through the outbox by
the services) and the daily certificate reminders (beat: "volunteers-certificate-reminders")."""

from celery import shared_task

from accounts.mail import reverse_absolute, send_templated_mail

VOLUNTEER_EVENTS = ("signed_up", "accepted", "declined", "on_hold", "stopped")


def _mail_volunteer(volunteer, template: str, context: dict) -> bool:
    """E-mail `volunteer` in their own language: through their account (its address and language), else to the
    address on file in `Volunteer.language`. False when there is no address."""
    context = {"volunteer": volunteer, "house": volunteer.house, **context}
    if volunteer.user_id and volunteer.user.email:
        send_templated_mail(to=volunteer.user, template=template, context=context)
        return True
    if volunteer.email:
        context.setdefault("recipient_name", volunteer.first_name)
        send_templated_mail(to=volunteer.email, template=template, context=context, language=volunteer.language)
        return True
    return False


@shared_task(bind=True, autoretry_for=(OSError,), retry_backoff=True, max_retries=5)
def send_volunteer_email(self, volunteer_id: int, event: str) -> None:
    """Tell the volunteer what happened: signed up, accepted, declined, put on hold, stopped. Sent only when the
    status still is what the e-mail says (a decision changed again in the meantime sends the newer one)."""
    from ..models import Volunteer

    volunteer = Volunteer.objects.select_related("house", "user").filter(pk=volunteer_id).first()
    if volunteer is None or event not in VOLUNTEER_EVENTS:
        return
    status = "applied" if event == "signed_up" else event
    if volunteer.status != status:
        return
    _mail_volunteer(
        volunteer,
        f"volunteers/people/email/{event}",
        {"url": reverse_absolute("volunteers:my_volunteering") if volunteer.user_id else ""},
    )


@shared_task(bind=True, autoretry_for=(OSError,), retry_backoff=True, max_retries=5)
def send_sign_up_notice(self, volunteer_id: int, user_id: int) -> None:
    """Tell one coordinator of the house that someone signed up, in the coordinator's language."""
    from accounts.models import Role, RoleAssignment

    from ..models import Volunteer

    volunteer = Volunteer.objects.select_related("house").prefetch_related("roles").filter(pk=volunteer_id).first()
    if volunteer is None or volunteer.status != Volunteer.Status.APPLIED:
        return
    assignment = (
        RoleAssignment.objects.select_related("user")
        .filter(user_id=user_id, house=volunteer.house, role=Role.COORDINATOR, user__is_active=True)
        .first()
    )
    if assignment is None:
        return
    context = {
        "volunteer": volunteer,
        "house": volunteer.house,
        "url": reverse_absolute(
            "volunteers:volunteer_detail", house_slug=volunteer.house.slug, volunteer_id=volunteer.pk
        ),
    }
    send_templated_mail(to=assignment.user, template="volunteers/people/email/sign_up_notice", context=context)


@shared_task(bind=True, autoretry_for=(OSError,), retry_backoff=True, max_retries=5)
def send_certificate_reminder(self, certificate_id: int, days_before: int) -> None:
    """Remind the volunteer (when there is an address) and each coordinator of the house that a certificate
    expires soon."""
    from accounts.models import Role, RoleAssignment

    from ..models import Certificate

    certificate = (
        Certificate.objects.select_related("volunteer__house", "volunteer__user").filter(pk=certificate_id).first()
    )
    if certificate is None:
        return
    volunteer = certificate.volunteer
    context = {"certificate": certificate, "days_before": days_before}
    _mail_volunteer(volunteer, "volunteers/people/email/certificate_reminder", context)
    url = reverse_absolute("volunteers:volunteer_detail", house_slug=volunteer.house.slug, volunteer_id=volunteer.pk)
    coordinators = RoleAssignment.objects.select_related("user").filter(
        house=volunteer.house, role=Role.COORDINATOR, user__is_active=True
    )
    for assignment in coordinators:
        send_templated_mail(
            to=assignment.user,
            template="volunteers/people/email/certificate_reminder_notice",
            context={**context, "volunteer": volunteer, "house": volunteer.house, "url": url},
        )


@shared_task
def send_certificate_reminders() -> int:
    """Daily: certificates that expire in 60, 30 or 7 days (or today) get their reminder, once per step."""
    from audit.services import SCHEDULE

    from ..services.people import certificate_reminders_send

    return certificate_reminders_send(by=SCHEDULE)
