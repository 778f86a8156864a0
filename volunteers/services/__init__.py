"""The writes of volunteering, one module per area (see `volunteers.views`). Every service takes `by` (the actor),
runs in one transaction, records an audit event in it, and raises ValidationError with a Dutch message for what
it refuses; views, the admin, commands and tasks change state only through them."""
