"""Views of volunteering: people. Signing up (public list of houses, the resident's form), the resident's own
volunteering, and the coordinator's list, detail, decisions, certificates, registration, paper form and settings.

Every staff view fetches the house through the policy (another house or no right: 404) and the volunteer within
it; writes go through `volunteers.services.people`."""

import datetime as dt

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from accounts import policy
from accounts.policy import Action, Reach
from huizen.forms import add_service_errors
from locations.models import House
from privacy.models import AccessRecord
from privacy.services.access import access_record_for_request, subjects_of

from ..forms.people import (
    DAY_PARTS,
    CertificateForm,
    DecideForm,
    HouseSettingsForm,
    RegisterForm,
    SignUpForm,
    StopForm,
    VolunteerEditForm,
    VolunteerFilterForm,
    day_part_label,
)
from ..models import Volunteer, VolunteerRole
from ..selectors import people as selectors
from ..services import people as services


def _house(request, house_slug, action=Action.VIEW_VOLUNTEERS):
    return policy.get_house_or_404(request.user, action, slug=house_slug)


def _volunteer(request, house, volunteer_id, action=Action.VIEW_VOLUNTEERS):
    return policy.get_volunteer_or_404(
        request.user, action, queryset=selectors.house_volunteers(house), pk=volunteer_id
    )


def _detail_url(volunteer) -> str:
    return reverse("volunteers:volunteer_detail", args=[volunteer.house.slug, volunteer.pk])


# --- residents ---------------------------------------------------------------------------------------------------


@require_GET
def signup_houses(request):
    """What volunteering is, and per house a link to sign up (public)."""
    houses = House.objects.order_by("neighbourhood__district__name", "name").select_related("neighbourhood__district")
    mine = {}
    if request.user.is_authenticated:
        mine = dict(policy.volunteers_for(request.user, Reach.OWN).values_list("house_id", "status"))
    rows = [(house, mine.get(house.pk)) for house in houses]
    return render(request, "volunteers/people/signup_houses.html", {"rows": rows, "roles": VolunteerRole.choices})


@login_required
@require_http_methods(["GET", "POST"])
def signup(request, house_slug):
    """A resident signs up as a volunteer at a house (phone first)."""
    house = policy.get_house_or_404(request.user, Reach.PUBLIC, slug=house_slug)
    already = policy.volunteers_for(request.user, Reach.OWN).filter(house=house).first()
    form = SignUpForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and already is None and form.is_valid():
        try:
            services.volunteer_sign_up(house=house, user=request.user, by=request.user, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(
                request,
                _("Thank you for signing up. The house will contact you; you get an e-mail with what happens next."),
            )
            return redirect("volunteers:my_volunteering")
    status = 400 if form.errors else 200
    return render(
        request, "volunteers/people/signup.html", {"house": house, "form": form, "already": already}, status=status
    )


@login_required
@require_GET
def my_volunteering(request):
    """The user's own volunteering: per house the status, roles, when they are available and certificates
    (read-only)."""
    today = timezone.localdate()
    needed = selectors.needed_by_role()
    volunteers = list(
        policy.volunteers_for(request.user, Reach.OWN)
        .select_related("house")
        .prefetch_related("roles", "certificates")
        .order_by("house__name")
    )
    for volunteer in volunteers:
        volunteer.certificate_states = selectors.certificate_states(volunteer, today=today, needed=needed)
        volunteer.availability_labels = [day_part_label(code) for code in volunteer.availability or ()]
    return render(request, "volunteers/people/my_volunteering.html", {"volunteers": volunteers})


# --- the house ---------------------------------------------------------------------------------------------------


@login_required
@require_GET
def house_volunteers(request, house_slug):
    """Every volunteer of the house: the applications waiting on top, then the others with their roles,
    certificates, hours and allowance this year and their last shift; filters."""
    house = _house(request, house_slug)
    today = timezone.localdate()
    house_settings = services.house_settings(house)
    needed = selectors.needed_by_role()
    form = VolunteerFilterForm(request.GET or None)
    volunteers = selectors.with_figures(selectors.house_volunteers(house), today=today)
    valid = not form.is_bound or form.is_valid()
    if form.is_bound and valid:
        data = form.cleaned_data
        if data["status"]:
            volunteers = volunteers.filter(status=data["status"])
        if data["role"]:
            volunteers = volunteers.filter(roles__role=data["role"])
        if data["due"]:
            volunteers = volunteers.filter(status=Volunteer.Status.ACCEPTED).filter(
                selectors.certificate_due_q(today, selectors.roles_needing())
            )
        if data["idle"]:
            volunteers = volunteers.filter(selectors.idle_q(today, house_settings.idle_after_days))
    elif not valid:
        volunteers = volunteers.none()
    volunteers = list(volunteers.distinct())
    idle_since = today - dt.timedelta(days=house_settings.idle_after_days)
    for volunteer in volunteers:
        volunteer.certificate_states = selectors.certificate_states(volunteer, today=today, needed=needed)
        volunteer.is_idle = (
            volunteer.status == Volunteer.Status.ACCEPTED
            and not volunteer.has_next_shift
            and (volunteer.last_shift is None or volunteer.last_shift < idle_since)
        )
    # The applications waiting are never filtered: "no applications waiting" must be true.
    waiting = list(selectors.house_volunteers(house).filter(status=Volunteer.Status.APPLIED))
    others = [v for v in volunteers if v.status != Volunteer.Status.APPLIED]
    details = selectors.name_details([*waiting, *others])
    for volunteer in [*waiting, *others]:
        volunteer.name_detail = details.get(volunteer.pk, "")
    _record(request, house, [*waiting, *others])
    context = {
        "house": house,
        "form": form,
        "waiting": waiting,
        "others": others,
        "today": today,
        "year": today.year,
        "idle_after_days": house_settings.idle_after_days,
        "may_manage": policy.may(request.user, Action.MANAGE_VOLUNTEERS, house),
        "is_filtered": form.is_bound and any(request.GET.get(name) for name in form.fields),
    }
    return render(request, "volunteers/people/house_volunteers.html", context, status=200 if valid else 400)


@login_required
@require_http_methods(["GET", "POST"])
def volunteer_new(request, house_slug):
    """The house registers someone: from the paper form, or at the desk. No e-mail address needed."""
    house = _house(request, house_slug, Action.MANAGE_VOLUNTEERS)
    form = RegisterForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            volunteer = services.volunteer_register(house=house, by=request.user, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The volunteer is registered."))
            return redirect(_detail_url(volunteer))
    return render(
        request,
        "volunteers/people/volunteer_new.html",
        {"house": house, "form": form},
        status=400 if form.errors else 200,
    )


@login_required
@require_GET
def paper_form(request, house_slug):
    """The sign-up questions as a printable page with empty boxes, in the viewer's language."""
    house = _house(request, house_slug, Action.MANAGE_VOLUNTEERS)
    form = SignUpForm()
    return render(
        request,
        "volunteers/people/paper_form.html",
        {"house": house, "roles": VolunteerRole.choices, "form": form, "day_parts": DAY_PARTS},
    )


def _record(request, house, volunteers):
    """The access log: the volunteers this page shows."""
    access_record_for_request(
        request, what=AccessRecord.What.VOLUNTEER_FILE, subjects=subjects_of(volunteers), house=house
    )


def _detail_context(request, house, volunteer, **forms):
    _record(request, house, [volunteer])
    today = timezone.localdate()
    volunteer.certificate_states = selectors.certificate_states(
        volunteer, today=today, needed=selectors.needed_by_role()
    )
    may_manage = policy.may(request.user, Action.MANAGE_VOLUNTEERS, house)
    return {
        "house": house,
        "volunteer": volunteer,
        "may_manage": may_manage,
        "availability": [day_part_label(code) for code in volunteer.availability or ()],
        "certificates": sorted(volunteer.certificates.all(), key=lambda c: (c.kind, c.issued_on), reverse=True),
        "has_address": services.has_address(volunteer),
        "decide_form": forms.get("decide_form") or DecideForm(initial={"start_date": today}, prefix="decide"),
        "stop_form": forms.get("stop_form") or StopForm(initial={"end_date": today}, prefix="stop"),
        "certificate_form": forms.get("certificate_form")
        or CertificateForm(
            initial={"kind": selectors.certificate_to_record(volunteer.certificate_states)}, prefix="certificate"
        ),
    }


@login_required
@require_GET
def volunteer_detail(request, house_slug, volunteer_id):
    house = _house(request, house_slug)
    volunteer = _volunteer(request, house, volunteer_id)
    return render(request, "volunteers/people/volunteer_detail.html", _detail_context(request, house, volunteer))


def _told(volunteer) -> str:
    if services.has_address(volunteer):
        return _("The volunteer gets an e-mail.")
    return _("There is no e-mail address: tell the volunteer yourself.")


@login_required
@require_http_methods(["POST"])
def volunteer_decide(request, house_slug, volunteer_id):
    """Accept, decline, put on hold, or (with `stop`) stop a volunteer."""
    house = _house(request, house_slug, Action.MANAGE_VOLUNTEERS)
    volunteer = _volunteer(request, house, volunteer_id, Action.MANAGE_VOLUNTEERS)
    if "stop" in request.POST:
        stop_form = StopForm(request.POST, prefix="stop")
        if stop_form.is_valid():
            try:
                services.volunteer_stop(volunteer=volunteer, by=request.user, **stop_form.cleaned_data)
            except ValidationError as error:
                add_service_errors(stop_form, error)
            else:
                messages.success(request, _("The volunteer has stopped.") + " " + _told(volunteer))
                return redirect(_detail_url(volunteer))
        context = _detail_context(request, house, volunteer, stop_form=stop_form)
        return render(request, "volunteers/people/volunteer_detail.html", context, status=400)
    decide_form = DecideForm(request.POST, prefix="decide")
    if decide_form.is_valid():
        try:
            services.volunteer_decide(volunteer=volunteer, by=request.user, **decide_form.cleaned_data)
        except ValidationError as error:
            add_service_errors(decide_form, error)
        else:
            messages.success(request, _("The decision is saved.") + " " + _told(volunteer))
            return redirect(_detail_url(volunteer))
    context = _detail_context(request, house, volunteer, decide_form=decide_form)
    return render(request, "volunteers/people/volunteer_detail.html", context, status=400)


@login_required
@require_http_methods(["GET", "POST"])
def volunteer_edit(request, house_slug, volunteer_id):
    house = _house(request, house_slug, Action.MANAGE_VOLUNTEERS)
    volunteer = _volunteer(request, house, volunteer_id, Action.MANAGE_VOLUNTEERS)
    form = VolunteerEditForm(
        request.POST if request.method == "POST" else None, initial=VolunteerEditForm.initial_for(volunteer)
    )
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        roles = data.pop("roles")
        try:
            services.volunteer_update(volunteer=volunteer, roles=roles, by=request.user, **data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The details are saved."))
            return redirect(_detail_url(volunteer))
    _record(request, house, [volunteer])
    return render(
        request,
        "volunteers/people/volunteer_edit.html",
        {"house": house, "volunteer": volunteer, "form": form},
        status=400 if form.errors else 200,
    )


@login_required
@require_http_methods(["POST"])
def certificate_record(request, house_slug, volunteer_id):
    house = _house(request, house_slug, Action.MANAGE_VOLUNTEERS)
    volunteer = _volunteer(request, house, volunteer_id, Action.MANAGE_VOLUNTEERS)
    form = CertificateForm(request.POST, prefix="certificate")
    if form.is_valid():
        try:
            certificate = services.certificate_record(volunteer=volunteer, by=request.user, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(
                request,
                _("The certificate is recorded, valid until %(date)s.")
                % {"date": date_format(certificate.valid_until, "j F Y")},
            )
            return redirect(_detail_url(volunteer))
    volunteer = _volunteer(request, house, volunteer_id, Action.MANAGE_VOLUNTEERS)
    context = _detail_context(request, house, volunteer, certificate_form=form)
    return render(request, "volunteers/people/volunteer_detail.html", context, status=400)


@login_required
@require_http_methods(["GET", "POST"])
def house_settings(request, house_slug):
    house = _house(request, house_slug, Action.MANAGE_VOLUNTEERS)
    current = services.house_settings(house)
    form = HouseSettingsForm(
        request.POST if request.method == "POST" else None, initial=HouseSettingsForm.initial_for(current)
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.house_volunteering_update(house=house, by=request.user, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The settings are saved."))
            return redirect("volunteers:house_volunteers", house_slug=house.slug)
    return render(
        request,
        "volunteers/people/house_settings.html",
        {"house": house, "form": form},
        status=400 if form.errors else 200,
    )


PREFIX = "beheer/huizen/<slug:house_slug>/vrijwilligers/"

urlpatterns = [
    path("vrijwilligers/", signup_houses, name="signup_houses"),
    path("vrijwilligers/aanmelden/<slug:house_slug>/", signup, name="signup"),
    path("mijn/vrijwilligerswerk/", my_volunteering, name="my_volunteering"),
    path(PREFIX, house_volunteers, name="house_volunteers"),
    path(f"{PREFIX}nieuw/", volunteer_new, name="volunteer_new"),
    path(f"{PREFIX}formulier/", paper_form, name="paper_form"),
    path(f"{PREFIX}instellingen/", house_settings, name="house_settings"),
    path(f"{PREFIX}<int:volunteer_id>/", volunteer_detail, name="volunteer_detail"),
    path(f"{PREFIX}<int:volunteer_id>/bewerken/", volunteer_edit, name="volunteer_edit"),
    path(f"{PREFIX}<int:volunteer_id>/besluit/", volunteer_decide, name="volunteer_decide"),
    path(f"{PREFIX}<int:volunteer_id>/certificaat/", certificate_record, name="certificate_record"),
]
