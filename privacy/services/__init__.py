"""Writes of privacy, one module per area:
- `access`: the access log (who looked at whose data) and its prune;
- `retention`: the retention periods and applying them;
- `mydata`: a resident's own data: the download, erasure, and dormant accounts.
"""
