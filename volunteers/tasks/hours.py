"""Background work of volunteering: hours. Tasks take primary keys, load, and are safe to run twice."""

from celery import shared_task

from accounts.mail import reverse_absolute, send_templated_mail


@shared_task(bind=True, autoretry_for=(OSError,), retry_backoff=True, max_retries=5)
def send_hours_rejected_email(self, entry_id: int) -> None:
    """Tell the volunteer that hours they entered were not approved, and why."""
    from ..models import HoursEntry
    from ..services.hours import hours_text

    entry = (
        HoursEntry.objects.select_related("volunteer__house", "volunteer__user")
        .filter(pk=entry_id, status=HoursEntry.Status.REJECTED)
        .first()
    )
    if entry is None:
        return
    volunteer = entry.volunteer
    context = {
        "entry": entry,
        "hours": hours_text(entry.minutes),
        "house": volunteer.house,
        "my_hours_url": reverse_absolute("volunteers:my_hours"),
    }
    if volunteer.user_id:
        send_templated_mail(to=volunteer.user, template="volunteers/hours/email/rejected", context=context)
    elif volunteer.email:
        context["recipient_name"] = volunteer.first_name
        send_templated_mail(
            to=volunteer.email,
            template="volunteers/hours/email/rejected",
            context=context,
            language=volunteer.language,
        )
