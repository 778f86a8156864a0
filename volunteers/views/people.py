"""Views of volunteering: people."""

urlpatterns: list = []
