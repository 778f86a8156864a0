"""Services of volunteering: help."""
