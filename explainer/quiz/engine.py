"""The one round engine: the quiz's steps, the same for every owner of a round.

A round is a `QuizRound` (explainer/quiz/rounds.py: the scenario ids in order,
the position, the responses given). This module settles it against the
content, shows its current step (question, feedback, summary), takes an
answer and moves it on. *Where* the round is kept, and the rules on top, are
its owner's:

- `LearnerOwner` (explainer/quiz/views.py): a visitor's round of one
  comparison, kept in the learner's records (a LearnerRound row; the learner
  is made at the first answer: explainer/learners/identity.py); new rounds,
  retries and spaced review on top. The session keeps no learning state.
- `PupilOwner` (explainer/classes/pupil_round.py): a class pupil's round, kept
  in the Pupil row and its Response rows; the class's fixed items, closing and
  nicknames on top (each answer also reviews the case's card of the pupil's learner).
- `ReviewOwner` (explainer/learner_pages/review.py): a learner's review round
  across comparisons (/review/): each step plays with the content of its own
  case's comparison, and the round has its own summary.
- `LtiOwner` (explainer/lti/rounds.py): a learner launched from a course
  platform (LTI 1.3), kept in their LtiAttempt row and its Response rows,
  reached by a secret key in the address (no cookie needed in the platform's
  iframe); the link's number of questions, and the score sent to the course's
  gradebook when the last question is answered, on top.

So pupils, learners and course platforms' learners get the same steps, messages, status codes and
templates (quiz/question.html, quiz/feedback.html, quiz/summary.html).

Contract of an owner (subclass RoundOwner):
- `content`: the QuizContent (explainer/quiz/content.py) of the comparison
  version the round plays; `comparison` is its comparison.
- `load()`: the round, or None when there is none.
- `save(quiz_round)`: keep the round's items, position and (for owners that
  keep them with the round) responses.
- `advance(quiz_round)`: move past the answered current question, at most once
  even if two requests ask at the same moment.
- `store(quiz_round, scenario, chosen, correct, confidence)`: record an
  accepted answer, called inside a transaction; the Response's unique
  (round, scenario) raises IntegrityError for a second answer, which the
  engine turns into a 409 with the first answer standing.
- `answered(quiz_round)`: the response after an accepted answer (a redirect to
  the step URL: POST, redirect, GET).
- `refusal()`: None while answers are taken, else why not (a closed class);
  the engine then answers 403 and shows the summary.
- `urls`: {"step", "answer", "next"} and, for owners that allow them, "new"
  and "retry", as `RoundUrls` (by default of the owner's `url_names` and
  `url_args`); `context`: what the templates show of the owner (a class, a
  pupil); `may_start_over`: whether the summary offers new rounds.
- `summary(quiz_round, status)`: the round's last page; by default the
  engine's `summary_page` (quiz/summary.html), which reads one comparison.

`RowOwner` is the owner kept in one row of its own (PupilOwner, LtiOwner): it
loads, saves, advances and stores from that row and its round's Responses.
`round_paths` makes an owner's step, answer and next URL patterns.

Bad input never changes the score or the recorded responses: a malformed
form answers 400, a request that does not fit the round's state 409, each
with the current step and a message saying what happened.
"""

import functools

from django.contrib import messages
from django.db import IntegrityError, transaction
from django.db.models import prefetch_related_objects
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils.translation import gettext as _

from explainer.models import Comparison, Confidence, Response, Scenario, table_prefetch
from explainer.quiz.forms import ALREADY_ANSWERED, ChoiceForm, posted_position
from explainer.quiz.mixups import mixup_for
from explainer.quiz.prerender import prerender
from explainer.quiz.rounds import QuizRound
from explainer.tones import tone_of


class RoundUrls(dict):
    """An owner's step URLs by key, each reversed when first read: a request reads one or two of the five, and
    reversing them all was 3% of an answer's time (make bench-profile). An unknown key raises KeyError."""

    def __init__(self, names, args=()):
        super().__init__()
        self.names, self.args = names, args

    def __missing__(self, key):
        url = self[key] = reverse(self.names[key], args=self.args)
        return url


def round_paths(prefix, names, step, answer, next_question, step_path=""):
    """An owner's round's URL patterns: its step at `prefix + step_path`, then answer/ and next/ under `prefix`.

    `names` maps "step", "answer" and "next" to the URL names, the same the owner's `urls` reverses.
    """
    return [
        path(prefix + step_path, step, name=names["step"]),
        path(prefix + "answer/", answer, name=names["answer"]),
        path(prefix + "next/", next_question, name=names["next"]),
    ]


class RoundOwner:
    """Who keeps a round and which rules sit on the shared steps; see the module docstring."""

    may_start_over = False
    url_names = {}  # "step", "answer", "next" (and "new", "retry" where allowed) -> URL name
    url_args = ()  # what those URLs are reversed with (a class's code, an attempt's key)

    def __init__(self, request, content):
        self.request = request
        self.content = content

    @property
    def comparison(self):
        return self.content.comparison

    @functools.cached_property
    def urls(self):
        return RoundUrls(self.url_names, self.url_args)

    @property
    def context(self):
        return {}

    def load(self):
        raise NotImplementedError

    def save(self, quiz_round):
        raise NotImplementedError

    def advance(self, quiz_round):
        quiz_round.advance()
        self.save(quiz_round)

    def store(self, quiz_round, scenario, chosen, correct, confidence):
        raise NotImplementedError

    def answered(self, quiz_round):
        raise NotImplementedError

    def refusal(self):
        return None

    def summary(self, quiz_round, status=200):
        return summary_page(self, quiz_round, status=status)


class RowOwner(RoundOwner):
    """An owner that keeps its round in one row of its own and the answers as that round's Response rows.

    `row` has `round_id` (unique), `items` and `position`: a class pupil's Pupil, a course platform
    learner's LtiAttempt. `answered_by()` names who answered, for the Response row.
    """

    def __init__(self, request, content, row, comparison_id):
        super().__init__(request, content)
        self.row = row
        self.comparison_id = comparison_id

    def answered_by(self):
        return {}

    def load(self):
        responses = {}
        rows = Response.objects.filter(round_id=self.row.round_id).values_list(
            "scenario_id", "chosen_id", "is_correct", "confidence"
        )
        for scenario_id, chosen_id, correct, confidence in rows:
            responses[str(scenario_id)] = {"chosen": chosen_id, "correct": correct}
            if confidence:
                responses[str(scenario_id)]["confidence"] = confidence
        return QuizRound(
            comparison_id=self.comparison_id,
            round_id=str(self.row.round_id),
            items=list(self.row.items),
            position=self.row.position,
            responses=responses,
        )

    def save(self, quiz_round):
        """Keep the round's items and position after settling (a withdrawn question left out, a deleted one passed).

        The position only moves on from the one this request read, so a Next pressed meanwhile in
        another tab is never undone.
        """
        rows = type(self.row).objects.filter(pk=self.row.pk)
        rows.update(items=quiz_round.items)
        if quiz_round.position != self.row.position:
            rows.filter(position=self.row.position).update(position=quiz_round.position)
        self.row.items, self.row.position = quiz_round.items, quiz_round.position

    def advance(self, quiz_round):
        # An UPDATE conditioned on the position: two tabs pressing Next move the round on once.
        rows = type(self.row).objects.filter(pk=self.row.pk, position=quiz_round.position)
        rows.update(position=quiz_round.position + 1)
        quiz_round.advance()
        self.row.position = quiz_round.position

    def store(self, quiz_round, scenario, chosen, correct, confidence):
        record_answer(quiz_round, scenario, chosen, correct, confidence, **self.answered_by())


def record_answer(quiz_round, scenario, chosen, correct, confidence, counted=True, **answered_by):
    """An accepted answer recorded in the round and, when it is `counted`, as the round's Response row.

    `answered_by`: the Response's learner and pupil, where known. A round that is not counted (a
    draft's preview) leaves no Response.
    """
    if counted:
        Response.objects.create(
            round_id=quiz_round.round_id,
            scenario=scenario,
            chosen=chosen,
            is_correct=correct,
            confidence=confidence,
            **answered_by,
        )
    quiz_round.record(scenario.pk, chosen.pk, correct, confidence)


# The forms


def choice_form(comparison, data=None, scenario_id=None, *, action):
    return ChoiceForm(data, initial={"scenario": scenario_id}, concepts=comparison.ordered_concepts, action=action)


def question_form(request, comparison, scenario_id, *, action):
    """The unbound answer form for a question, from the prerendered copy (explainer/quiz/prerender.py)."""
    return prerender(
        request,
        lambda: choice_form(comparison, scenario_id=scenario_id, action=action),
        action=action,
        scenario_id=scenario_id,
        concepts=comparison.ordered_concepts,
    )


# Showing where the round stands


def settle(owner, quiz_round):
    """Bring the round to a step that can be shown; return its scenario, or None when the round is over.

    Content may have changed while the learner was away: a question whose
    scenario was unpublished or deleted is dropped from the round (with a
    message), and answered feedback whose scenario was deleted is skipped.
    """
    while not quiz_round.finished:
        if quiz_round.current_answered:
            scenario = owner.content.feedback(quiz_round.current) or (
                Scenario.objects.for_feedback().filter(pk=quiz_round.current).first()
            )
            if scenario is not None:
                return scenario
            quiz_round.advance()
        else:
            scenario = owner.content.question(quiz_round.current)
            if scenario is not None:
                return scenario
            # Withdrawn while the learner was away: the round goes on without it.
            quiz_round.items.remove(quiz_round.current)
            messages.info(owner.request, _("A question of this round was withdrawn for review, so the round skips it."))
        owner.save(quiz_round)
    return None


def base_context(owner, quiz_round):
    return {"comparison": owner.comparison, "quiz_round": quiz_round, "quiz_urls": owner.urls, **owner.context}


def current_step(owner, quiz_round, form=None, status=200):
    """Render where the round stands: the question, its feedback once answered, or the summary.

    While the owner refuses answers (a closed class), an unanswered question
    is not shown: the summary of what was answered is.
    """
    scenario = settle(owner, quiz_round)
    if scenario is None or (owner.refusal() and not quiz_round.current_answered):
        return owner.summary(quiz_round, status=status)
    if quiz_round.current_answered:
        return feedback_page(owner, quiz_round, scenario, status=status)
    if form is None:
        form = question_form(owner.request, owner.comparison, scenario.pk, action=owner.urls["answer"])
    context = {**base_context(owner, quiz_round), "scenario": scenario, "form": form}
    return render(owner.request, "quiz/question.html", context, status=status)


def feedback_page(owner, quiz_round, scenario, status=200):
    comparison = owner.comparison
    prefetch_related_objects([comparison], table_prefetch())
    response = quiz_round.response(scenario.pk)
    correct_now = response["chosen"] == scenario.correct_concept_id
    if correct_now != response["correct"]:
        messages.info(
            owner.request, _("This question was corrected after you answered it; your score stays as it was.")
        )
    cues = list(scenario.cues.all())
    concepts = comparison.ordered_concepts
    chosen = next((c for c in concepts if c.pk == response["chosen"]), None)
    # Worked out only when the template's parts kept per version ({% versioned %}) are made.
    rows = functools.cache(comparison.table_rows)
    deciding = functools.cache(
        lambda: deciding_cells(concepts, rows(), cues, scenario.correct_concept_id, response["chosen"])
    )
    context = {
        **base_context(owner, quiz_round),
        # What keys the parts kept per version: this comparison's version, when the scenario is one of
        # its own (a scenario moved to another comparison since is rendered afresh).
        "kept_by": comparison if owner.content.feedback(scenario.pk) is scenario else None,
        "scenario": scenario,
        "chosen": chosen,
        "chosen_id": response["chosen"],
        "correct": correct_now,
        "answer_tone": tones(comparison).get(scenario.correct_concept_id),
        "chosen_tone": tones(comparison).get(response["chosen"]),
        "why_not": None if correct_now else scenario_note(scenario, response["chosen"]),
        "mixup": mixup_for(scenario, response["chosen"], concepts),
        "deciding_cells": deciding,
        "rows": rows,
        "cue_ids": {cue.pk for cue in cues},
    }
    return render(owner.request, "quiz/feedback.html", context, status=status)


def tones(comparison):
    """{concept id: its tone number} (explainer.tones), for the colour classes tone-N."""
    return {concept.pk: tone_of(index) for index, concept in enumerate(comparison.ordered_concepts)}


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
            {
                "concept": concepts[position[pk]],
                "text": row.cells[position[pk]],
                "role": role,
                "tone": tone_of(position[pk]),
            }
            for pk, role in wanted
            if pk in position
        ]
        result.append({"attribute": row.attribute, "cells": cells})
    return result


def summary_page(owner, quiz_round, status=200):
    comparison = owner.comparison
    content = owner.content
    scenarios = {pk: content.feedback(pk) for pk in quiz_round.items if content.feedback(pk) is not None}
    if missing := [pk for pk in quiz_round.items if pk not in scenarios]:  # moved to another comparison since
        scenarios.update(Scenario.objects.for_feedback().in_bulk(missing))
    concepts = {c.pk: c for c in comparison.ordered_concepts}
    results = round_results(quiz_round, scenarios, concepts, tones(comparison))
    perfect = bool(results) and all(result["correct"] for result in results)
    context = {
        **base_context(owner, quiz_round),
        "results": results,
        "refusal": owner.refusal(),
        "breakdown": cue_breakdown(results),
        "leanings": leanings(results),
        "calibration": calibration(results),
        "confident_misses": [r for r in results if not r["correct"] and r["confidence"] == Confidence.SURE],
        "next_comparison": next_in_category(comparison) if perfect and owner.may_start_over else None,
    }
    return render(owner.request, "quiz/summary.html", context, status=status)


def round_results(quiz_round, scenarios, concepts, positions):
    """One result per answered case of `quiz_round`, in its order, as the summary pages show them.

    `scenarios` and `concepts` map ids to the rows to show (a case missing from
    `scenarios` is left out); `positions` maps concept ids to their colour tone.
    """
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
    return results


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


# Answering and moving on


def respond(owner, quiz_round):
    """POST of the answer form: grade the choice, have the owner record it, then PRG to the step."""
    request = owner.request
    if owner.refusal():
        return owner.summary(quiz_round, status=403)  # which says why, and counts the answers given
    if quiz_round.finished:
        messages.warning(request, _("This round is over; your answers are below."))
        return owner.summary(quiz_round, status=409)
    if quiz_round.current_answered:
        messages.warning(request, ALREADY_ANSWERED)
        return current_step(owner, quiz_round, status=409)
    form = choice_form(owner.comparison, data=request.POST, action=owner.urls["answer"])
    if not form.is_valid():
        if "scenario" in form.errors:
            messages.error(
                request, _("That answer did not say which question it was for. Here is the current question.")
            )
            return current_step(owner, quiz_round, status=400)
        form.data = form.data.copy()
        form.data["scenario"] = quiz_round.current
        return current_step(owner, quiz_round, form=form, status=400)
    if form.cleaned_data["scenario"] != quiz_round.current:
        messages.warning(request, _("That answer was for another question. Here is where you are in the round."))
        return current_step(owner, quiz_round, status=409)
    scenario = owner.content.question(quiz_round.current)
    if scenario is None:
        return current_step(owner, quiz_round, status=409)
    chosen = form.cleaned_data["choice"]
    correct = chosen.pk == scenario.correct_concept_id
    try:
        with transaction.atomic():
            owner.store(quiz_round, scenario, chosen, correct, form.cleaned_data["confidence"])
    except IntegrityError:
        # The same round already answered this scenario (a replayed request, or a
        # round that lost the record of it): the first response stands, nothing is
        # counted twice, and the round learns it, so that it moves on to the feedback.
        first = Response.objects.get(round_id=quiz_round.round_id, scenario=scenario)
        quiz_round.record(scenario.pk, first.chosen_id, first.is_correct, first.confidence)
        owner.save(quiz_round)
        messages.warning(request, ALREADY_ANSWERED)
        return current_step(owner, quiz_round, status=409)
    return owner.answered(quiz_round)


def next_step(owner, quiz_round):
    """POST of "Next": move past the answered question; None when done (the caller redirects), else the 409 page."""
    position = posted_position(owner.request.POST)
    if position is not None and position < quiz_round.position:
        return None  # a double click on "Next": already done
    if position != quiz_round.position or not quiz_round.current_answered:
        messages.warning(owner.request, _("Answer this question first."))
        return current_step(owner, quiz_round, status=409)
    owner.advance(quiz_round)
    return None


# The answer and Next steps as views of (request, owner, quiz_round), for an owner's step decorator
# (explainer/classes/pupil_round.py, explainer/lti/rounds.py) to wrap with its own rules.


def answer_view(request, owner, quiz_round):
    return respond(owner, quiz_round)


def next_view(request, owner, quiz_round):
    """ "Next", then on to the step URL (or the 409 page `next_step` gives)."""
    refused = next_step(owner, quiz_round)
    return refused if refused is not None else redirect(owner.urls["step"])
