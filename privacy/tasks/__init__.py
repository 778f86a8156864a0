"""Background work of privacy, one module per area; imported here so Celery's autodiscovery registers them."""

from . import mydata, retention  # noqa: F401
