"""The learner's choice, rendered with django-crispy-forms (Bootstrap 5 pack)."""

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Field, Layout, Submit
from django import forms
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _

from explainer.models import Confidence

OPTIONS_TEMPLATE = "quiz/includes/options.html"
# What a second answer to the same question is told, in a learner's round and in a class.
ALREADY_ANSWERED = _("You already answered this question; your first answer counts.")


class ChoiceForm(forms.Form):
    """The learner's choice for one scenario, and how sure they are (optional).

    The scenario id guards against stale pages. Each option is a whole box the
    learner can tap (quiz/includes/options.html), marked with its concept's
    colour class, tone-<column>.
    """

    scenario = forms.IntegerField(widget=forms.HiddenInput, min_value=1)
    # The concepts' ids as choices, cleaned to the Concept itself: the form is
    # given the concepts (already read), so checking an answer needs no query.
    choice = forms.TypedChoiceField(
        coerce=int,
        widget=forms.RadioSelect,
        label=_("Which is it?"),
        error_messages={
            "required": _("Choose one of the answers."),
            "invalid_choice": _("That is not one of the answers. Choose one of the options shown."),
        },
    )
    confidence = forms.ChoiceField(
        choices=Confidence.choices,
        widget=forms.RadioSelect,
        required=False,
        label=_("How sure are you? (optional)"),
        error_messages={"invalid_choice": _("Say how sure you are with one of the options shown, or none.")},
    )

    def __init__(self, *args, concepts, action, **kwargs):
        """`concepts`: the comparison's concepts in column order (a list, or a queryset read once here)."""
        super().__init__(*args, **kwargs)
        self.concepts = {concept.pk: concept for concept in concepts}
        self.fields["choice"].choices = [(pk, concept.name) for pk, concept in self.concepts.items()]
        self.action = action

    @cached_property
    def helper(self):
        """How crispy renders the form; made only when it is rendered (checking an answer needs none of it)."""
        helper = FormHelper()
        helper.form_action = self.action
        helper.form_id = "answer-form"
        helper.attrs = {"novalidate": ""}
        # An explicit layout: without one, crispy-bootstrap5 repeats the form's id and action
        # on the radio group's wrapper (its template reads the form's attributes).
        helper.layout = Layout(
            "scenario",
            Field("choice", template=OPTIONS_TEMPLATE),
            Field("confidence", template=OPTIONS_TEMPLATE),
        )
        helper.add_input(Submit("submit", _("Check my answer"), css_class="btn-primary btn-lg"))
        return helper

    def clean_choice(self):
        return self.concepts[self.cleaned_data["choice"]]


def posted_position(data):
    """The question position a "Next" form sent in `data` (request.POST), or None when missing or not a number."""
    try:
        return int(data.get("position", ""))
    except ValueError:
        return None
