"""Background work of privacy: mydata. Tasks take primary keys, load, and are safe to run twice."""

from celery import shared_task


@shared_task(bind=True, autoretry_for=(OSError,), retry_backoff=True, max_retries=5)
def send_dormancy_warning(self, user_id: int) -> None:
    """Tell the owner of an unused account, in their own language, on which day it will be anonymised and that
    logging in before then keeps it. Nothing when the warning has ended (they logged in) or the account is gone."""
    from django.utils import timezone

    from accounts.mail import reverse_absolute, send_templated_mail

    from ..models import DormancyWarning
    from ..services.mydata import DORMANCY_GRACE, is_erased

    warning = DormancyWarning.objects.select_related("user").filter(user_id=user_id).first()
    if warning is None or is_erased(warning.user):
        return
    send_templated_mail(
        to=warning.user,
        template="privacy/email/dormancy_warning",
        context={
            "erase_on": timezone.localdate(warning.warned_at + DORMANCY_GRACE),
            "administrator": warning.user.is_superuser,
            "has_role": warning.user.role_assignments.exists(),
            "url": reverse_absolute("account_login"),
        },
    )
