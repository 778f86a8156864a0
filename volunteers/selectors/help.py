"""Reads of volunteering: help."""
