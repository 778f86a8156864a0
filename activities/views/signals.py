"""signals views (being built)."""

urlpatterns: list = []
