"""A resident's own account: "My details" (name and preferred language). The rest is django-allauth's."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.urls import path
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from . import services
from .forms import ProfileForm


@login_required
@require_http_methods(["GET", "POST"])
def my_details(request):
    """Change your name and preferred language. The site switches to the chosen language too."""
    user = request.user
    if request.method == "POST":
        form = ProfileForm(request.POST)
        if form.is_valid():
            data = form.cleaned_data
            services.user_update_details(
                user=user,
                first_name=data["first_name"],
                last_name=data["last_name"],
                language=data["language"],
                by=user,
            )
            with translation.override(data["language"]):
                messages.success(request, _("Your details are saved."))
            response = redirect("accounts:my_details")
            response.set_cookie(
                settings.LANGUAGE_COOKIE_NAME,
                data["language"],
                max_age=settings.LANGUAGE_COOKIE_AGE,
                path=settings.LANGUAGE_COOKIE_PATH,
                domain=settings.LANGUAGE_COOKIE_DOMAIN,
                secure=settings.LANGUAGE_COOKIE_SECURE,
                httponly=settings.LANGUAGE_COOKIE_HTTPONLY,
                samesite=settings.LANGUAGE_COOKIE_SAMESITE,
            )
            return response
    else:
        form = ProfileForm(
            initial={"first_name": user.first_name, "last_name": user.last_name, "language": user.language}
        )
    return render(request, "accounts/my_details.html", {"form": form})


urlpatterns = [
    path("mijn/gegevens/", my_details, name="my_details"),
]
