"""Our own page for a server error: the site's style and language, rendered without the request or the database."""

from django.conf import settings
from django.http import HttpResponseServerError
from django.template import loader
from django.views.decorators.csrf import requires_csrf_token

FALLBACK = "<!DOCTYPE html><title>500</title><h1>Er ging iets mis / Something went wrong</h1>"


@requires_csrf_token
def server_error(request, template_name="500.html"):
    """handler500: `500.html` with only the organisation's name, so neither a broken database nor a failing context
    processor can break the error page too; if even that fails, a line of plain HTML."""
    try:
        content = loader.get_template(template_name).render({"SITE_NAME": settings.SITE_NAME})
    except Exception:  # noqa: BLE001 - the page that reports an error must not raise one
        content = FALLBACK
    return HttpResponseServerError(content)
