"""The coordinator's programme: the overview, planning an activity, cancelling or moving a session, the door log.

Every view fetches the house through the permission policy (another house, or no right: 404), then calls a
selector to read or a service to write."""

import datetime as dt

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path, reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_http_methods

from accounts import policy
from accounts.policy import Action
from huizen.dates import day_start, days_between
from huizen.forms import add_service_errors
from huizen.spreadsheets import download
from locations.models import Weekday

from .. import door_log as door_log_module
from .. import selectors, services
from ..forms import (
    ActivityEditForm,
    ActivityEndSeriesForm,
    ActivityForm,
    DoorLogDayForm,
    SessionCancelForm,
    SessionMoveForm,
)
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


def _door_log_period(request) -> tuple[DoorLogDayForm, door_log_module.Period, bool]:
    """The period the URL asks for (`periode` day, week or month around `datum`); today's day when it asks for
    nothing. Returns the form (with its errors), the period and whether the query was valid."""
    today = timezone.localdate()
    bound = "datum" in request.GET or "periode" in request.GET
    form = DoorLogDayForm(request.GET if bound else None, initial={"datum": today, "periode": DoorLogDayForm.DAY})
    if not bound:
        return form, door_log_module.period_of(DoorLogDayForm.DAY, today), True
    valid = form.is_valid()
    data = form.cleaned_data if valid else {}
    kind = data.get("periode") or DoorLogDayForm.DAY
    return form, door_log_module.period_of(kind, data.get("datum") or today), valid


@login_required
@require_GET
def door_log(request, house_slug):
    """What was logged at the door, per place: on one day walk-in visitors and each session with its close-out;
    over a week or a month the totals per day and over the period. A bad date shows the error and today."""
    house = _house(request, house_slug)
    today = timezone.localdate()
    day_form, period, _valid = _door_log_period(request)
    day = period.first
    places_list = list(selectors.programme_places(house))
    context = {
        "house": house,
        "day": day,
        "day_form": day_form,
        "period": period,
        "period_kinds": [
            (DoorLogDayForm.DAY, _("Day")),
            (DoorLogDayForm.WEEK, _("Week")),
            (DoorLogDayForm.MONTH, _("Month")),
        ],
        "previous": period.previous(),
        "next": period.next(),
        "is_current": period.contains(today),
        "age_bands": AgeBand.choices,
    }
    if period.kind == DoorLogDayForm.DAY:
        start, end = days_between(day, day)
        walk_in = {row["place_id"]: row for row in selectors.programme_door_log_walk_in(house, start=start, end=end)}
        sessions_by_place: dict[int, list] = {}
        for session in selectors.programme_door_log_sessions(house, start=start, end=end):
            sessions_by_place.setdefault(session.activity.place_id, []).append(
                {"session": session, "counts": _counts(vars(session))}
            )
        context["places"] = [
            {
                "place": place,
                "walk_in": _counts(walk_in.get(place.pk, {})),
                "sessions": sessions_by_place.get(place.pk, []),
            }
            for place in places_list
        ]
    else:
        context["places"], context["all_places"] = door_log_module.place_totals(house, places_list, period)
    return render(request, "activities/programme/door_log.html", context)


@login_required
@require_GET
def door_log_export(request, house_slug):
    """The door log's totals of a day, week or month per place and day, as CSV or XLSX. A bad query goes back to
    the door log, which names the problem."""
    house = _house(request, house_slug)
    day_form, period, valid = _door_log_period(request)
    file_format = request.GET.get("formaat")
    if not valid or file_format not in (DoorLogDayForm.CSV, DoorLogDayForm.XLSX):
        if valid:
            messages.error(request, _("Choose CSV or Excel (XLSX) for the export."))
        query = {key: request.GET[key] for key in ("datum", "periode") if key in request.GET}
        return redirect(f"{reverse('activities:door_log', args=[house.slug])}?{urlencode(query)}")
    places, everything = door_log_module.place_totals(house, list(selectors.programme_places(house)), period)
    items = door_log_module.rows(places, everything)
    name = f"deurlog-{house.slug}-{period.slug}"
    if file_format == DoorLogDayForm.XLSX:
        return download(door_log_module.to_xlsx(items), name=name, extension="xlsx")
    return download(door_log_module.to_csv(items), name=name, extension="csv")


def _activity(house, activity_id):
    """An activity of `house` (fetched after the policy let the user manage the house's programme): 404 for
    another house's activity, as for one that does not exist."""
    return get_object_or_404(selectors.programme_activities_of(house), pk=activity_id)


@login_required
@require_http_methods(["GET", "POST"])
def activity_edit(request, house_slug, activity_id):
    """Change the title, description, number of places, target groups and the room of the coming sessions."""
    house = _house(request, house_slug)
    activity = _activity(house, activity_id)
    initial = {
        "title": activity.title,
        "description": activity.description,
        "target_groups": [group.group for group in activity.target_groups.all()],
        "capacity": activity.capacity,
        "room": activity.room_id,
    }
    form = ActivityEditForm(request.POST or None, initial=initial, rooms=selectors.programme_rooms_of(activity.place))
    if request.method == "POST" and form.is_valid():
        try:
            result = services.activity_update(activity=activity, by=request.user, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            if not result.changes:
                messages.info(request, _("Nothing was changed."))
            else:
                messages.success(request, _("“%(title)s” is saved.") % {"title": form.cleaned_data["title"]})
            if result.sessions_changed:
                messages.info(
                    request,
                    ngettext(
                        "%(count)s coming session has the new room.",
                        "%(count)s coming sessions have the new room.",
                        result.sessions_changed,
                    )
                    % {"count": result.sessions_changed},
                )
            if result.over_capacity:
                messages.warning(
                    request,
                    ngettext(
                        "%(count)s coming session has more people registered than the new number of places. "
                        "They keep their place; new registrations go to the waiting list.",
                        "%(count)s coming sessions have more people registered than the new number of places. "
                        "They keep their place; new registrations go to the waiting list.",
                        result.over_capacity,
                    )
                    % {"count": result.over_capacity},
                )
            if result.promoted:
                messages.info(
                    request,
                    ngettext(
                        "%(count)s person moved up from the waiting list and gets an e-mail.",
                        "%(count)s people moved up from the waiting list and get an e-mail.",
                        result.promoted,
                    )
                    % {"count": result.promoted},
                )
            return redirect("activities:programme", house_slug=house.slug)
    context = {"house": house, "activity": activity, "form": form, "repeats": repeat_description(activity)}
    return render(request, "activities/programme/activity_edit.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def activity_end_series(request, house_slug, activity_id):
    """End a weekly series from a day: the sessions from then on are cancelled, with a reason for residents."""
    house = _house(request, house_slug)
    activity = _activity(house, activity_id)
    repeats = bool(activity.weekdays) and activity.until is not None
    form = ActivityEndSeriesForm(request.POST or None, initial={"from_date": timezone.localdate()})
    if request.method == "POST" and repeats and form.is_valid():
        data = form.cleaned_data
        try:
            cancelled = services.activity_end_series(
                activity=activity, from_date=data["from_date"], reason=data["reason"], by=request.user
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(
                request,
                ngettext(
                    "“%(title)s” ends: %(count)s session from %(day)s on is cancelled.",
                    "“%(title)s” ends: %(count)s sessions from %(day)s on are cancelled.",
                    len(cancelled),
                )
                % {"title": activity.title, "count": len(cancelled), "day": date_format(data["from_date"], "j F Y")},
            )
            return redirect("activities:programme", house_slug=house.slug)
    context = {"house": house, "activity": activity, "form": form, "repeats": repeats}
    context["description"] = repeat_description(activity)
    return render(request, "activities/programme/activity_end_series.html", context)


PREFIX = "beheer/huizen/<slug:house_slug>/"

urlpatterns = [
    path(f"{PREFIX}programma/", programme, name="programme"),
    path(f"{PREFIX}programma/nieuw/", activity_create, name="activity_create"),
    path(f"{PREFIX}bijeenkomst/<int:session_id>/afgelasten/", session_cancel, name="session_cancel"),
    path(f"{PREFIX}bijeenkomst/<int:session_id>/verplaatsen/", session_move, name="session_move"),
    path(f"{PREFIX}programma/activiteit/<int:activity_id>/wijzigen/", activity_edit, name="activity_edit"),
    path(f"{PREFIX}programma/activiteit/<int:activity_id>/stoppen/", activity_end_series, name="activity_end_series"),
    path(f"{PREFIX}deurlog/", door_log, name="door_log"),
    path(f"{PREFIX}deurlog/export/", door_log_export, name="door_log_export"),
]
