"""Views of privacy, one module per area; each module has its own `urlpatterns`:
- `mydata`: "My data" (Mijn gegevens): everything held about you, the JSON download, who looked, erasure;
- `retention`: the privacy statement (public) and the register of processing activities (administrators);
- `access`: nothing yet beyond the admin's read-only access log.
"""
