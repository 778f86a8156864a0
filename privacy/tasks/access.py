"""Background work of privacy: access."""
