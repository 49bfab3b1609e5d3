"""The pupil's side: the join page, and their round of the class's questions.

GET  /join/?code=...          a typed code, sent on to its class
GET  /join/<code>/            the nickname form (or straight back into the pupil's own round)
POST /join/<code>/            join with a nickname
GET  /join/<code>/play/       the current step: question, feedback, or the end of the round
POST /join/<code>/answer/     grade the choice and record it (a Response with its pupil), then PRG
POST /join/<code>/next/       on to the next question

The pupil is known by the session only (`class:<id>` -> pupil id): reloading
or reopening the tab resumes the same round. Wrong codes answer 404 and count
towards the join limit (429 past it); a closed class answers 403 to joining
and answering; bad forms 400, answers that do not fit the round 409.
"""

import random

from django.contrib import messages
from django.db import IntegrityError, transaction
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache

from explainer.classes import codes, joining
from explainer.classes.forms import CodeForm, NicknameForm
from explainer.classes.joining import session_key
from explainer.classes.models import MAX_PUPILS, Pupil, SchoolClass, nickname_key
from explainer.http import allow
from explainer.models import Response, Scenario
from explainer.quiz.forms import ALREADY_ANSWERED, ChoiceForm, posted_position
from explainer.quiz.rounds import interleave


def find_class(request, raw_code):
    """(class, None), or (None, the 404/429 response) for a wrong or throttled code (explainer/classes/joining.py)."""
    code = codes.normalise(raw_code)
    school_class = (
        SchoolClass.objects.select_related("comparison").filter(code=code).first() if code is not None else None
    )
    if school_class is not None and isinstance(request.session.get(session_key(school_class)), int):
        return school_class, None  # a pupil already in the class (their session says so) is never limited
    if not joining.admit(request, code, exists=school_class is not None):
        return None, render(request, "classes/join_throttled.html", status=429)
    if school_class is None:
        return None, render(request, "classes/no_class.html", {"form": CodeForm()}, status=404)
    return school_class, None


def session_pupil(request, school_class):
    pupil_id = request.session.get(session_key(school_class))
    if not isinstance(pupil_id, int):
        return None
    return Pupil.objects.filter(school_class=school_class, pk=pupil_id).first()


def pupil_order(school_class, rng=None):
    """The class's questions in a new interleaved order (no correct concept three times running)."""
    groups = {}
    for pk, concept_id in school_class.scenarios.order_by("pk").values_list("pk", "correct_concept_id"):
        groups.setdefault(concept_id, []).append(pk)
    return interleave(groups, rng or random.SystemRandom())


@never_cache
@allow("GET")
def join_by_code(request):
    form = CodeForm(request.GET or None)
    if form.is_valid():
        code = codes.normalise(form.cleaned_data["code"])
        if code is not None:
            return redirect("class_join", code)
        form.add_error("code", _("A class code has eight letters and numbers, like ABCD-2345."))
    status = 400 if form.is_bound else 200
    return render(request, "classes/join_code.html", {"form": form}, status=status)


@never_cache
@allow("GET", "POST")
def join(request, code):
    school_class, refusal = find_class(request, code)
    if refusal:
        return refusal
    if code != school_class.code:
        return redirect("class_join", school_class.code)  # "abcd-2345" typed in the address bar
    if session_pupil(request, school_class) is not None:
        return redirect("class_play", school_class.code)
    context = {"school_class": school_class, "comparison": school_class.comparison}
    if not school_class.is_open:
        return render(request, "classes/closed.html", context, status=403)
    action = reverse("class_join", args=[school_class.code])
    form = NicknameForm(request.POST or None, action=action)
    if request.method == "GET":
        return render(request, "classes/join.html", {**context, "form": form})
    if not form.is_valid():
        return render(request, "classes/join.html", {**context, "form": form}, status=400)
    nickname = form.cleaned_data["nickname"]
    taken = _("Someone in this class already uses “%(nickname)s”. Pick another nickname.") % {"nickname": nickname}
    if school_class.pupils.filter(nickname_key=nickname_key(nickname)).exists():
        form.add_error("nickname", taken)
        return render(request, "classes/join.html", {**context, "form": form}, status=409)
    if school_class.pupils.count() >= MAX_PUPILS:
        form.add_error(None, _("This class is full. Ask your teacher."))
        return render(request, "classes/join.html", {**context, "form": form}, status=403)
    try:
        with transaction.atomic():
            pupil = Pupil.objects.create(school_class=school_class, nickname=nickname, items=pupil_order(school_class))
    except IntegrityError:  # the same nickname joined a moment ago
        form.add_error("nickname", taken)
        return render(request, "classes/join.html", {**context, "form": form}, status=409)
    request.session[session_key(school_class)] = pupil.pk
    return redirect("class_play", school_class.code)


def pupil_step(*, method):
    """The class from the code and the pupil from the session; without a pupil, back to the join page."""

    def decorator(view):
        @never_cache
        @allow(method)
        def wrapper(request, code):
            school_class, refusal = find_class(request, code)
            if refusal:
                return refusal
            pupil = session_pupil(request, school_class)
            if pupil is None:
                if method == "POST":
                    messages.warning(request, _("Join the class with a nickname first."))
                return redirect("class_join", school_class.code)
            return view(request, school_class, pupil)

        return wrapper

    return decorator


def answers_of(pupil):
    return {r.scenario_id: r for r in Response.objects.filter(pupil=pupil).select_related("chosen")}


def settle(pupil, answers):
    """Skip questions withdrawn (unpublished or deleted) since the pupil joined; return the current scenario or None."""
    while not pupil.finished:
        current = pupil.current
        scenario = (
            Scenario.objects.select_related("correct_concept").prefetch_related("cues").filter(pk=current).first()
        )
        if scenario is not None and (current in answers or scenario.is_published):
            return scenario
        pupil.items = [pk for pk in pupil.items if pk != current]
        pupil.save(update_fields=["items"])
    return None


def choice_form(school_class, scenario_id, data=None):
    return ChoiceForm(
        data,
        initial={"scenario": scenario_id},
        concepts=school_class.comparison.concepts.order_by("comparisonconcept__position"),
        action=reverse("class_answer", args=[school_class.code]),
    )


def current_step(request, school_class, pupil, form=None, status=200):
    answers = answers_of(pupil)
    scenario = settle(pupil, answers)
    context = {"school_class": school_class, "comparison": school_class.comparison, "pupil": pupil}
    if scenario is None or (not school_class.is_open and scenario.pk not in answers):
        results = [(answers[pk], pk) for pk in pupil.items if pk in answers]
        scenarios = Scenario.objects.select_related("correct_concept").in_bulk([pk for _, pk in results])
        context["results"] = [(answer, scenarios.get(pk)) for answer, pk in results]
        context["score"] = sum(answer.is_correct for answer, _ in results)
        return render(request, "classes/pupil_done.html", context, status=status)
    if scenario.pk in answers:
        answer = answers[scenario.pk]
        context.update({"scenario": scenario, "answer": answer, "cues": list(scenario.cues.all())})
        return render(request, "classes/pupil_feedback.html", context, status=status)
    context.update({"scenario": scenario, "form": form or choice_form(school_class, scenario.pk)})
    return render(request, "classes/pupil_question.html", context, status=status)


@pupil_step(method="GET")
def play(request, school_class, pupil):
    return current_step(request, school_class, pupil)


@pupil_step(method="POST")
def answer(request, school_class, pupil):
    if not school_class.is_open:
        messages.warning(request, _("The class is closed, so no more answers are taken. Your answers so far count."))
        return current_step(request, school_class, pupil, status=403)
    answers = answers_of(pupil)
    scenario = settle(pupil, answers)
    if scenario is None or scenario.pk in answers:
        messages.warning(request, ALREADY_ANSWERED)
        return current_step(request, school_class, pupil, status=409)
    form = choice_form(school_class, scenario.pk, data=request.POST)
    if not form.is_valid():
        if "scenario" in form.errors:
            messages.error(request, _("That answer did not say which question it was for. Here is your question."))
            return current_step(request, school_class, pupil, status=400)
        form.data = form.data.copy()
        form.data["scenario"] = scenario.pk
        return current_step(request, school_class, pupil, form=form, status=400)
    if form.cleaned_data["scenario"] != scenario.pk:
        messages.warning(request, _("That answer was for another question. Here is where you are."))
        return current_step(request, school_class, pupil, status=409)
    chosen = form.cleaned_data["choice"]
    try:
        with transaction.atomic():
            Response.objects.create(
                round_id=pupil.round_id,
                pupil=pupil,
                scenario=scenario,
                chosen=chosen,
                is_correct=chosen.pk == scenario.correct_concept_id,
                confidence=form.cleaned_data["confidence"],
            )
    except IntegrityError:  # a double submit: the first answer stands
        messages.warning(request, ALREADY_ANSWERED)
        return current_step(request, school_class, pupil, status=409)
    return redirect("class_play", school_class.code)


@pupil_step(method="POST")
def next_question(request, school_class, pupil):
    position = posted_position(request.POST)
    if position is not None and position < pupil.position:
        return redirect("class_play", school_class.code)  # a double click on "Next": already done
    answered = not pupil.finished and Response.objects.filter(pupil=pupil, scenario_id=pupil.current).exists()
    if position != pupil.position or not answered:
        messages.warning(request, _("Answer this question first."))
        return current_step(request, school_class, pupil, status=409)
    # An UPDATE conditioned on the position: two tabs pressing Next move the pupil on once.
    Pupil.objects.filter(pk=pupil.pk, position=position).update(position=position + 1)
    return redirect("class_play", school_class.code)
