"""The "Which is it?" quiz: one plain function per step.

GET  /compare/<slug>/quiz/          the current step: question, or feedback after answering
POST /compare/<slug>/quiz/answer/   grade the answer, record it, show the feedback (PRG)
POST /compare/<slug>/quiz/next/     go on to the next question
GET  /compare/<slug>/quiz/summary/  the round's result
POST /compare/<slug>/quiz/new/      a new round
POST /compare/<slug>/quiz/retry/    a round that brings back the missed scenarios, spaced out

Bad input never changes the score or the recorded answers: a malformed form
answers 400, a request that does not fit the round's state 409, each with the
current step and a message saying what happened.
"""

import functools

from django.contrib import messages
from django.db import IntegrityError, transaction
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from django.views.decorators.cache import never_cache

from explainer.forms import AnswerForm
from explainer.models import Answer, Comparison, Scenario
from explainer.quiz import QuizRound, new_round, retry_round

ALREADY_ANSWERED = _lazy("You already answered this question; your first answer counts.")


def post_only(view):
    """Like require_POST, but the 405 is a page that says what to do instead."""

    @functools.wraps(view)
    def wrapper(request, slug, *args, **kwargs):
        if request.method != "POST":
            context = {"back_url": reverse("quiz", args=[slug]), "back_label": _("Go to the quiz")}
            response = render(request, "405.html", context, status=405)
            response["Allow"] = "POST"
            return response
        return view(request, slug, *args, **kwargs)

    return wrapper


def get_comparison(request, slug):
    return get_object_or_404(Comparison.objects.visible_to(request.user).with_concepts(), slug=slug)


def published_scenarios(comparison):
    return Scenario.objects.published().filter(comparison=comparison)


def answer_form(comparison, data=None, scenario_id=None):
    return AnswerForm(
        data,
        initial={"scenario": scenario_id},
        concepts=comparison.concepts.order_by("comparisonconcept__position"),
        action=reverse("quiz_answer", args=[comparison.slug]),
    )


def render_step(request, comparison, quiz_round, form=None, status=200):
    """Render the round's current step: the question, or the feedback once it is answered."""
    if quiz_round.finished:
        return render_summary(request, comparison, quiz_round, status=status)
    if quiz_round.current_answered:
        return render_feedback(request, comparison, quiz_round, status=status)
    scenario = published_scenarios(comparison).for_question().filter(pk=quiz_round.current).first()
    if scenario is None:
        # The scenario was unpublished or deleted while the learner was away.
        quiz_round = new_round(comparison, published_scenarios(comparison))
        quiz_round.save(request.session)
        messages.info(request, _("This round changed while you were away, so here is a new one."))
        return render_step(request, comparison, quiz_round, status=status)
    context = {
        "comparison": comparison,
        "quiz_round": quiz_round,
        "scenario": scenario,
        "form": form or answer_form(comparison, scenario_id=scenario.pk),
    }
    return render(request, "quiz/question.html", context, status=status)


def render_feedback(request, comparison, quiz_round, status=200):
    scenario = Scenario.objects.for_feedback().filter(pk=quiz_round.current).first()
    if scenario is None:
        # Deleted since it was answered: nothing left to explain, go on.
        quiz_round.advance()
        quiz_round.save(request.session)
        return render_step(request, comparison, quiz_round, status=status)
    given = quiz_round.answers[str(scenario.pk)]
    concepts = comparison.ordered_concepts
    chosen = next((c for c in concepts if c.pk == given["chosen"]), None)
    cues = list(scenario.cues.all())
    rows = comparison.table_rows()
    context = {
        "comparison": comparison,
        "quiz_round": quiz_round,
        "scenario": scenario,
        "chosen": chosen,
        "correct": given["correct"],
        "rows": rows,
        "cue_rows": [row for row in rows if row.attribute in cues],
        "cue_ids": {cue.pk for cue in cues},
    }
    return render(request, "quiz/feedback.html", context, status=status)


def render_summary(request, comparison, quiz_round, status=200):
    scenarios = {
        s.pk: s
        for s in Scenario.objects.filter(pk__in=quiz_round.items).select_related("answer").prefetch_related("cues")
    }
    concepts = {c.pk: c for c in comparison.ordered_concepts}
    results = []
    for pk in quiz_round.items:
        given = quiz_round.answers.get(str(pk))
        if pk in scenarios and given:
            results.append(
                {"scenario": scenarios[pk], "chosen": concepts.get(given["chosen"]), "correct": given["correct"]}
            )
    context = {
        "comparison": comparison,
        "quiz_round": quiz_round,
        "results": results,
        "breakdown": cue_breakdown(results),
    }
    return render(request, "quiz/summary.html", context, status=status)


def cue_breakdown(results):
    """Per deciding row: how many of the round's cases it decided, and how many of those were missed.

    Sorted with the most missed first, so the chart shows what to re-read.
    """
    rows = {}
    for result in results:
        for cue in result["scenario"].cues.all():
            row = rows.setdefault(cue.pk, {"attribute": cue, "seen": 0, "missed": 0})
            row["seen"] += 1
            row["missed"] += 0 if result["correct"] else 1
    return sorted(rows.values(), key=lambda r: (-r["missed"], -r["seen"], r["attribute"].position))


@never_cache
def quiz(request, slug):
    comparison = get_comparison(request, slug)
    scenarios = published_scenarios(comparison)
    quiz_round = QuizRound.load(request.session, comparison.pk)
    if quiz_round is not None and quiz_round.finished:
        return redirect("quiz_summary", slug)
    if quiz_round is None:
        if not scenarios.exists():
            return render(request, "quiz/empty.html", {"comparison": comparison})
        quiz_round = new_round(comparison, scenarios)
        quiz_round.save(request.session)
    return render_step(request, comparison, quiz_round)


def no_round(request, comparison):
    """409 for a POST that needs a round when the session has none (expired, or cookies off)."""
    context = {"comparison": comparison}
    return render(request, "quiz/no_round.html", context, status=409)


@never_cache
@post_only
def answer(request, slug):
    comparison = get_comparison(request, slug)
    quiz_round = QuizRound.load(request.session, comparison.pk)
    if quiz_round is None:
        return no_round(request, comparison)
    if quiz_round.finished:
        messages.warning(request, _("This round is over; your answers are below."))
        return render_summary(request, comparison, quiz_round, status=409)
    if quiz_round.current_answered:
        messages.warning(request, ALREADY_ANSWERED)
        return render_step(request, comparison, quiz_round, status=409)
    form = answer_form(comparison, data=request.POST)
    if not form.is_valid():
        if "scenario" in form.errors:
            messages.error(
                request, _("That answer did not say which question it was for. Here is the current question.")
            )
            return render_step(request, comparison, quiz_round, status=400)
        form.data = form.data.copy()
        form.data["scenario"] = quiz_round.current
        return render_step(request, comparison, quiz_round, form=form, status=400)
    if form.cleaned_data["scenario"] != quiz_round.current:
        messages.warning(request, _("That answer was for another question. Here is where you are in the round."))
        return render_step(request, comparison, quiz_round, status=409)
    scenario = published_scenarios(comparison).filter(pk=quiz_round.current).only("id", "answer_id").first()
    if scenario is None:
        return render_step(request, comparison, quiz_round, status=409)
    chosen = form.cleaned_data["choice"]
    correct = chosen.pk == scenario.answer_id
    try:
        with transaction.atomic():
            Answer.objects.create(round_id=quiz_round.round_id, scenario=scenario, chosen=chosen, is_correct=correct)
    except IntegrityError:
        # The same round already answered this scenario (a replayed request):
        # the first answer stands and nothing is counted twice.
        messages.warning(request, ALREADY_ANSWERED)
        return render_step(request, comparison, quiz_round, status=409)
    quiz_round.record(scenario.pk, chosen.pk, correct)
    quiz_round.save(request.session)
    return redirect("quiz", slug)


@never_cache
@post_only
def next_question(request, slug):
    comparison = get_comparison(request, slug)
    quiz_round = QuizRound.load(request.session, comparison.pk)
    if quiz_round is None:
        return no_round(request, comparison)
    try:
        position = int(request.POST.get("position", ""))
    except ValueError:
        position = None
    if position is not None and position < quiz_round.position:
        return redirect("quiz", slug)  # a double click on "Next": already done
    if position != quiz_round.position or not quiz_round.current_answered:
        messages.warning(request, _("Answer this question first."))
        return render_step(request, comparison, quiz_round, status=409)
    quiz_round.advance()
    quiz_round.save(request.session)
    return redirect("quiz_summary" if quiz_round.finished else "quiz", slug)


@never_cache
def summary(request, slug):
    comparison = get_comparison(request, slug)
    quiz_round = QuizRound.load(request.session, comparison.pk)
    if quiz_round is None or not quiz_round.finished:
        return redirect("quiz", slug)
    return render_summary(request, comparison, quiz_round)


@never_cache
@post_only
def start_new(request, slug):
    comparison = get_comparison(request, slug)
    scenarios = published_scenarios(comparison)
    if not scenarios.exists():
        return render(request, "quiz/empty.html", {"comparison": comparison})
    new_round(comparison, scenarios).save(request.session)
    return redirect("quiz", slug)


@never_cache
@post_only
def retry(request, slug):
    comparison = get_comparison(request, slug)
    quiz_round = QuizRound.load(request.session, comparison.pk)
    if quiz_round is None:
        return no_round(request, comparison)
    if not quiz_round.finished:
        messages.warning(request, _("Finish this round first; then you can retry the ones you missed."))
        return render_step(request, comparison, quiz_round, status=409)
    if not quiz_round.missed:
        messages.info(request, _("You missed none in this round. Try a new round instead."))
        return redirect("quiz_summary", slug)
    retry_round(comparison, published_scenarios(comparison), quiz_round.missed).save(request.session)
    return redirect("quiz", slug)
