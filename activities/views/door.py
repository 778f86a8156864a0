"""door views (being built)."""

urlpatterns: list = []
