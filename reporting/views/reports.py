"""Pages of the reports area of reporting (filled in by its feature)."""

urlpatterns: list = []
