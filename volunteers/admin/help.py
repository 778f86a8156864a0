"""Admin of volunteering: help. Burenhulp requests are looked up here, never changed (administrators are not
matchers), and without the requester's contact or what they wrote: only the house's coordinators and the matched
volunteer see those, on the house's pages."""

from django.contrib import admin

from huizen.admin_actions import ViewOnlyAdmin
from privacy.admin.access import AccessLoggedAdmin

from ..models import HelpRequest

FIELDS = [
    "house",
    "kind",
    "wanted_on",
    "status",
    "on_behalf",
    "volunteer",
    "matched_at",
    "followed_up_at",
    "minutes_spent",
    "closed_at",
    "created_at",
]


@admin.register(HelpRequest)
class HelpRequestAdmin(AccessLoggedAdmin, ViewOnlyAdmin):
    list_display = ["__str__", "house", "status", "wanted_on", "on_behalf"]
    access_user_field = "requester_id"
    list_filter = ["status", "kind", "house__neighbourhood__district"]
    list_select_related = ["house"]
    search_fields = ["house__name"]
    date_hierarchy = "wanted_on"
    fields = FIELDS
    readonly_fields = FIELDS
