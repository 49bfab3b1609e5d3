"""Key differences tied to a table row typed on the same comparison form, before that row exists.

Without JavaScript the row list of a key difference can only hold rows that are
saved. So after a submit, the comparison form's key differences also offer the
rows typed on it (not yet saved) as choices, "Shelf life (new, typed on this
form)"; choosing one and saving creates the row first and ties the difference
to it. A first save that chose no row is a form error that keeps everything
typed (KeyDifference.clean), and the re-rendered form then offers the new rows.

Contract: the inline uses KeyDifferenceForm with RowField(new_rows=typed_rows(request.POST))
for its row; a choice of a typed row sets `form.new_row` and leaves the
instance's row empty until `tie_new_rows(formset)` links it, after the rows
are saved.
"""

import re
from dataclasses import dataclass

from django import forms
from django.forms.models import ModelChoiceIterator
from django.utils.translation import gettext as _

from explainer.editing import ConcurrentForm
from explainer.models import Attribute

ROWS_PREFIX = "attributes"  # the rows inline's formset prefix: its relation name
NEW = "new:"
_SLUG_KEY = re.compile(rf"^{ROWS_PREFIX}-(\d+)-slug$")


@dataclass(frozen=True)
class NewRow:
    """A row typed on the form and not yet saved, known by its slug (unique within the comparison)."""

    slug: str
    name: str


def typed_rows(data):
    """The new rows typed on a submitted comparison form (`data` is request.POST), in form order.

    A form with an id is a saved row, one marked for deletion is going away; a form
    without a slug is not a row yet (its own form says so).
    """
    found = []
    for key in sorted(data, key=lambda k: int(m.group(1)) if (m := _SLUG_KEY.match(k)) else -1):
        match = _SLUG_KEY.match(key)
        if match is None:
            continue
        prefix = f"{ROWS_PREFIX}-{match.group(1)}-"
        slug = data.get(key, "").strip()
        if not slug or data.get(prefix + "id") or data.get(prefix + "DELETE"):
            continue
        found.append(NewRow(slug, data.get(prefix + "name", "").strip() or slug))
    return found


class RowChoices(ModelChoiceIterator):
    """The saved rows, then the rows typed on this form."""

    def __iter__(self):
        yield from super().__iter__()
        for row in self.field.new_rows:
            yield (f"{NEW}{row.slug}", _("%(name)s (new, typed on this form)") % {"name": row.name})

    def __len__(self):
        return super().__len__() + len(self.field.new_rows)


class RowField(forms.ModelChoiceField):
    """A saved row, or a NewRow typed on the same form."""

    iterator = RowChoices

    def __init__(self, *args, new_rows=(), **kwargs):
        self.new_rows = list(new_rows)
        super().__init__(*args, **kwargs)

    def to_python(self, value):
        if isinstance(value, str) and value.startswith(NEW):
            for row in self.new_rows:
                if f"{NEW}{row.slug}" == value:
                    return row
            raise forms.ValidationError(self.error_messages["invalid_choice"], code="invalid_choice")
        return super().to_python(value)


class KeyDifferenceForm(ConcurrentForm):
    """A key difference whose row may be one typed on the same form (RowField)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.new_row = None

    def clean(self):
        cleaned = super().clean()
        row = cleaned.get("attribute")
        # Tied after the rows are saved (tie_new_rows); until then the difference names no saved row,
        # and the instance says which row it waits for (KeyDifference.clean).
        self.new_row = row if isinstance(row, NewRow) else None
        self.instance.pending_row = self.new_row
        if self.new_row is not None:
            cleaned["attribute"] = None
        return cleaned


def tie_new_rows(formset):
    """Give each difference that chose a typed row that row, now saved; call before formset.save()."""
    for form in formset.forms:
        row = getattr(form, "new_row", None)
        if row is not None and form.has_changed():
            form.instance.attribute = Attribute.objects.get(comparison=formset.instance, slug=row.slug)
