from .views import agenda, door, programme, signals

app_name = "activities"

urlpatterns = agenda.urlpatterns + door.urlpatterns + programme.urlpatterns + signals.urlpatterns
