"""Admin of volunteering: rosters."""
