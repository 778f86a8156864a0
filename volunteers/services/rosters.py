"""Services of volunteering: rosters."""
