"""The demo city's volunteers: per house volunteers with roles and certificates (some expiring soon), weekly
rosters with gaps, hours and allowance, informal carers with support contacts and waarderingen, and burenhulp
requests in every state. Called by `seed_demo` after the programme and the bookings, one module per area."""

from . import carers, help, hours, people, rosters


def seed_volunteers(*, today) -> None:
    volunteers = people.seed(today=today)
    rosters.seed(today=today, volunteers=volunteers)
    hours.seed(today=today, volunteers=volunteers)
    carers.seed(today=today)
    help.seed(today=today, volunteers=volunteers)
