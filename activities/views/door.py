"""The door screen: a host counts visitors with one tap, ticks off registered participants and closes sessions.

The screen keeps every tap on the device first (static/js/door.js) and sends the queue to the tap endpoint,
which is the fastest path of the app: the session read, one indexed query that holds the permission policy's
answer (`policy.may_sql`) with the house's places, the sessions the batch names and the login check, and one
INSERT through `services.tallies_record` (idempotent on the tap id). Nothing keeps the policy's answer beyond
the request, so a removed role stops working on the next tap. It renders no template. Users who may not log at
a house get the same 404 as for a house that does not exist. Every read of the door is bounded by today
(Europe/Amsterdam), so it costs the same after five years of taps as on the first day.
"""

import datetime as dt
import json
import uuid

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY, get_user_model
from django.contrib.auth.decorators import login_required
from django.core.exceptions import RequestDataTooBig, ValidationError
from django.db import connection
from django.http import Http404, JsonResponse
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils import timezone
from django.utils.crypto import constant_time_compare
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.http import require_GET, require_POST

from accounts import policy
from accounts.policy import Action
from huizen.dates import days_between
from huizen.forms import add_service_errors
from locations.models import House, Place
from privacy.models import AccessRecord
from privacy.services.access import access_record_for_request, subject_of

from .. import selectors, services
from ..models import Activity, AgeBand, Registration, Session

MAX_TAPS = 500
HOUSE_PLACEHOLDER = "__house__"


def _today_bounds() -> tuple[dt.date, dt.datetime, dt.datetime]:
    """Today in Europe/Amsterdam, and its start and the start of tomorrow (23 or 25 hours apart at DST)."""
    today = timezone.localdate()
    start, end = days_between(today, today)
    return today, start, end


# Words before a Dutch surname (tussenvoegsels): "van Dijk" is filed under D, so its initial is D.
SURNAME_PARTICLES = frozenset({"van", "de", "der", "den", "ter", "ten", "te", "het", "'t", "in", "op", "la", "le"})


def _short_name(user) -> str:
    """First name and the initial of the surname: enough to tick someone off, no more."""
    words = user.last_name.split()
    main = next((word for word in words if word.lower() not in SURNAME_PARTICLES), words[-1] if words else "")
    initial = f"{main[:1].upper()}." if main else ""
    return " ".join(part for part in (user.first_name.strip(), initial) if part) or _("(no name given)")


# --- the screens ------------------------------------------------------------------------------------------


@login_required
def door_start(request):
    """Choose the house and place to stand at; the device remembers the choice (door.js) and comes back here
    only to change it."""
    houses = list(policy.houses_for(request.user, Action.LOG_DOOR, selectors.door_houses()))
    return render(request, "activities/door/start.html", {"houses": houses})


class CloseForm(forms.Form):
    participants = forms.IntegerField(
        label=gettext_lazy("Participants present"),
        max_value=9999,
        widget=forms.NumberInput(attrs={"min": 0, "inputmode": "numeric"}),
        error_messages={
            "required": gettext_lazy("Enter the number of participants, 0 if nobody came."),
            "max_value": gettext_lazy("Enter a number up to 9999."),
        },
    )
    volunteers = forms.IntegerField(
        label=gettext_lazy("Volunteers present"),
        max_value=9999,
        widget=forms.NumberInput(attrs={"min": 0, "inputmode": "numeric"}),
        error_messages={
            "required": gettext_lazy("Enter the number of volunteers, 0 if there were none."),
            "max_value": gettext_lazy("Enter a number up to 9999."),
        },
    )
    remark = forms.CharField(
        label=gettext_lazy("Remark"),
        required=False,
        max_length=300,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=gettext_lazy(
            "Write no names and no other personal data here (no phone numbers, e-mail addresses or "
            "anything about someone's health): only how the session went."
        ),
    )


def _close_form(session: Session, data=None) -> CloseForm:
    initial = {}
    if session.closed_at is not None:
        initial = {
            "participants": session.participants_count,
            "volunteers": session.volunteers_count,
            "remark": session.close_remark,
        }
    return CloseForm(data, prefix=f"close-{session.pk}", initial=initial)


def _texts() -> dict[str, str]:
    """What door.js says, translated here."""
    return {
        "recorded": _("Recorded: {count} at {block}."),
        "saved": _("Saved on this device, not yet sent: {count} at {block}."),
        "undone": _("Undone: {count} at {block}."),
        "pending_one": ngettext("%(count)s tap not sent yet", "%(count)s taps not sent yet", 1) % {"count": "{n}"},
        "pending_other": ngettext("%(count)s tap not sent yet", "%(count)s taps not sent yet", 2) % {"count": "{n}"},
        "pending_help": _("They are kept on this device and sent as soon as there is a connection."),
        "all_sent": _("Everything has been sent."),
        "rejected": _("A tap was not accepted and has been removed: {error}"),
        "logged_out": _("You are no longer logged in. Log in again; the taps stay on this device until then."),
        "not_allowed": _("You may no longer log visitors at this house. The taps stay on this device."),
        "undo_failed": _("Could not undo the tap now: there is no connection. Try again in a moment."),
        "group_invalid": _("Enter a number from 2 to 100."),
        "present": _("{name} is marked present."),
        "absent": _("{name} is marked not present."),
        "attendance_failed": _("Could not save this now: check the connection and try again."),
        "close_failed": _("Could not send the form: check the connection and try again."),
        "dismiss": _("Close this message"),
        "no_storage": _("This device cannot keep taps: do not close this page until everything has been sent."),
    }


def _render_screen(request, house, place, *, bound: tuple[int, CloseForm] | None = None, status=200):
    today, start, end = _today_bounds()
    now = timezone.now()
    sessions = list(selectors.door_sessions(place, start=start, end=end))
    totals = selectors.door_totals(place, start=start, end=end)
    none_yet = {"count": 0, "new": 0}  # a block without taps today
    blocks = [{"key": "inloop", "title": _("Walk-in"), "session": None, **none_yet, **totals.get("inloop", {})}]
    for session in sessions:
        for registration in session.door_registrations:
            registration.short_name = _short_name(registration.user)
        form = bound[1] if bound and bound[0] == session.pk else _close_form(session)
        blocks.append(
            {
                "key": str(session.pk),
                "title": session.activity.title,
                "session": session,
                "registrations": session.door_registrations,
                "present": sum(1 for registration in session.door_registrations if registration.attended),
                "close_form": form,
                # Before its start a session cannot be closed: the block says from when (door.js opens the form
                # then). A form that came back with errors stays in view, so its errors can be read.
                "opens_at": session.start if session.start > now and not form.errors else None,
                **none_yet,
                **totals.get(str(session.pk), {}),
            }
        )
    access_record_for_request(
        request,
        what=AccessRecord.What.REGISTRATIONS,
        subjects=[subject_of(r) for session in sessions for r in session.door_registrations],
        house=house,
    )
    context = {
        "house": house,
        "place": place,
        "today": today,
        "blocks": blocks,
        "age_bands": AgeBand.choices,
        "texts": _texts(),
        "taps_url": reverse("activities:door_taps", args=[HOUSE_PLACEHOLDER]),
        "undo_url": reverse("activities:door_undo", args=[HOUSE_PLACEHOLDER]),
        "totals_url": reverse("activities:door_totals", args=[house.slug, place.pk]),
    }
    return render(request, "activities/door/screen.html", context, status=status)


@login_required
def door(request, house_slug, place_id):
    """Today at one place: walk-in plus each session, with a big button per visitor."""
    house = policy.get_house_or_404(request.user, Action.LOG_DOOR, slug=house_slug)
    place = policy.get_place_or_404(request.user, Action.LOG_DOOR, queryset=house.places.all(), pk=place_id)
    return _render_screen(request, house, place)


@login_required
@require_POST
def attendance(request, house_slug, registration_id):
    """Tick a registered participant off (or untick them). door.js posts here and asks for JSON."""
    house = policy.get_house_or_404(request.user, Action.LOG_DOOR, slug=house_slug)
    registration = policy.get_registration_or_404(
        request.user,
        Action.LOG_DOOR,
        queryset=Registration.objects.select_related("session__activity").filter(session__activity__house=house),
        pk=registration_id,
        status=Registration.Status.CONFIRMED,
    )
    attended = request.POST.get("attended") in ("on", "true", "1")
    services.registration_mark_attended(registration=registration, attended=attended, by=request.user)
    if "application/json" in request.headers.get("Accept", ""):
        return JsonResponse({"registration": registration.pk, "attended": attended})
    session = registration.session
    url = reverse("activities:door", args=[house.slug, session.activity.place_id])
    return redirect(f"{url}#block-{session.pk}")


@login_required
@require_POST
def close_session(request, house_slug, session_id):
    """Close a session with the real numbers present; HTMX swaps the form, without JavaScript the page reloads."""
    house = policy.get_house_or_404(request.user, Action.LOG_DOOR, slug=house_slug)
    session = policy.get_session_or_404(
        request.user,
        Action.LOG_DOOR,
        queryset=Session.objects.select_related("activity__place").filter(activity__house=house),
        pk=session_id,
    )
    form = _close_form(session, request.POST)
    if form.is_valid():
        try:
            services.session_close(
                session=session,
                participants=form.cleaned_data["participants"],
                volunteers=form.cleaned_data["volunteers"],
                remark=form.cleaned_data["remark"],
                by=request.user,
            )
        except ValidationError as error:
            add_service_errors(form, error)
    place = session.activity.place
    saved = not form.errors
    if request.htmx:
        if saved:
            session.refresh_from_db()
            form = _close_form(session)
        context = {"house": house, "session": session, "form": form, "saved": saved, "opens_at": None}
        return render(request, "activities/door/fragments/close_form.html", context)
    if saved:
        messages.success(request, _("%(title)s is closed.") % {"title": session.activity.title})
        url = reverse("activities:door", args=[house.slug, place.pk])
        return redirect(f"{url}#block-{session.pk}")
    if session.status == Session.Status.CANCELLED:  # its block shows no form, so say it at the top
        for error in form.non_field_errors():
            messages.error(request, error)
    return _render_screen(request, house, place, bound=(session.pk, form), status=400)


@require_GET
def service_worker(request):
    """The door's service worker, served from /deur/ so that its scope covers the door screens."""
    from django.contrib.staticfiles import finders
    from django.http import HttpResponse

    with open(finders.find("js/door-sw.js"), encoding="utf-8") as script:
        response = HttpResponse(script.read(), content_type="application/javascript; charset=utf-8")
    response["Cache-Control"] = "no-cache"
    response["Service-Worker-Allowed"] = "/deur/"
    return response


# --- the JSON endpoints of door.js ------------------------------------------------------------------------


def _error(message, status=400) -> JsonResponse:
    return JsonResponse({"error": str(message)}, status=status)


def _json_house(request, house_slug):
    """(house, None), or (None, a JSON error): 403 when not logged in, 404 when not allowed or unknown."""
    if not request.user.is_authenticated:
        return None, _error(_("You are not logged in. Log in again; the taps stay on this device."), status=403)
    try:
        return policy.get_house_or_404(request.user, Action.LOG_DOOR, slug=house_slug), None
    except Http404:
        return None, _error(_("Not found."), status=404)


# What door.js sends is small and flat: at most MAX_TAPS taps of some 200 bytes, objects in a list in an object.
MAX_BODY_BYTES = MAX_TAPS * 1024
MAX_DEPTH = 4
MAX_ID = 2**63 - 1  # the largest id the database holds


def _too_deep_or_nul(value) -> str | None:
    """What is wrong with a parsed body beyond its shape: nesting deeper than door.js ever sends, or a NUL
    character in a text (the database refuses those). Walks the body without recursion."""
    stack = [(value, 1)]
    while stack:
        item, depth = stack.pop()
        if isinstance(item, dict | list) and depth > MAX_DEPTH:
            return _("The data is nested too deeply.")
        if isinstance(item, dict):
            stack.extend((part, depth + 1) for pair in item.items() for part in pair)
        elif isinstance(item, list):
            stack.extend((part, depth + 1) for part in item)
        elif isinstance(item, str) and "\x00" in item:
            return _("The data contains a NUL character.")
    return None


def _json_body(request):
    """(the parsed JSON body, None), or (None, a 400 with a message door.js shows): never a 500, whatever
    arrives. Checked before the body is read: the type (multipart and forms are refused unread) and the size."""
    if request.content_type != "application/json":
        return None, _error(_("Send the data as JSON (Content-Type: application/json)."))
    try:
        length = int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        length = 0
    too_big = _error(_("The request is too large: send at most %(max)s taps at a time.") % {"max": MAX_TAPS})
    if length > MAX_BODY_BYTES:
        return None, too_big
    try:
        body = request.body
    except RequestDataTooBig:
        return None, too_big
    if len(body) > MAX_BODY_BYTES:
        return None, too_big
    try:
        payload = json.loads(body)
    except (ValueError, UnicodeDecodeError, RecursionError):
        return None, _error(_("The data is not valid JSON."))
    problem = _too_deep_or_nul(payload)
    if problem:
        return None, _error(problem)
    return payload, None


def _echo_id(tap) -> str | None:
    """The tap id of a refused tap, as the device sent it, when it is text of a sensible length."""
    tap_id = tap.get("tap_id") if isinstance(tap, dict) else None
    return tap_id if isinstance(tap_id, str) and len(tap_id) <= 100 else None


def _is_int(value) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _is_id(value) -> bool:
    return _is_int(value) and 0 < value <= MAX_ID


def _tap(tap) -> services.Tap:
    """Check the shape of one tap from the device; the service checks the rules."""
    if not isinstance(tap, dict):
        raise ValidationError(_("A tap must be an object with a tap_id, a place and a time."))
    try:
        tap_id = uuid.UUID(str(tap.get("tap_id")))
    except ValueError:
        raise ValidationError(_("The tap has no valid id.")) from None
    if not _is_id(tap.get("place")):
        raise ValidationError(_("This place is not a place of this house."))
    session = tap.get("session")
    if session is not None and not _is_id(session):
        raise ValidationError(_("This session is not a session of this house."))
    try:
        recorded_at = dt.datetime.fromisoformat(tap.get("recorded_at"))
    except (TypeError, ValueError):
        raise ValidationError(_("The time of the tap is missing or not an ISO 8601 time.")) from None
    count, is_new, age_band = tap.get("count", 1), tap.get("is_new", False), tap.get("age_band") or ""
    if not _is_int(count):
        raise ValidationError(_("The number of visitors must be a whole number."))
    if not isinstance(is_new, bool):
        raise ValidationError(_("First visit must be true or false."))
    if not isinstance(age_band, str):
        raise ValidationError(_("Choose an age band from the list."))
    return services.Tap(
        tap_id=tap_id,
        place_id=tap["place"],
        session_id=session,
        recorded_at=recorded_at,
        count=count,
        is_new=is_new,
        age_band=age_band,
    )


def _session_login(request) -> tuple[int, str] | None:
    """The user id and session hash of the login kept in this session, read without loading the user (the tap
    endpoint checks both in its one query); None when the session holds no usable login."""
    try:
        user_id = int(request.session[SESSION_KEY])
        backend, session_hash = request.session[BACKEND_SESSION_KEY], request.session[HASH_SESSION_KEY]
    except (KeyError, TypeError, ValueError):
        return None
    return (user_id, session_hash) if backend in settings.AUTHENTICATION_BACKENDS and session_hash else None


def _door_scope(user_id: int, house_slug: str, session_ids) -> tuple[int, set[int], dict[int, int], str] | None:
    """The policy's answer for this request and what the taps are checked against, in one indexed query: the
    house (only when the user may log at it, `policy.may_sql`), its places, which of `session_ids` are sessions
    of the house (with their place), and the user's password hash (for the login check). None when the user
    may not log at the house or it does not exist."""
    quote = connection.ops.quote_name
    houses, places = quote(House._meta.db_table), quote(Place._meta.db_table)
    activities, sessions = quote(Activity._meta.db_table), quote(Session._meta.db_table)
    users = quote(get_user_model()._meta.db_table)
    may, may_params = policy.may_sql(Action.LOG_DOOR, user_id=user_id, house_id_sql=f"{houses}.id")
    sql = (
        f"SELECT {houses}.id, {places}.id, NULL, (SELECT {users}.password FROM {users} WHERE {users}.id = %s) "
        f"FROM {houses} LEFT JOIN {places} ON {places}.house_id = {houses}.id WHERE {houses}.slug = %s AND {may}"
    )
    params = [user_id, house_slug, *may_params]
    if session_ids:
        sql += (
            f" UNION ALL SELECT {houses}.id, {activities}.place_id, {sessions}.id, NULL FROM {sessions} "
            f"JOIN {activities} ON {activities}.id = {sessions}.activity_id "
            f"JOIN {houses} ON {houses}.id = {activities}.house_id "
            f"WHERE {houses}.slug = %s AND {sessions}.id IN ({', '.join(['%s'] * len(session_ids))})"
        )
        params += [house_slug, *session_ids]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        rows = cursor.fetchall()
    house_id, password, place_ids, session_places = None, None, set(), {}
    for house, place, session, hashed in rows:
        if session is not None:
            session_places[session] = place
            continue
        house_id, password = house, hashed  # rows of the first part: the house is one the user may log at
        if place is not None:
            place_ids.add(place)
    return None if house_id is None else (house_id, place_ids, session_places, password)


@require_POST
def taps(request, house_slug):
    """Store a batch of taps from the device: `{"taps": [...]}` → `{"stored": [ids], "rejected": [...]}`.

    `stored` lists every tap now on the server, including ones stored by an earlier request (the device may
    forget them); `rejected` lists the taps the server refuses, with the reason (the device drops them too).
    The fastest path of the app: the session read, one query (the policy's answer, the house's places, the
    sessions the taps name and the login check) and one INSERT. Whatever is out of the ordinary (no login in
    the session, a refusal, a password changed since) goes through Django's own login check, `request.user`."""
    login = _session_login(request)
    if login is None and not request.user.is_authenticated:
        return _error(_("You are not logged in. Log in again; the taps stay on this device."), status=403)
    user_id = login[0] if login else request.user.pk
    payload, error = _json_body(request)
    if error:
        return error
    batch = payload.get("taps") if isinstance(payload, dict) else None
    if not isinstance(batch, list):
        return _error(_('Send JSON of the form {"taps": [...]}.'))
    if len(batch) > MAX_TAPS:
        return _error(_("Send at most %(max)s taps at a time.") % {"max": MAX_TAPS})
    good, rejected = [], []
    for tap in batch:
        try:
            good.append(_tap(tap))
        except ValidationError as problem:
            rejected.append({"tap_id": _echo_id(tap), "error": " ".join(problem.messages)})
    scope = _door_scope(user_id, house_slug, sorted({tap.session_id for tap in good if tap.session_id is not None}))
    if login and (scope is None or not _same_login(login, scope[3])):
        # Let Django decide about the login: it logs out a session whose password changed or whose user left.
        if not request.user.is_authenticated or request.user.pk != user_id:
            return _error(_("You are not logged in. Log in again; the taps stay on this device."), status=403)
    if scope is None:
        return _error(_("Not found."), status=404)
    house_id, place_ids, session_places, _password = scope
    refused = services.tallies_record(
        house_id=house_id, place_ids=place_ids, session_places=session_places, taps=good, by_id=user_id
    )
    rejected += [{"tap_id": str(tap_id), "error": str(message)} for tap_id, message in refused.items()]
    stored = [str(tap.tap_id) for tap in good if tap.tap_id not in refused]
    return JsonResponse({"stored": stored, "rejected": rejected})


def _same_login(login: tuple[int, str], password: str | None) -> bool:
    """Whether the session's hash still fits the user's password, as Django checks it (the current secret key;
    a session signed with an older key goes through Django's own check)."""
    if password is None:
        return False
    return constant_time_compare(login[1], get_user_model()(password=password).get_session_auth_hash())


@require_POST
def undo(request, house_slug):
    """Take back one tap within ten minutes: `{"tap_id": ...}` → `{"undone": tap_id}`."""
    house, error = _json_house(request, house_slug)
    if error:
        return error
    payload, error = _json_body(request)
    if error:
        return error
    tap_id = payload.get("tap_id") if isinstance(payload, dict) else None
    try:
        parsed = uuid.UUID(str(tap_id))
    except ValueError:
        return _error(_('Send JSON of the form {"tap_id": "..."} with the id of the tap.'))
    try:
        services.tally_undo(house=house, tap_id=parsed, by=request.user)
    except ValidationError as problem:
        return _error(" ".join(problem.messages))
    return JsonResponse({"undone": tap_id})


@require_GET
def totals(request, house_slug, place_id):
    """Today's totals per block of the door screen: `{"blocks": {"inloop": {"count": n, "new": n}, "<id>": …}}`."""
    house, error = _json_house(request, house_slug)
    if error:
        return error
    try:
        place = policy.get_place_or_404(request.user, Action.LOG_DOOR, queryset=house.places.all(), pk=place_id)
    except Http404:
        return _error(_("Not found."), status=404)
    _today, start, end = _today_bounds()
    return JsonResponse({"blocks": selectors.door_totals(place, start=start, end=end)})


urlpatterns = [
    path("deur/", door_start, name="door_start"),
    path("deur/sw.js", service_worker, name="door_service_worker"),
    path("deur/<slug:house_slug>/<int:place_id>/", door, name="door"),
    path("deur/<slug:house_slug>/<int:place_id>/totalen/", totals, name="door_totals"),
    path("deur/<slug:house_slug>/tikken/", taps, name="door_taps"),
    path("deur/<slug:house_slug>/terugdraaien/", undo, name="door_undo"),
    path("deur/<slug:house_slug>/aanwezig/<int:registration_id>/", attendance, name="door_attendance"),
    path("deur/<slug:house_slug>/sessies/<int:session_id>/afsluiten/", close_session, name="door_close"),
]
