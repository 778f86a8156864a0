from django.contrib import admin
from django.urls import include, path

from . import views

urlpatterns = [
    path("healthz", views.healthz, name="healthz"),
    path("start/", views.start, name="start"),
    path("toegankelijkheid/", views.accessibility, name="accessibility"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("accounts/", include("allauth.urls")),
    path("", include("accounts.urls")),
    path("admin/", admin.site.urls),
    path("", include("activities.urls")),
    path("", include("bookings.urls")),
    path("", include("audit.urls")),
    path("", include("volunteers.urls")),
    path("resultaten/", include("reporting.urls")),
    path("", include("privacy.urls")),
    path("", include("locations.urls")),
]

handler500 = "huizen.errors.server_error"
