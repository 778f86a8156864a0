"""Views of the activities app, one module per screen area; each module has its own `urlpatterns`."""
