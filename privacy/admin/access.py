"""The access log in the admin: read-only for administrators (filter by what, house, organisation, date; search by
whose data). `AccessLoggedAdmin` (privacy.admin_logging) is imported here for the apps' admins."""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from huizen.admin_actions import ViewOnlyAdmin

from ..admin_logging import AccessLoggedAdmin  # noqa: F401
from ..models import AccessRecord


@admin.register(AccessRecord)
class AccessRecordAdmin(ViewOnlyAdmin):
    """Read-only: nobody adds, changes or deletes an access record (the retention prune is the one way out)."""

    list_display = ["at", "actor", "organisation", "role_label", "house", "what", "subject_label", "export", "via"]
    list_filter = ["what", "house", "organisation", "export", ("at", admin.DateFieldListFilter)]
    search_fields = [
        "subject_id",
        "subject_type",
        "subject_user__email",
        "subject_user__last_name",
        "actor__email",
        "actor__first_name",
        "actor__last_name",
        "organisation",
        "via",
    ]
    date_hierarchy = "at"
    list_select_related = ["actor", "house", "subject_user"]
    show_full_result_count = False  # a count over two years of rows on every page is not needed

    @admin.display(description=_("role"), ordering="role")
    def role_label(self, record):
        return _role_label(record.role)

    @admin.display(description=_("whose data"))
    def subject_label(self, record):
        kind = f"{_model_label(record.subject_type)} #{record.subject_id}"
        return f"{record.subject_user} ({kind})" if record.subject_user_id else kind

    def has_module_permission(self, request):
        return _is_administrator(request.user)

    def has_view_permission(self, request, obj=None):
        return _is_administrator(request.user)


def _role_label(role: str) -> str:
    from accounts.models import Role
    from accounts.policy import ADMINISTRATOR

    return str(_("administrator")) if role == ADMINISTRATOR else str(dict(Role.choices).get(role, role))


def _model_label(label: str) -> str:
    """ "volunteers.volunteer" as the model's (translated) name, "vrijwilliger"."""
    from django.apps import apps

    try:
        return str(apps.get_model(label)._meta.verbose_name)
    except (LookupError, ValueError):
        return label


def _is_administrator(user) -> bool:
    from accounts import policy

    return user.is_active and (user.is_superuser or policy.is_administrator(user))
