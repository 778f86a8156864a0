"""Forms of volunteering: hours."""
