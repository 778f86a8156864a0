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
