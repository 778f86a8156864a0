"""Reads of volunteering: hours."""
