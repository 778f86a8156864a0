"""Background work of burenhulp. Tasks take primary keys, load, and are safe to run twice."""

from celery import shared_task

from accounts.mail import reverse_absolute, send_templated_mail

# Who hears of what: the coordinator of a new request, the volunteer of a question, a cancellation and the
# follow-up, the requester of the match. No e-mail carries the requester's contact details.
EVENTS = {"posted", "offered", "matched", "cancelled", "follow_up"}


def _volunteer_recipient(volunteer) -> tuple[object, str | None]:
    if volunteer.user_id:
        return volunteer.user, None
    return volunteer.email, volunteer.language


@shared_task(bind=True, autoretry_for=(OSError,), retry_backoff=True, max_retries=5)
def send_help_email(self, request_id: int, event: str, user_id: int | None = None) -> None:
    """Tell the person concerned what happened to a burenhulp request."""
    from django.contrib.auth import get_user_model

    from ..models import HelpRequest

    request = HelpRequest.objects.select_related("house", "requester", "volunteer__user").filter(pk=request_id).first()
    if request is None or event not in EVENTS:
        return
    context = {"help_request": request, "house": request.house}
    language = None
    if event == "posted":
        to = get_user_model().objects.filter(pk=user_id, is_active=True).first()
        context["url"] = reverse_absolute("volunteers:house_help", house_slug=request.house.slug)
    elif event == "matched":
        if request.volunteer is None:
            return
        to = request.requester if request.requester_id else request.requester_email
        language = None if request.requester_id else request.requester_language
        context["volunteer_first_name"] = request.volunteer.first_name
        context["url"] = reverse_absolute("volunteers:my_help") if request.requester_id else ""
    else:
        if request.volunteer is None:
            return
        to, language = _volunteer_recipient(request.volunteer)
        if event == "offered":
            context["url"] = reverse_absolute("volunteers:my_help_offers")
        elif event == "follow_up":
            if request.status != HelpRequest.Status.MATCHED:
                return
            context["url"] = reverse_absolute("volunteers:help_close", request.pk)
        else:
            context["url"] = reverse_absolute("volunteers:my_help_offers")
    if not to:
        return
    send_templated_mail(to=to, template=f"volunteers/help/email/{event}", context=context, language=language)


@shared_task
def ask_did_it_happen() -> int:
    """Daily: ask the volunteer of each matched request whose day is past "did it happen?" (once)."""
    from ..services.help import help_requests_follow_up

    return len(help_requests_follow_up())
