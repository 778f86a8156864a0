"""Reads of volunteering: rosters."""
