from django.conf import settings
from django.utils.functional import SimpleLazyObject


def site(request):
    """The organisation's name, demo mode, and what the menu offers this user (from the permission policy)."""

    def may_log_at_door():
        from accounts import policy

        user = getattr(request, "user", None)
        return bool(user and user.is_authenticated and policy.houses_for(user, policy.Action.LOG_DOOR).exists())

    return {
        "SITE_NAME": settings.SITE_NAME,
        "DEMO_MODE": settings.DEMO_MODE,
        "MENU_DOOR": SimpleLazyObject(may_log_at_door),
    }
