from django.urls import path

from . import views

app_name = "audit"

urlpatterns = [
    path("beheer/huizen/<slug:house_slug>/geschiedenis/", views.house_history, name="house_history"),
]
