"""Reads of volunteering, one module per area (see `volunteers.views`): querysets scoped by the caller through
`accounts.policy`."""
