from django.urls import path

from . import views

app_name = "locations"

urlpatterns = [
    path("", views.house_list, name="house_list"),
    path("huizen/<slug:slug>/", views.house_detail, name="house_detail"),
    path("wijken/", views.neighbourhood_field, name="neighbourhood_field"),
    path("beheer/huizen/<slug:slug>/signalen-inzien/", views.house_signal_readers, name="house_signal_readers"),
]
