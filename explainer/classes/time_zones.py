"""The teacher's time zone: chosen once, then used to enter and to show every time on their pages.

Contract:
- `teacher_view` (explainer/classes/views.py) reads the user's chosen zone (`chosen_name`: one
  query) for every teacher page and runs the view inside `timezone.override(zone_or_default(name))`:
  Django then reads a typed closing time in that zone, stores it in UTC, and the `date`/`time`
  filters show it back in that zone. Without a choice it is settings.TIME_ZONE.
- The first choice comes from the browser: the class form carries a hidden `browser_time_zone`
  field that static/js/time-zone.js fills from `Intl.DateTimeFormat`. `adopt_browser_zone` stores
  it as the teacher's choice when they have none yet and it names a zone this machine knows;
  otherwise (no JavaScript, or a made-up name) nothing is stored and settings.TIME_ZONE holds.
- The teacher changes it on /teach/time-zone/ (explainer.classes.views.time_zone, with TimeZoneForm).
"""

import functools
import zoneinfo

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Submit
from django import forms
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from explainer.models.classes import TeacherPreferences, time_zone_names

BROWSER_FIELD = "browser_time_zone"


@functools.cache
def known_names():
    return frozenset(time_zone_names())


def zone_named(name):
    """The ZoneInfo called `name`, or None when this machine knows no zone of that name."""
    return zoneinfo.ZoneInfo(name) if isinstance(name, str) and name in known_names() else None


def chosen_name(user):
    """The name of the zone `user` chose, or None."""
    return TeacherPreferences.objects.filter(user_id=user.pk).values_list("time_zone", flat=True).first()


def zone_or_default(name):
    """The zone to enter and show times in: the one named, else settings.TIME_ZONE."""
    return zone_named(name) or timezone.get_default_timezone()


def adopt_browser_zone(request):
    """When the teacher has no zone yet and the form brought their browser's, keep it as their choice.

    Returns the zone their page uses from now on (the current one when nothing was adopted).
    """
    if request.teacher_zone_chosen:
        return timezone.get_current_timezone()
    zone = zone_named(request.POST.get(BROWSER_FIELD, "").strip())
    if zone is None:
        return timezone.get_current_timezone()
    TeacherPreferences.objects.update_or_create(user=request.user, defaults={"time_zone": zone.key})
    request.teacher_zone_chosen = True
    return zone


class TimeZoneForm(forms.Form):
    time_zone = forms.ChoiceField(
        label=gettext_lazy("Your time zone"),
        help_text=gettext_lazy("Closing times are entered and shown in it on your pages."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["time_zone"].choices = [(name, name.replace("_", " ")) for name in time_zone_names()]
        self.helper = FormHelper()
        self.helper.form_id = "time-zone-form"
        self.helper.add_input(Submit("submit", _("Save"), css_class="btn-primary"))


def next_page(request):
    target = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}, require_https=request.is_secure()):
        return target
    return reverse("class_list")
