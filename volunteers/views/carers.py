"""Views of volunteering: carers."""

urlpatterns: list = []
