"""Reads of volunteering: people and certificates."""

import datetime as dt

from django.db.models import Exists, OuterRef, Q, QuerySet

from ..models import Certificate, CertificateKind, RoleCertificate, Volunteer, VolunteerRoleChoice


def certificates_needed(role: str) -> list[str]:
    """The certificate kinds `role` needs (data: `RoleCertificate`). One query."""
    return list(RoleCertificate.objects.filter(role=role).values_list("certificate", flat=True))


def active_on_q(day: dt.date, prefix: str = "") -> Q:
    """Volunteers accepted and volunteering on `day` (started, not stopped)."""
    return Q(
        **{f"{prefix}status": Volunteer.Status.ACCEPTED, f"{prefix}start_date__lte": day},
    ) & (Q(**{f"{prefix}end_date__isnull": True}) | Q(**{f"{prefix}end_date__gte": day}))


def valid_certificate(kind: str, day: dt.date, volunteer_ref: str = "pk") -> Exists:
    """A certificate of `kind` valid on `day` (issued on or before it, valid until it inclusive) of the volunteer
    `volunteer_ref` of the outer query."""
    return Exists(
        Certificate.objects.filter(
            volunteer=OuterRef(volunteer_ref), kind=kind, issued_on__lte=day, valid_until__gte=day
        )
    )


def qualified_for(volunteers: QuerySet[Volunteer], *, role: str, day: dt.date) -> QuerySet[Volunteer]:
    """Of `volunteers`, those who may take a shift of `role` on `day`: accepted and active that day, with the role,
    and holding every certificate the role needs, valid on that very day (a certificate valid until the 5th covers
    the 5th, not the 6th). Two queries: the role's certificates, then the volunteers."""
    queryset = volunteers.filter(active_on_q(day)).filter(
        Exists(VolunteerRoleChoice.objects.filter(volunteer=OuterRef("pk"), role=role))
    )
    for kind in certificates_needed(role):
        queryset = queryset.filter(valid_certificate(kind, day))
    return queryset


def is_qualified(volunteer: Volunteer, *, role: str, day: dt.date) -> bool:
    return qualified_for(Volunteer.objects.filter(pk=volunteer.pk), role=role, day=day).exists()


# --- the coordinator's list ----------------------------------------------------------------------------------

DUE_WITHIN_DAYS = 60  # a certificate that expires within this many days is "due"


def needed_by_role() -> dict[str, list[str]]:
    """Per role the certificate kinds it needs. One query."""
    needed: dict[str, list[str]] = {}
    for role, kind in RoleCertificate.objects.values_list("role", "certificate"):
        needed.setdefault(role, []).append(kind)
    return needed


def roles_needing() -> dict[str, list[str]]:
    """Per certificate kind the roles that need it. One query."""
    roles: dict[str, list[str]] = {}
    for role, kinds in needed_by_role().items():
        for kind in kinds:
            roles.setdefault(kind, []).append(role)
    return roles


def certificate_due_q(day: dt.date, kinds_roles: dict[str, list[str]]) -> Q:
    """Volunteers with a role that needs a certificate they hold no certificate of, or whose newest one expires
    within DUE_WITHIN_DAYS of `day` (or has expired)."""
    horizon = day + dt.timedelta(days=DUE_WITHIN_DAYS)
    condition = Q(pk__in=[])
    for kind, roles in kinds_roles.items():
        condition |= Exists(VolunteerRoleChoice.objects.filter(volunteer=OuterRef("pk"), role__in=roles)) & ~Exists(
            Certificate.objects.filter(volunteer=OuterRef("pk"), kind=kind, valid_until__gt=horizon)
        )
    return condition


def with_figures(volunteers: QuerySet[Volunteer], *, today: dt.date) -> QuerySet[Volunteer]:
    """`volunteers` with `hours_minutes` (approved this calendar year), `allowance_paid` (paid for the months of
    this year, by the month paid for, as the caps and the yearly statement count it, not the day paid on) and
    `last_shift` (the date of their last active shift that took place: up to `today`, not the ones planned), each
    a subquery, so the list costs the same for 1 or 100; `has_next_shift`: one is planned after `today`."""
    from django.db.models import DecimalField, IntegerField, Subquery, Sum, Value
    from django.db.models.functions import Coalesce

    from ..models import AllowancePayment, HoursEntry, ShiftAssignment

    year_start = today.replace(month=1, day=1)
    year_end = today.replace(month=12, day=31)
    minutes = (
        HoursEntry.objects.filter(
            volunteer=OuterRef("pk"), status=HoursEntry.Status.APPROVED, date__gte=year_start, date__lte=year_end
        )
        .order_by()
        .values("volunteer")
        .annotate(total=Sum("minutes"))
        .values("total")
    )
    paid = (
        AllowancePayment.objects.filter(volunteer=OuterRef("pk"), month__gte=year_start, month__lte=year_end)
        .order_by()
        .values("volunteer")
        .annotate(total=Sum("amount"))
        .values("total")
    )
    last_shift = (
        ShiftAssignment.objects.filter(
            volunteer=OuterRef("pk"),
            status__in=ShiftAssignment.ACTIVE,
            shift__cancelled_at__isnull=True,
            shift__date__lte=today,
        )
        .order_by("-shift__date")
        .values("shift__date")[:1]
    )
    has_next_shift = Exists(
        ShiftAssignment.objects.filter(
            volunteer=OuterRef("pk"),
            status__in=ShiftAssignment.ACTIVE,
            shift__cancelled_at__isnull=True,
            shift__date__gt=today,
        )
    )
    return volunteers.annotate(
        hours_minutes=Coalesce(Subquery(minutes, output_field=IntegerField()), Value(0)),
        allowance_paid=Coalesce(
            Subquery(paid, output_field=DecimalField(max_digits=10, decimal_places=2)),
            Value(0),
            output_field=DecimalField(max_digits=10, decimal_places=2),
        ),
        last_shift=Subquery(last_shift),
        has_next_shift=has_next_shift,
    )


def idle_q(day: dt.date, idle_after_days: int) -> Q:
    """Accepted volunteers without a shift for longer than `idle_after_days` (or never) and none planned. Needs
    `with_figures`."""
    return Q(status=Volunteer.Status.ACCEPTED, has_next_shift=False) & (
        Q(last_shift__isnull=True) | Q(last_shift__lt=day - dt.timedelta(days=idle_after_days))
    )


def name_details(volunteers) -> dict[int, str]:
    """For the volunteers in `volunteers` whose name another one shares: pk -> what tells them apart (the e-mail
    address, else the day they started, else their number). Reads `user` (select it): no query."""
    from django.utils.formats import date_format
    from django.utils.translation import gettext as _

    by_name: dict[str, list[Volunteer]] = {}
    for volunteer in volunteers:
        by_name.setdefault(str(volunteer).casefold(), []).append(volunteer)
    details = {}
    for same in by_name.values():
        if len(same) < 2:
            continue
        for volunteer in same:
            email = volunteer.email or (volunteer.user.email if volunteer.user_id else "")
            if email:
                details[volunteer.pk] = email
            elif volunteer.start_date:
                details[volunteer.pk] = _("since %(date)s") % {"date": date_format(volunteer.start_date, "j-n-Y")}
            else:
                details[volunteer.pk] = _("number %(number)s") % {"number": volunteer.pk}
    return details


def house_volunteers(house) -> QuerySet[Volunteer]:
    """The volunteers of `house` with their roles and certificates loaded (two more queries, however many)."""
    from django.db.models import Prefetch

    return (
        Volunteer.objects.filter(house=house)
        .select_related("user")
        .prefetch_related(
            "roles", Prefetch("certificates", queryset=Certificate.objects.order_by("kind", "-issued_on"))
        )
    )


class CertificateState:
    VALID = "valid"
    EXPIRING = "expiring"
    EXPIRED = "expired"
    MISSING = "missing"


def certificate_states(volunteer: Volunteer, *, today: dt.date, needed: dict[str, list[str]]) -> list[dict]:
    """Per certificate kind the volunteer's roles need (and any other kind they hold): the newest certificate and
    its state. Reads the prefetched roles and certificates: no query."""
    kinds: list[str] = []
    for choice in volunteer.roles.all():
        for kind in needed.get(choice.role, ()):
            if kind not in kinds:
                kinds.append(kind)
    newest: dict[str, Certificate] = {}
    for certificate in volunteer.certificates.all():
        current = newest.get(certificate.kind)
        if current is None or certificate.issued_on > current.issued_on:
            newest[certificate.kind] = certificate
    for kind in newest:
        if kind not in kinds:
            kinds.append(kind)
    states = []
    horizon = today + dt.timedelta(days=DUE_WITHIN_DAYS)
    for kind in sorted(kinds):
        certificate = newest.get(kind)
        if certificate is None:
            state = CertificateState.MISSING
        elif certificate.valid_until < today:
            state = CertificateState.EXPIRED
        elif certificate.valid_until <= horizon:
            state = CertificateState.EXPIRING
        else:
            state = CertificateState.VALID
        states.append(
            {
                "kind": kind,
                "label": CertificateKind(kind).label,
                "certificate": certificate,
                "state": state,
                "needed": kind in {k for choice in volunteer.roles.all() for k in needed.get(choice.role, ())},
            }
        )
    return states


def certificate_to_record(states: list[dict]) -> str | None:
    """The certificate kind the coordinator most likely records next: a needed one that is missing, then expired,
    then expiring soonest; else the first needed kind; None when the roles need none."""
    order = {CertificateState.MISSING: 0, CertificateState.EXPIRED: 1, CertificateState.EXPIRING: 2}
    needed = [state for state in states if state["needed"]]
    due = [state for state in needed if state["state"] in order]
    if due:
        due.sort(key=lambda s: (order[s["state"]], s["certificate"].valid_until if s["certificate"] else dt.date.min))
        return due[0]["kind"]
    return needed[0]["kind"] if needed else None


def certificates_due_per_house(volunteers: QuerySet[Volunteer], *, today: dt.date) -> dict[int, int]:
    """Per house: how many accepted volunteers have a needed certificate missing, expired or expiring within
    DUE_WITHIN_DAYS. Two queries for all houses."""
    from django.db.models import Count

    rows = (
        volunteers.filter(active_on_q(today))
        .filter(certificate_due_q(today, roles_needing()))
        .order_by()
        .values("house_id")
        .annotate(count=Count("pk"))
    )
    return {row["house_id"]: row["count"] for row in rows}
