"""Background work of volunteering, one module per area; imported here so Celery's autodiscovery (which imports
`<app>.tasks`) registers them all. Tasks take primary keys, load, and are safe to run twice."""

from . import carers, help, hours, people, rosters  # noqa: F401
