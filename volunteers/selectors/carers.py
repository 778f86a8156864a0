"""Reads of volunteering: carers."""
