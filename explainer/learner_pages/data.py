"""A learner's data is theirs: /my-data/ (download as JSON, delete in one confirmed step) and /privacy/.

GET  /my-data/           what is kept, a download link and the delete form
GET  /my-data/download/  everything kept about the learner, as a JSON file (explainer/learners/records.py)
POST /my-data/delete/    with the "confirm" box ticked: the learner, their answers, cards, rounds,
                         class nicknames and account are deleted, and their cookies cleared
GET  /privacy/           exactly what is stored, and for how long
"""

import json

from django import forms
from django.contrib import messages
from django.contrib.auth import logout
from django.core.serializers.json import DjangoJSONEncoder
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache

from explainer import due_hint
from explainer.http import allow
from explainer.learners import identity, records
from explainer.learners.identity import LEARNER_MAX_AGE


class DeleteForm(forms.Form):
    confirm = forms.BooleanField(
        label=gettext_lazy("Yes, delete my answers, review cards, classes joined and account for good."),
        error_messages={"required": gettext_lazy("Tick the box to confirm: deleting cannot be undone.")},
    )


def learner_of(request):
    """The browser's learner, or the signed-in account's (an account links one learner)."""
    learner = identity.current(request)
    if learner is None and request.user.is_authenticated:
        learner = getattr(request.user, "learner", None)
    return learner


@never_cache
@allow("GET")
def my_data(request):
    learner = learner_of(request)
    return render(request, "learners/my_data.html", {"learner": learner, "form": DeleteForm()})


@never_cache
@allow("GET")
def download(request):
    learner = learner_of(request)
    if learner is None:
        return render(request, "learners/my_data.html", {"learner": None, "form": DeleteForm()}, status=404)
    body = json.dumps(records.export(learner), cls=DjangoJSONEncoder, indent=2, ensure_ascii=False)
    response = HttpResponse(body, content_type="application/json; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="explainer-my-data.json"'
    return response


@never_cache
@allow("POST")
def delete(request):
    learner = learner_of(request)
    form = DeleteForm(request.POST)
    if learner is None:
        messages.info(request, _("There is nothing kept about this browser."))
        return redirect("my_data")
    if not form.is_valid():
        return render(request, "learners/my_data.html", {"learner": learner, "form": form}, status=400)
    had_account = learner.user_id is not None
    records.delete(learner)
    if had_account and request.user.is_authenticated:
        logout(request)
    identity.forget(request)
    response = redirect("my_data")
    due_hint.remember(response, None)
    messages.success(request, _("Deleted. Nothing about your learning is kept any more."))
    return response


@allow("GET")
def privacy(request):
    return render(request, "learners/privacy.html", {"cookie_days": LEARNER_MAX_AGE // 86400})
