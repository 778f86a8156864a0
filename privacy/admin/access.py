"""The access log in the admin: read-only for administrators (filter by what, house, organisation, date; search by
whose data). `AccessLoggedAdmin` (privacy.admin_logging) is imported here for the apps' admins."""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from ..admin_logging import AccessLoggedAdmin  # noqa: F401
from ..models import AccessRecord


@admin.register(AccessRecord)
class AccessRecordAdmin(admin.ModelAdmin):
    """Read-only: nobody adds, changes or deletes an access record (the retention prune is the one way out)."""

    list_display = ["at", "actor", "organisation", "role", "house", "what", "subject_label", "via", "export"]
    list_filter = ["what", "house", "organisation", "export", ("at", admin.DateFieldListFilter)]
    search_fields = ["subject_id", "subject_type", "subject_user__email", "subject_user__last_name", "via"]
    date_hierarchy = "at"
    list_select_related = ["actor", "house", "subject_user"]
    show_full_result_count = False  # a count over two years of rows on every page is not needed

    @admin.display(description=_("whose data"))
    def subject_label(self, record):
        if record.subject_user_id:
            return f"{record.subject_user} ({record.subject_type} #{record.subject_id})"
        return f"{record.subject_type} #{record.subject_id}"

    def has_module_permission(self, request):
        return _is_administrator(request.user)

    def has_view_permission(self, request, obj=None):
        return _is_administrator(request.user)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


def _is_administrator(user) -> bool:
    from accounts import policy

    return user.is_active and (user.is_superuser or policy.is_administrator(user))
