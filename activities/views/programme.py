"""The coordinator's programme: the overview, planning an activity, cancelling or moving a session, the door log.

Every view fetches the house through the permission policy (another house, or no right: 404), then calls a
selector to read or a service to write."""

import datetime as dt

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.urls import path
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_http_methods

from accounts import policy
from accounts.policy import Action
from huizen.dates import day_start, days_between
from huizen.forms import add_service_errors
from locations.models import Weekday

from .. import selectors, services
from ..forms import ActivityForm, DoorLogDayForm, SessionCancelForm, SessionMoveForm
from ..models import AgeBand
from ..recurrence import session_bounds

OVERVIEW_DAYS = 28


def _house(request, house_slug):
    return policy.get_house_or_404(request.user, Action.MANAGE_PROGRAMME, slug=house_slug)


def repeat_description(activity) -> str:
    """When an activity takes place, in words: once on a day, or every N weeks on some days until a day."""
    if not activity.weekdays or activity.until is None:
        return _("Once, on %(day)s") % {"day": date_format(activity.first_date, "j F Y")}
    days = ", ".join(str(Weekday(day).label) for day in activity.weekdays)
    pattern = ngettext("every week on %(days)s", "every %(count)s weeks on %(days)s", activity.interval_weeks) % {
        "count": activity.interval_weeks,
        "days": days,
    }
    return _("%(pattern)s, from %(first)s until %(until)s") % {
        "pattern": pattern[:1].upper() + pattern[1:],
        "first": date_format(activity.first_date, "j F Y"),
        "until": date_format(activity.until, "j F Y"),
    }


@login_required
@require_GET
def programme(request, house_slug):
    """The house's running and coming activities, and its sessions of the next four weeks."""
    house = _house(request, house_slug)
    now = timezone.now()
    today_start = day_start(timezone.localdate(now))
    activities = [
        {"activity": activity, "repeats": repeat_description(activity)}
        for activity in selectors.programme_activities(house, since=today_start)
    ]
    sessions = selectors.programme_sessions_between(
        house, start=today_start, end=today_start + dt.timedelta(days=OVERVIEW_DAYS)
    )
    context = {"house": house, "activities": activities, "sessions": list(sessions), "now": now}
    return render(request, "activities/programme/overview.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def activity_create(request, house_slug):
    house = _house(request, house_slug)
    form = ActivityForm(
        request.POST or None,
        places=selectors.programme_places(house),
        rooms=selectors.programme_rooms(house),
    )
    if request.method == "POST" and form.is_valid():
        try:
            activity = services.activity_create(house=house, by=request.user, **form.service_arguments())
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            count = activity.sessions.count()
            messages.success(
                request,
                ngettext(
                    "“%(title)s” is planned: %(count)s session.",
                    "“%(title)s” is planned: %(count)s sessions.",
                    count,
                )
                % {"title": activity.title, "count": count},
            )
            return redirect("activities:programme", house_slug=house.slug)
    return render(request, "activities/programme/activity_form.html", {"house": house, "form": form})


@login_required
@require_http_methods(["GET", "POST"])
def session_cancel(request, house_slug, session_id):
    """Cancel one session with a reason for residents. GET shows the form to give that reason."""
    house = _house(request, house_slug)
    session = policy.get_session_or_404(
        request.user, Action.MANAGE_PROGRAMME, queryset=selectors.programme_sessions(house), pk=session_id
    )
    form = SessionCancelForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.session_cancel(session=session, reason=form.cleaned_data["reason"], by=request.user)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(
                request,
                _("The session of “%(title)s” on %(day)s is cancelled.")
                % {
                    "title": session.activity.title,
                    "day": date_format(timezone.localtime(session.start), "j F Y"),
                },
            )
            return redirect("activities:programme", house_slug=house.slug)
    return render(
        request, "activities/programme/session_cancel.html", {"house": house, "session": session, "form": form}
    )


@login_required
@require_http_methods(["GET", "POST"])
def session_move(request, house_slug, session_id):
    """Move one session to another day or time, with a reason for residents."""
    house = _house(request, house_slug)
    session = policy.get_session_or_404(
        request.user, Action.MANAGE_PROGRAMME, queryset=selectors.programme_sessions(house), pk=session_id
    )
    start, end = timezone.localtime(session.start), timezone.localtime(session.end)
    form = SessionMoveForm(
        request.POST or None,
        initial={"date": start.date(), "start_time": start.time(), "end_time": end.time()},
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        new_start, new_end = session_bounds(data["date"], data["start_time"], data["end_time"])
        try:
            services.session_move(session=session, start=new_start, end=new_end, reason=data["reason"], by=request.user)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(
                request,
                _("The session of “%(title)s” is moved to %(day)s.")
                % {"title": session.activity.title, "day": date_format(data["date"], "j F Y")},
            )
            return redirect("activities:programme", house_slug=house.slug)
    return render(request, "activities/programme/session_move.html", {"house": house, "session": session, "form": form})


def _counts(sums: dict) -> dict:
    """The door counts of a session or of walk-in visitors, with the age bands as a list of (label, count)."""
    bands = [(label, sums.get(selectors.AGE_BAND_KEYS[band]) or 0) for band, label in AgeBand.choices]
    visitors = sums.get("visitors") or 0
    return {
        "visitors": visitors,
        "new_visitors": sums.get("new_visitors") or 0,
        "bands": bands,
        "unknown_age": visitors - sum(count for _label, count in bands),
    }


@login_required
@require_GET
def door_log(request, house_slug):
    """What was logged at the door on one day, per place: walk-in visitors and each session with its close-out."""
    house = _house(request, house_slug)
    today = timezone.localdate()
    day_form = DoorLogDayForm(request.GET if "datum" in request.GET else None, initial={"datum": today})
    day = day_form.cleaned_data["datum"] if day_form.is_bound and day_form.is_valid() else today
    start, end = days_between(day, day)
    walk_in = {row["place_id"]: row for row in selectors.programme_door_log_walk_in(house, start=start, end=end)}
    sessions_by_place: dict[int, list] = {}
    for session in selectors.programme_door_log_sessions(house, start=start, end=end):
        sessions_by_place.setdefault(session.activity.place_id, []).append(
            {"session": session, "counts": _counts(vars(session))}
        )
    places = [
        {
            "place": place,
            "walk_in": _counts(walk_in.get(place.pk, {})),
            "sessions": sessions_by_place.get(place.pk, []),
        }
        for place in selectors.programme_places(house)
    ]
    context = {
        "house": house,
        "day": day,
        "day_form": day_form,
        "previous_day": day - dt.timedelta(days=1),
        "next_day": day + dt.timedelta(days=1),
        "is_today": day == today,
        "places": places,
        "age_bands": AgeBand.choices,
    }
    return render(request, "activities/programme/door_log.html", context)


PREFIX = "beheer/huizen/<slug:house_slug>/"

urlpatterns = [
    path(f"{PREFIX}programma/", programme, name="programme"),
    path(f"{PREFIX}programma/nieuw/", activity_create, name="activity_create"),
    path(f"{PREFIX}bijeenkomst/<int:session_id>/afgelasten/", session_cancel, name="session_cancel"),
    path(f"{PREFIX}bijeenkomst/<int:session_id>/verplaatsen/", session_move, name="session_move"),
    path(f"{PREFIX}deurlog/", door_log, name="door_log"),
]
