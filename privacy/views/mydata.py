"""Views of privacy: mydata."""

urlpatterns: list = []
