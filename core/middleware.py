from django.conf import settings
from django.utils import translation


class ChosenLanguageMiddleware:
    """Swedish unless the user has chosen another language (the set_language cookie).

    Django's LocaleMiddleware would follow the browser's Accept-Language, which would show the
    service in English to every Swedish official whose browser happens to be set to English.
    """

    def __init__(self, get_response):
        self.get_response = get_response
        self.available = {code for code, _ in settings.LANGUAGES}

    def __call__(self, request):
        chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        language = chosen if chosen in self.available else settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = language
        response = self.get_response(request)
        response.headers.setdefault("Content-Language", language)
        translation.deactivate()
        return response
