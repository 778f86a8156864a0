"""Forms of volunteering: carers."""
