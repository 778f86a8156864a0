"""Views of volunteering: rosters."""

urlpatterns: list = []
