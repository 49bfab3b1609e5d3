"""The teacher's pages, under /teach/: their classes, a new class, a class's live results, CSV, close, delete.

Who may do what (tests/test_classes_permissions.py pins it as a matrix):
- anonymous visitors are sent to the log-in page;
- a signed-in user without the classes' permissions gets 403;
- a teacher (the "Teachers" group: add/view/change/delete class) sees and
  manages only their own classes: another teacher's class is 404, as if absent;
- holders of view_any_class (the Editors group) see every class's results and
  CSV, and cannot close or delete another teacher's class (403);
- superusers may do everything.
"""

import csv
import functools
import random
from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse, reverse_lazy
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache

from explainer.classes import time_zones
from explainer.classes.forms import ClassForm
from explainer.classes.qr import qr_svg
from explainer.classes.results import as_csv_rows, class_results
from explainer.http import allow
from explainer.models import Scenario
from explainer.models.classes import SchoolClass, TeacherPreferences
from explainer.quiz.rounds import draw_round

LOGIN_URL = reverse_lazy("admin:login")
# How often the results page re-reads itself while the class works (static/js/class-results.js).
POLL_SECONDS = 15


def teacher_view(view):
    """Signed in (else the log-in page), with permission to see classes (else 403); never cached.

    The view runs in the teacher's time zone (explainer/classes/time_zones.py): times typed into
    its forms are read, and times on its pages shown, in it.
    """

    @never_cache
    @login_required(login_url=LOGIN_URL)
    @functools.wraps(view)
    def wrapper(request, *args, **kwargs):
        user = request.user
        if not (user.has_perm("explainer.view_schoolclass") or user.has_perm("explainer.view_any_class")):
            raise PermissionDenied
        name = time_zones.chosen_name(user)
        request.teacher_zone_chosen = name is not None
        with timezone.override(time_zones.zone_or_default(name)):
            return view(request, *args, **kwargs)

    return wrapper


def may_manage(user, school_class):
    """Closing, reopening and deleting: the class's own teacher (with the permission), or a superuser."""
    return user.is_superuser or (school_class.teacher_id == user.pk and user.has_perm("explainer.change_schoolclass"))


def visible_class(request, pk, queryset=None):
    """The class `pk` if the user may see it, else 404 (another teacher's class is not revealed)."""
    queryset = SchoolClass.objects.all() if queryset is None else queryset
    return get_object_or_404(queryset.visible_to(request.user), pk=pk)


def managed_class(request, pk):
    school_class = visible_class(request, pk, SchoolClass.objects.select_related("comparison"))
    if not may_manage(request.user, school_class):
        raise PermissionDenied
    return school_class


def absolute(request, path):
    """An absolute link to `path` for pupils' devices (SITE_URL when set, else this request's origin)."""
    return f"{settings.SITE_URL}{path}" if settings.SITE_URL else request.build_absolute_uri(path)


@teacher_view
@allow("GET")
def class_list(request):
    classes = SchoolClass.objects.visible_to(request.user).with_counts()
    context = {
        "classes": classes,
        "may_create": request.user.has_perm("explainer.add_schoolclass"),
        "now": timezone.now(),
    }
    return render(request, "classes/class_list.html", context)


@teacher_view
@allow("GET", "POST")
def class_create(request):
    if not request.user.has_perm("explainer.add_schoolclass"):
        raise PermissionDenied
    form = ClassForm(request.POST or None)
    context = {"form": form, "zone_chosen": request.teacher_zone_chosen}
    if request.method == "POST":
        # A first class brings the browser's time zone: the closing time was typed in it.
        timezone.activate(time_zones.adopt_browser_zone(request))  # teacher_view's override ends it
        context["zone_chosen"] = request.teacher_zone_chosen
        if not form.is_valid():
            return render(request, "classes/class_form.html", context, status=400)
        with transaction.atomic():
            school_class = form.save(commit=False)
            school_class.teacher = request.user
            school_class.save()
            scenarios = Scenario.objects.published().filter(comparison=school_class.comparison)
            school_class.scenarios.set(draw_round(scenarios, school_class.question_count, random.SystemRandom()))
        messages.success(request, _("Your class is ready. Show the pupils the link, the code or the QR code."))
        return redirect(school_class)
    return render(request, "classes/class_form.html", context)


@teacher_view
@allow("GET")
def class_detail(request, pk):
    school_class = visible_class(request, pk, SchoolClass.objects.with_results())
    link = absolute(request, school_class.join_path)
    context = {
        "school_class": school_class,
        "results": class_results(school_class),
        "join_url": link,
        "code_url": absolute(request, reverse("class_join_code")),
        "qr": qr_svg(link),
        "may_manage": may_manage(request.user, school_class),
        "poll_seconds": POLL_SECONDS if school_class.is_open else None,
        "updated_at": timezone.now(),
    }
    return render(request, "classes/class_detail.html", context)


@teacher_view
@allow("GET")
def class_csv(request, pk):
    school_class = visible_class(request, pk, SchoolClass.objects.with_results())
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    filename = f"class-{slugify(school_class.name) or 'results'}-{school_class.code}.csv"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response.write("\ufeff")  # a byte-order mark, so that spreadsheets read the nicknames' accents right
    writer = csv.writer(response)
    writer.writerows(as_csv_rows(class_results(school_class)))
    return response


@teacher_view
@allow("GET", "POST")
def time_zone(request):
    """GET shows the teacher's time zone in a list; POST stores the one chosen (400 for a name not in it)."""
    form = time_zones.TimeZoneForm(request.POST or None, initial={"time_zone": timezone.get_current_timezone_name()})
    context = {"form": form, "next": time_zones.next_page(request), "chosen": request.teacher_zone_chosen}
    form.helper.form_action = f"{request.path}?{urlencode({'next': context['next']})}"
    if request.method == "POST":
        if not form.is_valid():
            return render(request, "classes/time_zone.html", context, status=400)
        name = form.cleaned_data["time_zone"]
        TeacherPreferences.objects.update_or_create(user=request.user, defaults={"time_zone": name})
        messages.success(request, _("Times on your pages are now in %(zone)s.") % {"zone": name})
        return redirect(context["next"])
    return render(request, "classes/time_zone.html", context)


@teacher_view
@allow("POST")
def class_close(request, pk):
    """POST action=close stops new pupils and answers now; action=reopen lifts the closing time."""
    school_class = managed_class(request, pk)
    action = request.POST.get("action")
    if action == "close":
        school_class.closes_at = timezone.now()
        messages.success(request, _("The class is closed: no new pupils and no new answers."))
    elif action == "reopen":
        school_class.closes_at = None
        messages.success(request, _("The class is open again, with no closing time."))
    else:
        messages.error(request, _("That was neither closing nor reopening the class; nothing changed."))
        return redirect(school_class)
    school_class.save(update_fields=["closes_at"])
    return redirect(school_class)


@teacher_view
@allow("GET", "POST")
def class_delete(request, pk):
    """GET asks to confirm; POST deletes the class, its pupils' nicknames and all their answers."""
    school_class = managed_class(request, pk)
    if request.method == "POST":
        name = school_class.name
        school_class.delete()
        messages.success(
            request, _("The class “%(name)s” and all its pupils' nicknames and answers are deleted.") % {"name": name}
        )
        return redirect(reverse("class_list"))
    pupils = school_class.pupils.count()
    return render(request, "classes/class_confirm_delete.html", {"school_class": school_class, "pupils": pupils})
