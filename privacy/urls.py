from .views import access, mydata, retention

app_name = "privacy"

urlpatterns = mydata.urlpatterns + retention.urlpatterns + access.urlpatterns
