"""Views of volunteering: hours."""

urlpatterns: list = []
