"""Worksheets and answer keys, for printing (the print stylesheet lays them out for A4 and Letter).

For any comparison: /compare/<slug>/worksheet/?sheet=N draws a round with a
generator seeded by N, so the worksheet and its key (/worksheet/key/?sheet=N)
hold the same questions in the same order; without N a new one is drawn and the
address names it. For a class: its own questions, in one order seeded by the code.
"""

import random
import secrets

from django.http import HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.views.decorators.cache import never_cache

from explainer.classes.results import sheet_order
from explainer.classes.views import teacher_view, visible_class
from explainer.http import allow, parse_id
from explainer.models import Comparison, Scenario
from explainer.models.classes import SchoolClass
from explainer.quiz.rounds import ROUND_SIZE, draw_round

MAX_SHEET = 99_999
SHEET_TEMPLATES = {False: "classes/worksheet.html", True: "classes/answer_key.html"}


def sheet_items(comparison, sheet):
    """The round printed as sheet number `sheet`: the same for the same published questions."""
    scenarios = Scenario.objects.published().filter(comparison=comparison).order_by("pk")
    ids = draw_round(scenarios, ROUND_SIZE, random.Random(f"{comparison.pk}:{sheet}"))
    found = Scenario.objects.select_related("correct_concept").prefetch_related("cues").in_bulk(ids)
    return [found[pk] for pk in ids if pk in found]


def printable(request, key, comparison, items, label, names, args, query="", **extra):
    """The worksheet of `items` for `comparison` (or, with `key`, its answer key), labelled `label`.

    `names`: the URL names of the sheet and of its key, reversed with `args` and `query` added, so
    that each links to the other. `extra` goes to the template as it is (a class's sheet: the class).
    """
    sheet_name, key_name = names
    context = {
        "comparison": comparison,
        "concepts": comparison.ordered_concepts,
        "items": items,
        "label": label,
        "sheet_url": reverse(sheet_name, args=args) + query,
        "key_url": reverse(key_name, args=args) + query,
        **extra,
    }
    return render(request, SHEET_TEMPLATES[key], context)


@never_cache
@allow("GET")
def worksheet(request, slug, key=False):
    """A comparison's worksheet, or its answer key when the URL conf passes `key`."""
    comparison = get_object_or_404(
        Comparison.objects.visible_to(request.user).filter(has_quiz=True).with_concepts(), slug=slug
    )
    raw = request.GET.get("sheet")
    if raw is None:
        sheet = secrets.randbelow(MAX_SHEET) + 1
        return HttpResponseRedirect(f"{request.path}?sheet={sheet}")
    sheet = parse_id(raw)
    if sheet is None or sheet > MAX_SHEET:
        context = {"comparison": comparison, "new_url": reverse("worksheet", args=[slug])}
        return render(request, "classes/bad_sheet.html", context, status=400)
    items = sheet_items(comparison, sheet)
    names = ("worksheet", "worksheet_key")
    return printable(
        request, key, comparison, items, sheet, names, [slug], f"?sheet={sheet}", back_url=comparison.get_absolute_url()
    )


@teacher_view
@allow("GET")
def class_worksheet(request, pk, key=False):
    """A class's worksheet, or its answer key when the URL conf passes `key`."""
    school_class = visible_class(request, pk, SchoolClass.objects.with_results())
    items, label = sheet_order(school_class), school_class.display_code
    names = ("class_worksheet", "class_key")
    extra = {"school_class": school_class, "back_url": school_class.get_absolute_url()}
    return printable(request, key, school_class.comparison, items, label, names, [pk], **extra)
