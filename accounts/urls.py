from .mfa import urlpatterns as _session_urlpatterns
from .views import urlpatterns as _view_urlpatterns

app_name = "accounts"
urlpatterns = _view_urlpatterns + _session_urlpatterns
