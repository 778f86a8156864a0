"""The admin of privacy: access."""
