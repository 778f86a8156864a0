"""Services of volunteering: hours."""
