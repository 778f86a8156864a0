"""Demo data of volunteering: rosters."""


def seed(**kwargs):
    return None
