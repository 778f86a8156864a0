"""Back to where a form came from: the `next` path it sent, but only a path on this site."""

from django.http import HttpRequest, HttpResponseRedirect
from django.utils.http import url_has_allowed_host_and_scheme


def safe_next(request: HttpRequest, default: str) -> str:
    """The `next` value of the request (POST, else GET) when it is a path on this site ("/…"), else `default`.
    Anything else (another site, "//evil", a bare word that `redirect()` would take for a view name) is ignored."""
    value = request.POST.get("next") or request.GET.get("next") or ""
    if (
        value.startswith("/")
        and not value.startswith(("//", "/\\"))
        and url_has_allowed_host_and_scheme(
            value, allowed_hosts={request.get_host()}, require_https=request.is_secure()
        )
    ):
        return value
    return default


def redirect_next(request: HttpRequest, default: str) -> HttpResponseRedirect:
    """Redirect to `safe_next(request, default)`; never resolves the value as a view name."""
    return HttpResponseRedirect(safe_next(request, default))
