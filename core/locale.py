"""The site speaks Vietnamese unless the user chose English with the language switch.

Django's LocaleMiddleware would follow the browser's Accept-Language header, so an official whose browser is set to
English would get an English page without asking. This middleware, placed just before it, drops that header: the
language then comes from the switch's cookie, or is LANGUAGE_CODE ("vi").
"""


class SiteLanguageMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.META.pop("HTTP_ACCEPT_LANGUAGE", None)
        return self.get_response(request)
