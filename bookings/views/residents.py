"""residents views (being built)."""

urlpatterns: list = []
