"""Forms of volunteering: people."""
