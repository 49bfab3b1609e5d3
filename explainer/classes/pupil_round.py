"""A class pupil's round: the quiz's round engine (explainer/quiz/engine.py) with the class's rules on top.

GET  /join/<code>/play/       the current step: question, feedback, or the summary
POST /join/<code>/answer/     grade the choice and record it (a Response with its pupil), then PRG
POST /join/<code>/next/       on to the next question

Pupils get the public quiz's steps, pages and messages; what the class adds:
- the items are the class's, fixed when the class was made, in the pupil's own
  order (drawn at joining, explainer/classes/join_views.py);
- the round is kept in the Pupil row (items, position) and its Response rows,
  not in the session, so the teacher sees every answer as it is given;
- a closed class takes no answers (403, the summary of those given), and a
  class whose comparison was withdrawn shows nothing of it (403, the "closed"
  page), its pupils' answers kept;
- no new rounds or retries: the class's round is the one round. But the
  pupil's browser is a learner like any other (explainer/learners/identity.py:
  the same cookie, made when they join): each answer reviews the case's card,
  so the misses of a class come back in the pupil's own review (/review/).
"""

import functools

from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache

from explainer.classes.join_views import REJOIN_COOKIE, find_class, remember_pupil, session_pupil
from explainer.http import allow
from explainer.learners import identity
from explainer.models.classes import Pupil
from explainer.quiz import engine, review
from explainer.quiz.content import published_content


class PupilOwner(engine.RowOwner):
    """A pupil's round, kept in their Pupil row (items, position) and their Response rows (the answers)."""

    url_names = {"step": "class_play", "answer": "class_answer", "next": "class_next"}

    def __init__(self, request, content, school_class, pupil):
        super().__init__(request, content, row=pupil, comparison_id=school_class.comparison_id)
        self.school_class = school_class
        self.pupil = pupil
        self.url_args = [school_class.code]

    @property
    def context(self):
        return {"school_class": self.school_class, "pupil": self.pupil}

    def answered_by(self):
        learner = self.pupil.learner
        if learner is None:  # joined before learners were kept, or on another browser: this browser's learner
            learner = identity.for_answer(self.request)
            Pupil.objects.filter(pk=self.pupil.pk).update(learner=learner)
            self.pupil.learner = learner
        return {"pupil": self.pupil, "learner": learner}

    def store(self, quiz_round, scenario, chosen, correct, confidence):
        super().store(quiz_round, scenario, chosen, correct, confidence)
        self.due = review.record(self.pupil.learner, scenario.pk, correct, confidence)

    def answered(self, quiz_round):
        response = redirect(self.urls["step"])
        if getattr(self, "due", None) is not None:
            review.remember_next_due(response, self.pupil.learner)
        return response

    def refusal(self):
        if self.school_class.is_open:
            return None
        return _("Your teacher has closed the class. Your answers so far count.")


def pupil_step(*, method):
    """The class from the code, the pupil from the session (or rejoin cookie), the round from the pupil.

    Without a pupil, back to the join page; a class whose comparison is
    withdrawn gets the "closed" page (403). The view is called as
    view(request, owner, quiz_round); the pupil's rejoin cookie is set when
    the browser lacks it (pupils who joined before it existed).
    """

    def decorator(view):
        @never_cache
        @allow(method)
        @functools.wraps(view)
        def wrapper(request, code):
            school_class, refusal = find_class(request, code)
            if refusal:
                return refusal
            pupil = session_pupil(request, school_class)
            if pupil is None:
                if method == "POST":
                    messages.warning(request, _("Join the class with a nickname first."))
                return redirect("class_join", school_class.code)
            content = published_content(request, school_class.comparison)
            if content is None:  # withdrawn: nothing of it is shown, the answers stay for the teacher
                context = {"school_class": school_class, "comparison": school_class.comparison, "pupil": pupil}
                return render(request, "classes/closed.html", context, status=403)
            owner = PupilOwner(request, content, school_class, pupil)
            response = view(request, owner, owner.load())
            if REJOIN_COOKIE not in request.COOKIES:
                remember_pupil(response, school_class, pupil)
            return response

        return wrapper

    return decorator


@pupil_step(method="GET")
def play(request, owner, quiz_round):
    return engine.current_step(owner, quiz_round)


answer = pupil_step(method="POST")(engine.answer_view)
next_question = pupil_step(method="POST")(engine.next_view)
