"""The pupil's way into a class: the code, the nickname, and who the pupil is on later requests.

GET  /join/?code=...          a typed code, sent on to its class
GET  /join/<code>/            the nickname form (or straight back into the pupil's own round)
POST /join/<code>/            join with a nickname

The round itself (/join/<code>/play/, answer/, next/) is the quiz's round
engine with the class's rules on top: explainer/classes/pupil_round.py.

A pupil is known by the session (`class:<id>` -> pupil id) and, so that a lost
session (a restore, an expired or cleared session) does not split their
answers across two nicknames, by a signed cookie holding their round's id,
sent only to their class's /join/<code>/ URLs (`remember_pupil`). Reloading or
reopening the tab resumes the same round. Wrong codes answer 404 and count
towards the join limit (429 past it); a closed class (by its teacher, or
because its comparison was withdrawn) answers 403 to joining and answering.
"""

import random
import uuid

from django.conf import settings
from django.db import IntegrityError, transaction
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache

from explainer import class_codes as codes
from explainer.classes import joining
from explainer.classes.forms import CodeForm, NicknameForm
from explainer.classes.joining import session_key
from explainer.http import allow
from explainer.learners import identity
from explainer.models.classes import MAX_PUPILS, Pupil, SchoolClass, nickname_key
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


REJOIN_COOKIE = "pupil"
REJOIN_SALT = "explainer.classes.rejoin"
REJOIN_MAX_AGE = 60 * 60 * 24 * 180  # seconds: longer than a class runs; the class's deletion ends it anyway


def session_pupil(request, school_class):
    """The pupil this browser joined `school_class` as, or None.

    The session says so; without it (lost in a restore, expired), the signed
    rejoin cookie does, and the session learns it again. The cookie names the
    pupil's round id, a random UUID signed with the site's key: it cannot be
    guessed or made up, so nobody takes over another pupil's nickname.
    """
    key = session_key(school_class)
    pupil_id = request.session.get(key)
    if isinstance(pupil_id, int):
        pupil = Pupil.objects.select_related("learner").filter(school_class=school_class, pk=pupil_id).first()
        if pupil is not None:
            return pupil
    round_id = request.get_signed_cookie(REJOIN_COOKIE, default=None, salt=REJOIN_SALT, max_age=REJOIN_MAX_AGE)
    try:
        round_id = uuid.UUID(round_id) if round_id else None
    except ValueError:
        round_id = None
    if round_id is None:
        return None
    pupil = Pupil.objects.select_related("learner").filter(school_class=school_class, round_id=round_id).first()
    if pupil is not None:
        request.session[key] = pupil.pk
    return pupil


def remember_pupil(response, school_class, pupil):
    """Set the pupil's rejoin cookie on `response`: only their class's URLs receive it (its path)."""
    response.set_signed_cookie(
        REJOIN_COOKIE,
        str(pupil.round_id),
        salt=REJOIN_SALT,
        max_age=REJOIN_MAX_AGE,
        path=school_class.join_path,
        secure=settings.SESSION_COOKIE_SECURE,
        httponly=True,
        samesite="Lax",
    )
    return response


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
    learner = identity.for_answer(request)  # the browser's learner: the pupil's misses come back in their review
    try:
        with transaction.atomic():
            pupil = Pupil.objects.create(
                school_class=school_class, nickname=nickname, items=pupil_order(school_class), learner=learner
            )
    except IntegrityError:  # the same nickname joined a moment ago
        form.add_error("nickname", taken)
        return render(request, "classes/join.html", {**context, "form": form}, status=409)
    request.session[session_key(school_class)] = pupil.pk
    return remember_pupil(redirect("class_play", school_class.code), school_class, pupil)
