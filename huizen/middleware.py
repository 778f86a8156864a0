from django.conf import settings
from django.utils import translation


class LanguageMiddleware:
    """Dutch first: the site speaks Dutch unless the visitor chose another language with the switch.

    Unlike Django's LocaleMiddleware, the browser's Accept-Language is not used: a resident with an English
    browser still sees the Dutch site first, as on other Dutch public-sector sites, and can switch.
    """

    def __init__(self, get_response):
        self.get_response = get_response
        self.languages = {code for code, _name in settings.LANGUAGES}

    def __call__(self, request):
        language = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        if language not in self.languages:
            language = settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = language
        response = self.get_response(request)
        response.headers.setdefault("Content-Language", language)
        return response
