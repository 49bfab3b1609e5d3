"""Reader forms, rendered with django-crispy-forms (Bootstrap 5 pack). The quiz's form is in explainer.quiz.forms."""

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Div, Field, Layout, Submit
from django import forms
from django.utils.translation import gettext_lazy as _


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
