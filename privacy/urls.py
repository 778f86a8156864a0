from .views import mydata, retention

app_name = "privacy"

urlpatterns = mydata.urlpatterns + retention.urlpatterns
