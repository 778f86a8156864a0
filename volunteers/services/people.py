"""Services of volunteering: people."""
