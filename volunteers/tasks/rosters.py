"""Background work of volunteering: rosters."""
