from django.urls import include, path

from . import views

urlpatterns = [
    path("bench/baseline/", views.baseline),
    path("", include("huizen.urls")),
]

handler500 = "huizen.errors.server_error"
