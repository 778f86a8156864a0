"""Reads of volunteering: informal carers of a house, with their last contact and this year's waardering, and
the payment list of awarded waarderingen (only what payment needs). Each is one query, however many rows."""

from django.db.models import Count, Max, OuterRef, Q, QuerySet, Subquery, Sum

from ..models import Carer, SupportContact, WaarderingApplication


def house_carers(house, *, year: int, search: str = "", ended: bool = False) -> QuerySet[Carer]:
    """The carers of `house` (still supported, or ended), each with `last_contact`, `contacts_this_year` and
    `waardering_status` (of `year`, None when no application)."""
    carers = Carer.objects.filter(house=house, ended_on__isnull=not ended)
    for word in search.split()[:5]:
        carers = carers.filter(Q(first_name__icontains=word) | Q(last_name__icontains=word))
    status = WaarderingApplication.objects.filter(carer=OuterRef("pk"), year=year).values("status")[:1]
    return carers.annotate(
        last_contact=Max("contacts__date"),
        contacts_this_year=Count("contacts", filter=Q(contacts__date__year=year)),
        waardering_status=Subquery(status),
    ).order_by("first_name", "last_name", "pk")


def carer_contacts(carer: Carer) -> QuerySet[SupportContact]:
    return carer.contacts.select_related("recorded_by").order_by("-date", "-pk")


def carer_applications(carer: Carer) -> QuerySet[WaarderingApplication]:
    return carer.waardering_applications.select_related("rules", "decided_by", "created_by").order_by("-year")


def house_applications(house, *, year: int) -> QuerySet[WaarderingApplication]:
    return WaarderingApplication.objects.filter(carer__house=house, year=year).select_related("carer")


def awarded(applications: QuerySet[WaarderingApplication]) -> QuerySet[WaarderingApplication]:
    """The awarded applications, oldest reference first: the rows of a payment list."""
    return applications.filter(status=WaarderingApplication.Status.AWARDED).order_by("pk")


def payment_reference(application_id: int, year: int) -> str:
    """The reference a payment carries, readable and the same on every list: "MZW-2026-000019"."""
    return f"MZW-{year}-{application_id:06d}"


def payment_rows(applications: QuerySet[WaarderingApplication]) -> list[tuple]:
    """(reference, payee name, IBAN, amount, year) of each awarded application: nothing else leaves the house."""
    return [
        (payment_reference(pk, year), payee, iban, amount, year)
        for pk, payee, iban, amount, year in awarded(applications).values_list(
            "pk", "payee_name", "iban", "amount", "year"
        )
    ]


def network_years(houses: QuerySet) -> list[dict]:
    """Per year and house the number and total of awarded waarderingen, for the municipality's overview."""
    return list(
        WaarderingApplication.objects.filter(carer__house__in=houses, status=WaarderingApplication.Status.AWARDED)
        .values("year", "carer__house__name", "carer__house__slug")
        .annotate(count=Count("pk"), total=Sum("amount"))
        .order_by("-year", "carer__house__name")
    )
