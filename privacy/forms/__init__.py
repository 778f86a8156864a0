"""Forms of privacy, one module per area (see `privacy.views`)."""
