"""Views of room rental, one module per side; each module has its own `urlpatterns`."""
