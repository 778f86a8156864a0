"""Forms of privacy: access."""
