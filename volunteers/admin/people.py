"""Admin of volunteering: people."""
