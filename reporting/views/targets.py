"""Pages of the targets area of reporting (filled in by its feature)."""

urlpatterns: list = []
