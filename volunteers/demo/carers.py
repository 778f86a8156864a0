"""Demo data of volunteering: carers."""


def seed(**kwargs):
    return None
