"""Reads of volunteering: people and certificates."""

import datetime as dt

from django.db.models import Exists, OuterRef, Q, QuerySet

from ..models import Certificate, RoleCertificate, Volunteer, VolunteerRoleChoice


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
