"""Forms, rendered with django-crispy-forms (Bootstrap 5 pack)."""

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Div, Field, Layout, Submit
from django import forms
from django.utils.translation import gettext_lazy as _


class AnswerForm(forms.Form):
    """The learner's choice for one scenario; the scenario id guards against stale pages."""

    scenario = forms.IntegerField(widget=forms.HiddenInput, min_value=1)
    choice = forms.ModelChoiceField(
        queryset=None,
        widget=forms.RadioSelect,
        empty_label=None,
        label=_("Which is it?"),
        error_messages={
            "required": _("Choose one of the answers."),
            "invalid_choice": _("That is not one of the answers. Choose one of the options shown."),
        },
    )

    def __init__(self, *args, concepts, action, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["choice"].queryset = concepts
        self.helper = FormHelper()
        self.helper.form_action = action
        self.helper.form_id = "answer-form"
        self.helper.attrs = {"novalidate": ""}
        self.helper.add_input(Submit("submit", _("Check my answer"), css_class="btn-primary"))


class ReportForm(forms.Form):
    """A reader's report. `website` is a honeypot: people never see it, form-filling bots do."""

    message = forms.CharField(
        label=_("What is wrong?"),
        max_length=1000,
        min_length=5,
        widget=forms.Textarea(attrs={"rows": 5, "maxlength": 1000}),
        help_text=_(
            "For example a wrong date, a broken link, or a quiz answer you think is wrong. At most 1,000 characters."
        ),
    )
    scenario = forms.IntegerField(widget=forms.HiddenInput, required=False, min_value=1)
    website = forms.CharField(
        label=_("Leave this empty"),
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "off", "tabindex": "-1"}),
    )

    def __init__(self, *args, action, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_action = action
        self.helper.form_id = "report-form"
        self.helper.layout = Layout(
            "message",
            "scenario",
            Div(Field("website"), css_class="honeypot", aria_hidden="true"),
        )
        self.helper.add_input(Submit("submit", _("Send the report"), css_class="btn-primary"))

    @property
    def is_bot(self):
        return bool(self.cleaned_data.get("website"))
