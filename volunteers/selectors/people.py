"""Reads of volunteering: people."""
