"""One review across comparisons: /review/, every due case of every comparison, in rounds of at most ten.

GET  /review/          the review round's current step, or (no round in play) what is due and when
POST /review/start/    a round of the cases due now: confidently wrong first, then most overdue
POST /review/answer/   grade the choice, record it, review the case's card (PRG)
POST /review/next/     on to the next case
GET  /review/summary/  the round's result, and what is due next

The round is the learner's LearnerRound without a comparison, played on the
one round engine (explainer/quiz/engine.py) by ReviewOwner: each step plays
with the content of its own case's comparison (its concepts, its table).
"""

import functools

from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache

from explainer.caching import comparison_version
from explainer.http import allow
from explainer.learners import identity
from explainer.models import Comparison, Concept, LearnerRound, Scenario
from explainer.quiz import engine, review
from explainer.quiz.content import content_of
from explainer.quiz.rounds import ROUND_SIZE, QuizRound


class ReviewOwner(engine.RoundOwner):
    """A learner's review round across comparisons (see the module docstring and the engine's contract)."""

    url_names = {"step": "review", "answer": "review_answer", "next": "review_next"}

    def __init__(self, request, learner):
        super().__init__(request, content=None)
        self.learner = learner
        self.quiz_round = None
        self.where = {}  # scenario id -> (comparison id, slug)

    @property
    def context(self):
        return {"review_round": True}

    @property
    def content(self):
        """The QuizContent of the current case's comparison (of the last case once the round is over)."""
        quiz_round = self.quiz_round
        pk = quiz_round.current if not quiz_round.finished else (quiz_round.items or [None])[-1]
        comparison_id, slug = self.where.get(pk, (None, None))
        row = comparison_version(self.request, slug) if slug else None
        if row is None or row[1] != Comparison.Status.PUBLISHED:
            return NoContent(comparison_id)
        return content_of(row[0], row[2]) or NoContent(comparison_id)

    @content.setter
    def content(self, value):
        pass  # the content follows the current case

    def load(self):
        row = LearnerRound.objects.filter(learner=self.learner, comparison=None).first()
        if row is None:
            return None
        self.quiz_round = QuizRound.from_row(row)
        self.where = {
            pk: (comparison_id, slug)
            for pk, comparison_id, slug in Scenario.objects.filter(pk__in=self.quiz_round.items).values_list(
                "pk", "comparison_id", "comparison__slug"
            )
        }
        # Cases deleted since drop out here; withdrawn ones when the engine settles the round.
        self.quiz_round.items = [pk for pk in self.quiz_round.items if pk in self.where]
        return self.quiz_round

    def save(self, quiz_round):
        fields = {**quiz_round.fields(), "updated_at": review.now()}
        LearnerRound.objects.update_or_create(learner=self.learner, comparison=None, defaults=fields)

    def store(self, quiz_round, scenario, chosen, correct, confidence):
        self.due = review.keep_answer(self, self.learner, quiz_round, scenario, chosen, correct, confidence)

    def answered(self, quiz_round):
        response = redirect(self.urls["step"])
        review.remember_next_due(response, self.learner)
        return response

    def summary(self, quiz_round, status=200):
        return summary_page(self.request, self.learner, quiz_round, status=status)


class NoContent:
    """What a case of a comparison withdrawn or deleted since reads: nothing to ask."""

    def __init__(self, comparison_id):
        self.comparison = Comparison.objects.with_concepts().filter(pk=comparison_id).first()

    def question(self, pk):
        return None

    def feedback(self, pk):
        return None


def learner_step(method):
    """The learner (or the overview for a browser without one) and their review round, as a decorator."""

    def decorator(view):
        @never_cache
        @allow(method)
        @functools.wraps(view)
        def wrapper(request):
            learner = identity.current(request)
            owner = ReviewOwner(request, learner) if learner is not None else None
            quiz_round = owner.load() if owner is not None else None
            return view(request, owner, quiz_round)

        return wrapper

    return decorator


def overview(request, learner, status=200):
    """What is due now and when the next cases come, per comparison; the button that starts a round."""
    outlook = review.outlook(learner)
    counts = review.due_counts(learner)
    comparisons = Comparison.objects.published().filter(pk__in=counts).only("slug", "title").order_by("title")
    context = {
        "outlook": outlook,
        "per_comparison": [{"comparison": c, "count": counts[c.pk]} for c in comparisons],
        "round_size": ROUND_SIZE,
        "has_learner": learner is not None,
    }
    return render(request, "learners/review.html", context, status=status)


@learner_step("GET")
def review_step(request, owner, quiz_round):
    if quiz_round is None or quiz_round.finished:
        return overview(request, owner.learner if owner else None)
    return engine.current_step(owner, quiz_round)


@learner_step("POST")
def start(request, owner, quiz_round):
    if owner is None:
        return overview(request, None, status=409)
    if quiz_round is not None and not quiz_round.finished:
        messages.info(request, _("Finish this review round first."))
        return redirect("review")
    due = review.published_due(review.due_ids(owner.learner))[:ROUND_SIZE]
    if not due:
        messages.info(request, _("Nothing is due for review now."))
        return redirect("review")
    owner.quiz_round = QuizRound(comparison_id=None, items=due, review=list(due))
    owner.save(owner.quiz_round)
    return redirect("review")


@learner_step("POST")
def answer(request, owner, quiz_round):
    if quiz_round is None:
        messages.warning(request, _("There is no review round in play. Nothing was recorded."))
        return overview(request, owner.learner if owner else None, status=409)
    return engine.respond(owner, quiz_round)


@learner_step("POST")
def next_question(request, owner, quiz_round):
    if quiz_round is None:
        return redirect("review")
    refused = engine.next_step(owner, quiz_round)
    if refused is not None:
        return refused
    return redirect("review_summary" if quiz_round.finished else "review")


@learner_step("GET")
def summary(request, owner, quiz_round):
    if quiz_round is None or not quiz_round.finished:
        return redirect("review")
    return owner.summary(quiz_round)


def summary_page(request, learner, quiz_round, status=200):
    """The review round's result: each case, right or missed, with its explanation; then what is due next."""

    scenarios = Scenario.objects.for_feedback().select_related("comparison").in_bulk(quiz_round.items)
    chosen_ids = {r["chosen"] for r in quiz_round.responses.values()}
    concepts = Concept.objects.in_bulk(chosen_ids)
    # Cases of several comparisons: no one comparison's colours apply, so no tones.
    results = engine.round_results(quiz_round, scenarios, concepts, positions={})
    context = {
        "quiz_round": quiz_round,
        "results": results,
        "outlook": review.outlook(learner),
        "round_size": ROUND_SIZE,
    }
    return render(request, "learners/review_summary.html", context, status=status)
