from .views import carers, help, hours, people, rosters

app_name = "volunteers"

urlpatterns = people.urlpatterns + rosters.urlpatterns + hours.urlpatterns + carers.urlpatterns + help.urlpatterns
