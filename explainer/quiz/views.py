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
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache

from explainer.http import method_not_allowed
from explainer.models import Comparison, Confidence, Response, Scenario, table_prefetch
from explainer.quiz import review
from explainer.quiz.content import quiz_content
from explainer.quiz.forms import ALREADY_ANSWERED, ChoiceForm, posted_position
from explainer.quiz.prerender import prerender
from explainer.quiz.rounds import QuizRound, new_round, retry_round


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
                return method_not_allowed(request, {method}, reverse("quiz", args=[slug]), _("Go to the quiz"))
            content = quiz_content(request, slug)  # one small query; the rest per content version, in memory
            comparison = content.comparison
            if not comparison.has_quiz:  # "no quiz yet": no quiz pages at all
                raise Http404("This comparison has no quiz yet.")
            request.quiz_content = content
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
        concepts=comparison.ordered_concepts,
        action=reverse("quiz_respond", args=[comparison.slug]),
    )


def question_form(request, comparison, scenario_id):
    """The unbound answer form for a question, from the prerendered copy (explainer/quiz/prerender.py)."""
    return prerender(
        request,
        lambda: choice_form(comparison, scenario_id=scenario_id),
        action=reverse("quiz_respond", args=[comparison.slug]),
        scenario_id=scenario_id,
        concepts=comparison.ordered_concepts,
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
        form = question_form(request, comparison, scenario.pk)
    context = {"comparison": comparison, "quiz_round": quiz_round, "scenario": scenario, "form": form}
    return render(request, "quiz/question.html", context, status=status)


def feedback_page(request, comparison, quiz_round, scenario, status=200):
    prefetch_related_objects([comparison], table_prefetch())
    response = quiz_round.response(scenario.pk)
    correct_now = response["chosen"] == scenario.correct_concept_id
    if correct_now != response["correct"]:
        messages.info(request, _("This question was corrected after you answered it; your score stays as it was."))
    cues = list(scenario.cues.all())
    concepts = comparison.ordered_concepts
    chosen = next((c for c in concepts if c.pk == response["chosen"]), None)
    # Worked out only when the template's parts kept per version ({% versioned %}) are made.
    rows = functools.cache(comparison.table_rows)
    deciding = functools.cache(
        lambda: deciding_cells(concepts, rows(), cues, scenario.correct_concept_id, response["chosen"])
    )
    context = {
        "comparison": comparison,
        # What keys the parts kept per version: this comparison's version, when the scenario is one of
        # its own (a scenario moved to another comparison since is rendered afresh).
        "kept_by": comparison if request.quiz_content.feedback(scenario.pk) is scenario else None,
        "quiz_round": quiz_round,
        "scenario": scenario,
        "chosen": chosen,
        "chosen_id": response["chosen"],
        "correct": correct_now,
        "answer_tone": tones(comparison).get(scenario.correct_concept_id),
        "chosen_tone": tones(comparison).get(response["chosen"]),
        "why_not": None if correct_now else scenario_note(scenario, response["chosen"]),
        "deciding_cells": deciding,
        "rows": rows,
        "cue_ids": {cue.pk for cue in cues},
    }
    return render(request, "quiz/feedback.html", context, status=status)


def tones(comparison):
    """{concept id: its 1-based column}, for the colour classes tone-1, tone-2, tone-3."""
    return {concept.pk: index for index, concept in enumerate(comparison.ordered_concepts, start=1)}


def scenario_note(scenario, concept_id):
    """The scenario's note on why `concept_id` does not fit it, or None."""
    return next((note.text for note in scenario.wrong_notes.all() if note.concept_id == concept_id), None)


def deciding_cells(concepts, rows, cues, correct_id, chosen_id):
    """Per cue row, only the cells that decide the case: the correct concept's, and the chosen one's when wrong.

    Returns [{"attribute", "cells": [{"concept", "text", "role": "answer" | "chosen", "tone"}]}].
    """
    cue_ids = {cue.pk for cue in cues}
    position = {concept.pk: index for index, concept in enumerate(concepts)}
    wanted = [(correct_id, "answer")] + ([(chosen_id, "chosen")] if chosen_id != correct_id else [])
    result = []
    for row in rows:
        if row.attribute.pk not in cue_ids:
            continue
        cells = [
            {"concept": concepts[position[pk]], "text": row.cells[position[pk]], "role": role, "tone": position[pk] + 1}
            for pk, role in wanted
            if pk in position
        ]
        result.append({"attribute": row.attribute, "cells": cells})
    return result


def summary_page(request, comparison, quiz_round, status=200):
    content = request.quiz_content
    scenarios = {pk: content.feedback(pk) for pk in quiz_round.items if content.feedback(pk) is not None}
    if missing := [pk for pk in quiz_round.items if pk not in scenarios]:  # moved to another comparison since
        scenarios.update(Scenario.objects.for_feedback().in_bulk(missing))
    concepts = {c.pk: c for c in comparison.ordered_concepts}
    positions = tones(comparison)
    results = []
    for pk in quiz_round.items:
        response = quiz_round.response(pk)
        if pk in scenarios and response:
            scenario = scenarios[pk]
            results.append(
                {
                    "scenario": scenario,
                    "chosen": concepts.get(response["chosen"]),
                    "correct": response["correct"],
                    "confidence": response.get("confidence", ""),
                    "why_not": scenario_note(scenario, response["chosen"]),
                    "tone": positions.get(scenario.correct_concept_id),
                    "chosen_tone": positions.get(response["chosen"]),
                    "review": pk in quiz_round.review,
                }
            )
    perfect = bool(results) and all(result["correct"] for result in results)
    context = {
        "comparison": comparison,
        "quiz_round": quiz_round,
        "results": results,
        "breakdown": cue_breakdown(results),
        "leanings": leanings(results),
        "calibration": calibration(results),
        "confident_misses": [r for r in results if not r["correct"] and r["confidence"] == Confidence.SURE],
        "next_comparison": next_in_category(comparison) if perfect else None,
    }
    return render(request, "quiz/summary.html", context, status=status)


def leanings(results):
    """Which way the learner leans: per (answer, wrong choice), how many cases, most first.

    [{"answer": concept, "chosen": concept, "count": n, "tone", "chosen_tone"}], e.g. 3 coalitions called alliances.
    """
    pairs = {}
    for result in results:
        if result["correct"] or result["chosen"] is None:
            continue
        key = (result["scenario"].correct_concept_id, result["chosen"].pk)
        entry = pairs.setdefault(
            key,
            {
                "answer": result["scenario"].correct_concept,
                "chosen": result["chosen"],
                "count": 0,
                "tone": result["tone"],
                "chosen_tone": result["chosen_tone"],
            },
        )
        entry["count"] += 1
    return sorted(pairs.values(), key=lambda entry: (-entry["count"], entry["answer"].name))


def calibration(results):
    """Per confidence level the learner used, how many answers and how many right (empty when none was given)."""
    rows = []
    for value, label in Confidence.choices:
        given = [r for r in results if r["confidence"] == value]
        if given:
            right = sum(1 for r in given if r["correct"])
            rows.append(
                {
                    "value": value,
                    "label": label,
                    "answers": len(given),
                    "right": right,
                    "percent": round(100 * right / len(given)),
                }
            )
    return rows


def next_in_category(comparison):
    """The published comparison after this one (by title, wrapping round) in its category, or None."""
    siblings = list(
        Comparison.objects.published()
        .filter(category_id=comparison.category_id)
        .order_by("title")
        .only("slug", "title")
    )
    others = [c for c in siblings if c.pk != comparison.pk]
    if not others:
        return None
    later = [c for c in others if c.title > comparison.title]
    return (later or others)[0]


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
    due = due_for(request, comparison)
    if quiz_round is not None and quiz_round.finished:
        if not due:
            return redirect("quiz_summary", comparison.slug)
        quiz_round = None  # back after a day or more with cases due: a new round brings them back
    if quiz_round is None:
        scenarios = published_scenarios(comparison)
        if not scenarios.exists():
            return render(request, "quiz/empty.html", {"comparison": comparison})
        quiz_round = new_round(comparison, scenarios, due=due)
        quiz_round.save(request.session)
    return current_step(request, comparison, quiz_round)


def due_for(request, comparison):
    """The comparison's cases due for review in this session (none for a draft's preview)."""
    if not comparison.is_published:
        return []
    return review.due_ids(request.session, comparison.pk)


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
    confidence = form.cleaned_data["confidence"]
    correct = chosen.pk == scenario.correct_concept_id
    if not comparison.is_published:
        # Staff trying a draft's quiz: graded, but kept out of the learners' statistics and reviews.
        quiz_round.record(scenario.pk, chosen.pk, correct, confidence)
        quiz_round.save(request.session)
        return redirect("quiz", comparison.slug)
    try:
        # One write: the response row and the session (the round and the review card) are
        # stored in one transaction, so that neither is kept without the other.
        with transaction.atomic():
            Response.objects.create(
                round_id=quiz_round.round_id,
                scenario=scenario,
                chosen=chosen,
                is_correct=correct,
                confidence=confidence,
            )
            quiz_round.record(scenario.pk, chosen.pk, correct, confidence)
            quiz_round.save(request.session)
            due = review.record(request.session, comparison.pk, scenario.pk, correct, confidence)
            request.session.save()  # SessionMiddleware then finds nothing left to write
    except IntegrityError:
        # The same round already answered this scenario (a replayed request, or a
        # session that lost the record of it): the first response stands, nothing is
        # counted twice, and the round learns it, so that it moves on to the feedback.
        first = Response.objects.get(round_id=quiz_round.round_id, scenario=scenario)
        quiz_round.record(scenario.pk, first.chosen_id, first.is_correct, first.confidence)
        quiz_round.save(request.session)
        messages.warning(request, ALREADY_ANSWERED)
        return current_step(request, comparison, quiz_round, status=409)
    response = redirect("quiz", comparison.slug)
    if due is not None:
        review.remember_next_due(response, request.session)
    return response


@quiz_step(method="POST")
def next_question(request, comparison, quiz_round):
    position = posted_position(request.POST)
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
    new_round(comparison, scenarios, due=due_for(request, comparison)).save(request.session)
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
