"""Submit admin change forms as a browser would: the data comes from the page's own forms.

Building formset data by hand means guessing prefixes ("points-2") and
management-form counts; reading them from the rendered change page keeps
tests right when the admin's inlines change.
"""

from django.db.models import Model


def _encode(value):
    if isinstance(value, Model):
        return value.pk
    if value is None:
        return ""
    return value


def _add_form(data, form):
    for name in form.fields:
        value = form[name].value()
        key = form.add_prefix(name)
        if isinstance(value, bool):
            if value:
                data[key] = "on"
        elif isinstance(value, list | tuple):
            data[key] = [_encode(v) for v in value]
        else:
            data[key] = _encode(value)


def change_form_data(client, url, **overrides):
    """The POST data the admin change page at `url` would send unchanged, with `overrides` applied."""
    response = client.get(url)
    assert response.status_code == 200, response.status_code
    data = {}
    _add_form(data, response.context["adminform"].form)
    for inline in response.context["inline_admin_formsets"]:
        formset = inline.formset
        _add_form(data, formset.management_form)
        for form in formset.initial_forms:
            _add_form(data, form)
    return data | overrides


def formset_prefix(client, url, model):
    """The prefix of the inline formset for `model` on the admin change page at `url` ("points-2")."""
    response = client.get(url)
    return next(i.formset.prefix for i in response.context["inline_admin_formsets"] if i.formset.model is model)


def add_inline_form(data, prefix, **fields):
    """Add one new inline form under `prefix` to the POST `data`, as "Add another" would."""
    index = int(data[f"{prefix}-TOTAL_FORMS"])
    data[f"{prefix}-TOTAL_FORMS"] = str(index + 1)
    for name, value in fields.items():
        data[f"{prefix}-{index}-{name}"] = value
    return data
