"""The "Which is it?" quiz of a visitor: one plain function per step, on the round engine.

GET  /compare/<slug>/quiz/          the current step: question, or feedback after responding
POST /compare/<slug>/quiz/answer/   grade the choice, record the response, show the feedback (PRG)
POST /compare/<slug>/quiz/next/     go on to the next question
GET  /compare/<slug>/quiz/summary/  the round's result
POST /compare/<slug>/quiz/new/      a new round
POST /compare/<slug>/quiz/retry/    a round that brings back the missed scenarios, spaced out

The steps themselves (settling, the pages, answering, moving on) are the
engine's (explainer/quiz/engine.py), shared with class pupils; what is a
visitor's own is here: the round kept in the session (LearnerOwner), new
rounds with cases due for review, retries, and a draft's preview for staff.
"""

import functools

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache

from explainer.http import method_not_allowed
from explainer.models import Response, Scenario
from explainer.quiz import engine, review
from explainer.quiz.content import quiz_content
from explainer.quiz.rounds import QuizRound, new_round, retry_round


class LearnerOwner(engine.RoundOwner):
    """A visitor's round, kept in the session under quiz:<comparison id> (explainer/quiz/rounds.py)."""

    may_start_over = True

    def __init__(self, request, content):
        super().__init__(request, content)
        self.due = None  # when the answered case is next due for review, after store()

    @functools.cached_property
    def urls(self):
        slug = self.comparison.slug
        names = {
            "step": "quiz",
            "answer": "quiz_respond",
            "next": "quiz_next",
            "new": "quiz_new",
            "retry": "quiz_retry",
        }
        return {key: reverse(name, args=[slug]) for key, name in names.items()}

    def load(self):
        return QuizRound.load(self.request.session, self.comparison.pk)

    def save(self, quiz_round):
        quiz_round.save(self.request.session)

    def store(self, quiz_round, scenario, chosen, correct, confidence):
        """The response row and the session (the round and the review card) in one transaction, neither without
        the other; a draft's preview (staff) is graded but kept out of the statistics and reviews."""
        session = self.request.session
        if self.comparison.is_published:
            Response.objects.create(
                round_id=quiz_round.round_id,
                scenario=scenario,
                chosen=chosen,
                is_correct=correct,
                confidence=confidence,
            )
        quiz_round.record(scenario.pk, chosen.pk, correct, confidence)
        quiz_round.save(session)
        if self.comparison.is_published:
            self.due = review.record(session, self.comparison.pk, scenario.pk, correct, confidence)
            session.save()  # SessionMiddleware then finds nothing left to write

    def answered(self, quiz_round):
        response = redirect(self.urls["step"])
        if self.due is not None:
            review.remember_next_due(response, self.request.session)
        return response


def quiz_step(*, method="GET", needs_round=True):
    """The preamble every step shares, as a decorator.

    The view is called as view(request, owner, quiz_round). A wrong method
    gets the 405 page that links back to the quiz; an unknown or invisible
    comparison 404; with `needs_round`, a session without a round for this
    comparison gets the 409 "no round" page. Responses are never cached.
    """

    def decorator(view):
        @never_cache
        @functools.wraps(view)
        def wrapper(request, slug):
            if request.method != method and not (method == "GET" and request.method == "HEAD"):
                return method_not_allowed(request, {method}, reverse("quiz", args=[slug]), _("Go to the quiz"))
            content = quiz_content(request, slug)  # one small query; the rest per content version, in memory
            if not content.comparison.has_quiz:  # "no quiz yet": no quiz pages at all
                raise Http404("This comparison has no quiz yet.")
            owner = LearnerOwner(request, content)
            quiz_round = owner.load()
            if quiz_round is None and needs_round:
                return render(request, "quiz/no_round.html", {"comparison": content.comparison}, status=409)
            return view(request, owner, quiz_round)

        return wrapper

    return decorator


def published_scenarios(comparison):
    return Scenario.objects.published().filter(comparison=comparison)


def due_for(request, comparison):
    """The comparison's cases due for review in this session (none for a draft's preview)."""
    if not comparison.is_published:
        return []
    return review.due_ids(request.session, comparison.pk)


@quiz_step(needs_round=False)
def quiz(request, owner, quiz_round):
    comparison = owner.comparison
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
        owner.save(quiz_round)
    return engine.current_step(owner, quiz_round)


@quiz_step(method="POST")
def respond(request, owner, quiz_round):
    return engine.respond(owner, quiz_round)


@quiz_step(method="POST")
def next_question(request, owner, quiz_round):
    refused = engine.next_step(owner, quiz_round)
    if refused is not None:
        return refused
    return redirect("quiz_summary" if quiz_round.finished else "quiz", owner.comparison.slug)


@quiz_step(needs_round=False)
def summary(request, owner, quiz_round):
    if quiz_round is None or not quiz_round.finished:
        return redirect("quiz", owner.comparison.slug)
    return engine.summary_page(owner, quiz_round)


@quiz_step(method="POST", needs_round=False)
def start_new(request, owner, quiz_round):
    comparison = owner.comparison
    scenarios = published_scenarios(comparison)
    if not scenarios.exists():
        return render(request, "quiz/empty.html", {"comparison": comparison})
    owner.save(new_round(comparison, scenarios, due=due_for(request, comparison)))
    return redirect("quiz", comparison.slug)


@quiz_step(method="POST")
def retry(request, owner, quiz_round):
    comparison = owner.comparison
    if not quiz_round.finished:
        messages.warning(request, _("Finish this round first; then you can retry the ones you missed."))
        return engine.current_step(owner, quiz_round, status=409)
    if not quiz_round.missed:
        messages.info(request, _("You missed none in this round. Try a new round instead."))
        return redirect("quiz_summary", comparison.slug)
    owner.save(retry_round(comparison, published_scenarios(comparison), quiz_round.missed))
    return redirect("quiz", comparison.slug)
