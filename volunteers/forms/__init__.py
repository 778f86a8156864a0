"""Forms of volunteering, one module per area (see `volunteers.views`)."""
