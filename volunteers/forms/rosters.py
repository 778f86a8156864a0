"""Forms of volunteering: rosters."""
