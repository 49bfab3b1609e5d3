"""The whole attributes × concepts grid of a comparison, edited on one admin screen.

Contract: one submit saves every changed cell, the rows' order (a position box
per row), the rows ticked for deletion and a new row, in one transaction and
one revision (with the editor and a comment). A cleared cell is deleted, a filled
empty one created. A box not sent at all (an older page) leaves its value as it is.

Two editors at once, as on every change form (explainer.editing, whose merge this
reuses): the form carries the table as it was opened (`state`, signed); on save,
each cell, headline and row position is merged three ways. What only the other
editor changed is kept (and shown); what only this editor changed is saved; a box
both changed differently is a form error showing their text beside the editor's,
and then nothing is saved (409). A row the other editor added is left alone; a row
they deleted is gone, and what this editor typed in it is shown in the error; a row
this editor ticks for deletion after the other changed its cells is a conflict too
(both rules are editing.row_merge's, as on the quiz screen).
Who else has the table open is shown on arrival ("Ana is editing this since 10:02").
"""

import reversion
from crispy_forms.helper import FormHelper
from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import Http404
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.text import slugify
from django.utils.translation import gettext as _

from explainer import editing
from explainer.admin.base import as_id
from explainer.models import Attribute, Cell, Comparison

SCREEN = "table"  # the presence of editors on this screen, apart from the comparison's change form


def field_name(attribute, concept):
    return f"cell_{attribute.pk}_{concept.pk}"


def headline_name(attribute, concept):
    return f"headline_{attribute.pk}_{concept.pk}"


def position_name(attribute):
    return f"position_{attribute.pk}"


def delete_name(attribute):
    return f"delete_{attribute.pk}"


def row_name(attribute):
    return f"row_{attribute.pk}"


def table_values(rows, concepts):
    """{box name: plain value} of the table `rows` as stored: each cell's text and headline, each row's place
    (1 is the top); under row_<id>, each row's name (not a box: for the message about a row deleted meanwhile)."""
    values = {}
    for number, row in enumerate(rows, 1):
        values[position_name(row.attribute)] = number
        values[delete_name(row.attribute)] = False
        values[row_name(row.attribute)] = row.attribute.name
        for concept, column in zip(concepts, row.columns, strict=True):
            values[field_name(row.attribute, concept)] = editing.plain(column.text)
            values[headline_name(row.attribute, concept)] = editing.plain(column.headline)
    return values


def _of_row(values, pk):
    """The cells' and headlines' boxes of the row (attribute) `pk` among `values`: one row, for editing.row_merge."""
    prefixes = (f"cell_{pk}_", f"headline_{pk}_")
    return {name: value for name, value in values.items() if name.startswith(prefixes)}


def table_state(comparison):
    """The signed base a table form carries: the table as it is now (see the module docstring)."""
    return editing.sign_base(table_values(comparison.table_rows(), comparison.ordered_concepts))


class TableForm(forms.Form):
    state = forms.CharField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, comparison, rows, concepts, **kwargs):
        super().__init__(*args, **kwargs)
        self.comparison, self.rows, self.concepts = comparison, rows, concepts
        self.merged, self.conflicts = [], []
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.disable_csrf = True
        for number, row in enumerate(rows, 1):
            self.fields[position_name(row.attribute)] = forms.IntegerField(
                label=_("Position of “%(row)s”") % {"row": row.attribute.name},
                min_value=1,
                max_value=999,
                required=False,  # left empty (or sent by an older page): the row keeps its place
                initial=number,
                widget=forms.NumberInput(attrs={"class": "position"}),
            )
            self.fields[delete_name(row.attribute)] = forms.BooleanField(
                label=_("Delete the row “%(row)s” (its cells and any key difference tied to it)")
                % {"row": row.attribute.name},
                required=False,
            )
            headlines = [column.headline for column in row.columns] or [""] * len(concepts)
            for concept, text, headline in zip(concepts, row.cells, headlines, strict=True):
                self.fields[headline_name(row.attribute, concept)] = forms.CharField(
                    label=_("%(row)s — %(concept)s: headline") % {"row": row.attribute.name, "concept": concept.name},
                    required=False,
                    max_length=Cell._meta.get_field("headline").max_length,
                    initial=headline,
                    widget=forms.TextInput(attrs={"size": 30}),
                )
                self.fields[field_name(row.attribute, concept)] = forms.CharField(
                    label=f"{row.attribute.name} — {concept.name}",
                    required=False,
                    max_length=Cell._meta.get_field("text").max_length,
                    initial=text,
                    # Grows with its text (static/admin-extra/table.css): long cells are never cut.
                    widget=forms.Textarea(attrs={"rows": 3, "cols": 40, "class": "grows"}),
                )

        self.fields["new_row"] = forms.CharField(
            label=_("Add a row: its name"),
            required=False,
            max_length=Attribute._meta.get_field("name").max_length,
        )
        self.fields["new_row_question"] = forms.CharField(
            label=_("The question the new row answers"),
            required=False,
            max_length=Attribute._meta.get_field("question").max_length,
        )

    def clean(self):
        cleaned = super().clean()
        name = (cleaned.get("new_row") or "").strip()
        if name and any(row.attribute.name.lower() == name.lower() for row in self.rows):
            self.add_error("new_row", _("The table has a row of that name already."))
        if name and not slugify(name):
            self.add_error("new_row", _("Use letters or digits in the name."))
        for row in self.rows:
            for concept in self.concepts:
                headline = (cleaned.get(headline_name(row.attribute, concept)) or "").strip()
                text = (cleaned.get(field_name(row.attribute, concept)) or "").strip()
                if headline and not text:
                    self.add_error(
                        field_name(row.attribute, concept), _("A headline needs its sentence: write the cell too.")
                    )
        self._merge(cleaned)
        return cleaned

    def _merge(self, cleaned):
        """Merge a save from a stale copy with the table as stored now (module docstring)."""
        theirs = table_values(self.rows, self.concepts)
        base = editing.read_base(cleaned.get("state"))
        boxes = [name for name in self.fields if name in theirs and name in cleaned and name not in self.errors]
        # A box not sent (an older page, a row added since by someone else) or a position left empty is one
        # this editor left alone: it keeps what is stored, and a re-rendered form shows that.
        for name in boxes:
            if self.add_prefix(name) not in self.data or cleaned[name] is None:
                cleaned[name] = theirs[name]
                self._show(name, theirs[name])
        if base is None:
            self._carry({}, theirs)
            return
        mine = {name: editing.plain(cleaned[name]) for name in boxes}
        self._deleted_meanwhile(base, theirs)
        taken, self.conflicts, next_base = editing.three_way(base, mine, theirs)
        self.conflicts += self._deleting_changed_rows(base, mine, theirs)
        for name in taken:
            cleaned[name] = theirs[name]
            self.merged.append(name)
            self._show(name, theirs[name])
        for name in self.conflicts:
            who, when = editing.last_editor(self._object_of(name))
            shown = _("a change to this row's cells") if name.startswith("delete_") else theirs[name]
            self.add_error(name, editing.conflict_message(who, when, editing.shown(shown)))
        self._carry(next_base, theirs)

    def _carry(self, base, theirs):
        """The base a re-rendered form carries: `base` for the boxes it covers, the stored value for the
        others (rows added since); rows deleted since are dropped."""
        editing.set_data(
            self, "state", editing.sign_base({name: base.get(name, value) for name, value in theirs.items()})
        )

    def _deleted_meanwhile(self, base, theirs):
        """A form error for each row deleted since the form was opened that this editor typed in."""
        for key, name in base.items():
            if not key.startswith("row_") or key in theirs:
                continue
            pk = key.removeprefix("row_")
            was = _of_row(base, pk)
            sent = {box: editing.plain(self.data[box]) for box in was if box in self.data}
            if editing.row_merge(was, sent, None, deleting=f"delete_{pk}" in self.data)[0] == "gone-changed":
                typed = [self.data[box] for box, value in sent.items() if value != was[box]]
                self.add_error(
                    None,
                    _(
                        "Someone else deleted the row “%(row)s” while you were editing. What you typed in it "
                        "is not saved: %(typed)s"
                    )
                    % {"row": name, "typed": " / ".join(editing.shown(text) for text in typed)},
                )

    def _deleting_changed_rows(self, base, mine, theirs):
        """The delete boxes ticked on rows whose cells the other editor changed since: their change would go unseen."""
        found = []
        for row in self.rows:
            box, pk = delete_name(row.attribute), row.attribute.pk
            if box not in base:
                continue
            cells = [_of_row(values, pk) for values in (base, mine, theirs)]
            if editing.row_merge(*cells, deleting=bool(mine.get(box)))[0] == "deleting-changed":
                found.append(box)
        return found

    def _object_of(self, name):
        """The cell (or row) a box edits, for "who changed it last"."""
        _kind, attribute_pk, *concept = name.split("_")
        row = next(row for row in self.rows if str(row.attribute.pk) == attribute_pk)
        if concept:
            cell = Cell.objects.filter(attribute=row.attribute, concept_id=concept[0]).first()
            return cell or row.attribute
        return row.attribute

    def _show(self, name, value):
        """Show the stored `value` in box `name` if the form is shown again (a tick box: never ticked)."""
        if not isinstance(value, bool):
            editing.set_data(self, name, value)

    def grid(self):
        """Rows of (attribute, position field, delete field, [(headline field, text field) per concept])."""
        return [
            (
                row.attribute,
                self[position_name(row.attribute)],
                self[delete_name(row.attribute)],
                [
                    (self[headline_name(row.attribute, concept)], self[field_name(row.attribute, concept)])
                    for concept in self.concepts
                ],
            )
            for row in self.rows
        ]


def table_view(model_admin, request, object_id):
    comparison = Comparison.objects.filter(pk=as_id(object_id)).first() if as_id(object_id) else None
    if comparison is None:
        raise Http404(_("No such comparison."))
    if not model_admin.has_view_or_change_permission(request, comparison):
        raise PermissionDenied
    can_change = model_admin.has_change_permission(request, comparison)
    concepts, rows = comparison.ordered_concepts, comparison.table_rows()
    status = 200
    if can_change:
        editing.greet(request, comparison, SCREEN)
    if request.method == "POST":
        if not can_change:
            raise PermissionDenied
        form = TableForm(request.POST, comparison=comparison, rows=rows, concepts=concepts)
        if form.is_valid():
            changed = save_table(request, comparison, form)
            if form.merged:
                messages.info(request, editing.merged_message(form))
            messages.success(
                request,
                _("Saved the table of “%(title)s”: %(count)d cell(s) changed.")
                % {"title": comparison, "count": changed},
            )
            return redirect(reverse("admin:explainer_comparison_table", args=[comparison.pk]))
        if form.conflicts:
            messages.error(
                request,
                _(
                    "Someone else changed this table while you were editing it. Nothing was saved yet: their "
                    "changes are shown beside yours below. Keep yours, take theirs or combine them, then save "
                    "again; boxes only they changed already show their text."
                ),
            )
            status = 409
        else:
            status = 400
    else:
        form = TableForm(
            initial={"state": table_state(comparison)}, comparison=comparison, rows=rows, concepts=concepts
        )
    if not can_change:
        # A live table is shown, not offered for typing: it changes through its draft.
        for field in form.fields.values():
            field.disabled = True
    context = {
        **editing.screen_context(model_admin, request, comparison, SCREEN),
        "title": _("Table of %(title)s") % {"title": comparison},
        "form": form,
        "concepts": concepts,
        "can_change": can_change,
        "empty_count": sum(1 for row in rows for text in row.cells if not text.strip()),
    }
    return TemplateResponse(request, "admin/explainer/comparison/table.html", context, status=status)


def save_table(request, comparison, form):
    """Write every changed cell in one transaction and one revision; return how many changed."""
    existing = {(c.attribute_id, c.concept_id): c for c in Cell.objects.filter(attribute__comparison=comparison)}
    changed = 0
    with transaction.atomic(), reversion.create_revision():
        reversion.set_user(request.user)
        reversion.set_comment(_("Edited the table on one screen."))
        for row in form.rows:
            for concept in form.concepts:
                # A box not sent (an older page) already holds the stored value (TableForm._merge).
                text = form.cleaned_data[field_name(row.attribute, concept)].strip()
                headline = form.cleaned_data[headline_name(row.attribute, concept)].strip()
                cell = existing.get((row.attribute.pk, concept.pk))
                if cell is None and text:
                    Cell.objects.create(attribute=row.attribute, concept=concept, text=text, headline=headline)
                elif cell is not None and not text:
                    cell.delete()
                elif cell is not None and (cell.text, cell.headline) != (text, headline):
                    cell.text, cell.headline = text, headline
                    cell.save()
                else:
                    continue
                changed += 1
        changed += _save_rows(comparison, form)
        if changed:
            comparison.save(update_fields=["updated_at"])
    return changed


def _save_rows(comparison, form):
    """Delete the rows ticked, renumber the rest by their position boxes, add the new row last; return how many."""
    data, changed = form.cleaned_data, 0
    kept = []
    for number, row in enumerate(form.rows, 1):
        attribute = row.attribute
        if data.get(delete_name(attribute)):
            attribute.delete()
            changed += 1
        else:
            # A position not sent, or left empty, holds the row's place now (TableForm._merge).
            kept.append((data.get(position_name(attribute)) or number, number, attribute))
    for position, (_wanted, _old, attribute) in enumerate(sorted(kept, key=lambda k: (k[0], k[1])), 1):
        if attribute.position != position:
            Attribute.objects.filter(pk=attribute.pk).update(position=position)
            changed += 1
    name = (data.get("new_row") or "").strip()
    if name:
        siblings = set(comparison.attributes.values_list("slug", flat=True))
        base = slugify(name)[:50] or "row"
        slug, n = base, 2
        while slug in siblings:
            slug, n = f"{base}-{n}", n + 1
        Attribute.objects.create(
            comparison=comparison,
            name=name,
            slug=slug,
            question=(data.get("new_row_question") or "").strip(),
            position=len(kept) + 1,
        )
        changed += 1
    return changed
