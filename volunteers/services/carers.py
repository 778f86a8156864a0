"""Services of volunteering: carers."""
