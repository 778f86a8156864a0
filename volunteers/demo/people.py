"""Demo data of volunteering: people."""


def seed(**kwargs):
    return None
