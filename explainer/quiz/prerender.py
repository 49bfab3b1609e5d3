"""The answer form's HTML, rendered by crispy once per question and kept in the process.

Rendering the answer form through crispy-forms' templates cost most of a
question page (bench/README.md). An unbound form's HTML depends only on what
the memo key holds: the action, the scenario id, the concepts offered (id and
name, in order) and the language; the learner's own part, the CSRF token, is
put in on every request. So the first request for a question builds the form
and renders it with crispy as before; the next ones neither build nor render
it, they copy the result. A bound form (a refused answer, with its error
message) is always rendered afresh by `{% crispy form %}`.
"""

from crispy_forms.utils import render_crispy_form
from django.middleware.csrf import get_token
from django.utils.safestring import mark_safe
from django.utils.translation import get_language

from explainer.memo import Memo

# Not a token Django can make (it has characters outside its alphabet): it is replaced before anything is sent.
TOKEN_PLACEHOLDER = "__csrf-token-placeholder__"  # noqa: S105 - a marker, not a secret
MAX_ENTRIES = 4096  # about 2 KB each: a few MB per worker at most


memo = Memo(MAX_ENTRIES, "answer-form")


class Prerendered:
    """An unbound form as the template gets it: `{{ form.prerendered_html }}`, its HTML with this request's token."""

    is_bound = False

    def __init__(self, html):
        self.prerendered_html = html


def prerender(request, build, *, action, scenario_id, concepts):
    """The answer form for `scenario_id`, as a Prerendered; `build()` makes the form when the memo has no copy.

    `concepts` are the choices the form offers, in order (the comparison's
    prefetched concepts): with the action, the scenario and the language they
    key the memo; they are what `build()` would put in the form.
    """
    key = (action, scenario_id, tuple((concept.pk, concept.name) for concept in concepts), get_language())
    html = memo.get(key)
    if html is None:
        form = build()
        html = render_crispy_form(form, form.helper, {"csrf_token": TOKEN_PLACEHOLDER})
        memo.put(key, html)
    # crispy escaped the HTML when it made it; the token is letters and digits.
    return Prerendered(mark_safe(html.replace(TOKEN_PLACEHOLDER, get_token(request))))  # noqa: S308
