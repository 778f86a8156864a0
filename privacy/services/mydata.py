"""A resident's own data: everything held about them (page and JSON), erasure, and dormant accounts.
Filled in by the "My data" work."""
