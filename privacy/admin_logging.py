"""`AccessLoggedAdmin`: the mixin that makes a ModelAdmin of named personal data record what its change list (the
page shown) and change view (the one record) show. Apart from `privacy.admin`, so that the admin site itself
(huizen.admin_site) can use it without importing the admin registrations."""

from .access_pages import ADMIN_LOGGED
from .services.access import access_record_for_request, subject_of


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
