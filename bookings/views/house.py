"""house views (being built)."""

urlpatterns: list = []
