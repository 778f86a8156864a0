"""Admin of volunteering: hours."""
