"""Reads of privacy: access."""
