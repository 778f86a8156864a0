"""Background work of the audit trail: none of its own. The history's prune is a retention category
("audit_events" in privacy.retention), applied daily by privacy.tasks.retention.apply_retention."""
