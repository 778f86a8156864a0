"""Admin of volunteering: carers."""
