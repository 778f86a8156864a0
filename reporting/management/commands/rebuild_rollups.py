"""Derive the daily rollups of a range of days again: `manage.py rebuild_rollups --from 2026-01-01 --to 2026-03-31
[--house SLUG]`. The same service (`reporting.rollups.rebuild`) the rest of the app uses, by the system."""

import datetime as dt

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.utils import translation

from audit.services import SYSTEM
from locations.models import House
from reporting.rollups import rebuild


def _day(value: str, option: str) -> dt.date:
    try:
        return dt.date.fromisoformat(value)
    except (TypeError, ValueError):
        raise CommandError(
            f"{option} {value!r} is not a date; write it as YYYY-MM-DD, for example 2026-01-31."
        ) from None


class Command(BaseCommand):
    help = "Derive the daily figures (rollups) of a range of days again, for every house or one."

    def add_arguments(self, parser):
        parser.add_argument("--from", dest="start", required=True, help="first day, YYYY-MM-DD")
        parser.add_argument("--to", dest="end", required=True, help="last day (included), YYYY-MM-DD")
        parser.add_argument("--house", help="the slug of one house (default: every house)")

    def handle(self, *args, start, end, house=None, **options):
        first, last = _day(start, "--from"), _day(end, "--to")
        house_ids = None
        if house is not None:
            found = House.objects.filter(slug=house).values_list("pk", flat=True).first()
            if found is None:
                raise CommandError(f"There is no house with the slug {house!r}.")
            house_ids = [found]
        try:
            with translation.override("en"):  # the command speaks English, like the rest of manage.py
                written = rebuild(start=first, end=last, house_ids=house_ids, by=SYSTEM)
        except ValidationError as error:
            raise CommandError(" ".join(error.messages)) from None
        self.stdout.write(self.style.SUCCESS(f"Derived {first} to {last} again: {written} figures written."))
