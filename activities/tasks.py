"""Background work of the activities app. Tasks take primary keys, load, and are safe to run twice."""

from celery import shared_task

from accounts.mail import reverse_absolute, send_templated_mail


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
    if registration.session.status == registration.session.Status.CANCELLED:
        return  # the session does not take place: that news goes out with send_session_change_email
    context = {
        "registration": registration,
        "session": registration.session,
        "session_url": reverse_absolute("activities:session_detail", registration.session_id),
        "registrations_url": reverse_absolute("activities:my_registrations"),
    }
    send_templated_mail(to=registration.user, template="activities/email/registration", context=context)


@shared_task(bind=True, autoretry_for=(OSError,), retry_backoff=True, max_retries=5)
def send_session_change_email(self, registration_id: int, change: str) -> None:
    """Tell one registered (or waiting) resident that their session is cancelled or moved, and why."""
    from .models import Registration, Session

    registration = (
        Registration.objects.select_related("user", "session__activity__house")
        .filter(pk=registration_id)
        .exclude(status=Registration.Status.CANCELLED)
        .first()
    )
    if registration is None or change not in {"cancelled", "moved"}:
        return
    session = registration.session
    if (change == "cancelled") != (session.status == Session.Status.CANCELLED):
        return  # the session changed again since; the later task tells the news
    context = {
        "session": session,
        "change": change,
        "session_url": reverse_absolute("activities:session_detail", session.pk),
        "registrations_url": reverse_absolute("activities:my_registrations"),
    }
    send_templated_mail(to=registration.user, template="activities/email/session_change", context=context)


@shared_task(bind=True, autoretry_for=(OSError,), retry_backoff=True, max_retries=5)
def send_activity_change_email(self, activity_id: int, user_id: int, changes: dict) -> None:
    """Tell one resident that an activity they are registered for (or waiting for) has a new title, description
    or room, listing their coming sessions. In the resident's own language."""
    from django.contrib.auth import get_user_model
    from django.utils import timezone

    from .models import Activity, Registration, Session

    activity = Activity.objects.select_related("house", "place").filter(pk=activity_id).first()
    user = get_user_model().objects.filter(pk=user_id, is_active=True).first()
    if activity is None or user is None or not user.email:
        return
    registrations = list(
        Registration.objects.filter(
            user=user,
            session__activity=activity,
            session__status=Session.Status.PLANNED,
            session__start__gt=timezone.now(),
        )
        .exclude(status=Registration.Status.CANCELLED)
        .select_related("session__room")
        .order_by("session__start")
    )
    if not registrations:
        return  # cancelled since, or the sessions have passed
    context = {
        "activity": activity,
        "changes": changes,
        "registrations": registrations,
        "url": reverse_absolute("activities:my_registrations"),
    }
    send_templated_mail(to=user, template="activities/email/activity_change", context=context)
