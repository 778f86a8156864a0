"""Views of volunteering: rosters.

- the coordinator's roster of a house (two weeks a page, gaps highlighted), weekly shifts, one-off shifts, a shift's
  page (fill a gap, confirm who worked, cancel);
- a volunteer's own shifts on a phone (sign up, cancel, ask for or take over as a stand-in) and calendar feed;
- the host's list of today's shifts at the door (who was there).

Houses are fetched through the policy (another house: 404); a volunteer reaches only their own assignments and the
shifts of the houses they volunteer at. Writes go through `services.rosters`.
"""

import datetime as dt

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import Prefetch
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from accounts import policy
from accounts.policy import Action, Reach
from huizen import ical
from huizen.forms import add_service_errors, sensible_date
from huizen.redirects import safe_next
from locations import selectors as location_selectors
from locations.models import Closure
from privacy.models import AccessRecord
from privacy.services.access import access_record_for_request, subjects_of

from ..forms.rosters import WEEKDAYS, AssignForm, PatternEndForm, ShiftForm, ShiftPatternForm
from ..models import Shift, ShiftAssignment, ShiftFeed, ShiftPattern, Volunteer
from ..selectors import people as people_selectors
from ..selectors import rosters as selectors
from ..services import rosters as services
from ..tasks import rosters as tasks

ROSTER_DAYS = 14
OPEN_SHIFT_WEEKS = 4
MY_SHIFT_WEEKS = 4


def _house(request, house_slug, action=Action.MANAGE_VOLUNTEERS):
    return policy.get_house_or_404(request.user, action, slug=house_slug)


def _roster_url(house, start: dt.date | None = None) -> str:
    """The roster from `start` on; the default page (from today) when `start` falls in its two weeks."""
    url = reverse("volunteers:roster", args=[house.slug])
    today = timezone.localdate()
    if start is None or today <= start < today + dt.timedelta(days=ROSTER_DAYS):
        return url
    return f"{url}?van={start:%Y-%m-%d}"


def _with_start(house, start: dt.date) -> str:
    return f"{reverse('volunteers:roster', args=[house.slug])}?van={start:%Y-%m-%d}"


def _record(request, house, volunteers):
    """The access log: the volunteers whose names this roster page shows."""
    access_record_for_request(
        request, what=AccessRecord.What.VOLUNTEER_FILE, subjects=subjects_of(volunteers), house=house
    )


def _parse_day(value: str | None) -> dt.date | None:
    try:
        day = dt.date.fromisoformat(value or "")
        sensible_date(day)
    except (ValueError, ValidationError):
        return None
    return day


def _pk(value) -> int:
    """A primary key from a form, 0 (matches nothing) when it is not a plain number."""
    return int(value) if isinstance(value, str) and value.isdigit() and len(value) < 12 else 0


def _service_error(request, error: ValidationError) -> None:
    for message in error.messages:
        messages.error(request, message)


# --- the coordinator's roster ------------------------------------------------------------------------------------


@login_required
@require_GET
def roster(request, house_slug):
    """Two weeks of shifts, day by day, with who is on them and the gaps (places to fill, stand-ins wanted).
    Managers see it too (their organisation's houses), without the links to change it."""
    house = _house(request, house_slug, Action.VIEW_VOLUNTEERS)
    now = timezone.now()
    today = timezone.localdate(now)
    chosen = _parse_day(request.GET.get("van"))
    first = chosen or today
    last = first + dt.timedelta(days=ROSTER_DAYS - 1)
    shifts = list(selectors.house_roster(house, first, last))
    days: dict[dt.date, list] = {}
    gaps = 0
    for shift in shifts:
        shift.gap = selectors.gap(shift)
        shift.is_past = shift.start <= now
        if not shift.is_past:
            gaps += shift.gap
        days.setdefault(shift.date, []).append(shift)
    places = list(
        house.places.prefetch_related(
            Prefetch(
                "closures",
                queryset=Closure.objects.filter(start_date__lte=last, end_date__gte=first),
                to_attr="upcoming_closures",
            )
        ).order_by("name")
    )
    dates = [first + dt.timedelta(days=offset) for offset in range(ROSTER_DAYS)]
    _record(request, house, [assignment.volunteer for shift in shifts for assignment in shift.people])
    context = {
        "house": house,
        "days": [
            (day, days.get(day, []), [place for place in places if location_selectors.closure_on(place, day)])
            for day in dates
        ],
        "first": first,
        "last": last,
        "gaps": gaps,
        "is_default": chosen is None or chosen == today,
        "older_url": _with_start(house, first - dt.timedelta(days=7)),
        "newer_url": _with_start(house, first + dt.timedelta(days=7)),
        "today_url": _roster_url(house),
        "patterns": _with_weekday_names(house.shift_patterns.select_related("place").order_by("weekday", "start_time")),
        "today": today,
        "may_manage": policy.may(request.user, Action.MANAGE_VOLUNTEERS, house),
    }
    return render(request, "volunteers/rosters/roster.html", context)


def _with_weekday_names(patterns) -> list[ShiftPattern]:
    names = dict(WEEKDAYS)
    patterns = list(patterns)
    for pattern in patterns:
        pattern.weekday_name = names.get(pattern.weekday, "")
    return patterns


def _pattern_values(data) -> dict:
    return {
        name: data[name]
        for name in (
            "title",
            "place",
            "role",
            "weekday",
            "start_time",
            "end_time",
            "people_needed",
            "valid_from",
            "valid_until",
            "activity",
        )
    }


@login_required
@require_http_methods(["GET", "POST"])
def shift_pattern_new(request, house_slug):
    house = _house(request, house_slug)
    form = ShiftPatternForm(request.POST or None, house=house, initial={"valid_from": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        try:
            services.shift_pattern_create(house=house, by=request.user, **_pattern_values(form.cleaned_data))
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The weekly shift is planned; the shifts of the coming weeks are made."))
            return redirect(_roster_url(house))
    return render(request, "volunteers/rosters/pattern_form.html", {"house": house, "form": form, "pattern": None})


@login_required
@require_http_methods(["GET", "POST"])
def shift_pattern_edit(request, house_slug, pattern_id):
    house = _house(request, house_slug)
    pattern = get_object_or_404(ShiftPattern, house=house, pk=pattern_id)
    action = request.POST.get("action") if request.method == "POST" else None
    initial = {name: getattr(pattern, name) for name in services.PATTERN_FIELDS + ("valid_from", "valid_until")}
    form = ShiftPatternForm(request.POST if action == "update" else None, house=house, initial=initial)
    form.fields["valid_from"].disabled = True
    end_form = PatternEndForm(request.POST if action == "end" else None, initial={"last_day": pattern.valid_until})
    if action == "update" and form.is_valid():
        values = _pattern_values(form.cleaned_data)
        values.pop("valid_from")
        try:
            services.shift_pattern_update(pattern=pattern, by=request.user, **values)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The weekly shift is changed."))
            return redirect(_roster_url(house))
    if action == "end" and end_form.is_valid():
        try:
            services.shift_pattern_end(pattern=pattern, last_day=end_form.cleaned_data["last_day"], by=request.user)
        except ValidationError as error:
            add_service_errors(end_form, error, general_field="last_day")
        else:
            messages.success(
                request, _("The weekly shift ends. Volunteers on later shifts get an e-mail that they are cancelled.")
            )
            return redirect(_roster_url(house))
    context = {"house": house, "form": form, "end_form": end_form, "pattern": pattern}
    return render(request, "volunteers/rosters/pattern_form.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def shift_new(request, house_slug):
    house = _house(request, house_slug)
    form = ShiftForm(request.POST or None, house=house)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            shift = services.shift_create(
                house=house,
                by=request.user,
                **{
                    name: data[name]
                    for name in (
                        "title",
                        "place",
                        "role",
                        "date",
                        "start_time",
                        "end_time",
                        "people_needed",
                        "activity",
                    )
                },
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The shift is planned."))
            return redirect("volunteers:shift_detail", house.slug, shift.pk)
    return render(request, "volunteers/rosters/shift_form.html", {"house": house, "form": form})


def _candidates(shift: Shift):
    on_it = ShiftAssignment.objects.filter(shift=shift, status__in=ShiftAssignment.ACTIVE).values("volunteer_id")
    volunteers = Volunteer.objects.filter(house_id=shift.house_id).exclude(pk__in=on_it)
    return people_selectors.qualified_for(volunteers, role=shift.role, day=shift.date).order_by(
        "first_name", "last_name"
    )


def _no_address(volunteer) -> str:
    return _("%(name)s has no e-mail address: tell them yourself.") % {"name": volunteer.short_name}


def _assigned_message(new: ShiftAssignment) -> str:
    """What the coordinator sees after filling a gap: who gets an e-mail, and who must be told in person."""
    if new.stand_in_for_id:
        old = new.stand_in_for.volunteer
        text = _("%(new)s takes over the shift of %(old)s.") % {
            "new": new.volunteer.short_name,
            "old": old.short_name,
        }
        missing = [v for v in (new.volunteer, old) if not tasks.has_address(v)]
        if not missing:
            return f"{text} {_('Both get an e-mail.')}"
        return " ".join([text, *(_no_address(v) for v in missing)])
    if tasks.has_address(new.volunteer):
        return _("The volunteer is on the shift and gets an e-mail.")
    return _("%(name)s is on the shift but has no e-mail address: tell them yourself.") % {
        "name": new.volunteer.short_name
    }


@login_required
@require_http_methods(["GET", "POST"])
def shift_detail(request, house_slug, shift_id):
    """One shift: who is on it; fill a gap ("Invullen"), confirm who worked, cancel the shift."""
    house = _house(request, house_slug)
    shift = policy.get_shift_or_404(
        request.user, Action.MANAGE_VOLUNTEERS, selectors.with_people(Shift.objects.filter(house=house)), pk=shift_id
    )
    now = timezone.now()
    candidates = _candidates(shift)
    action = request.POST.get("action") if request.method == "POST" else None
    assign_form = AssignForm(request.POST if action == "assign" else None, volunteers=candidates)
    here = reverse("volunteers:shift_detail", args=[house.slug, shift.pk])
    if action == "assign":
        if assign_form.is_valid():
            try:
                new = services.shift_assign(
                    shift=shift, volunteer=assign_form.cleaned_data["volunteer"], by=request.user
                )
            except ValidationError as error:
                add_service_errors(assign_form, error, general_field="volunteer")
            else:
                messages.success(request, _assigned_message(new))
                return redirect(here)
    elif action in {"confirm", "unconfirm"}:
        assignment = get_object_or_404(ShiftAssignment, shift=shift, pk=_pk(request.POST.get("assignment")))
        try:
            if action == "confirm":
                services.shift_confirm_worked(assignment=assignment, by=request.user)
                messages.success(request, _("Confirmed: the hours are noted."))
            else:
                services.shift_unconfirm_worked(assignment=assignment, by=request.user)
                messages.success(request, _("The confirmation is undone; the hours are removed."))
        except ValidationError as error:
            _service_error(request, error)
        return redirect(here)
    elif action == "cancel":
        try:
            services.shift_cancel(shift=shift, by=request.user)
        except ValidationError as error:
            _service_error(request, error)
            return redirect(here)
        messages.success(request, _("The shift is cancelled. The volunteers on it get an e-mail."))
        return redirect(_roster_url(house, shift.date))
    busy = selectors.busy_volunteer_ids(shift)
    candidate_rows = [(volunteer, volunteer.pk in busy) for volunteer in candidates]
    assignments = list(ShiftAssignment.objects.filter(shift=shift).select_related("volunteer").order_by("created_at"))
    _record(request, house, [*(assignment.volunteer for assignment in assignments), *candidates])
    context = {
        "house": house,
        "shift": shift,
        "gap": selectors.gap(shift),
        "assignments": assignments,
        "assign_form": assign_form,
        "candidate_rows": candidate_rows,
        "started": shift.start <= now,
        "roster_url": _roster_url(house, shift.date),
    }
    return render(request, "volunteers/rosters/shift_detail.html", context)


# --- a volunteer's own shifts -------------------------------------------------------------------------------------


@login_required
@require_GET
def my_shifts(request):
    """My coming shifts (cancel, ask for a stand-in), stand-ins wanted by others, and open shifts I may take."""
    now = timezone.now()
    today = timezone.localdate(now)
    volunteering = list(selectors.my_volunteering(request.user).select_related("house"))
    mine = list(selectors.my_assignments(request.user, since=now))
    # The coming four weeks of my own shifts first, so the open shifts below stay near on a phone; later ones on
    # request ("?alle=1").
    until = today + dt.timedelta(weeks=MY_SHIFT_WEEKS)
    show_all = request.GET.get("alle") == "1"
    busy = [(assignment.shift.start, assignment.shift.end) for assignment in mine]  # not at two places at once
    shown = mine if show_all else [assignment for assignment in mine if assignment.shift.date < until]
    context = {
        "volunteering": volunteering,
        "mine": shown,
        "next_assignment": mine[0] if mine else None,
        "later_count": len(mine) - len(shown),
        "until": until,
        "show_all": show_all and len(mine) > len([a for a in mine if a.shift.date < until]),
        "stand_ins": [
            assignment
            for assignment in selectors.stand_ins_open_for(request.user, now=now)
            if not selectors.overlaps(busy, assignment.shift.start, assignment.shift.end)
        ],
        "open_shifts": selectors.open_shifts_for(
            request.user, now=now, first=today, last=today + dt.timedelta(weeks=OPEN_SHIFT_WEEKS)
        )
        if volunteering
        else [],
        "now": now,
    }
    return render(request, "volunteers/rosters/my_shifts.html", context)


def _my_volunteer_at(user, house_id) -> Volunteer:
    volunteer = selectors.my_volunteering(user).filter(house_id=house_id).first()
    if volunteer is None:
        raise Http404
    return volunteer


@login_required
@require_POST
def my_shift_sign_up(request, shift_id):
    houses = selectors.my_volunteering(request.user).values("house_id")
    shift = get_object_or_404(Shift.objects.filter(house_id__in=houses), pk=shift_id)
    volunteer = _my_volunteer_at(request.user, shift.house_id)
    try:
        services.shift_sign_up(shift=shift, volunteer=volunteer, by=request.user)
    except ValidationError as error:
        _service_error(request, error)
    else:
        messages.success(request, _("You are on the roster. You get an e-mail with the details."))
    return redirect("volunteers:my_shifts")


@login_required
@require_POST
def my_assignment(request, assignment_id):
    """Ask for a stand-in (cancelling goes through `my_assignment_cancel`, which asks first)."""
    assignment = policy.get_assignment_or_404(request.user, Reach.OWN, pk=assignment_id)
    action = request.POST.get("action")
    try:
        if action == "stand_in":
            services.stand_in_ask(assignment=assignment, by=request.user)
            messages.success(
                request,
                _("We asked the other volunteers. You stay on the roster until someone takes the shift over."),
            )
        else:
            raise Http404
    except ValidationError as error:
        _service_error(request, error)
    return redirect("volunteers:my_shifts")


@login_required
@require_http_methods(["GET", "POST"])
def my_assignment_cancel(request, assignment_id):
    """Cancel my place on a shift: a page that asks first (one tap on the list no longer cancels)."""
    assignment = policy.get_assignment_or_404(request.user, Reach.OWN, pk=assignment_id)
    shift = Shift.objects.select_related("place", "house").get(pk=assignment.shift_id)
    if request.method == "POST":
        try:
            services.assignment_cancel(assignment=assignment, by=request.user)
        except ValidationError as error:
            _service_error(request, error)
        else:
            messages.success(request, _("You are off this shift."))
        return redirect("volunteers:my_shifts")
    if assignment.status not in ShiftAssignment.ACTIVE or shift.start <= timezone.now():
        return redirect("volunteers:my_shifts")
    soon = shift.date <= timezone.localdate() + dt.timedelta(days=services.GAP_NOTICE_DAYS)
    context = {"assignment": assignment, "shift": shift, "soon": soon}
    return render(request, "volunteers/rosters/assignment_cancel.html", context)


@login_required
@require_POST
def my_stand_in_take(request, assignment_id):
    assignment = get_object_or_404(selectors.stand_ins_open_for(request.user, now=timezone.now()), pk=assignment_id)
    volunteer = _my_volunteer_at(request.user, assignment.shift.house_id)
    try:
        services.stand_in_take(assignment=assignment, volunteer=volunteer, by=request.user)
    except ValidationError as error:
        _service_error(request, error)
    else:
        messages.success(request, _("Thank you! You took the shift over."))
    return redirect("volunteers:my_shifts")


@login_required
@require_http_methods(["GET", "POST"])
def shift_feed(request):
    """The secret address of my shift calendar, and renewing it."""
    if request.method == "POST":
        services.shift_feed_renew(user=request.user, by=request.user)
        messages.success(
            request,
            _("Your calendar has a new address. The old address no longer works: subscribe again with the new one."),
        )
        return redirect("volunteers:shift_feed")
    feed = services.shift_feed_of(request.user)
    url = request.build_absolute_uri(reverse("volunteers:shift_feed_ics", args=[feed.token]))
    context = {"feed_url": url, "webcal_url": "webcal://" + url.split("://", 1)[1]}
    return render(request, "volunteers/rosters/shift_feed.html", context)


@require_GET
def shift_feed_ics(request, token):
    feed = ShiftFeed.objects.select_related("user").filter(token=token).first()
    if feed is None:
        raise Http404
    now = timezone.now()
    first, last = ical.feed_window(now)
    assignments = (
        selectors.offered_assignments(
            ShiftAssignment.objects.filter(volunteer__user=feed.user, shift__end__gte=first, shift__start__lte=last)
        )
        .select_related("shift__place", "shift__house")
        .order_by("shift__start")
    )
    calendar = ical.new_calendar(name=_("My shifts"), product="Rosters", refresh=dt.timedelta(hours=1))
    domain = request.get_host().split(":")[0].lower() or "huizen"
    url = request.build_absolute_uri(reverse("volunteers:my_shifts"))
    stamp = now.astimezone(dt.UTC)
    for assignment in assignments:
        shift, place = assignment.shift, assignment.shift.place
        event = ical.new_event(
            uid=f"shift-assignment-{assignment.pk}@{domain}", start=shift.start, end=shift.end, stamp=stamp
        )
        event.add("summary", f"{shift.title} ({shift.house.name})")
        event.add("location", f"{place.name}, {place.street} {place.house_number}, {place.city}")
        event.add("url", url)
        event.add("description", url)
        calendar.add_component(event)
    response = HttpResponse(ical.finish(calendar, first, last), content_type=ical.CONTENT_TYPE)
    response["Content-Disposition"] = 'inline; filename="my-shifts.ics"'
    response["Cache-Control"] = "private, max-age=900"
    response["X-Robots-Tag"] = "noindex"
    return response


# --- at the door --------------------------------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def door_shifts(request, house_slug):
    """Today's shifts at the door: the host marks per volunteer whether they were there."""
    house = _house(request, house_slug, Action.CONFIRM_SHIFTS)
    today = timezone.localdate()
    here = reverse("volunteers:door_shifts", args=[house.slug])
    if request.method == "POST":
        assignment = get_object_or_404(
            ShiftAssignment, shift__house=house, shift__date=today, pk=_pk(request.POST.get("assignment"))
        )
        try:
            if request.POST.get("action") == "confirm":
                services.shift_confirm_worked(assignment=assignment, by=request.user)
                messages.success(
                    request,
                    _("%(name)s was there: the hours are noted.") % {"name": assignment.volunteer.short_name},
                )
            else:
                services.shift_unconfirm_worked(assignment=assignment, by=request.user, same_day_only=True)
                messages.success(
                    request,
                    _("Undone: %(name)s is no longer marked as there.") % {"name": assignment.volunteer.short_name},
                )
        except ValidationError as error:
            _service_error(request, error)
        return redirect(safe_next(request, here))
    shifts = list(selectors.door_shifts(house, today))
    now = timezone.now()
    for shift in shifts:
        shift.started = shift.start <= now
    _record(request, house, [assignment.volunteer for shift in shifts for assignment in shift.people])
    return render(request, "volunteers/rosters/door_shifts.html", {"house": house, "shifts": shifts, "today": today})


urlpatterns = [
    path("beheer/huizen/<slug:house_slug>/rooster/", roster, name="roster"),
    path("beheer/huizen/<slug:house_slug>/rooster/diensten/nieuw/", shift_pattern_new, name="shift_pattern_new"),
    path(
        "beheer/huizen/<slug:house_slug>/rooster/diensten/<int:pattern_id>/",
        shift_pattern_edit,
        name="shift_pattern_edit",
    ),
    path("beheer/huizen/<slug:house_slug>/rooster/dienst/nieuw/", shift_new, name="shift_new"),
    path("beheer/huizen/<slug:house_slug>/rooster/dienst/<int:shift_id>/", shift_detail, name="shift_detail"),
    path("mijn/diensten/", my_shifts, name="my_shifts"),
    path("mijn/diensten/<int:shift_id>/aanmelden/", my_shift_sign_up, name="my_shift_sign_up"),
    path("mijn/diensten/inzet/<int:assignment_id>/", my_assignment, name="my_assignment"),
    path("mijn/diensten/inzet/<int:assignment_id>/afmelden/", my_assignment_cancel, name="my_assignment_cancel"),
    path("mijn/diensten/inzet/<int:assignment_id>/overnemen/", my_stand_in_take, name="my_stand_in_take"),
    path("mijn/diensten/agenda/", shift_feed, name="shift_feed"),
    path("agenda/diensten/<str:token>.ics", shift_feed_ics, name="shift_feed_ics"),
    path("deur/<slug:house_slug>/diensten/", door_shifts, name="door_shifts"),
]
