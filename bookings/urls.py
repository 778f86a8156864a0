from .views import house, residents

app_name = "bookings"

urlpatterns = residents.urlpatterns + house.urlpatterns
