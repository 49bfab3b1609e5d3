"""One form for every text editors save: LF line breaks, no white space at the end of a line.

Browsers send a textarea's line breaks as CRLF, while the shipped content and the
live pages have LF; without this, "See the changes" and the history marked texts
as changed that nobody had touched. Trailing spaces are dropped for the same
reason (a Markdown hard line break is written with a backslash at the end of the
line instead).
"""

from django.db import models
from django.db.models.signals import pre_save


def normalise(text):
    """`text` with CRLF and CR turned into LF and trailing white space removed from every line."""
    if not isinstance(text, str) or ("\r" not in text and " \n" not in text and "\t\n" not in text):
        return text.rstrip(" \t") if isinstance(text, str) else text
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    return "\n".join(line.rstrip(" \t") for line in lines)


def text_fields(model):
    """The model's editable text fields (CharField and TextField without choices)."""
    return [
        field
        for field in model._meta.concrete_fields
        if isinstance(field, models.CharField | models.TextField) and not field.choices
    ]


def normalise_instance(instance):
    """Normalise every text field of `instance` in place (before it is saved)."""
    for field in text_fields(type(instance)):
        value = getattr(instance, field.attname)
        cleaned = normalise(value)
        if cleaned != value:
            setattr(instance, field.attname, cleaned)


def normalise_on_save(content_models):
    """Normalise the texts of every instance of `content_models` (or of their proxies) before it is saved.

    Model.save() is the one door every admin form, draft and import goes through;
    bulk writes (load_content, publishing a draft) copy texts that were normalised already.
    """
    concrete = frozenset(content_models)

    def receiver(sender, instance, **kwargs):
        if sender._meta.concrete_model in concrete:
            normalise_instance(instance)

    pre_save.connect(receiver, weak=False, dispatch_uid="explainer.texts.normalise_on_save")
