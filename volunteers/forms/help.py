"""Forms of volunteering: help."""
