"""The projector view of a class: how to join (link, code, QR, large) and how many have joined; no answers.

Teacher-only, with exactly the class page's permissions (explainer/classes/views.py: teacher_view,
visible_class). The count keeps itself up to date: static/js/class-projector.js reads
`class_joined` (a small JSON answer) every few seconds; without JavaScript the page's
"Refresh" link does it. No results, nicknames or answers are on the page, so it is safe to
show a room.
"""

from django.http import JsonResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import ngettext

from explainer.classes.qr import qr_svg
from explainer.classes.views import absolute, teacher_view, visible_class
from explainer.http import allow
from explainer.models.classes import SchoolClass

# How often the projector's count re-reads itself (static/js/class-projector.js).
POLL_SECONDS = 5


def joined_label(count):
    return ngettext("%(count)d pupil has joined", "%(count)d pupils have joined", count) % {"count": count}


def joined(school_class):
    """What the count shows: how many joined, in words, and whether the class still takes pupils."""
    count = school_class.pupils.count()
    return {"pupils": count, "label": joined_label(count), "open": school_class.is_open}


@teacher_view
@allow("GET")
def class_projector(request, pk):
    school_class = visible_class(request, pk, SchoolClass.objects.select_related("comparison"))
    link = absolute(request, school_class.join_path)
    context = {
        "school_class": school_class,
        "join_url": link,
        "code_url": absolute(request, reverse("class_join_code")),
        "qr": qr_svg(link),
        "joined": joined(school_class),
        "poll_seconds": POLL_SECONDS,
    }
    return render(request, "classes/projector.html", context)


@teacher_view
@allow("GET")
def class_joined(request, pk):
    """{"pupils": N, "label": "N pupils have joined", "open": bool} for the projector's count."""
    school_class = visible_class(request, pk, SchoolClass.objects.select_related("comparison"))
    return JsonResponse(joined(school_class))
