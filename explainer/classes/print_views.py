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


def sheet_items(comparison, sheet):
    """The round printed as sheet number `sheet`: the same for the same published questions."""
    scenarios = Scenario.objects.published().filter(comparison=comparison).order_by("pk")
    ids = draw_round(scenarios, ROUND_SIZE, random.Random(f"{comparison.pk}:{sheet}"))
    found = Scenario.objects.select_related("correct_concept").prefetch_related("cues").in_bulk(ids)
    return [found[pk] for pk in ids if pk in found]


def printable(request, template, context):
    comparison = context["comparison"]
    concepts = comparison.ordered_concepts
    return render(request, template, {**context, "concepts": concepts})


def comparison_sheet(request, slug, template):
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
    query = f"?sheet={sheet}"
    context = {
        "comparison": comparison,
        "items": sheet_items(comparison, sheet),
        "label": sheet,
        "sheet_url": reverse("worksheet", args=[slug]) + query,
        "key_url": reverse("worksheet_key", args=[slug]) + query,
        "back_url": comparison.get_absolute_url(),
    }
    return printable(request, template, context)


@never_cache
@allow("GET")
def worksheet(request, slug):
    return comparison_sheet(request, slug, "classes/worksheet.html")


@never_cache
@allow("GET")
def worksheet_key(request, slug):
    return comparison_sheet(request, slug, "classes/answer_key.html")


def class_sheet(request, pk, template):
    school_class = visible_class(request, pk, SchoolClass.objects.with_results())
    context = {
        "comparison": school_class.comparison,
        "school_class": school_class,
        "items": sheet_order(school_class),
        "label": school_class.display_code,
        "sheet_url": reverse("class_worksheet", args=[pk]),
        "key_url": reverse("class_key", args=[pk]),
        "back_url": school_class.get_absolute_url(),
    }
    return printable(request, template, context)


@teacher_view
@allow("GET")
def class_worksheet(request, pk):
    return class_sheet(request, pk, "classes/worksheet.html")


@teacher_view
@allow("GET")
def class_key(request, pk):
    return class_sheet(request, pk, "classes/answer_key.html")
