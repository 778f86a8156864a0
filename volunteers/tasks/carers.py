"""Background work of volunteering: carers."""
