"""The access log in the admin: read-only for administrators (filter by what, house, organisation, date; search by
whose data), and `AccessLoggedAdmin`, the mixin that makes a ModelAdmin of named personal data record what its
change list (the page shown) and change view (the one record) show."""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from ..access_pages import ADMIN_LOGGED
from ..models import AccessRecord
from ..services.access import access_record_for_request, subject_of


class AccessLoggedAdmin:
    """Mix into a ModelAdmin whose model holds named personal data (declared in `privacy.access_pages.ADMIN_LOGGED`).
    `access_person` names the attribute leading to the person's own record when the model is about them (an hours
    entry: "volunteer"); `access_user_field` the attribute of that record with their user id (None: no account).
    The change list records the rows of the page it shows, the change view its object."""

    access_person: str | None = None
    access_user_field: str | None = "user_id"

    def _access_what(self) -> str:
        return ADMIN_LOGGED[self.model._meta.label_lower]

    def _access_subjects(self, objects):
        people = [getattr(obj, self.access_person) if self.access_person else obj for obj in objects]
        return [subject_of(person, user_field=self.access_user_field) for person in people]

    def changelist_view(self, request, extra_context=None):
        response = super().changelist_view(request, extra_context)
        changelist = (getattr(response, "context_data", None) or {}).get("cl")
        if changelist is not None and response.status_code == 200:
            access_record_for_request(
                request, what=self._access_what(), subjects=self._access_subjects(changelist.result_list)
            )
        return response

    def change_view(self, request, object_id, form_url="", extra_context=None):
        response = super().change_view(request, object_id, form_url, extra_context)
        original = (getattr(response, "context_data", None) or {}).get("original")
        if original is not None and response.status_code == 200:
            access_record_for_request(request, what=self._access_what(), subjects=self._access_subjects([original]))
        return response


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
