import redis
from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.db import connection
from django.db.models import Count, Q
from django.http import JsonResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views.decorators.cache import never_cache

from accounts import policy
from accounts.models import Role, RoleAssignment
from locations.models import House, ManagementType
from locations.selectors import with_current_management

# What staff can do for a house from their start page, each behind its permission.
HOUSE_TASKS = [
    (policy.Action.LOG_DOOR, _("Door screen"), "activities:door_start"),
    (policy.Action.MANAGE_PROGRAMME, _("Programme"), "activities:programme"),
    (policy.Action.MANAGE_PROGRAMME, _("Door log"), "activities:door_log"),
    (policy.Action.RECORD_SIGNAL, _("Record a signal"), "activities:signal_create"),
    (policy.Action.VIEW_SIGNALS, _("Signals"), "activities:signal_list"),
    (policy.Action.MANAGE_BOOKINGS, _("Room bookings"), "bookings:house_requests"),
    (policy.Action.MANAGE_BOOKINGS, _("Room calendar"), "bookings:house_calendar"),
    (policy.Action.MANAGE, _("Rental terms"), "bookings:rental_terms"),
    (policy.Action.MANAGE, _("Room rates"), "bookings:room_rates"),
    (policy.Action.VIEW_HISTORY, _("History"), "audit:house_history"),
    (policy.Action.VIEW_VOLUNTEERS, _("Volunteers"), "volunteers:house_volunteers"),
    (policy.Action.MANAGE_VOLUNTEERS, _("Register a volunteer"), "volunteers:volunteer_new"),
    (policy.Action.VIEW_VOLUNTEERS, _("Roster"), "volunteers:roster"),
    (policy.Action.CONFIRM_SHIFTS, _("Today's shifts"), "volunteers:door_shifts"),
    (policy.Action.VIEW_VOLUNTEERS, _("Volunteer hours"), "volunteers:house_hours"),
    (policy.Action.MANAGE_VOLUNTEERS, _("Volunteer allowances"), "volunteers:allowances"),
    (policy.Action.MANAGE_VOLUNTEERS, _("Burenhulp"), "volunteers:house_help"),
    (policy.Action.POST_HELP, _("Burenhulp for someone"), "volunteers:help_new_on_behalf"),
    (policy.Action.SUPPORT_CARERS, _("Informal carers"), "volunteers:carers"),
]


def _add_waiting_requests(user, houses) -> None:
    """Per house whose bookings `user` manages: how many requests wait and the link to them (one query for all
    houses); None for the other houses."""
    from bookings.selectors import waiting_per_house

    managed = [house for house in houses if policy.may(user, policy.Action.MANAGE_BOOKINGS, house)]
    waiting = waiting_per_house(policy.bookings_for(user, policy.Action.MANAGE_BOOKINGS)) if managed else {}
    for house in houses:
        house.waiting_requests = None
    for house in managed:
        house.waiting_requests = waiting.get(house.pk, 0)
        house.requests_url = reverse("bookings:house_requests", args=[house.slug])


def _add_certificates_due(user, houses) -> None:
    """Per house whose volunteers `user` manages: how many volunteers have a certificate missing, expired or
    expiring within 60 days, and the link to the filtered list (one query for all houses); None elsewhere."""
    from volunteers.selectors.people import certificates_due_per_house

    managed = [house for house in houses if policy.may(user, policy.Action.MANAGE_VOLUNTEERS, house)]
    due = (
        certificates_due_per_house(
            policy.volunteers_for(user, policy.Action.MANAGE_VOLUNTEERS), today=timezone.localdate()
        )
        if managed
        else {}
    )
    for house in houses:
        house.certificates_due = None
    for house in managed:
        house.certificates_due = due.get(house.pk, 0)
        house.certificates_due_url = reverse("volunteers:house_volunteers", args=[house.slug]) + "?due=on"


@never_cache
def healthz(request):
    """Liveness and readiness for load balancers and docker: the database and the Celery broker."""
    checks = {}
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
        checks["database"] = "ok"
    except Exception:  # noqa: BLE001 - any failure means: not healthy
        checks["database"] = "error"
    if settings.REDIS_URL:
        try:
            redis.Redis.from_url(settings.REDIS_URL, socket_timeout=2, socket_connect_timeout=2).ping()
            checks["broker"] = "ok"
        except Exception:  # noqa: BLE001
            checks["broker"] = "error"
    else:
        checks["broker"] = "eager"  # no broker configured: tasks run in the web process
    healthy = all(value in ("ok", "eager") for value in checks.values())
    return JsonResponse({"status": "ok" if healthy else "error", **checks}, status=200 if healthy else 503)


def resident_overview(user) -> dict:
    """What a resident has coming up, for their start page: the next registration and how many there are, and
    how many bookings are coming (of which how many still wait for the house). Three queries, however many."""
    from activities.models import Session
    from activities.selectors import agenda_upcoming_registrations
    from bookings.models import Booking
    from bookings.selectors import bookings_of

    now = timezone.now()
    registrations = agenda_upcoming_registrations(user, now=now).filter(session__status=Session.Status.PLANNED)
    bookings = (
        bookings_of(user)
        .filter(end__gt=now, status__in=Booking.ACTIVE)
        .aggregate(upcoming=Count("pk"), pending=Count("pk", filter=Q(status=Booking.Status.REQUESTED)))
    )
    return {
        "next_registration": registrations.first(),
        "registration_count": registrations.count(),
        "booking_count": bookings["upcoming"],
        "pending_booking_count": bookings["pending"],
    }


def volunteer_statuses(user) -> set[str]:
    """The statuses of the user's volunteering at any house (empty: not a volunteer). One query."""
    from volunteers.models import Volunteer

    return set(Volunteer.objects.filter(user=user).values_list("status", flat=True))


@login_required
def start(request):
    """The start page after logging in; what it shows depends on the user's roles (from the policy)."""
    user = request.user
    grants = policy.grants_of(user)
    houses = policy.houses_for(
        user,
        policy.Action.VIEW_STAFF,
        with_current_management(House.objects.select_related("neighbourhood__district")).annotate(
            place_count=Count("places", distinct=True), room_count=Count("places__rooms", distinct=True)
        ),
    ).order_by("name")
    houses = list(houses) if grants.is_staff_member else []
    for house in houses:
        house.tasks = [
            (label, reverse(name) if name == "activities:door_start" else reverse(name, args=[house.slug]))
            for action, label, name in HOUSE_TASKS
            if policy.may(user, action, house)
        ]
    _add_waiting_requests(user, houses)
    _add_certificates_due(user, houses)
    assignments = list(
        RoleAssignment.objects.filter(user=user).select_related("house", "organisation").order_by("role")
    )
    sees_results = grants.is_staff_member and policy.houses_for(user, policy.Action.VIEW_RESULTS).exists()
    sets_targets = policy.may_network(user, policy.Action.SET_TARGETS)
    results_links = []
    if sees_results:
        results_links += [
            (_("Results against targets"), reverse("reporting:dashboard")),
            (_("Quarterly reports"), reverse("reporting:reports")),
            (_("Targets"), reverse("reporting:targets")),
        ]
    if policy.may_network(user, policy.Action.PAY_WAARDERING):
        results_links.append(
            (_("Mantelzorgwaardering: awards and payment lists"), reverse("volunteers:waardering_network"))
        )
    if sets_targets:
        results_links += [
            (_("Upload targets"), reverse("reporting:targets_upload")),
            (_("Upload neighbourhood figures"), reverse("reporting:neighbourhood_upload")),
        ]
    context = {
        "results_links": results_links,
        "volunteering": volunteer_statuses(user),
        "grants": grants,
        "is_administrator": policy.ADMINISTRATOR in grants.network_roles,
        "is_municipality": Role.MUNICIPALITY in grants.network_roles,
        "assignments": assignments,
        "houses": houses,
        "self_managed_count": sum(1 for h in houses if h.current_management_type == ManagementType.SELF),
        "social_managed_count": sum(1 for h in houses if h.current_management_type == ManagementType.SOCIAL),
        "resident": None if grants.is_staff_member else resident_overview(user),
        "posts_help": any(policy.may(user, policy.Action.POST_HELP, house) for house in houses),
    }
    return render(request, "huizen/start.html", context)


def accessibility(request):
    """The accessibility statement after the Dutch government's model: status, known issues, how we checked, and
    where to report a problem (the address, the response time and the check date come from the settings)."""
    return render(
        request,
        "huizen/accessibility.html",
        {
            "contact_email": settings.ACCESSIBILITY_CONTACT_EMAIL,
            "response_days": settings.ACCESSIBILITY_RESPONSE_DAYS,
            "checked_on": settings.ACCESSIBILITY_CHECKED_ON,
            "site_address": request.get_host(),
        },
    )
