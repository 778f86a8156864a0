"""The house side of room rental: requests waiting and bookings, approving, rejecting and cancelling, booking on
behalf of someone who phoned, the calendar per place, occupancy and the export for invoicing.

Every view fetches the house through the permission policy (another house, or no right: 404) and looks bookings up
through `selectors.house_bookings(house)`, so another house's booking id gives 404 too; writes go through `services`.
"""

import calendar
import datetime as dt
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Prefetch
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from accounts import policy
from accounts.models import Role, RoleAssignment
from accounts.policy import Action
from huizen.dates import day_start
from huizen.query import query_without
from huizen.redirects import safe_next
from huizen.spreadsheets import download
from locations.models import House, Place, RenterTier, RoomOccupancy
from locations.selectors import claims_overlapping
from locations.services import HOUSE_RENTAL_FIELDS, ROOM_RENTAL_FIELDS, rental_terms_update, room_rates_update
from privacy.models import AccessRecord
from privacy.services.access import access_record_for_request, subject, subject_of

from .. import export, selectors, services
from ..forms import add_service_errors  # a room taken shows at the start time
from ..house_forms import (
    BookOnBehalfForm,
    CalendarForm,
    ExportForm,
    HouseBookingFilter,
    HouseTermsForm,
    RateCardErrors,
    ReasonForm,
    RequestEmailsForm,
    RoomRatesForm,
    RoomTermsForm,
    View,
)
from ..models import Booking

PAGE_SIZE = 100


def _house(request, house_slug):
    return policy.get_house_or_404(request.user, Action.MANAGE_BOOKINGS, slug=house_slug)


def _list_url(house) -> str:
    return reverse("bookings:house_requests", kwargs={"house_slug": house.slug})


def _back(request, house) -> str:
    """Back to the (filtered) list the coordinator came from, never to another site."""
    return safe_next(request, _list_url(house))


def _describe(booking: Booking) -> dict:
    start = timezone.localtime(booking.start)
    return {
        "room": booking.room.name,
        "day": date_format(start, "l j F Y"),
        "time": f"{start:%H:%M}–{timezone.localtime(booking.end):%H:%M}",
        "renter": booking.renter_label,
    }


def _how_told(booking: Booking) -> str:
    """How the renter hears of the change: the service e-mails them when there is an address."""
    if booking.renter_id or booking.contact_email:
        return _("The renter gets an e-mail.")
    return _("There is no e-mail address: let them know by phone (%(phone)s).") % {"phone": booking.contact_phone}


def _record(request, house, bookings, *, export=False):
    """The access log: the renters (and callers) of the bookings this page or export shows."""
    access_record_for_request(
        request,
        what=AccessRecord.What.BOOKING_CONTACT,
        subjects=[subject_of(booking, user_field="renter_id") for booking in bookings],
        house=house,
        export=export,
    )


def _month(today: dt.date) -> tuple[dt.date, dt.date]:
    return today.replace(day=1), today.replace(day=calendar.monthrange(today.year, today.month)[1])


def _percentages(figures: dict) -> dict:
    ratio = figures["ratio"]
    return {**figures, "percentage": None if ratio is None else ratio * 100}


@login_required
@require_GET
def house_requests(request, house_slug):
    """Requests waiting (oldest first), then approved bookings still to come; occupancy this month; the export."""
    house = _house(request, house_slug)
    bookings = selectors.house_bookings(house)
    booking_filter = HouseBookingFilter(request.GET or None, queryset=bookings, house=house)
    valid = not booking_filter.is_bound or booking_filter.is_valid()
    filtered = booking_filter.qs if valid else bookings.none()
    first, last = booking_filter.period()
    now = timezone.now()
    # Without a period only the approved bookings still to come; with a period all of that period.
    approved = selectors.house_approved(filtered, ending_after=None if (first or last) else now)
    page = Paginator(approved, PAGE_SIZE).get_page(request.GET.get("page"))
    month_first, month_last = _month(timezone.localdate(now))
    rooms = list(selectors.house_bookable_rooms(house))
    occupancy = selectors.occupancy(rooms, month_first, month_last)
    context = {
        "house": house,
        "filter": booking_filter,
        "waiting": list(selectors.house_waiting(filtered)),
        "page": page,
        "has_period": bool(first or last),
        "is_filtered": booking_filter.is_bound and any(request.GET.get(name) for name in booking_filter.filters),
        "query": query_without(request, "page"),
        "here": request.get_full_path(),
        "now": now,
        "occupancy": [(room, _percentages(occupancy[room.pk])) for room in rooms],
        "month": month_first,
        "export_form": ExportForm(initial={"van": month_first, "tot": month_last, "formaat": ExportForm.CSV}),
        "may_set_terms": policy.may(request.user, Action.MANAGE, house),
        "request_emails": RoleAssignment.objects.filter(user=request.user, house=house, role=Role.COORDINATOR)
        .values_list("email_booking_requests", flat=True)
        .first(),
    }
    _record(request, house, [*context["waiting"], *page.object_list])
    return render(request, "bookings/house/requests.html", context, status=200 if valid else 400)


@login_required
@require_POST
def booking_approve(request, house_slug, booking_id):
    house = _house(request, house_slug)
    booking = policy.get_booking_or_404(
        request.user, Action.MANAGE_BOOKINGS, queryset=selectors.house_bookings(house), pk=booking_id
    )
    try:
        services.booking_approve(booking=booking, by=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request,
            _("Approved: %(room)s on %(day)s, %(time)s for %(renter)s.") % _describe(booking)
            + " "
            + _how_told(booking),
        )
    return redirect(_back(request, house))


def _decision(request, house_slug, booking_id, *, service, template, success):
    """Reject or cancel with a reason: GET shows the form, POST calls the service."""
    house = _house(request, house_slug)
    booking = policy.get_booking_or_404(
        request.user, Action.MANAGE_BOOKINGS, queryset=selectors.house_bookings(house), pk=booking_id
    )
    form = ReasonForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            service(booking=booking, reason=form.cleaned_data["reason"], by=request.user)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, success % _describe(booking) + " " + _how_told(booking))
            return redirect(_back(request, house))
    context = {"house": house, "booking": booking, "form": form, "next": _back(request, house)}
    _record(request, house, [booking])
    return render(request, template, context)


@login_required
@require_http_methods(["GET", "POST"])
def booking_reject(request, house_slug, booking_id):
    return _decision(
        request,
        house_slug,
        booking_id,
        service=services.booking_reject,
        template="bookings/house/booking_reject.html",
        success=_("Rejected: the request of %(renter)s for %(room)s on %(day)s."),
    )


@login_required
@require_http_methods(["GET", "POST"])
def house_booking_cancel(request, house_slug, booking_id):
    return _decision(
        request,
        house_slug,
        booking_id,
        service=services.booking_cancel_by_house,
        template="bookings/house/booking_cancel.html",
        success=_("Cancelled: the booking of %(renter)s for %(room)s on %(day)s."),
    )


def _book(request, house, form: BookOnBehalfForm):
    try:
        booking = services.booking_book_on_behalf(**form.service_arguments(), by=request.user)
    except ValidationError as error:
        add_service_errors(form, error)
        return None
    message = _("Booked: %(room)s on %(day)s, %(time)s for %(renter)s.") % _describe(booking)
    if booking.contact_email:
        message += " " + _("They get a confirmation by e-mail.")
    messages.success(request, message)
    return redirect(_list_url(house))


def _preview(request, house, form: BookOnBehalfForm):
    """The service's quote: the room's rules, whether it is free and the price, read without writing."""
    start, end = form.bounds()
    data = form.cleaned_data
    quote = services.booking_quote(room=data["room"], start=start, end=end, tier=data["tier"], people=data["people"])
    if quote.problems:
        add_service_errors(form, ValidationError(quote.problems))
        return None
    context = {
        "house": house,
        "form": form,
        "price": quote.price,
        "start": start,
        "end": end,
        "tier_label": RenterTier(form.cleaned_data["tier"]).label,
    }
    return render(request, "bookings/house/book_on_behalf_confirm.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def book_on_behalf(request, house_slug):
    """Book a room for someone who phoned: fill in, see the price, then book (confirmed at once).

    The first POST shows the price and what will be booked; "Book the room" (action=confirm) books it, "Change"
    (action=edit) goes back to the filled-in form."""
    house = _house(request, house_slug)
    form = BookOnBehalfForm(request.POST or None, house=house)
    action = request.POST.get("action", "preview")
    if request.method == "POST" and form.is_valid() and action != "edit":
        response = _book(request, house, form) if action == "confirm" else _preview(request, house, form)
        if response is not None:
            return response
    return render(request, "bookings/house/book_on_behalf.html", {"house": house, "form": form})


def _calendar_url(house, place, day: dt.date, view: str) -> str:
    query = urlencode({"plaats": place.pk, "dag": day.isoformat(), "weergave": view})
    return f"{reverse('bookings:house_calendar', kwargs={'house_slug': house.slug})}?{query}"


@login_required
@require_GET
def house_calendar(request, house_slug):
    """A day or a week of one place: per room its bookings (with who booked), sessions and closed days."""
    house = _house(request, house_slug)
    places = list(selectors.house_places(house))
    today = timezone.localdate()
    bound = any(name in request.GET for name in ("plaats", "dag", "weergave"))
    initial = {"plaats": places[0] if places else None, "dag": today, "weergave": View.WEEK}
    form = CalendarForm(request.GET if bound else None, house=house, initial=initial)
    context = {"house": house, "form": form, "places": places}
    if bound and not form.is_valid():
        return render(request, "bookings/house/calendar.html", context, status=400)
    data = {name: (form.cleaned_data.get(name) if bound else None) or value for name, value in initial.items()}
    place, day, view = data["plaats"], data["dag"], data["weergave"]
    if view == View.WEEK:
        first, step = day - dt.timedelta(days=day.weekday()), dt.timedelta(weeks=1)
        last = first + dt.timedelta(days=6)
    else:
        first, last, step = day, day, dt.timedelta(days=1)
    rooms = [] if place is None else list(selectors.house_rooms(house).filter(place=place))
    entries = selectors.house_calendar(rooms, first, last)
    # the access log: the renters of the bookings shown (the same claims the calendar read, as values)
    shown = claims_overlapping(
        RoomOccupancy.objects.filter(room__in=rooms, booking__isnull=False),
        start=day_start(first),
        end=day_start(last + dt.timedelta(days=1)),
    ).values_list("booking__pk", "booking__renter_id")
    access_record_for_request(
        request,
        what=AccessRecord.What.BOOKING_CONTACT,
        subjects=[subject(Booking, pk, user_id=renter_id) for pk, renter_id in shown],
        house=house,
    )
    context.update(
        {
            "place": place,
            "day": day,
            "first": first,
            "last": last,
            "view": view,
            "is_week": view == View.WEEK,
            "today": today,
            "rooms": [(room, entries[room.pk]) for room in rooms],
        }
    )
    if place is not None:
        context["previous_url"] = _calendar_url(house, place, day - step, view)
        context["next_url"] = _calendar_url(house, place, day + step, view)
        context["today_url"] = _calendar_url(house, place, today, view)
        other = View.DAY if view == View.WEEK else View.WEEK
        context["other_view_url"] = _calendar_url(house, place, day, other)
    return render(request, "bookings/house/calendar.html", context)


@login_required
@require_GET
def house_export(request, house_slug):
    """The bookings of a period as CSV or XLSX. Without a query it shows the form; a bad query shows it with the
    errors (400)."""
    house = _house(request, house_slug)
    form = ExportForm(request.GET or None)
    if not request.GET or not form.is_valid():
        status = 400 if request.GET else 200
        return render(request, "bookings/house/export.html", {"house": house, "form": form}, status=status)
    data = form.cleaned_data
    first, last = data["van"], data["tot"]
    bookings = selectors.house_bookings_starting(selectors.house_bookings(house), first=first, last=last)
    if not data["alle"]:
        bookings = selectors.house_billable(bookings)
    bookings = list(bookings.order_by("start", "pk"))
    _record(request, house, bookings, export=True)
    rows = export.rows(bookings)
    name = f"boekingen-{house.slug}-{first.isoformat()}-{last.isoformat()}"
    if data["formaat"] == ExportForm.XLSX:
        return download(export.to_xlsx(rows), name=name, extension="xlsx")
    return download(export.to_csv(rows), name=name, extension="csv")


def _terms_forms(house, data=None):
    house_rooms = [room for place in house.places.all() for room in place.rooms.all() if room.bookable]
    house_form = HouseTermsForm(data, instance=house, prefix="house")
    room_forms = [(room, RoomTermsForm(data, instance=room, prefix=f"room-{room.pk}")) for room in house_rooms]
    return house_form, room_forms


@login_required
@require_http_methods(["GET", "POST"])
def rental_terms(request, house_slug):
    """The house decides its terms: cancellation term, party deposit, house rules; and per room whether online
    requests need approval, evening use, the shortest and longest booking and how far ahead one may book."""
    house = policy.get_house_or_404(
        request.user,
        Action.MANAGE,
        queryset=House.objects.prefetch_related(
            Prefetch("places", queryset=Place.objects.order_by("name").prefetch_related("rooms"))
        ),
        slug=house_slug,
    )
    house_form, room_forms = _terms_forms(house, request.POST if request.method == "POST" else None)
    if request.method == "POST":
        forms_valid = house_form.is_valid() & all([form.is_valid() for _room, form in room_forms])
        if forms_valid:
            try:
                rental_terms_update(
                    house=house,
                    terms={field: house_form.cleaned_data[field] for field in HOUSE_RENTAL_FIELDS},
                    rooms={room.pk: {f: form.cleaned_data[f] for f in ROOM_RENTAL_FIELDS} for room, form in room_forms},
                    by=request.user,
                )
            except ValidationError as error:
                by_prefix = {form.prefix: form for _room, form in room_forms}
                for key, problems in error.message_dict.items():
                    prefix, _dash, field = key.rpartition("-") if key.startswith("room-") else ("", "", key)
                    form = by_prefix.get(prefix, house_form)
                    for problem in problems:
                        form.add_error(None if field == "__all__" or field not in form.fields else field, problem)
            else:
                messages.success(request, _("The rental terms are saved."))
                return redirect("bookings:rental_terms", house_slug=house.slug)
    context = {"house": house, "house_form": house_form, "room_forms": room_forms}
    return render(
        request,
        "bookings/house/rental_terms.html",
        context,
        status=400 if house_form.errors or any(form.errors for _room, form in room_forms) else 200,
    )


@login_required
@require_POST
def request_emails(request, house_slug):
    """A coordinator switches the e-mail about each new request of this house on or off, for themselves."""
    house = _house(request, house_slug)
    form = RequestEmailsForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose whether you want these e-mails."))
        return redirect(_list_url(house))
    enabled = form.cleaned_data["email"]
    try:
        services.booking_request_emails_set(house=house, user=request.user, enabled=enabled, by=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        if enabled:
            messages.success(request, _("You get an e-mail for each new request of this house."))
        else:
            messages.success(request, _("You no longer get e-mails about new requests of this house."))
    return redirect(_list_url(house))


def _rate_forms(house, data=None):
    rooms = selectors.house_bookable_rooms(house).prefetch_related("rates")
    return [(room, RoomRatesForm(data, room=room, prefix=f"room-{room.pk}")) for room in rooms]


@login_required
@require_http_methods(["GET", "POST"])
def room_rates(request, house_slug):
    """The rate card of each room for rent: per renter tier an amount per hour and per day part. New bookings get
    the new prices; a booking made earlier keeps its own."""
    house = policy.get_house_or_404(request.user, Action.MANAGE, slug=house_slug)
    rate_forms = _rate_forms(house, request.POST if request.method == "POST" else None)
    if request.method == "POST":
        if all([form.is_valid() for _room, form in rate_forms]):
            try:
                changed = room_rates_update(
                    house=house, rates={room.pk: form.rates() for room, form in rate_forms}, by=request.user
                )
            except ValidationError as error:
                by_prefix = {form.prefix: form for _room, form in rate_forms}
                for key, problems in getattr(error, "error_dict", {None: error.error_list}).items():
                    prefix, _dash, field = (key or "").partition("-")[2].partition("-")
                    form = by_prefix.get(f"room-{prefix}")
                    target = field if form is not None and field in form.fields else None
                    for problem in problems:
                        (form or rate_forms[0][1]).add_error(target, problem)
            else:
                if changed:
                    messages.success(
                        request, _("The room rates are saved. Bookings made earlier keep the price they had.")
                    )
                else:
                    messages.info(request, _("Nothing changed: the rates were already like this."))
                return redirect("bookings:room_rates", house_slug=house.slug)
    invalid = any(form.errors for _room, form in rate_forms)
    context = {"house": house, "forms": rate_forms, "invalid": invalid, "errors": RateCardErrors(rate_forms)}
    return render(request, "bookings/house/room_rates.html", context, status=400 if invalid else 200)


PREFIX = "beheer/huizen/<slug:house_slug>/"

urlpatterns = [
    path(f"{PREFIX}boekingen/", house_requests, name="house_requests"),
    path(f"{PREFIX}boekingen/nieuw/", book_on_behalf, name="book_on_behalf"),
    path(f"{PREFIX}boekingen/export/", house_export, name="house_export"),
    path(f"{PREFIX}boekingen/<int:booking_id>/goedkeuren/", booking_approve, name="booking_approve"),
    path(f"{PREFIX}boekingen/<int:booking_id>/afwijzen/", booking_reject, name="booking_reject"),
    path(f"{PREFIX}boekingen/<int:booking_id>/annuleren/", house_booking_cancel, name="house_booking_cancel"),
    path(f"{PREFIX}kalender/", house_calendar, name="house_calendar"),
    path(f"{PREFIX}verhuur/", rental_terms, name="rental_terms"),
    path(f"{PREFIX}tarieven/", room_rates, name="room_rates"),
    path(f"{PREFIX}boekingen/e-mail/", request_emails, name="request_emails"),
]
