"""Views of privacy: access."""

urlpatterns: list = []
