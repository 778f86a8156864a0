"""agenda views (being built)."""

urlpatterns: list = []
