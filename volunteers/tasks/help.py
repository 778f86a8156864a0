"""Background work of volunteering: help."""
