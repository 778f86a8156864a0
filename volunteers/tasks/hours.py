"""Background work of volunteering: hours."""
