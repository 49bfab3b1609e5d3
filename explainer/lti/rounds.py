"""A learner launched from a course platform: their round on the round engine, and their score sent back.

GET  /lti/round/<key>/          the current step: question, feedback, or the summary
POST /lti/round/<key>/answer/   grade the choice and record it, then PRG
POST /lti/round/<key>/next/     on to the next question

`LtiOwner` keeps the round in the learner's LtiAttempt row (items, position)
and Response rows, like a class pupil's; the items are drawn at the first
launch (the number the teacher chose when linking the quiz). The address holds
the attempt's secret key instead of a session: inside the platform's iframe
the browser may send no cookie, so these views also take no CSRF cookie
(the key in the address is the secret a forged form would need).

When the last question is answered, the score (right of total, Completed,
FullyGraded) goes to the course's gradebook through Assignment and Grade
Services; a failure is kept on the attempt and tried again on the next page.
"""

import functools
import logging
import random

import requests
from django.db import IntegrityError, transaction
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.csrf import csrf_exempt
from pylti1p3.assignments_grades import AssignmentsGradesService
from pylti1p3.exception import LtiException, LtiServiceException
from pylti1p3.grade import Grade
from pylti1p3.lineitem import LineItem
from pylti1p3.service_connector import ServiceConnector

from explainer.http import allow
from explainer.lti.tool import (
    AGS_CLAIM,
    DEPLOYMENT_CLAIM,
    RESOURCE_LINK_CLAIM,
    SCORE_SCOPE,
    TimeoutSession,
    in_platform_frame,
    tool_conf,
)
from explainer.models import LtiAttempt, Scenario
from explainer.quiz import engine
from explainer.quiz.content import published_content
from explainer.quiz.rounds import draw_round

logger = logging.getLogger(__name__)

MAX_QUESTIONS = 30


class LtiOwner(engine.RowOwner):
    """A launched learner's round, kept in their LtiAttempt row (items, position) and their Response rows."""

    url_names = {"step": "lti_play", "answer": "lti_answer", "next": "lti_next"}

    def __init__(self, request, content, attempt):
        super().__init__(request, content, row=attempt, comparison_id=attempt.comparison_id)
        self.attempt = attempt
        self.url_args = [attempt.access_key]

    @property
    def context(self):
        return {"lti_attempt": self.attempt}

    def answered(self, quiz_round):
        if all_answered(quiz_round):
            send_score(self.attempt, quiz_round)
        return redirect(self.urls["step"])


def all_answered(quiz_round):
    return bool(quiz_round.items) and all(quiz_round.response(pk) for pk in quiz_round.items)


# The attempt a launch opens


def question_count(custom):
    """The number of questions the link asks for (its custom parameter), within 1..MAX_QUESTIONS; 10 when unset."""
    try:
        count = int(str(custom.get("questions", "10")).strip())
    except ValueError:
        count = 10
    return max(1, min(count, MAX_QUESTIONS))


def open_attempt(platform, launch_data, comparison, count, keep_names):
    """The learner's attempt at this course link: found again on a later launch, else made with its items drawn."""
    key = {
        "platform": platform,
        "deployment_id": launch_data[DEPLOYMENT_CLAIM],
        "resource_link_id": launch_data[RESOURCE_LINK_CLAIM]["id"],
        "subject": launch_data["sub"],
    }
    person = {}
    if keep_names:
        person = {"name": str(launch_data.get("name", ""))[:200], "email": str(launch_data.get("email", ""))[:254]}
    grade_service = launch_data.get(AGS_CLAIM) or {}
    attempt = LtiAttempt.objects.filter(**key).first()
    if attempt is None:
        scenarios = Scenario.objects.published().filter(comparison=comparison)
        items = draw_round(scenarios, count, random.SystemRandom())
        try:
            with transaction.atomic():
                return LtiAttempt.objects.create(
                    **key, comparison=comparison, items=items, grade_service=grade_service, **person
                )
        except IntegrityError:  # the same learner's launch in another tab, a moment earlier
            attempt = LtiAttempt.objects.get(**key)
    # The platform may move the grade column between launches: the latest claim is the one to use.
    LtiAttempt.objects.filter(pk=attempt.pk).update(grade_service=grade_service, **person)
    attempt.grade_service = grade_service
    return attempt


# The score sent back


def send_score(attempt, quiz_round):
    """Send the round's score to the course's gradebook; True when the platform took it.

    Nothing is sent when the launch carried no grade service (an ungraded link); a failure is logged and kept on
    the attempt (score_error) for the next page to try again.
    """
    service = attempt.grade_service or {}
    if SCORE_SCOPE not in service.get("scope", []):
        return False
    platform = attempt.platform
    grade = (
        Grade()
        .set_score_given(quiz_round.score)
        .set_score_maximum(quiz_round.total)
        .set_timestamp(timezone.now().isoformat())
        .set_activity_progress("Completed")
        .set_grading_progress("FullyGraded")
        .set_user_id(attempt.subject)
    )
    try:
        registration = tool_conf().find_registration_by_params(platform.issuer, platform.client_id)
        ags = AssignmentsGradesService(ServiceConnector(registration, TimeoutSession()), service)
        lineitem = None
        if not service.get("lineitem"):  # no column for this link yet: find or make the quiz's own
            lineitem = (
                LineItem()
                .set_tag("explainer-quiz")
                .set_resource_id(attempt.resource_link_id)
                .set_score_maximum(quiz_round.total)
                .set_label(attempt.comparison.title)
            )
        ags.put_grade(grade, lineitem)
    except (LtiException, LtiServiceException, requests.RequestException, ValueError) as error:
        logger.warning("LTI score not sent for attempt %s: %s", attempt.pk, error)
        LtiAttempt.objects.filter(pk=attempt.pk).update(score_error=str(error)[:500])
        attempt.score_error = str(error)[:500]
        return False
    now = timezone.now()
    LtiAttempt.objects.filter(pk=attempt.pk).update(score_sent_at=now, score_error="")
    attempt.score_sent_at, attempt.score_error = now, ""
    return True


# The round's pages


def lti_step(*, method):
    """The attempt from the key in the address (404 without one), the round from the attempt.

    A comparison withdrawn since the launch gets the "withdrawn" page (403), the answers kept.
    The view is called as view(request, owner, quiz_round).
    """

    def decorator(view):
        @csrf_exempt
        @in_platform_frame
        @allow(method)
        @functools.wraps(view)
        def wrapper(request, key):
            attempt = get_object_or_404(LtiAttempt.objects.select_related("platform", "comparison"), access_key=key)
            content = published_content(request, attempt.comparison)
            if content is None:
                context = {"comparison": attempt.comparison, "lti_attempt": attempt}
                return render(request, "lti/withdrawn.html", context, status=403)
            owner = LtiOwner(request, content, attempt)
            return view(request, owner, owner.load())

        return wrapper

    return decorator


@lti_step(method="GET")
def play(request, owner, quiz_round):
    attempt = owner.attempt
    if attempt.score_sent_at is None and all_answered(quiz_round) and attempt.grade_service:
        send_score(attempt, quiz_round)  # a send that failed before
    return engine.current_step(owner, quiz_round)


answer = lti_step(method="POST")(engine.answer_view)
next_question = lti_step(method="POST")(engine.next_view)
