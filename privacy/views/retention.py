"""Views of privacy: retention."""

urlpatterns: list = []
