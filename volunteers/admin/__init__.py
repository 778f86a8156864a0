"""The admin of volunteering, one module per area (see `volunteers.views`). Named data is read-only here; reference
data (which roles need which certificate, allowance caps, waardering rules) is edited through the services."""

from . import carers, help, hours, people, rosters  # noqa: F401
