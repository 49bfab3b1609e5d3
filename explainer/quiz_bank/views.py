"""Downloading a comparison's quiz for a quiz bank: /teach/quiz-bank/<slug>/<format>/.

Who: teachers (the classes' view permission: the class page links here) and editors and
superusers (view_any_class or the view permission on comparisons: the comparison's admin page
links here). Anyone else signed in gets 403, anonymous visitors the log-in page. Teachers get
published comparisons only; those who see drafts (explainer.models.sees_drafts) get drafts too,
to try an export before publishing. Only published scenarios are exported, as the quiz asks only
those. An unknown format or comparison, or one without a quiz, is 404.
"""

import functools

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404
from django.urls import reverse_lazy
from django.views.decorators.cache import never_cache

from explainer.http import allow
from explainer.models import Comparison
from explainer.quiz_bank.gift import as_gift
from explainer.quiz_bank.items import quiz_items
from explainer.quiz_bank.moodle import as_moodle_xml
from explainer.quiz_bank.qti import as_qti_zip

# format: (writer, content type, file name ending)
FORMATS = {
    "moodle": (as_moodle_xml, "application/xml; charset=utf-8", "-moodle.xml"),
    "qti": (as_qti_zip, "application/zip", "-qti21.zip"),
    "gift": (lambda comparison, items: as_gift(comparison, items).encode(), "text/plain; charset=utf-8", ".gift.txt"),
}
PERMISSIONS = ("explainer.view_schoolclass", "explainer.view_any_class", "explainer.view_comparison")


def may_export(user):
    return any(user.has_perm(permission) for permission in PERMISSIONS)


def bank_view(view):
    @never_cache
    @login_required(login_url=reverse_lazy("admin:login"))
    @functools.wraps(view)
    def wrapper(request, *args, **kwargs):
        if not may_export(request.user):
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return wrapper


@bank_view
@allow("GET")
def quiz_bank_export(request, slug, fmt):
    if fmt not in FORMATS:
        raise Http404("No such export format.")
    comparison = get_object_or_404(
        Comparison.objects.visible_to(request.user).filter(has_quiz=True).with_concepts(), slug=slug
    )
    write, content_type, ending = FORMATS[fmt]
    response = HttpResponse(write(comparison, quiz_items(comparison)), content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{comparison.slug}{ending}"'
    return response
