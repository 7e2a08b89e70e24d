"""Ask before an irreversible action: the modal with JavaScript, a confirmation page without.

A form whose action deletes, withdraws, refuses, decides, publishes or closes carries its question:

    {% load confirm %}<form method="post" action="…">{% csrf_token %}{% confirm question label %}…</form>

`{% confirm %}` writes two hidden fields, the question and the confirm button's label. With JavaScript,
`static/js/app.js` stops the submission, shows the question in the page's one Bootstrap modal (`#confirm-modal` in
base.html) and submits again with `_confirmed=1` only when the person says yes. Without JavaScript (or when the
script is blocked) the form arrives without `_confirmed`: `ConfirmFirstMiddleware` then answers with a confirmation
page, before the view runs, that posts the very same fields again with `_confirmed=1`. Either way nothing happens
until the person has confirmed, and the view and its service stay unaware of the step (a test client posting
without the question acts at once, as before).
"""

from django.shortcuts import render

from .views import local_url

QUESTION = "_confirm"  # the question, as the page asked it
LABEL = "_confirm_label"  # the confirm button's words ("Rút hồ sơ")
CONFIRMED = "_confirmed"  # "1" once the person said yes
_NOT_REPOSTED = {QUESTION, LABEL, CONFIRMED, "csrfmiddlewaretoken"}


class ConfirmFirstMiddleware:
    """A POST carrying a question and no yes gets the confirmation page instead of reaching its view.

    Goes after CsrfViewMiddleware and AuthenticationMiddleware (its `process_view` runs once the token is checked
    and the user is known). Only for signed-in users: an anonymous POST goes on to its view, which sends it to
    login. A form with files is never asked this way (files cannot be posted again from a page).
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        user = getattr(request, "user", None)
        if request.method != "POST" or user is None or not user.is_authenticated:
            return None
        question = request.POST.get(QUESTION, "").strip()
        if not question or request.POST.get(CONFIRMED) == "1" or request.FILES:
            return None
        fields = [(name, value) for name in request.POST if name not in _NOT_REPOSTED
                  for value in request.POST.getlist(name)]
        return render(request, "core/confirm.html", {
            "question": question, "label": request.POST.get(LABEL, "").strip(), "fields": fields,
            "action": request.get_full_path(), "back": local_url(request, request.headers.get("Referer", "")),
            "confirm_fields": {"question": QUESTION, "label": LABEL, "confirmed": CONFIRMED},
        })
