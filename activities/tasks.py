"""Background work of the activities app. Tasks take primary keys, load, and are safe to run twice."""

from celery import shared_task
from django.conf import settings
from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.utils import translation


@shared_task(bind=True, autoretry_for=(OSError,), retry_backoff=True, max_retries=5)
def send_registration_email(self, registration_id: int) -> None:
    """Tell a resident where they stand: registered, or on the waiting list."""
    from .models import Registration

    registration = (
        Registration.objects.select_related("user", "session__activity__place", "session__activity__house")
        .filter(pk=registration_id)
        .first()
    )
    if registration is None or registration.status == Registration.Status.CANCELLED:
        return
    with translation.override(settings.LANGUAGE_CODE):
        context = {"registration": registration, "session": registration.session, "SITE_NAME": settings.SITE_NAME}
        subject = render_to_string("activities/email/registration_subject.txt", context).strip()
        body = render_to_string("activities/email/registration.txt", context)
    send_mail(subject, body, None, [registration.user.email])


@shared_task(bind=True, autoretry_for=(OSError,), retry_backoff=True, max_retries=5)
def send_session_cancelled_email(self, session_id: int) -> None:
    """Tell everyone registered (or waiting) that a session is cancelled, and why."""
    from .models import Registration, Session

    session = Session.objects.select_related("activity__house").filter(pk=session_id).first()
    if session is None or session.status != Session.Status.CANCELLED:
        return
    registrations = Registration.objects.filter(session=session).exclude(status=Registration.Status.CANCELLED)
    with translation.override(settings.LANGUAGE_CODE):
        context = {"session": session, "SITE_NAME": settings.SITE_NAME}
        subject = render_to_string("activities/email/cancelled_subject.txt", context).strip()
        body = render_to_string("activities/email/cancelled.txt", context)
    for email in registrations.select_related("user").values_list("user__email", flat=True):
        send_mail(subject, body, None, [email])


@shared_task
def prune_registrations() -> int:
    """Daily: registrations are named data, kept only as long as needed (REGISTRATION_RETENTION_DAYS)."""
    from .services import registrations_prune

    return registrations_prune()
