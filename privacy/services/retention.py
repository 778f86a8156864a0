"""Retention periods: changing one (within its legal limits) and applying every category (the daily task).
Filled in by the retention work; see `privacy.retention` for the definitions."""
