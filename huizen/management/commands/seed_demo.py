"""Build the demo network and its logins. Later features add their own `seed_*` calls here."""

import datetime as dt

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.test.utils import override_settings
from django.utils import timezone

from accounts.demo import seed_people
from activities.demo import HISTORY_DAYS, seed_programme
from bookings.demo import seed_bookings
from locations.demo import seed_network
from locations.models import District, House, Neighbourhood, Place, Room
from privacy.demo import seed_my_data
from reporting.demo import seed_results
from volunteers.demo import seed_volunteers


class Command(BaseCommand):
    help = "Build the demo network (demo mode only)"

    def handle(self, *args, **options):
        if not (settings.DEMO_MODE or settings.DEBUG):
            raise CommandError("seed_demo only runs in demo mode (DEMO_MODE=true) or with DEBUG=true.")
        # The demo's own bookings and registrations send no e-mail: nobody is waiting for them.
        with override_settings(EMAIL_BACKEND="django.core.mail.backends.dummy.EmailBackend"), transaction.atomic():
            network = seed_network()
            logins = seed_people(network)
            programme = seed_programme()
            bookings = seed_bookings()
            seed_volunteers(today=timezone.localdate())
            results = seed_results(history_start=timezone.localdate() - dt.timedelta(days=HISTORY_DAYS))
            seed_my_data()

        counts = [
            ("districts", District.objects.count()),
            ("neighbourhoods", Neighbourhood.objects.count()),
            ("houses", House.objects.count()),
            ("places", Place.objects.count()),
            ("rooms", Room.objects.count()),
        ]
        summary = ", ".join(f"{count} {what}" for what, count in counts)
        self.stdout.write(self.style.SUCCESS(f"Demo network ready: {summary}."))
        if bookings:
            self.stdout.write(f"Room bookings made: {bookings}.")
        if programme["activities"]:
            self.stdout.write(
                f"Programme planned: {programme['activities']} activities, {programme['tallies']} door tallies."
            )
        self.stdout.write(
            f"Results: {results['targets']} targets set, {results['reports']} reports of last quarter built."
        )
        self.stdout.write("")
        self.stdout.write(self._table([("Role", "E-mail", "Password"), *logins]))

    @staticmethod
    def _table(rows: list[tuple[str, ...]]) -> str:
        widths = [max(len(row[column]) for row in rows) for column in range(len(rows[0]))]
        lines = ["  ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=True)).rstrip() for row in rows]
        lines.insert(1, "  ".join("-" * width for width in widths))
        return "\n".join(lines)
