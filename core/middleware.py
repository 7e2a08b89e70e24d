"""Middleware of the kernel: nothing private is kept by a shared proxy or the browser's cache."""

from django.utils.cache import patch_cache_control


class PrivateNoStoreMiddleware:
    """`Cache-Control: private, no-store` on every response to a signed-in user and on every download.

    A signed-in user's pages, exports, file downloads and report files are that user's; a download (a response with
    `Content-Disposition: attachment`) is private whoever asked. Anonymous pages (login, the public lists, the
    published models' photos) keep their headers. Goes after `AuthenticationMiddleware` (it reads `request.user`);
    static files are answered by WhiteNoise before it and keep their long cache.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        user = getattr(request, "user", None)
        download = response.get("Content-Disposition", "").lower().startswith("attachment")
        if download or (user is not None and user.is_authenticated):
            patch_cache_control(response, private=True, no_store=True)  # drops a "public" directive
        return response
