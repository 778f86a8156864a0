"""Background work of volunteering: people."""
