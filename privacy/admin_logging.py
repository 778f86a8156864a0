"""`AccessLoggedAdmin`: the mixin that makes a ModelAdmin of named personal data record what its change list (the
page shown), change view, delete confirmation and history (the one record) show. Apart from `privacy.admin`, so
that the admin site itself (huizen.admin_site) can use it without importing the admin registrations."""

from .access_pages import ADMIN_LOGGED
from .services.access import access_record_for_request, subject_of


class AccessLoggedAdmin:
    """Mix into a ModelAdmin whose model holds named personal data (declared in `privacy.access_pages.ADMIN_LOGGED`).
    `access_person` names the attribute leading to the person's own record when the model is about them (an hours
    entry: "volunteer"); `access_user_field` the attribute of that record with their user id (None: no account).
    The change list records the rows of the page it shows; the change view, the delete confirmation and the
    history their object."""

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

    def _access_record_object(self, request, response, key):
        obj = (getattr(response, "context_data", None) or {}).get(key)
        if obj is not None and response.status_code == 200:
            access_record_for_request(request, what=self._access_what(), subjects=self._access_subjects([obj]))

    def change_view(self, request, object_id, form_url="", extra_context=None):
        response = super().change_view(request, object_id, form_url, extra_context)
        self._access_record_object(request, response, "original")
        return response

    def delete_view(self, request, object_id, extra_context=None):
        response = super().delete_view(request, object_id, extra_context)
        if request.method == "GET":  # the confirmation page shows the record; a confirmed delete redirects
            self._access_record_object(request, response, "object")
        return response

    def history_view(self, request, object_id, extra_context=None):
        response = super().history_view(request, object_id, extra_context)
        self._access_record_object(request, response, "object")
        return response
