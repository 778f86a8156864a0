"""Views of burenhulp: a resident asks for help (or a professional for someone), the coordinator matches it with
a volunteer, the volunteer accepts or declines and afterwards says whether it happened.

Every object is fetched through the permission policy: a request of another house, or one that is not yours,
gives 404. The requester's contact is shown only to the house's coordinators (MANAGE_VOLUNTEERS), the matched
volunteer while matched, and the requester (or who posted it) themselves.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from accounts import policy
from accounts.policy import Action, Reach
from huizen.forms import add_service_errors
from locations.models import House
from privacy.models import AccessRecord
from privacy.services.access import access_record_for_request, subjects_of

from ..forms.help import AnswerForm, CloseForm, HelpRequestForm, OfferForm, OnBehalfForm
from ..models import HelpOffer, HelpRequest
from ..selectors.help import STATUS_ORDER, helpers_for, house_help_requests, offers_of
from ..services import help as services

PREFIX = "beheer/huizen/<slug:house_slug>/burenhulp/"
CLOSED_SHOWN = 50  # the latest closed requests; the history and the reports keep the rest


def _post(form, *, house, requester, requester_name, email, posted_by, on_behalf, by):
    data = form.cleaned_data
    return services.help_request_post(
        house=house,
        requester=requester,
        requester_name=requester_name,
        phone=data.get("phone", ""),
        email=email,
        address=data.get("address", ""),
        kind=data["kind"],
        description=data["description"],
        wanted_on=data["wanted_on"],
        wanted_time=data.get("wanted_time", ""),
        posted_by=posted_by,
        on_behalf=on_behalf,
        requester_language=data.get("requester_language") or "nl",
        by=by,
    )


def _default_house(request):
    """The house chosen by ?huis=, else the house of the resident's last request, else where they volunteer."""
    slug = request.GET.get("huis", "")
    if slug:
        return House.objects.filter(slug=slug).first()
    last = HelpRequest.objects.filter(requester=request.user).order_by("-created_at").only("house_id").first()
    if last:
        return last.house_id
    volunteering = policy.volunteers_for(request.user, Reach.OWN).only("house_id").first()
    return volunteering.house_id if volunteering else None


# --- the resident ---------------------------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def help_new(request):
    """A resident asks for help from a neighbour (on a phone)."""
    if request.method == "GET":
        house = _default_house(request)
        form = HelpRequestForm(initial={"house": house, "wanted_on": timezone.localdate()})
        return render(request, "volunteers/help/help_form.html", {"form": form})
    form = HelpRequestForm(request.POST)
    if form.is_valid():
        user = request.user
        try:
            _post(
                form,
                house=form.cleaned_data["house"],
                requester=user,
                requester_name=user.get_full_name() or user.email,
                email=user.email,
                posted_by=user,
                on_behalf=False,
                by=user,
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Your request is in. The coordinator looks for a volunteer."))
            return redirect("volunteers:my_help")
    return render(request, "volunteers/help/help_form.html", {"form": form}, status=200)


@login_required
@require_GET
def my_help(request):
    """The requests the user asked for (or posted for someone), with their status."""
    requests = (
        policy.help_requests_for(request.user, Reach.OWN)
        .select_related("house", "volunteer")
        .annotate(status_order=STATUS_ORDER)
        .order_by("status_order", "wanted_on", "pk")
    )
    return render(request, "volunteers/help/my_help.html", {"requests": requests})


def _cancellable(user, request_id) -> tuple[HelpRequest, bool]:
    """The request reached as one's own, or as the coordinator of its house (second: True)."""
    try:
        return policy.get_help_request_or_404(user, Reach.OWN, pk=request_id), False
    except Http404:
        return policy.get_help_request_or_404(user, Action.MANAGE_VOLUNTEERS, pk=request_id), True


@login_required
@require_http_methods(["GET", "POST"])
def help_cancel(request, request_id):
    help_request, as_coordinator = _cancellable(request.user, request_id)
    back = (
        reverse("volunteers:house_help", kwargs={"house_slug": help_request.house.slug})
        if as_coordinator
        else reverse("volunteers:my_help")
    )
    error = ""
    if request.method == "POST":
        try:
            services.help_request_cancel(request=help_request, by=request.user)
        except ValidationError as exc:
            error = " ".join(exc.messages)
        else:
            messages.success(request, _("The request is cancelled."))
            return redirect(back)
    context = {"help_request": help_request, "back": back, "error": error}
    return render(request, "volunteers/help/help_cancel.html", context, status=400 if error else 200)


# --- the coordinator and the professional ---------------------------------------------------------------------


def _house(request, house_slug, action=Action.MANAGE_VOLUNTEERS):
    return policy.get_house_or_404(request.user, action, slug=house_slug)


def _record(request, house, help_requests):
    """The access log: the people asking for help whose name or contact this page shows."""
    access_record_for_request(
        request,
        what=AccessRecord.What.HELP_CONTACT,
        subjects=subjects_of(help_requests, user_field="requester_id"),
        house=house,
    )


@login_required
@require_GET
def house_help(request, house_slug):
    """Requests waiting for a volunteer first (by day), then asked or matched, then the latest closed ones."""
    house = _house(request, house_slug)
    scoped = policy.help_requests_for(request.user, Action.MANAGE_VOLUNTEERS).filter(house=house)
    current = list(house_help_requests(scoped.filter(status__in=HelpRequest.OPEN_STATES)))
    closed = list(
        house_help_requests(scoped.exclude(status__in=HelpRequest.OPEN_STATES)).order_by("-wanted_on", "-pk")[
            :CLOSED_SHOWN
        ]
    )
    _record(request, house, [*current, *closed])
    context = {
        "house": house,
        "open_requests": [r for r in current if r.status == HelpRequest.Status.OPEN],
        "busy_requests": [r for r in current if r.status != HelpRequest.Status.OPEN],
        "closed_requests": closed,
        "closed_shown": CLOSED_SHOWN,
        "may_post": policy.may(request.user, Action.POST_HELP, house),
    }
    return render(request, "volunteers/help/house_help.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def help_new_on_behalf(request, house_slug):
    house = _house(request, house_slug, Action.POST_HELP)
    form = OnBehalfForm(request.POST or None, initial={"wanted_on": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        try:
            help_request = _post(
                form,
                house=house,
                requester=None,
                requester_name=form.cleaned_data["requester_name"],
                email=form.cleaned_data.get("email", ""),
                posted_by=request.user,
                on_behalf=True,
                by=request.user,
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The request is in. The coordinator looks for a volunteer."))
            if policy.may(request.user, Action.MANAGE_VOLUNTEERS, house):
                return redirect("volunteers:help_detail", house_slug=house.slug, request_id=help_request.pk)
            return redirect("volunteers:my_help")
    context = {"house": house, "form": form, "may_manage": policy.may(request.user, Action.MANAGE_VOLUNTEERS, house)}
    return render(request, "volunteers/help/help_on_behalf.html", context)


def _detail(request, house, help_request, offer_form=None, status=200):
    _record(request, house, [help_request])
    helpers = helpers_for(house, help_request.wanted_on)
    context = {
        "house": house,
        "help_request": help_request,
        "offers": help_request.offers.select_related("volunteer"),
        "offer_form": offer_form or OfferForm(volunteers=helpers),
        "can_offer": help_request.status == HelpRequest.Status.OPEN,
        "can_close": help_request.status == HelpRequest.Status.MATCHED
        and help_request.wanted_on <= timezone.localdate(),
        "can_cancel": help_request.status in HelpRequest.OPEN_STATES,
    }
    return render(request, "volunteers/help/help_detail.html", context, status=status)


def _house_request(request, house_slug, request_id):
    house = _house(request, house_slug)
    help_request = policy.get_help_request_or_404(
        request.user,
        Action.MANAGE_VOLUNTEERS,
        queryset=HelpRequest.objects.filter(house=house).select_related("house", "volunteer", "posted_by"),
        pk=request_id,
    )
    return house, help_request


@login_required
@require_GET
def help_detail(request, house_slug, request_id):
    house, help_request = _house_request(request, house_slug, request_id)
    return _detail(request, house, help_request)


@login_required
@require_http_methods(["POST"])
def help_offer(request, house_slug, request_id):
    house, help_request = _house_request(request, house_slug, request_id)
    form = OfferForm(request.POST, volunteers=helpers_for(house, help_request.wanted_on))
    if form.is_valid():
        try:
            services.help_request_offer(request=help_request, volunteer=form.cleaned_data["volunteer"], by=request.user)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The volunteer is asked by e-mail. You see their answer here."))
            return redirect("volunteers:help_detail", house_slug=house.slug, request_id=help_request.pk)
    return _detail(request, house, help_request, offer_form=form)


# --- the volunteer --------------------------------------------------------------------------------------------


@login_required
@require_GET
def my_help_offers(request):
    offers = list(offers_of(policy.volunteers_for(request.user, Reach.OWN)))
    today = timezone.localdate()
    # Matched with them and the day has come: ask at the top whether it happened (and how long it took).
    to_close = [offer for offer in offers if offer.group == 0 and offer.request.wanted_on <= today]
    # the access log: the contact details shown are those of the requests the volunteer is matched to
    helping: dict[int, tuple[House, list[HelpRequest]]] = {}
    for offer in offers:
        if offer.group == 0:
            helping.setdefault(offer.request.house_id, (offer.request.house, []))[1].append(offer.request)
    for house, help_requests in helping.values():
        _record(request, house, help_requests)
    context = {"offers": offers, "to_close": to_close, "today": today}
    return render(request, "volunteers/help/my_help_offers.html", context)


def _own_offer(request, offer_id) -> HelpOffer:
    offer = offers_of(policy.volunteers_for(request.user, Reach.OWN)).filter(pk=offer_id).first()
    if offer is None:
        raise Http404
    return offer


@login_required
@require_http_methods(["GET", "POST"])
def help_answer(request, offer_id):
    offer = _own_offer(request, offer_id)
    form = AnswerForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        accept = form.cleaned_data["answer"] == "accept"
        try:
            services.help_offer_answer(offer=offer, accept=accept, by=request.user)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            if accept:
                messages.success(
                    request, _("Thank you! Get in touch with the person you help: their details are below.")
                )
            else:
                messages.success(request, _("Thank you for letting us know. The coordinator asks someone else."))
            return redirect("volunteers:my_help_offers")
    return render(request, "volunteers/help/help_answer.html", {"offer": offer, "form": form})


def _closable(user, request_id) -> tuple[HelpRequest, bool]:
    """The request as its matched volunteer, or as the coordinator of its house (second: True)."""
    own = (
        HelpRequest.objects.filter(volunteer__in=policy.volunteers_for(user, Reach.OWN), pk=request_id)
        .select_related("house", "volunteer")
        .first()
    )
    if own is not None:
        return own, False
    return policy.get_help_request_or_404(
        user, Action.MANAGE_VOLUNTEERS, queryset=HelpRequest.objects.select_related("house", "volunteer"), pk=request_id
    ), True


@login_required
@require_http_methods(["GET", "POST"])
def help_close(request, request_id):
    help_request, as_coordinator = _closable(request.user, request_id)
    back = (
        reverse("volunteers:help_detail", kwargs={"house_slug": help_request.house.slug, "request_id": help_request.pk})
        if as_coordinator
        else reverse("volunteers:my_help_offers")
    )
    form = CloseForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        happened = form.cleaned_data["happened"] == "yes"
        try:
            services.help_request_close(
                request=help_request, happened=happened, minutes=form.cleaned_data.get("minutes"), by=request.user
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Thank you! The request is closed."))
            return redirect(back)
    context = {"help_request": help_request, "form": form, "back": back, "open": help_request.status == "matched"}
    return render(request, "volunteers/help/help_close.html", context)


urlpatterns = [
    path("burenhulp/vragen/", help_new, name="help_new"),
    path("burenhulp/<int:request_id>/annuleren/", help_cancel, name="help_cancel"),
    path("burenhulp/<int:request_id>/afsluiten/", help_close, name="help_close"),
    path("mijn/burenhulp/", my_help, name="my_help"),
    path("mijn/burenhulp/hulp/", my_help_offers, name="my_help_offers"),
    path("mijn/burenhulp/hulp/<int:offer_id>/", help_answer, name="help_answer"),
    path(PREFIX, house_help, name="house_help"),
    path(f"{PREFIX}nieuw/", help_new_on_behalf, name="help_new_on_behalf"),
    path(f"{PREFIX}<int:request_id>/", help_detail, name="help_detail"),
    path(f"{PREFIX}<int:request_id>/vragen/", help_offer, name="help_offer"),
]
