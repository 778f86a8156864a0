"""Views of privacy: mydata. "My data" (Mijn gegevens): everything held about you, the JSON download, who looked
at your data, and deleting your account. Every page shows only the logged-in person's own data."""

import json

from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import path
from django.utils import timezone, translation
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods

from ..forms.mydata import EraseForm
from ..models import AccessRecord
from ..selectors import mydata as selectors
from ..services.mydata import erasure_refused_reason, user_erase_own, user_export


def _first(queryset, size=selectors.PAGE_SECTION_SIZE):
    """The first `size` rows and whether there are more (one query)."""
    rows = list(queryset[: size + 1])
    return rows[:size], len(rows) > size


@login_required
@require_GET
@never_cache  # no-store: a person's own data, never kept by a browser or a proxy
def my_data(request):
    """Everything held about you, section by section, with links to where each is corrected; who looked at your
    data (50 a page); the download and deleting your account."""
    user = request.user
    registrations, more_registrations = _first(selectors.my_registrations(user))
    bookings, more_bookings = _first(selectors.my_bookings(user))
    volunteering = list(selectors.my_volunteering(user))
    help_requests, more_help = _first(selectors.my_help_requests(user))
    looks = Paginator(selectors.who_looked(user), selectors.ACCESS_PAGE_SIZE).get_page(request.GET.get("page"))
    what = dict(AccessRecord.What.choices)
    looks.object_list = [{**look, "what_label": what.get(look["what"], look["what"])} for look in looks.object_list]
    return render(
        request,
        "privacy/mydata/my_data.html",
        {
            "registrations": registrations,
            "more_registrations": more_registrations,
            "bookings": bookings,
            "more_bookings": more_bookings,
            "volunteering": volunteering,
            "help_requests": help_requests,
            "more_help": more_help,
            "page": looks,
            "erase_refused": erasure_refused_reason(user),
        },
    )


@login_required
@require_GET
@never_cache
def my_data_json(request):
    """Everything held about you as one JSON file (a download)."""
    # What is not exported, and why, in the reader's own language (Dutch unless they chose English).
    with translation.override(getattr(request.user, "language", "") or "nl"):
        data = user_export(user=request.user)
    response = HttpResponse(
        json.dumps(data, ensure_ascii=False, indent=2, sort_keys=False), content_type="application/json; charset=utf-8"
    )
    filename = f"mijn-gegevens-{timezone.localdate():%Y-%m-%d}.json"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@login_required
@require_http_methods(["GET", "POST"])
@never_cache
def erase(request):
    """Delete your own account: what goes and what stays, your password and a tick; then you are logged out."""
    refused = erasure_refused_reason(request.user)
    form = EraseForm(request.POST or None, user=request.user)
    if request.method == "POST" and not refused and form.is_valid():
        try:
            user_erase_own(user=request.user)
        except ValidationError as error:  # a role given in the meantime
            refused = " ".join(error.messages)
        else:
            logout(request)
            return redirect("privacy:erased")
    status = 400 if request.method == "POST" else 200
    return render(request, "privacy/mydata/erase.html", {"form": form, "refused": refused}, status=status)


@require_GET
def erased(request):
    """Goodbye: the account is gone."""
    return render(request, "privacy/mydata/erased.html")


urlpatterns = [
    path("mijn/privacy/", my_data, name="my_data"),
    path("mijn/privacy/mijn-gegevens.json", my_data_json, name="my_data_json"),
    path("mijn/privacy/account-verwijderen/", erase, name="erase"),
    path("account-verwijderd/", erased, name="erased"),
]
