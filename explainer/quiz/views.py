"""The "Which is it?" quiz: one plain function per step.

GET  /compare/<slug>/quiz/          the current step: question, or feedback after responding
POST /compare/<slug>/quiz/answer/   grade the choice, record the response, show the feedback (PRG)
POST /compare/<slug>/quiz/next/     go on to the next question
GET  /compare/<slug>/quiz/summary/  the round's result
POST /compare/<slug>/quiz/new/      a new round
POST /compare/<slug>/quiz/retry/    a round that brings back the missed scenarios, spaced out

Bad input never changes the score or the recorded responses: a malformed form
answers 400, a request that does not fit the round's state 409, each with the
current step and a message saying what happened.
"""

import functools

from django.contrib import messages
from django.db import IntegrityError, transaction
from django.db.models import prefetch_related_objects
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from django.views.decorators.cache import never_cache

from explainer.models import Response, Scenario, table_prefetch
from explainer.quiz.content import quiz_content
from explainer.quiz.forms import ChoiceForm
from explainer.quiz.prerender import prerender
from explainer.quiz.rounds import QuizRound, new_round, retry_round

ALREADY_ANSWERED = _lazy("You already answered this question; your first answer counts.")


def quiz_step(*, method="GET", needs_round=True):
    """The preamble every step shares, as a decorator.

    The view is called as view(request, comparison, quiz_round). A wrong
    method gets the 405 page that links back to the quiz; an unknown or
    invisible comparison 404; with `needs_round`, a session without a round
    for this comparison gets the 409 "no round" page. Responses are never cached.
    """

    def decorator(view):
        @never_cache
        @functools.wraps(view)
        def wrapper(request, slug):
            if request.method != method and not (method == "GET" and request.method == "HEAD"):
                context = {"back_url": reverse("quiz", args=[slug]), "back_label": _("Go to the quiz")}
                response = render(request, "405.html", context, status=405)
                response["Allow"] = method
                return response
            content = quiz_content(request, slug)  # one small query; the rest per content version, in memory
            request.quiz_content = content
            comparison = content.comparison
            quiz_round = QuizRound.load(request.session, comparison.pk)
            if quiz_round is None and needs_round:
                return render(request, "quiz/no_round.html", {"comparison": comparison}, status=409)
            return view(request, comparison, quiz_round)

        return wrapper

    return decorator


def published_scenarios(comparison):
    return Scenario.objects.published().filter(comparison=comparison)


def choice_form(comparison, data=None, scenario_id=None):
    return ChoiceForm(
        data,
        initial={"scenario": scenario_id},
        concepts=comparison.concepts.order_by("comparisonconcept__position"),
        action=reverse("quiz_respond", args=[comparison.slug]),
    )


def settle(request, comparison, quiz_round):
    """Bring the round to a step that can be shown; return its scenario, or None when the round is over.

    Content may have changed while the learner was away: a question whose
    scenario was unpublished or deleted is dropped from the round (with a
    message), and answered feedback whose scenario was deleted is skipped.
    """
    while not quiz_round.finished:
        if quiz_round.current_answered:
            scenario = request.quiz_content.feedback(quiz_round.current) or (
                Scenario.objects.for_feedback().filter(pk=quiz_round.current).first()
            )
            if scenario is not None:
                return scenario
            quiz_round.advance()
        else:
            scenario = request.quiz_content.question(quiz_round.current)
            if scenario is not None:
                return scenario
            # Withdrawn while the learner was away: the round goes on without it.
            quiz_round.items.remove(quiz_round.current)
            messages.info(request, _("A question of this round was withdrawn for review, so the round skips it."))
        quiz_round.save(request.session)
    return None


def current_step(request, comparison, quiz_round, form=None, status=200):
    """Render where the round stands: the question, its feedback once answered, or the summary."""
    scenario = settle(request, comparison, quiz_round)
    if scenario is None:
        return summary_page(request, comparison, quiz_round, status=status)
    if quiz_round.current_answered:
        return feedback_page(request, comparison, quiz_round, scenario, status=status)
    if form is None:
        form = prerender(choice_form(comparison, scenario_id=scenario.pk), request, comparison.ordered_concepts)
    context = {"comparison": comparison, "quiz_round": quiz_round, "scenario": scenario, "form": form}
    return render(request, "quiz/question.html", context, status=status)


def feedback_page(request, comparison, quiz_round, scenario, status=200):
    prefetch_related_objects([comparison], table_prefetch())
    response = quiz_round.response(scenario.pk)
    correct_now = response["chosen"] == scenario.correct_concept_id
    if correct_now != response["correct"]:
        messages.info(request, _("This question was corrected after you answered it; your score stays as it was."))
    cues = list(scenario.cues.all())
    rows = comparison.table_rows()
    context = {
        "comparison": comparison,
        "quiz_round": quiz_round,
        "scenario": scenario,
        "chosen": next((c for c in comparison.ordered_concepts if c.pk == response["chosen"]), None),
        "correct": correct_now,
        "rows": rows,
        "cue_rows": [row for row in rows if row.attribute in cues],
        "cue_ids": {cue.pk for cue in cues},
    }
    return render(request, "quiz/feedback.html", context, status=status)


def summary_page(request, comparison, quiz_round, status=200):
    content = request.quiz_content
    scenarios = {pk: content.feedback(pk) for pk in quiz_round.items if content.feedback(pk) is not None}
    if missing := [pk for pk in quiz_round.items if pk not in scenarios]:  # moved to another comparison since
        scenarios.update(Scenario.objects.for_feedback().in_bulk(missing))
    concepts = {c.pk: c for c in comparison.ordered_concepts}
    results = []
    for pk in quiz_round.items:
        response = quiz_round.response(pk)
        if pk in scenarios and response:
            results.append(
                {"scenario": scenarios[pk], "chosen": concepts.get(response["chosen"]), "correct": response["correct"]}
            )
    context = {
        "comparison": comparison,
        "quiz_round": quiz_round,
        "results": results,
        "breakdown": cue_breakdown(results),
    }
    return render(request, "quiz/summary.html", context, status=status)


def cue_breakdown(results):
    """Per cue (table row): how many of the round's cases it decided, and how many of those were missed.

    Sorted with the most missed first, so the chart shows what to re-read.
    """
    rows = {}
    for result in results:
        for cue in result["scenario"].cues.all():
            row = rows.setdefault(cue.pk, {"attribute": cue, "seen": 0, "missed": 0})
            row["seen"] += 1
            row["missed"] += 0 if result["correct"] else 1
    return sorted(rows.values(), key=lambda r: (-r["missed"], -r["seen"], r["attribute"].position))


@quiz_step(needs_round=False)
def quiz(request, comparison, quiz_round):
    if quiz_round is not None and quiz_round.finished:
        return redirect("quiz_summary", comparison.slug)
    if quiz_round is None:
        scenarios = published_scenarios(comparison)
        if not scenarios.exists():
            return render(request, "quiz/empty.html", {"comparison": comparison})
        quiz_round = new_round(comparison, scenarios)
        quiz_round.save(request.session)
    return current_step(request, comparison, quiz_round)


@quiz_step(method="POST")
def respond(request, comparison, quiz_round):
    if quiz_round.finished:
        messages.warning(request, _("This round is over; your answers are below."))
        return summary_page(request, comparison, quiz_round, status=409)
    if quiz_round.current_answered:
        messages.warning(request, ALREADY_ANSWERED)
        return current_step(request, comparison, quiz_round, status=409)
    form = choice_form(comparison, data=request.POST)
    if not form.is_valid():
        if "scenario" in form.errors:
            messages.error(
                request, _("That answer did not say which question it was for. Here is the current question.")
            )
            return current_step(request, comparison, quiz_round, status=400)
        form.data = form.data.copy()
        form.data["scenario"] = quiz_round.current
        return current_step(request, comparison, quiz_round, form=form, status=400)
    if form.cleaned_data["scenario"] != quiz_round.current:
        messages.warning(request, _("That answer was for another question. Here is where you are in the round."))
        return current_step(request, comparison, quiz_round, status=409)
    scenario = request.quiz_content.question(quiz_round.current)
    if scenario is None:
        return current_step(request, comparison, quiz_round, status=409)
    chosen = form.cleaned_data["choice"]
    correct = chosen.pk == scenario.correct_concept_id
    if not comparison.is_published:
        # Staff trying a draft's quiz: graded, but kept out of the learners' statistics.
        quiz_round.record(scenario.pk, chosen.pk, correct)
        quiz_round.save(request.session)
        return redirect("quiz", comparison.slug)
    try:
        with transaction.atomic():
            Response.objects.create(round_id=quiz_round.round_id, scenario=scenario, chosen=chosen, is_correct=correct)
    except IntegrityError:
        # The same round already answered this scenario (a replayed request, or a
        # session that lost the record of it): the first response stands, nothing is
        # counted twice, and the round learns it, so that it moves on to the feedback.
        first = Response.objects.get(round_id=quiz_round.round_id, scenario=scenario)
        quiz_round.record(scenario.pk, first.chosen_id, first.is_correct)
        quiz_round.save(request.session)
        messages.warning(request, ALREADY_ANSWERED)
        return current_step(request, comparison, quiz_round, status=409)
    quiz_round.record(scenario.pk, chosen.pk, correct)
    quiz_round.save(request.session)
    return redirect("quiz", comparison.slug)


@quiz_step(method="POST")
def next_question(request, comparison, quiz_round):
    try:
        position = int(request.POST.get("position", ""))
    except ValueError:
        position = None
    if position is not None and position < quiz_round.position:
        return redirect("quiz", comparison.slug)  # a double click on "Next": already done
    if position != quiz_round.position or not quiz_round.current_answered:
        messages.warning(request, _("Answer this question first."))
        return current_step(request, comparison, quiz_round, status=409)
    quiz_round.advance()
    quiz_round.save(request.session)
    return redirect("quiz_summary" if quiz_round.finished else "quiz", comparison.slug)


@quiz_step(needs_round=False)
def summary(request, comparison, quiz_round):
    if quiz_round is None or not quiz_round.finished:
        return redirect("quiz", comparison.slug)
    return summary_page(request, comparison, quiz_round)


@quiz_step(method="POST", needs_round=False)
def start_new(request, comparison, quiz_round):
    scenarios = published_scenarios(comparison)
    if not scenarios.exists():
        return render(request, "quiz/empty.html", {"comparison": comparison})
    new_round(comparison, scenarios).save(request.session)
    return redirect("quiz", comparison.slug)


@quiz_step(method="POST")
def retry(request, comparison, quiz_round):
    if not quiz_round.finished:
        messages.warning(request, _("Finish this round first; then you can retry the ones you missed."))
        return current_step(request, comparison, quiz_round, status=409)
    if not quiz_round.missed:
        messages.info(request, _("You missed none in this round. Try a new round instead."))
        return redirect("quiz_summary", comparison.slug)
    retry_round(comparison, published_scenarios(comparison), quiz_round.missed).save(request.session)
    return redirect("quiz", comparison.slug)
