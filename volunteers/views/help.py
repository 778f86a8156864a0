"""Views of volunteering: help."""

urlpatterns: list = []
