"""Room rental for residents: search rooms, a room's page and week, request a booking (preview, then confirm),
'my bookings' with cancelling, and the calendar feeds (a room's busy times; a resident's own bookings)."""

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path, reverse
from django.utils import timezone
from django.utils.cache import patch_vary_headers
from django.utils.formats import date_format, number_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from accounts import policy
from accounts.policy import Reach
from huizen.query import query_without
from locations.models import Room

from .. import feeds, selectors, services
from ..filters import RoomFilter
from ..forms import TIER_CHOICES, BookingRequestForm, add_service_errors
from ..models import Booking, BookingSeries

PAGE_SIZE = 30
# What a search carries into the room page and the request form, so the resident does not type it again.
CARRIED = ("date", "start", "end", "people")
# The hours the visual bar of the week grid spans.
BAR_FROM, BAR_UNTIL = 7, 23
# How far from today the week grid may be moved.
WEEKS_BACK, WEEKS_AHEAD = 8, 104


def _carried(data) -> str:
    """The search values (date, times, people) as a query string for links to a room and its request form."""
    return urlencode({name: data[name] for name in CARRIED if data.get(name)})


def _feed_urls(request, url: str) -> dict:
    absolute = request.build_absolute_uri(url)
    return {"feed_url": absolute, "webcal_url": "webcal://" + absolute.split("://", 1)[1]}


def _day(moment: dt.datetime) -> str:
    return date_format(timezone.localtime(moment), "l j F Y")


def _duration(minutes: int) -> str:
    """60 → '1 hour', 90 → '1 hour and 30 minutes', 45 → '45 minutes'."""
    hours, rest = divmod(minutes, 60)
    hours_text = ngettext("%(hours)s hour", "%(hours)s hours", hours) % {"hours": hours}
    rest_text = ngettext("%(minutes)s minute", "%(minutes)s minutes", rest) % {"minutes": rest}
    if not hours:
        return rest_text
    if not rest:
        return hours_text
    return _("%(hours)s and %(minutes)s") % {"hours": hours_text, "minutes": rest_text}


def _terms(room: Room) -> dict:
    return {"shortest": _duration(room.min_booking_minutes), "longest": _duration(room.max_booking_minutes)}


# --- search ---------------------------------------------------------------------------------------------------


@require_GET
def room_search(request):
    """Rooms across the network, filterable by time, place, size, facilities and accessibility; HTMX swaps
    only the results, and the form works without JavaScript."""
    room_filter = RoomFilter(request.GET, queryset=selectors.resident_rooms())
    valid = room_filter.is_valid()
    rooms = room_filter.qs if valid else room_filter.queryset.none()
    page = Paginator(rooms, PAGE_SIZE).get_page(request.GET.get("page"))
    context = {
        "filter": room_filter,
        "page": page,
        "when": room_filter.when() if valid else None,
        "carry": _carried(request.GET) if valid else "",
        "query": query_without(request, "page"),
    }
    template = (
        "bookings/residents/fragments/room_results.html" if request.htmx else "bookings/residents/room_search.html"
    )
    response = render(request, template, context)
    patch_vary_headers(response, ["HX-Request"])  # the fragment and the page are cached apart
    return response


# --- a room and its week --------------------------------------------------------------------------------------


@dataclass
class Segment:
    """A stretch of the visual bar of a day, as a share of BAR_FROM-BAR_UNTIL."""

    kind: str  # "open" or "busy"
    left: float
    width: float


@dataclass
class GridDay:
    """A day of the room's week (`selectors.room_week`) with the stretches of its visual bar."""

    day: selectors.Day
    segments: list[Segment] = field(default_factory=list)

    is_today = property(lambda self: self.day.is_today)
    is_past = property(lambda self: self.day.is_past)
    busy = property(lambda self: self.day.busy)
    free = property(lambda self: self.day.free)


def _parse_day(value: str | None) -> dt.date | None:
    try:
        return dt.date.fromisoformat(value) if value else None
    except ValueError:
        return None


def _share(moment: dt.datetime, day: dt.date) -> float:
    """Where `moment` lies on the bar of `day`, from 0 to 100."""
    zone = timezone.get_default_timezone()
    bar_start = dt.datetime.combine(day, dt.time(BAR_FROM), tzinfo=zone)
    hours = (moment - bar_start).total_seconds() / 3600
    return max(0.0, min(100.0, hours * 100 / (BAR_UNTIL - BAR_FROM)))


def _segment(kind: str, start: dt.datetime, end: dt.datetime, day: dt.date) -> Segment | None:
    left, right = _share(start, day), _share(end, day)
    return Segment(kind, round(left, 2), round(right - left, 2)) if right > left else None


def _grid(days: list[selectors.Day]) -> list[GridDay]:
    """The visual bar of each day: opening hours (unless closed), then busy blocks on top."""
    zone = timezone.get_default_timezone()
    grid = []
    for day in days:
        stretches = (
            []
            if day.closed_reason
            else [
                (
                    "open",
                    dt.datetime.combine(day.date, opens, tzinfo=zone),
                    dt.datetime.combine(day.date, closes, tzinfo=zone),
                )
                for opens, closes in day.opening
            ]
        )
        stretches += [("busy", block.start, block.end) for block in day.busy]
        segments = [_segment(kind, start, end, day.date) for kind, start, end in stretches]
        grid.append(GridDay(day=day, segments=[segment for segment in segments if segment]))
    return grid


def _week_monday(request, today: dt.date) -> dt.date:
    """The Monday of the week asked for (`?week=` any day of it, or the searched `?date=`), within bounds."""
    day = _parse_day(request.GET.get("week")) or _parse_day(request.GET.get("date")) or today
    day = min(max(day, today - dt.timedelta(weeks=WEEKS_BACK)), today + dt.timedelta(weeks=WEEKS_AHEAD))
    return day - dt.timedelta(days=day.weekday())


@require_GET
def room_detail(request, room_id):
    """A room: what it offers, its rates and rules, and a week of opening hours, busy times and closures."""
    room = policy.get_room_or_404(request.user, Reach.PUBLIC, queryset=selectors.resident_rooms(), pk=room_id)
    now = timezone.now()
    today = timezone.localdate(now)
    monday = _week_monday(request, today)
    grid = _grid(selectors.room_week(room, monday, now=now))
    earliest = today - dt.timedelta(weeks=WEEKS_BACK)
    latest = today + dt.timedelta(weeks=WEEKS_AHEAD)
    previous_monday, next_monday = monday - dt.timedelta(weeks=1), monday + dt.timedelta(weeks=1)
    carry = _carried(request.GET)
    house = room.place.house
    context = {
        "room": room,
        "place": room.place,
        "house": house,
        "rates": list(room.rates.all()),
        "facilities": list(room.facilities.all()),
        "grid": grid,
        "monday": monday,
        "sunday": monday + dt.timedelta(days=6),
        "previous_week": previous_monday if previous_monday + dt.timedelta(days=6) >= earliest else None,
        "next_week": next_monday if next_monday <= latest else None,
        "this_week": today - dt.timedelta(days=today.weekday()),
        "carry": carry,
        "carry_amp": f"&{carry}" if carry else "",
        "bar_hours": [f"{hour:02d}:00" for hour in range(BAR_FROM, BAR_UNTIL + 1, 4)],
        **_terms(room),
        **_feed_urls(request, reverse("bookings:room_feed", args=[room.pk])),
    }
    return render(request, "bookings/residents/room_detail.html", context)


@require_GET
def room_feed(request, room_id):
    """The public calendar of a room: busy blocks only, never who booked or why."""
    room = policy.get_room_or_404(request.user, Reach.PUBLIC, queryset=selectors.bookable_rooms(), pk=room_id)
    now = timezone.now()
    window = feeds.feed_window(now)
    claims = selectors.resident_room_claims(room, start=window[0], end=window[1])
    body = feeds.build_room_calendar(
        room,
        claims,
        domain=request.get_host().split(":")[0].lower(),
        url=request.build_absolute_uri(reverse("bookings:room_detail", args=[room.pk])),
        window=window,
        now=now,
    )
    response = HttpResponse(body, content_type=feeds.CONTENT_TYPE)
    response["Content-Disposition"] = f'inline; filename="room-{room.pk}.ics"'
    response["Cache-Control"] = "public, max-age=900"
    return response


# --- requesting a booking -------------------------------------------------------------------------------------


def _quote(room: Room, form: BookingRequestForm) -> tuple[services.Quote | None, list]:
    """The service's quote of the request, without writing anything. Problems go on the form's fields;
    returns the quote (None when there are problems) and, for a series, its weeks with what stands in their way."""
    data = form.cleaned_data
    quote = services.booking_quote(
        room=room, start=form.start_at, end=form.end_at, tier=data["tier"], people=data["people"], weeks=data["weeks"]
    )
    series = quote.weeks if data["weeks"] > 1 else []
    if quote.problems:
        add_service_errors(form, ValidationError(quote.problems))
        return None, series
    return quote, series


def _render_form(request, room: Room, form: BookingRequestForm, *, series=None, status=200):
    context = {
        "room": room,
        "place": room.place,
        "house": room.place.house,
        "rates": list(room.rates.all()),
        "form": form,
        "series": series or [],
        "tier_options": form.tier_options(),
        **_terms(room),
    }
    return render(request, "bookings/residents/booking_form.html", context, status=status)


def _confirm(request, room: Room, form: BookingRequestForm):
    data = form.cleaned_data
    arguments = {
        "room": room,
        "start": form.start_at,
        "end": form.end_at,
        "tier": data["tier"],
        "purpose": data["purpose"],
        "people": data["people"],
        "renter": request.user,
        "rules_accepted": data["rules_accepted"],
        "by": request.user,
    }
    try:
        if data["weeks"] == 1:
            bookings, skipped = [services.booking_request(**arguments)], []
        else:
            bookings, skipped = services.booking_request_series(weeks=data["weeks"], **arguments)
    except ValidationError as error:
        add_service_errors(form, error)
        return _render_form(request, room, form)
    approved = bookings[0].status == Booking.Status.APPROVED
    count = len(bookings)
    if approved:
        text = ngettext(
            "Your booking of %(room)s is confirmed. We have sent you an e-mail.",
            "Your %(count)s bookings of %(room)s are confirmed. We have sent you an e-mail with every week.",
            count,
        )
    else:
        text = ngettext(
            "Your request for %(room)s is sent and waits for approval by the house. You will get an e-mail.",
            "Your %(count)s requests for %(room)s are sent and wait for approval by the house. "
            "We have sent you an e-mail with every week.",
            count,
        )
    messages.success(request, text % {"room": room.name, "count": count})
    for start, _end, problem in skipped:
        messages.warning(
            request,
            _("Not booked on %(day)s: %(problem)s") % {"day": _day(start), "problem": problem},
        )
    return redirect("bookings:my_bookings")


@login_required
@require_http_methods(["GET", "POST"])
def booking_request(request, room_id):
    """Request a room: fill in the form, see the price and (for a series) which weeks are free, then confirm.
    Only the confirming POST (`confirm=1`) writes anything."""
    room = policy.get_room_or_404(request.user, Reach.PUBLIC, queryset=selectors.resident_rooms(), pk=room_id)
    if not services.renter_may_book(request.user):
        return render(
            request, "bookings/residents/email_unverified.html", {"room": room, "house": room.place.house}, status=403
        )
    if request.method == "GET":
        initial = {name: request.GET[name] for name in CARRIED if request.GET.get(name)}
        return _render_form(request, room, BookingRequestForm(initial={"weeks": 1, **initial}))
    form = BookingRequestForm(request.POST)
    if not form.is_valid() or "edit" in request.POST:
        return _render_form(request, room, form)
    if request.POST.get("confirm") == "1":
        return _confirm(request, room, form)
    preview, series = _quote(room, form)
    if preview is None:
        return _render_form(request, room, form, series=series)
    context = {
        "room": room,
        "place": room.place,
        "house": room.place.house,
        "form": form,
        "preview": preview,
        "tier_label": dict(TIER_CHOICES)[form.cleaned_data["tier"]],
        "is_free": preview.price.amount == 0,
    }
    return render(request, "bookings/residents/booking_preview.html", context)


# --- my bookings ----------------------------------------------------------------------------------------------


@dataclass
class Row:
    booking: Booking
    can_cancel: bool = False
    cancellation_cost: Decimal = Decimal("0")
    cancelled_by_house: bool = False


def _rows(bookings, now) -> list[Row]:
    rows = []
    for booking in bookings:
        terms = services.booking_cancellation_terms(booking, now=now)
        row = Row(booking=booking, can_cancel=terms.allowed, cancellation_cost=terms.cost)
        # The renter's own cancellation is decided by the renter; anything else came from the house.
        row.cancelled_by_house = (
            booking.status == Booking.Status.CANCELLED and booking.decided_by_id != booking.renter_id
        )
        rows.append(row)
    return rows


@login_required
@require_GET
@never_cache  # no-store: the page shows the secret address of the private calendar
def my_bookings(request):
    """A resident's own bookings: the active ones to come, the cancelled or rejected ones that would have come (apart,
    folded), the past ones; and the address of their private calendar."""
    now = timezone.now()
    bookings = selectors.bookings_of(request.user)
    coming = bookings.filter(end__gt=now).order_by("start")
    upcoming = Paginator(coming.filter(status__in=Booking.ACTIVE), PAGE_SIZE).get_page(request.GET.get("page"))
    stopped = Paginator(coming.exclude(status__in=Booking.ACTIVE), PAGE_SIZE).get_page(request.GET.get("stopped"))
    past = Paginator(bookings.filter(end__lte=now).order_by("-start"), PAGE_SIZE).get_page(request.GET.get("past"))
    feed = services.booking_feed_for(user=request.user)
    context = {
        "upcoming": upcoming,
        "upcoming_rows": _rows(upcoming.object_list, now),
        "stopped": stopped,
        "stopped_rows": _rows(stopped.object_list, now),
        "stopped_query": query_without(request, "stopped"),
        "show_stopped": "stopped" in request.GET,
        "past": past,
        "past_rows": _rows(past.object_list, now),
        "past_query": query_without(request, "past"),
        "query": query_without(request, "page"),
        **_feed_urls(request, reverse("bookings:my_feed", args=[feed.token])),
    }
    return render(request, "bookings/residents/my_bookings.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def booking_cancel(request, booking_id):
    """Cancel one of your own bookings: first see what it costs, then confirm. Someone else's gives 404."""
    booking = policy.get_booking_or_404(
        request.user, Reach.OWN, queryset=selectors.bookings_of(request.user), pk=booking_id
    )
    terms = services.booking_cancellation_terms(booking)
    if booking.status not in Booking.ACTIVE:
        messages.info(request, _("This booking is no longer active."))
        return redirect("bookings:my_bookings")
    if not terms.allowed:
        messages.error(request, _("This booking has already started; call the house."))
        return redirect("bookings:my_bookings")
    if request.method == "POST":
        try:
            booking = services.booking_cancel_by_renter(booking=booking, by=request.user)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
            return redirect("bookings:my_bookings")
        text = _("Your booking of %(room)s on %(day)s is cancelled.") % {
            "room": booking.room.name,
            "day": _day(booking.start),
        }
        if booking.cancellation_cost:
            text += " " + _("The cancellation costs € %(cost)s.") % {
                "cost": number_format(booking.cancellation_cost, 2)
            }
        messages.success(request, text)
        return redirect("bookings:my_bookings")
    house = booking.room.place.house
    context = {
        "booking": booking,
        "house": house,
        "cost": terms.cost,
        "free_until": terms.free_until,
    }
    return render(request, "bookings/residents/booking_cancel.html", context)


def _own_series(request, series_id: int) -> list[Booking]:
    """The resident's own bookings of a weekly series; someone else's series (or none) gives 404."""
    series = get_object_or_404(BookingSeries, pk=series_id)  # a number too large for the database: 404 too
    queryset = selectors.bookings_of(request.user).filter(series=series).select_related("room__place__house")
    bookings = list(policy.bookings_for(request.user, Reach.OWN, queryset).order_by("start"))
    if not bookings:
        raise Http404
    return bookings


@login_required
@require_http_methods(["GET", "POST"])
def series_cancel(request, series_id):
    """Cancel every week still to come of one of your own weekly series in one step: first see each week's cost
    and the total, then confirm. Past weeks stay as they are. Someone else's series gives 404."""
    bookings = _own_series(request, series_id)
    cancellation = services.booking_series_cancellation_terms(bookings, renter=request.user)
    if not cancellation.weeks:
        messages.info(request, _("This series has no weeks left to cancel."))
        return redirect("bookings:my_bookings")
    if request.method == "POST":
        try:
            shown_total = Decimal(request.POST.get("shown_total", ""))
        except (InvalidOperation, ValueError):
            shown_total = Decimal("0")  # no or a garbled total: only a free cancellation goes through unseen
        if not shown_total.is_finite():
            shown_total = Decimal("0")
        try:
            cancellation = services.booking_series_cancel_by_renter(
                series_id=series_id, by=request.user, shown_total=shown_total
            )
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
            if error.code == "cost_changed":
                return redirect("bookings:series_cancel", series_id=series_id)
            return redirect("bookings:my_bookings")
        count = len(cancellation.weeks)
        text = ngettext(
            "%(count)s week of %(room)s is cancelled.",
            "%(count)s weeks of %(room)s are cancelled.",
            count,
        ) % {"count": count, "room": cancellation.weeks[0].booking.room.name}
        if cancellation.total:
            text += " " + _("The cancellation costs € %(cost)s.") % {"cost": number_format(cancellation.total, 2)}
        text += " " + _("We have sent you an e-mail with the weeks you cancelled.")
        messages.success(request, text)
        return redirect("bookings:my_bookings")
    first = cancellation.weeks[0].booking
    context = {
        "cancellation": cancellation,
        "booking": first,
        "house": first.room.place.house,
        "past_count": sum(1 for booking in bookings if booking.start <= timezone.now()),
    }
    return render(request, "bookings/residents/series_cancel.html", context)


@login_required
@require_POST
def my_feed_renew(request):
    """A new secret address for the private calendar; the old one stops working at once."""
    services.booking_feed_renew(user=request.user, by=request.user)
    messages.success(
        request,
        _("Your calendar has a new address. The old address no longer works: subscribe again with the new one."),
    )
    return redirect(reverse("bookings:my_bookings") + "#calendar")


@require_GET
def my_feed(request, token):
    """A resident's private calendar of their requested and approved bookings; the secret token is the key."""
    feed = selectors.resident_feed_by_token(token).first()
    if feed is None:
        raise Http404
    now = timezone.now()
    window = feeds.feed_window(now)
    bookings = selectors.resident_feed_bookings(feed.user, since=window[0])
    body = feeds.build_bookings_calendar(
        bookings,
        domain=request.get_host().split(":")[0].lower(),
        url_for=lambda booking: request.build_absolute_uri(reverse("bookings:my_bookings")),
        window=window,
        now=now,
    )
    response = HttpResponse(body, content_type=feeds.CONTENT_TYPE)
    response["Content-Disposition"] = 'inline; filename="my-bookings.ics"'
    response["Cache-Control"] = "private, max-age=900"
    response["X-Robots-Tag"] = "noindex"
    return response


urlpatterns = [
    path("zalen/", room_search, name="room_search"),
    path("zalen/<int:room_id>/", room_detail, name="room_detail"),
    path("zalen/<int:room_id>.ics", room_feed, name="room_feed"),
    path("zalen/<int:room_id>/boeken/", booking_request, name="booking_request"),
    path("mijn/boekingen/", my_bookings, name="my_bookings"),
    path("mijn/boekingen/<int:booking_id>/annuleren/", booking_cancel, name="booking_cancel"),
    path("mijn/boekingen/reeks/<int:series_id>/annuleren/", series_cancel, name="series_cancel"),
    path("mijn/boekingen/agenda/vernieuwen/", my_feed_renew, name="my_feed_renew"),
    path("mijn/boekingen/<str:token>.ics", my_feed, name="my_feed"),
]
