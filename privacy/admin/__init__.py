"""The admin of privacy, one module per area: the access log read-only, retention periods through the services."""

from . import access, retention  # noqa: F401
