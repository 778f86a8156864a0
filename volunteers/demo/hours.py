"""Demo data of volunteering: hours."""


def seed(**kwargs):
    return None
