"""State badges coloured by what the state means to the reader, the same colours in every app.

Six meanings (and their legend words): draft, waiting (someone must act), returned (back to its author), passed
(a step cleared, not final), refused, awarded (the happy end). Each app says which of its states means what,
from its `AppConfig.ready()` (through its panels module):

    badges.register("awards.Dossier", {"draft": "draft", "submitted": "waiting", …})

and templates show them with one filter, `{{ dossier|state_badge }}` (the badge of the object's `state` or `status`
field), and the legend of a list with `{% state_legend "awards.Dossier" %}` (see core/templatetags/badges.py).
A state no app mapped shows as "draft" grey, never without a badge.
"""

from django.utils.translation import gettext_lazy as _

MEANINGS = {
    "draft": _("Đang soạn, chưa gửi"),
    "waiting": _("Đang chờ xử lý"),
    "returned": _("Trả lại, cần bổ sung hoặc giải trình"),
    "passed": _("Đã qua một bước, chưa kết thúc"),
    "refused": _("Không được chấp nhận, dừng lại"),
    "awarded": _("Hoàn thành: được khen thưởng, công nhận, công bố"),
}
DEFAULT = "draft"

_registry: dict[str, dict[str, str]] = {}
# {(model label, state, language): the badge's HTML}. A list shows a badge per row, and building one (the choices'
# labels translated, the HTML escaped) cost about a quarter of a 50-row page; states, labels and meanings are code,
# so each badge is built once per language (and again after a `register`).
built: dict[tuple, str] = {}


def register(model_label, meanings):
    unknown = set(meanings.values()) - set(MEANINGS)
    if unknown:
        raise ValueError(f"unknown badge meanings {unknown} for {model_label}")
    _registry[model_label] = dict(meanings)
    built.clear()


def meaning(model_label, value):
    return _registry.get(model_label, {}).get(value, DEFAULT)


def state_field(obj):
    for name in ("state", "status"):
        if any(f.name == name for f in obj._meta.concrete_fields):
            return name
    return None


def legend(model, label):
    """[(meaning, its words, [labels of the states of `model` that mean it])], in the order of MEANINGS."""
    field = model._meta.get_field(state_field(model))
    by_meaning = {}
    for value, state_label in field.choices:
        by_meaning.setdefault(meaning(label, value), []).append(state_label)
    return [(key, words, by_meaning[key]) for key, words in MEANINGS.items() if key in by_meaning]
