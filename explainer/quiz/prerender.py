"""The answer form's HTML, rendered by crispy once per question and kept in the process.

Rendering the answer form through crispy-forms' templates cost most of a
question page (bench/README.md). An unbound form's HTML depends only on what
the memo key holds: the form class, the action, the scenario id, the
concepts offered (id and name, in order) and the language; the learner's own
part, the CSRF token, is put in on every request. So the first request for a
question renders it with crispy as before, and the next ones copy the result.
A bound form (a refused answer, with its error message) is always rendered
afresh. The template keeps `{% crispy form %}`: the form's helper points
crispy at a template that prints the stored HTML.
"""

from crispy_forms.helper import FormHelper
from crispy_forms.utils import render_crispy_form
from django.middleware.csrf import get_token
from django.utils.safestring import mark_safe
from django.utils.translation import get_language

from explainer.memo import Memo

# Not a token Django can make (it has characters outside its alphabet): it is replaced before anything is sent.
TOKEN_PLACEHOLDER = "__csrf-token-placeholder__"  # noqa: S105 - a marker, not a secret
MAX_ENTRIES = 4096  # about 2 KB each: a few MB per worker at most


memo = Memo(MAX_ENTRIES)


class PrerenderedHelper(FormHelper):
    """A helper that makes `{% crispy form %}` print `form.prerendered_html`."""

    template = "includes/prerendered_form.html"


def prerender(form, request, concepts):
    """Give the unbound `form` its stored HTML (rendered by crispy on the first request), with this request's token.

    `concepts` are the choices the form offers, in order (the comparison's
    prefetched concepts): with the action, the scenario and the language they
    key the memo, and on a hit the form's own queryset is never read.
    """
    if form.is_bound:
        return form
    key = (
        type(form).__qualname__,
        form.helper.form_action,
        form.initial.get("scenario"),
        tuple((concept.pk, concept.name) for concept in concepts),
        get_language(),
    )
    html = memo.get(key)
    if html is None:
        html = render_crispy_form(form, form.helper, {"csrf_token": TOKEN_PLACEHOLDER})
        memo.put(key, html)
    # crispy escaped the HTML when it made it; the token is letters and digits.
    form.prerendered_html = mark_safe(html.replace(TOKEN_PLACEHOLDER, get_token(request)))  # noqa: S308
    form.helper = PrerenderedHelper()
    return form
