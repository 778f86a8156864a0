"""Reference data the app starts with: which roles need which certificate, and the allowance caps of 2025 and 2026
(unchanged in 2026). Both are data: coordinators of the network change them in the admin."""

from decimal import Decimal

from django.db import migrations

ROLE_CERTIFICATES = [
    # Roles with vulnerable people or children need a certificate of conduct (VOG).
    ("host", "vog"),
    ("activity_leader", "vog"),
    ("neighbour_help", "vog"),
    ("language_buddy", "vog"),
    # Serving alcohol needs IVA / Sociale Hygiëne.
    ("bar", "iva"),
]

CAPS = [
    (2025, Decimal("5.60"), Decimal("3.30"), Decimal("210.00"), Decimal("2100.00")),
    (2026, Decimal("5.60"), Decimal("3.30"), Decimal("210.00"), Decimal("2100.00")),
]


def add(apps, schema_editor):
    RoleCertificate = apps.get_model("volunteers", "RoleCertificate")
    AllowanceCaps = apps.get_model("volunteers", "AllowanceCaps")
    for role, certificate in ROLE_CERTIFICATES:
        RoleCertificate.objects.get_or_create(role=role, certificate=certificate)
    for year, hourly_adult, hourly_young, monthly, yearly in CAPS:
        AllowanceCaps.objects.get_or_create(
            year=year,
            defaults={
                "adult_age": 21,
                "hourly_adult": hourly_adult,
                "hourly_young": hourly_young,
                "monthly": monthly,
                "yearly": yearly,
            },
        )


class Migration(migrations.Migration):
    dependencies = [("volunteers", "0001_initial")]

    operations = [migrations.RunPython(add, migrations.RunPython.noop)]
