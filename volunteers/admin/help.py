"""Admin of volunteering: help."""
