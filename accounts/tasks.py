"""Background work of accounts: django-allauth's e-mails, rendered in the request and sent through the outbox."""

from celery import shared_task
from django.core.mail import EmailMultiAlternatives


@shared_task(bind=True, autoretry_for=(OSError,), retry_backoff=True, max_retries=5)
def send_rendered_mail(self, subject: str, body: str, from_email: str | None, to: list[str], html: str = "") -> None:
    """Send an e-mail already rendered in the recipient's language (allauth's confirmation and password e-mails,
    whose links carry a key that only the request can make)."""
    message = EmailMultiAlternatives(subject, body, from_email, to)
    if html:
        message.attach_alternative(html, "text/html")
    message.send()
