"""Build a quarter's reports now, synchronously: `manage.py build_reports --quarter 2026Q3 [--house SLUG]
[--final]`. Without --house: every house and the network. Each call is a new run (a new version)."""

import uuid

from django.core.management.base import BaseCommand, CommandError

from audit.services import SYSTEM
from locations.models import House
from reporting.models import ReportVersion
from reporting.reports import parse_quarter, report_build


class Command(BaseCommand):
    help = "Build the quarterly reports of a quarter now (a new version of each)"

    def add_arguments(self, parser):
        parser.add_argument("--quarter", required=True, help="the quarter, such as 2026Q3")
        parser.add_argument("--house", help="only this house (its slug); without it every house and the network")
        parser.add_argument("--final", action="store_true", help="build final reports (default: provisional)")

    def handle(self, *args, quarter, house=None, final=False, **options):
        try:
            year, number = parse_quarter(quarter)
        except ValueError as error:
            raise CommandError(str(error)) from None
        if house is not None:
            too_odd = "\x00" in house or len(house) > 150
            found = None if too_odd else House.objects.filter(slug=house).first()
            if found is None:
                raise CommandError(f"No house with the slug {house[:60]!r}.")
            scopes = [found]
        else:
            scopes = [*House.objects.order_by("name"), None]
        kind = ReportVersion.Kind.FINAL if final else ReportVersion.Kind.PROVISIONAL
        for scope in scopes:
            version = report_build(
                house=scope, year=year, quarter=number, kind=kind, by=SYSTEM, run_key=f"command:{uuid.uuid4()}"
            )
            name = scope.name if scope else "network"
            self.stdout.write(f"{name}: {version.year}Q{version.quarter} version {version.number} ({version.kind})")
