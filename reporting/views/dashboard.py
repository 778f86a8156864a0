"""Pages of the dashboard area of reporting (filled in by its feature)."""

urlpatterns: list = []
