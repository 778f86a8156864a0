from django.http import JsonResponse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from .models import BaselineRow


@csrf_exempt
@require_POST
def baseline(request):
    """A bare Django view that inserts one row: the yardstick for the app's write paths."""
    row = BaselineRow.objects.create(value=1)
    return JsonResponse({"id": row.pk})
