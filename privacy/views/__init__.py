"""Views of privacy, one module per area; each module has its own `urlpatterns`:
- `mydata`: "My data" (Mijn gegevens): everything held about you, the JSON download, who looked, erasure;
- `retention`: the privacy statement (public) and the register of processing activities (administrators).
The access log has no pages of its own beyond the admin's read-only list (privacy/admin/access.py).
"""
