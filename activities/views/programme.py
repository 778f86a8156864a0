"""programme views (being built)."""

urlpatterns: list = []
