"""The "Which is it?" quiz of a visitor: one plain function per step, on the round engine.

GET  /compare/<slug>/quiz/          the current step: question, or feedback after responding
POST /compare/<slug>/quiz/answer/   grade the choice, record the response, show the feedback (PRG)
POST /compare/<slug>/quiz/next/     go on to the next question
GET  /compare/<slug>/quiz/summary/  the round's result
POST /compare/<slug>/quiz/new/      a new round
POST /compare/<slug>/quiz/retry/    a round that brings back the missed scenarios, spaced out

The steps themselves (settling, the pages, answering, moving on) are the
engine's (explainer/quiz/engine.py), shared with class pupils; what is a
visitor's own is here: the round kept in the learner's records (LearnerOwner),
new rounds with cases due for review and unseen cases first, retries, and a
draft's preview for staff.

A visitor without a learner yet (explainer/learners/identity.py) is shown the
first question of a freshly drawn round that is kept nowhere: their first
answer makes the learner, and a round that opens with the question answered.
"""

import functools

from django.contrib import messages
from django.db.models import Count, Max, Q
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache

from explainer.http import method_not_allowed, parse_id
from explainer.learners import identity
from explainer.models import LearnerRound, Response, Scenario
from explainer.quiz import engine, review
from explainer.quiz.content import quiz_content
from explainer.quiz.rounds import QuizRound, new_round, retry_round


class LearnerOwner(engine.RoundOwner):
    """A visitor's round, kept as their LearnerRound for the comparison (explainer/models/learners.py).

    Before the visitor's first answer there is no learner: the round shown is
    kept nowhere (`save` keeps nothing) until `store` makes the learner.
    """

    may_start_over = True
    url_names = {
        "step": "quiz",
        "answer": "quiz_respond",
        "next": "quiz_next",
        "new": "quiz_new",
        "retry": "quiz_retry",
    }

    def __init__(self, request, content):
        super().__init__(request, content)
        self.row_id = None  # the LearnerRound that keeps the round, once known
        self.due = None  # when the answered case is next due for review, after store()

    @functools.cached_property
    def learner(self):
        return identity.current(self.request)

    @property
    def context(self):
        # A callable: the template calls it only where it is shown (the summary), so other steps pay nothing.
        return {"cases_seen": self.cases_seen}

    def cases_seen(self):
        """{"seen", "total"}: how many of the comparison's published cases the learner has answered."""
        if self.learner is None or not self.comparison.is_published:
            return None
        return published_scenarios(self.comparison).aggregate(
            total=Count("id", distinct=True),
            seen=Count("id", filter=Q(responses__learner=self.learner), distinct=True),
        )

    @property
    def url_args(self):
        return [self.comparison.slug]

    def load(self):
        """The learner's round of this comparison; learner and round in one query when the browser has both."""
        public_id = identity.cookie_id(self.request)
        row = None
        if public_id is not None and not hasattr(self.request, "_learner"):
            found = LearnerRound.objects.played_by(public_id, self.comparison.pk)
            if found is not None:
                learner, row = found
                self.learner = identity.known(self.request, learner)
        if row is None:
            if self.learner is None or self.learner.public_id == public_id:
                return None  # no learner, or the cookie's learner, whose round the join above did not find
            row = LearnerRound.objects.filter(learner=self.learner, comparison_id=self.comparison.pk).first()
            if row is None:
                return None
        self.row_id = row.pk
        return QuizRound.from_row(row)

    def save(self, quiz_round):
        if self.learner is None:
            return  # a first question before any answer: kept nowhere
        fields = {**quiz_round.fields(), "updated_at": review.now()}
        if self.row_id is not None and LearnerRound.objects.filter(pk=self.row_id).update(**fields):
            return
        row, _created = LearnerRound.objects.update_or_create(
            learner=self.learner, comparison_id=self.comparison.pk, defaults=fields
        )
        self.row_id = row.pk

    def store(self, quiz_round, scenario, chosen, correct, confidence):
        """The response row, the round and the review card in one transaction, none without the others; a
        draft's preview (staff) is graded but kept out of the statistics and reviews. The first answer makes
        the learner."""
        self.learner = identity.for_answer(self.request)
        counted = self.comparison.is_published
        self.due = review.keep_answer(self, self.learner, quiz_round, scenario, chosen, correct, confidence, counted)

    def answered(self, quiz_round):
        response = redirect(self.urls["step"])
        if self.due is not None:
            review.remember_next_due(response, self.learner)
        return response


def quiz_step(*, method="GET", needs_round=True):
    """The preamble every step shares, as a decorator.

    The view is called as view(request, owner, quiz_round). A wrong method
    gets the 405 page that links back to the quiz; an unknown or invisible
    comparison 404; with `needs_round`, a browser without a round for this
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


def due_for(owner):
    """The comparison's cases due for the owner's learner (none before a first answer, nor for a draft's preview)."""
    if owner.learner is None or not owner.comparison.is_published:
        return []
    return review.due_ids(owner.learner, owner.comparison.pk)


def seen_by(learner, comparison):
    """{scenario id: when `learner` last answered it (Unix time)} for the comparison's cases."""
    if learner is None:
        return {}
    rows = (
        Response.objects.filter(learner=learner, scenario__comparison=comparison)
        .values("scenario_id")
        .annotate(last=Max("answered_at"))
        .values_list("scenario_id", "last")
    )
    return {pk: last.timestamp() for pk, last in rows}


def fresh_round(owner, scenarios, first=None):
    """A new round for the owner: due cases, then unseen ones, then the least recently seen."""
    return new_round(
        owner.comparison, scenarios, due=due_for(owner), seen=seen_by(owner.learner, owner.comparison), first=first
    )


@quiz_step(needs_round=False)
def quiz(request, owner, quiz_round):
    comparison = owner.comparison
    if quiz_round is not None and quiz_round.finished:
        if not due_for(owner):
            return redirect("quiz_summary", comparison.slug)
        quiz_round = None  # back after a day or more with cases due: a new round brings them back
    if quiz_round is None:
        scenarios = published_scenarios(comparison)
        if not scenarios.exists():
            return render(request, "quiz/empty.html", {"comparison": comparison})
        quiz_round = fresh_round(owner, scenarios)
        owner.save(quiz_round)
    return engine.current_step(owner, quiz_round)


@quiz_step(method="POST", needs_round=False)
def respond(request, owner, quiz_round):
    if quiz_round is None:
        # A first answer (no round kept yet): the round opens with the question answered, if it is asked.
        scenario_id = parse_id(request.POST.get("scenario"))
        if scenario_id is None or owner.content.question(scenario_id) is None:
            return render(request, "quiz/no_round.html", {"comparison": owner.comparison}, status=409)
        quiz_round = fresh_round(owner, published_scenarios(owner.comparison), first=scenario_id)
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
    owner.save(fresh_round(owner, scenarios))
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
    retried = retry_round(comparison, published_scenarios(comparison), quiz_round.missed)
    owner.save(retried)
    back = sum(1 for pk in retried.items if pk in quiz_round.missed)
    messages.info(
        request,
        _("This round has %(total)d questions: the %(missed)d you missed, spaced out between %(others)d others.")
        % {"total": retried.total, "missed": back, "others": retried.total - back},
    )
    return redirect("quiz", comparison.slug)
