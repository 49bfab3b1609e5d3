"""The teacher's class form and the pupil's nickname form (django-crispy-forms, Bootstrap 5 pack)."""

import unicodedata

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Submit
from django import forms
from django.core.validators import MaxValueValidator, MinValueValidator
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from explainer.models import Comparison, Scenario
from explainer.models.classes import MAX_QUESTIONS, MIN_QUESTIONS, NICKNAME_MAX, SchoolClass


class ClassForm(forms.ModelForm):
    """A new class: its name, comparison, number of questions and optional closing time."""

    class Meta:
        model = SchoolClass
        fields = ["name", "comparison", "question_count", "closes_at"]
        widgets = {"closes_at": forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")}
        help_texts = {
            "closes_at": _("Optional, in your time zone (named above). After it, pupils can no longer join or answer.")
        }

    # Filled by static/js/time-zone.js with the browser's zone: a teacher's first class sets their
    # time zone from it (explainer/classes/time_zones.py). Read by the view, before this form.
    browser_time_zone = forms.CharField(required=False, max_length=64, widget=forms.HiddenInput)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["comparison"].queryset = Comparison.objects.published().filter(has_quiz=True).order_by("title")
        self.fields["comparison"].empty_label = None
        count = self.fields["question_count"]
        count.min_value, count.max_value = MIN_QUESTIONS, MAX_QUESTIONS
        count.widget.attrs.update({"min": MIN_QUESTIONS, "max": MAX_QUESTIONS})
        count.validators += [MinValueValidator(MIN_QUESTIONS), MaxValueValidator(MAX_QUESTIONS)]
        self.fields["name"].widget.attrs["maxlength"] = 80
        self.helper = FormHelper()
        self.helper.form_id = "class-form"
        self.helper.add_input(Submit("submit", _("Create the class"), css_class="btn-primary"))

    def clean_closes_at(self):
        closes_at = self.cleaned_data.get("closes_at")
        if closes_at is not None and closes_at <= timezone.now():
            raise forms.ValidationError(_("Choose a time in the future, or leave it empty."))
        return closes_at

    def clean(self):
        cleaned = super().clean()
        comparison, count = cleaned.get("comparison"), cleaned.get("question_count")
        if comparison is not None and count is not None:
            available = Scenario.objects.published().filter(comparison=comparison).count()
            if available < MIN_QUESTIONS:
                self.add_error("comparison", _("This comparison has too few quiz questions for a class yet."))
            elif count > available:
                self.add_error(
                    "question_count",
                    _("This comparison has %(available)d questions; choose at most that many.")
                    % {"available": available},
                )
        return cleaned


def clean_nickname(raw):
    """A nickname as stored: Unicode NFC, runs of spaces made one, no control or invisible characters.

    Raises ValidationError for what cannot be a nickname (empty, too long, or
    holding control, format or private-use characters, e.g. a right-to-left override).
    """
    nickname = " ".join(unicodedata.normalize("NFC", raw).split())
    if not nickname:
        raise forms.ValidationError(_("Type a nickname."))
    if len(nickname) > NICKNAME_MAX:
        raise forms.ValidationError(_("Keep your nickname to %(max)d characters or fewer.") % {"max": NICKNAME_MAX})
    if any(unicodedata.category(char)[0] == "C" for char in nickname):
        raise forms.ValidationError(_("Use letters, numbers and ordinary punctuation only."))
    return nickname


class NicknameForm(forms.Form):
    """A pupil's nickname: the only thing stored about them."""

    nickname = forms.CharField(
        label=_("Your nickname"),
        max_length=NICKNAME_MAX * 2,  # longer input gets the friendly message from clean_nickname
        strip=False,
        help_text=_("Your teacher sees it next to your score. Not your full name: a first name or a made-up one."),
        widget=forms.TextInput(attrs={"autocomplete": "off", "maxlength": NICKNAME_MAX, "autocapitalize": "words"}),
        error_messages={"max_length": _("Keep your nickname to %(max)d characters or fewer.") % {"max": NICKNAME_MAX}},
    )

    def __init__(self, *args, action, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_action = action
        self.helper.form_id = "join-form"
        self.helper.add_input(Submit("submit", _("Start"), css_class="btn-primary"))

    def clean_nickname(self):
        return clean_nickname(self.cleaned_data["nickname"])


class CodeForm(forms.Form):
    """The class code, for pupils who type it rather than follow the link."""

    code = forms.CharField(
        label=_("Class code"),
        max_length=24,
        help_text=_("The eight letters and numbers your teacher shows, e.g. ABCD-2345."),
        widget=forms.TextInput(attrs={"autocomplete": "off", "autocapitalize": "characters", "spellcheck": "false"}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_method = "get"
        self.helper.form_id = "code-form"
        self.helper.disable_csrf = True
        self.helper.add_input(Submit("submit", _("Go"), css_class="btn-primary"))
