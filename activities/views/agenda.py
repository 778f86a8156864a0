"""The public agenda of the network and of one house, its iCalendar feeds, and residents' registrations."""

import datetime as dt
import hashlib
from itertools import groupby

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db import transaction
from django.http import HttpResponse, HttpResponseBadRequest
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils import timezone, translation
from django.utils.cache import get_conditional_response, patch_vary_headers
from django.utils.http import http_date, quote_etag
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

from accounts import policy
from accounts.forms import FirstNameForm
from accounts.policy import Reach
from accounts.services import user_update_details
from huizen.query import query_without
from huizen.redirects import redirect_next
from locations.models import House

from .. import feeds, selectors, services
from ..filters import SessionFilter
from ..models import Registration, Session

PAGE_SIZE = 60
_PUBLIC_HOUSES = House.objects.select_related("neighbourhood__district")


def _feed_links(request, feed_url: str) -> dict:
    """The feed of what is shown, without period and page: a calendar app keeps it up to date."""
    query = query_without(request, "page", *SessionFilter.PERIOD_FIELDS)
    url = request.build_absolute_uri(feed_url + (f"?{query}" if query else ""))
    return {
        "feed_url": url,
        "webcal_url": "webcal://" + url.split("://", 1)[1],
        "feed_weeks": feeds.FEED_AHEAD.days // 7,
        "feed_max_events": feeds.MAX_EVENTS,
    }


def _days(sessions) -> list[tuple[dt.date, list[Session]]]:
    """Sessions grouped by their day in Amsterdam, in order."""
    return [
        (day, list(items)) for day, items in groupby(sessions, key=lambda session: timezone.localdate(session.start))
    ]


def _render_agenda(request, *, house: House | None, feed_url: str):
    queryset = selectors.agenda_sessions()
    if house is not None:
        queryset = queryset.filter(activity__house=house)
    session_filter = SessionFilter(request.GET, queryset=queryset, house=house)
    valid = session_filter.is_valid()
    sessions = session_filter.qs if valid else queryset.none()
    page = Paginator(sessions, PAGE_SIZE).get_page(request.GET.get("page"))
    first, last = session_filter.period_days() if valid else (None, None)
    context = {
        "house": house,
        "filter": session_filter,
        "page": page,
        "days": _days(page.object_list),
        "first_day": first,
        "last_day": last,
        "today": timezone.localdate(),
        "query": query_without(request, "page"),
        "action": request.path,
        **_feed_links(request, feed_url),
    }
    template = "activities/agenda/fragments/results.html" if request.htmx else "activities/agenda/agenda.html"
    response = render(request, template, context)
    patch_vary_headers(response, ["HX-Request"])  # the fragment and the page are cached apart
    return response


@require_GET
def agenda(request):
    """The agenda of the whole network, filterable; HTMX swaps only the results."""
    return _render_agenda(request, house=None, feed_url=reverse("activities:agenda_feed"))


@require_GET
def house_agenda(request, slug):
    """The agenda of one house: the network agenda with the house fixed."""
    house = policy.get_house_or_404(request.user, Reach.PUBLIC, queryset=_PUBLIC_HOUSES, slug=slug)
    return _render_agenda(request, house=house, feed_url=reverse("activities:house_feed", args=[house.slug]))


def _feed_filters(request, *, house_feed: bool) -> list[tuple[str, str]]:
    """The filter values of a feed request as the filter form reads them (the last of a repeated parameter, a
    ticked box as True): the feed's cache key. Empty values filter nothing and are left out, as are the period and
    unknown parameters, so such requests share the entry of the feed without them. Reads no database."""
    form = SessionFilter(request.GET, queryset=Session.objects.none(), house=house_feed or None, with_period=False).form
    return [(name, str(form[name].data)) for name in form.fields if form[name].data not in (None, "", False)]


def _feed_response(request, *, slug: str | None):
    """The agenda feed (the network's, or one house's with `slug`) with the request's filters. A built feed is
    served from the cache for `feeds.CACHE_SECONDS`: a repeated request reads no database at all."""
    key = feeds.cache_key(
        scope=slug or "",
        filters=_feed_filters(request, house_feed=slug is not None),
        language=translation.get_language(),
        base_url=request.build_absolute_uri("/"),
    )
    built = cache.get(key)
    if built is None:
        built = _build_feed(request, slug=slug)
        if isinstance(built, HttpResponse):  # filters that could not be used: a 400, never cached
            return built
        cache.set(key, built, feeds.CACHE_SECONDS)
    etag, last_modified = built["etag"], built["last_modified"]
    response = get_conditional_response(request, etag=etag, last_modified=last_modified)
    if response is None:
        response = HttpResponse(built["body"], content_type=feeds.CONTENT_TYPE)
        response["Content-Disposition"] = 'inline; filename="agenda.ics"'
    response["ETag"] = etag
    response["Last-Modified"] = http_date(last_modified)
    response["Cache-Control"] = f"public, max-age={feeds.CACHE_SECONDS}"
    patch_vary_headers(response, ["Cookie"])  # the language cookie picks the feed's language
    return response


def _build_feed(request, *, slug: str | None) -> dict | HttpResponse:
    now = timezone.now()
    if slug is None:
        house, name = None, _("Agenda of %(site)s") % {"site": settings.SITE_NAME}
    else:
        house = policy.get_house_or_404(request.user, Reach.PUBLIC, queryset=_PUBLIC_HOUSES, slug=slug)
        name = _("Agenda of %(house)s") % {"house": house.name}
    window = feeds.feed_window(now)
    queryset = selectors.agenda_sessions_between(start=window[0], end=window[1])
    if house is not None:
        queryset = queryset.filter(activity__house=house)
    session_filter = SessionFilter(request.GET, queryset=queryset, house=house, with_period=False, now=now)
    if not session_filter.is_valid():
        errors = "\n".join(f"{field}: {' '.join(problems)}" for field, problems in session_filter.errors.items())
        return HttpResponseBadRequest(errors, content_type="text/plain; charset=utf-8")
    domain = request.get_host().split(":")[0].lower()
    body = feeds.build_calendar(
        session_filter.qs[: feeds.MAX_EVENTS],
        name=name,
        domain=domain,
        url_for=lambda session: request.build_absolute_uri(reverse("activities:session_detail", args=[session.pk])),
        window=window,
        now=now,
    )
    etag = quote_etag(hashlib.sha256(body).hexdigest()[:32])
    return {"body": body, "etag": etag, "last_modified": int(now.timestamp())}


@require_GET
def agenda_feed(request):
    return _feed_response(request, slug=None)


@require_GET
def house_feed(request, slug):
    return _feed_response(request, slug=slug)


@require_GET
def session_detail(request, session_id):
    """One session: the activity, where and by whom, and registering or cancelling for a resident."""
    session = policy.get_session_or_404(request.user, Reach.PUBLIC, queryset=selectors.agenda_sessions(), pk=session_id)
    registration = selectors.agenda_active_registration(session=session, user=request.user)
    now = timezone.now()
    context = {
        "session": session,
        "activity": session.activity,
        "registration": registration,
        "is_cancelled": session.status == Session.Status.CANCELLED,
        "has_started": session.start <= now,
        "has_ended": session.end <= now,
        # An account from before sign-up asked for a name: ask it now, so the host at the door knows who it is.
        "name_form": FirstNameForm() if request.user.is_authenticated and not request.user.first_name else None,
    }
    return render(request, "activities/agenda/session_detail.html", context)


@require_POST
def session_register(request, session_id):
    """Register the logged-in resident; a full session puts them on the waiting list."""
    detail_url = reverse("activities:session_detail", args=[session_id])
    if not request.user.is_authenticated:
        return redirect_to_login(detail_url)
    session = policy.get_session_or_404(request.user, Reach.PUBLIC, pk=session_id)
    name_form = None if request.user.first_name else FirstNameForm(request.POST)
    if name_form is not None and not name_form.is_valid():
        messages.error(request, " ".join(name_form.errors["first_name"]))
        return redirect(detail_url)
    try:
        with transaction.atomic():
            if name_form is not None:
                user_update_details(
                    user=request.user,
                    first_name=name_form.cleaned_data["first_name"],
                    last_name=request.user.last_name,
                    language=request.user.language,
                    by=request.user,
                )
                request.user.refresh_from_db()
            registration = services.registration_register(session=session, user=request.user, by=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect(detail_url)
    if registration.status == Registration.Status.CONFIRMED:
        messages.success(request, _("You are registered. We have sent you a confirmation by e-mail."))
    else:
        position = selectors.agenda_registrations_of(request.user).get(pk=registration.pk).waiting_position
        messages.success(
            request,
            _(
                "This session is full: you are on the waiting list (position %(position)s). "
                "When a place comes free you move up automatically and we send you an e-mail."
            )
            % {"position": position},
        )
    return redirect(detail_url)


@login_required
@require_POST
def registration_cancel(request, registration_id):
    """Cancel one of your own registrations; someone else's gives 404."""
    registration = policy.get_registration_or_404(
        request.user, Reach.OWN, queryset=selectors.agenda_registrations_of(request.user), pk=registration_id
    )
    if registration.status == Registration.Status.CANCELLED:
        messages.info(request, _("This registration was already cancelled."))
    else:
        try:
            services.registration_cancel(registration=registration, by=request.user)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(
                request,
                _("Your registration for %(title)s is cancelled.") % {"title": registration.session.activity.title},
            )
    return redirect_next(request, reverse("activities:my_registrations"))


@login_required
@require_GET
@never_cache  # no-store: a resident's own registrations, never kept by a browser or a proxy
def my_registrations(request):
    """A resident's own registrations for sessions still to come, with their status."""
    registrations = selectors.agenda_upcoming_registrations(request.user)
    page = Paginator(registrations, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "activities/agenda/my_registrations.html", {"page": page, "now": timezone.now()})


urlpatterns = [
    path("agenda/", agenda, name="agenda"),
    path("agenda.ics", agenda_feed, name="agenda_feed"),
    path("agenda/bijeenkomst/<int:session_id>/", session_detail, name="session_detail"),
    path("agenda/bijeenkomst/<int:session_id>/aanmelden/", session_register, name="session_register"),
    path("huizen/<slug:slug>/agenda/", house_agenda, name="house_agenda"),
    path("huizen/<slug:slug>/agenda.ics", house_feed, name="house_feed"),
    path("mijn/aanmeldingen/", my_registrations, name="my_registrations"),
    path("mijn/aanmeldingen/<int:registration_id>/afmelden/", registration_cancel, name="registration_cancel"),
]
