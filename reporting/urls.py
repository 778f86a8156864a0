"""Results pages under /resultaten/: dashboards, targets and explanations, quarterly reports.

Each area keeps its routes beside its views (`reporting/views/<area>.py`, `urlpatterns`)."""

from .views import dashboard, reports, targets

app_name = "reporting"

urlpatterns = [*dashboard.urlpatterns, *targets.urlpatterns, *reports.urlpatterns]
