"""Background work of volunteering: carers. The carer hears of the decision on their waardering application."""

from celery import shared_task

from accounts.mail import send_templated_mail


@shared_task(bind=True, autoretry_for=(OSError,), retry_backoff=True, max_retries=5)
def send_waardering_decision_email(self, application_id: int) -> None:
    """Tell the carer (in their language, when they gave an address) whether the waardering was awarded."""
    from ..models import WaarderingApplication

    application = (
        WaarderingApplication.objects.select_related("carer__house", "rules").filter(pk=application_id).first()
    )
    if application is None or application.status == WaarderingApplication.Status.APPLIED:
        return
    carer = application.carer
    if not carer.email:
        return
    send_templated_mail(
        to=carer.email,
        template="volunteers/carers/email/waardering_decision",
        context={"application": application, "recipient_name": carer.first_name, "house": carer.house},
        language=carer.language,
    )
