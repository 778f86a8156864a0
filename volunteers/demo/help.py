"""Demo data of volunteering: help."""


def seed(**kwargs):
    return None
