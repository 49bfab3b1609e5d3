"""The whole attributes × concepts grid of a comparison, edited on one admin screen.

Contract: one submit saves every changed cell, the rows' order (a position box
per row), the rows ticked for deletion and a new row, in one transaction and
one revision (with the editor and a comment). A cleared cell is deleted, a filled
empty one created. If someone else changed the table since the form was
opened, nothing is saved and the editor's text is shown again with a warning
(409), so that no one's work is silently overwritten.
"""

import hashlib

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

from explainer.admin.base import as_id
from explainer.models import Attribute, Cell, Comparison


def field_name(attribute, concept):
    return f"cell_{attribute.pk}_{concept.pk}"


def headline_name(attribute, concept):
    return f"headline_{attribute.pk}_{concept.pk}"


def position_name(attribute):
    return f"position_{attribute.pk}"


def delete_name(attribute):
    return f"delete_{attribute.pk}"


def table_state(comparison):
    """A fingerprint of the table's current rows and cells, to detect a concurrent edit."""
    cells = Cell.objects.filter(attribute__comparison=comparison).order_by("pk").values_list("pk", "text", "headline")
    rows = comparison.attributes.order_by("pk").values_list("pk", "position", "name")
    return hashlib.sha256(repr((list(cells), list(rows))).encode()).hexdigest()


class TableForm(forms.Form):
    state = forms.CharField(widget=forms.HiddenInput)

    def __init__(self, *args, comparison, rows, concepts, **kwargs):
        super().__init__(*args, **kwargs)
        self.rows, self.concepts = rows, concepts
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
        return cleaned

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
    if request.method == "POST":
        if not can_change:
            raise PermissionDenied
        form = TableForm(request.POST, comparison=comparison, rows=rows, concepts=concepts)
        if form.is_valid() and form.cleaned_data["state"] != table_state(comparison):
            messages.error(
                request,
                _(
                    "Someone else changed this table while you were editing it. Nothing was saved: "
                    "your text is still below. Copy what you need, reload the page and apply it again."
                ),
            )
            status = 409
        elif form.is_valid():
            changed = save_table(request, comparison, form)
            messages.success(
                request,
                _("Saved the table of “%(title)s”: %(count)d cell(s) changed.")
                % {"title": comparison, "count": changed},
            )
            return redirect(reverse("admin:explainer_comparison_table", args=[comparison.pk]))
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
        **model_admin.admin_site.each_context(request),
        "opts": Comparison._meta,
        "original": comparison,
        "draft": comparison.draft,
        "draft_screen_url": reverse("admin:explainer_comparison_table", args=[comparison.draft.pk])
        if comparison.draft
        else "",
        "title": _("Table of %(title)s") % {"title": comparison},
        "form": form,
        "concepts": concepts,
        "can_change": can_change,
        "empty_count": sum(1 for row in rows for text in row.cells if not text.strip()),
        "change_url": reverse("admin:explainer_comparison_change", args=[comparison.pk]),
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
                text = form.cleaned_data[field_name(row.attribute, concept)].strip()
                cell = existing.get((row.attribute.pk, concept.pk))
                # A form sent without the headline fields (an older page) leaves headlines as they are.
                name = headline_name(row.attribute, concept)
                sent = name in form.data
                headline = form.cleaned_data[name].strip() if sent else (cell.headline if cell else "")
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
            # A form from an older page has no position boxes: the order stays as it is.
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
