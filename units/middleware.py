"""A person signed in with a temporary password does nothing else before choosing their own."""

from django.conf import settings
from django.shortcuts import redirect
from django.urls import reverse


class PasswordChangeRequiredMiddleware:
    """Every request of a user whose `must_change_password` is set is sent to the password change page, except
    that page itself, signing out, the language switch and static files. Set by Sở Nội vụ with a temporary
    password (units.services); cleared when the person sets their own (units.services.account_set_password).
    Goes after AuthenticationMiddleware."""

    ALLOWED = ("password_change", "logout", "set_language")

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and getattr(user, "must_change_password", False):
            allowed = {reverse(name) for name in self.ALLOWED}
            if request.path not in allowed and not request.path.startswith(f"/{settings.STATIC_URL.lstrip('/')}"):
                return redirect("password_change")
        return self.get_response(request)
