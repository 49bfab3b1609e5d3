"""All of a comparison's quiz scenarios, written on one admin screen, with the quiz rules beside each.

Contract:
- GET shows every scenario of the comparison (in the editors' order) and blank
  rows to add more (`?extra=N`, at most MAX_EXTRA), each with the rules it
  breaks and the give-away words it holds, worked out on the quiz as it is.
- POST with "Check" runs the rules on what is typed and saves nothing; POST
  with "Save" writes every change in one transaction and one revision: changed
  and new rows, the order (the position boxes), deleted rows. A scenario that
  learners answered is never deleted here (untick "published" to withdraw it).
- Two editors at once (explainer.editing, whose merge this reuses): the form
  carries the quiz as it was opened (`state`, signed: each scenario's boxes,
  its notes on wrong choices included). On save each scenario is merged field
  by field: what only the other editor changed is kept (and shown), what only
  this editor changed is saved, and a box both changed differently is a form
  error showing their value beside the editor's; then nothing is saved (409).
  Rows (`editing.row_merge`): scenarios either editor added are all kept; one
  the other editor deleted stays deleted, unless this editor changed it: then
  it is a conflict, and what was typed stays on screen as a new scenario (save
  again to add it back, or tick Delete); deleting one the other editor changed
  is a conflict too (save again to delete it). The order is never a conflict:
  a row this editor moved goes to the number typed, every other row keeps its
  place as stored now (the other editor's moves and new rows included).
  Who else has the screen open is shown on arrival ("Ana is editing since 10:02").
- A live comparison's quiz is read-only here, with the live banner: it changes
  through its draft (explainer.drafts), whose own screen this is.
Works without JavaScript: reordering is by number, deleting by a tick box.
"""

import hashlib

import reversion
from django import forms
from django.contrib import messages
from django.core.exceptions import NON_FIELD_ERRORS, PermissionDenied, ValidationError
from django.db import transaction
from django.forms import modelformset_factory
from django.http import Http404
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from explainer import content_rules, editing
from explainer.models import Comparison, Scenario, WrongChoiceNote
from explainer.quiz_findings import findings_for, holding, scenario_data

MAX_EXTRA = 60  # blank rows on one page: a whole 30-scenario quiz with room to spare
SCREEN = "quiz"  # the presence of editors on this screen, apart from the comparison's change form
FIELDS = [
    "text",
    "correct_concept",
    "against_type",
    "difficulty",
    "cues",
    "explanation",
    "misconception",
    "is_published",
]


def note_name(concept):
    return f"why_not_{concept.pk}"


def scenarios_of(comparison):
    return (
        comparison.scenarios.order_by("position", "pk")
        .select_related("correct_concept")
        .prefetch_related("cues", "wrong_notes__concept")
    )


def row_values(scenario, concepts):
    """{box name: plain value} of `scenario`'s boxes on the screen, as stored: its fields and its notes."""
    values = editing.values_of(scenario, FIELDS)
    notes = {note.concept_id: note.text for note in scenario.wrong_notes.all()}
    for concept in concepts:
        values[note_name(concept)] = editing.plain(notes.get(concept.pk, ""))
    return values


def quiz_values(comparison, concepts):
    """{scenario id (text): row_values}: the quiz as stored now, the base a page carries (signed)."""
    return {str(scenario.pk): row_values(scenario, concepts) for scenario in scenarios_of(comparison)}


def quiz_state(comparison):
    """A fingerprint of the quiz as stored, to detect an edit between an import's preview and its confirmation."""
    rows = [
        (
            s.pk,
            s.position,
            s.text,
            s.correct_concept_id,
            s.against_type,
            s.difficulty,
            s.explanation,
            s.misconception,
            s.is_published,
            sorted(c.pk for c in s.cues.all()),
            sorted((n.concept_id, n.text) for n in s.wrong_notes.all()),
        )
        for s in scenarios_of(comparison)
    ]
    return hashlib.sha256(repr(rows).encode()).hexdigest()


class ScenarioRowForm(forms.ModelForm):
    """One scenario on the quiz screen, with a "why not" box for each of the comparison's concepts."""

    class Meta:
        model = Scenario
        fields = FIELDS
        widgets = {
            "text": forms.Textarea(attrs={"rows": 4, "class": "grows"}),
            "explanation": forms.Textarea(attrs={"rows": 3, "class": "grows"}),
            "misconception": forms.Textarea(attrs={"rows": 2, "class": "grows"}),
            "cues": forms.CheckboxSelectMultiple,
        }
        help_texts = {name: "" for name in FIELDS}  # the screen's own introduction says it once, not 30 times

    def __init__(self, *args, comparison, concepts, rows, base=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.comparison, self.concepts, self.base = comparison, concepts, base
        # The merge (`_merge`): a scenario deleted since the page was opened (its id), the boxes whose stored
        # value was kept, the boxes both editors changed, and the base a re-rendered page carries.
        self.gone, self.merged, self.conflicts, self.next_base, self.theirs = None, [], [], None, None
        self.instance.comparison = comparison
        self.fields["correct_concept"].queryset = comparison.concepts.all()
        self.fields["correct_concept"].label = _("keyed concept")
        self.fields["cues"].queryset = rows
        self.fields["cues"].required = False  # the rules panel says "no cue"; a draft row may be finished later
        notes = {n.concept_id: n.text for n in self.instance.wrong_notes.all()} if self.instance.pk else {}
        for concept in concepts:
            self.fields[note_name(concept)] = forms.CharField(
                label=_("Why not %(concept)s") % {"concept": concept.name},
                required=False,
                max_length=WrongChoiceNote._meta.get_field("text").max_length,
                initial=notes.get(concept.pk, ""),
                widget=forms.Textarea(attrs={"rows": 2, "class": "grows"}),
            )

    def clean(self):
        cleaned = super().clean()
        keyed = cleaned.get("correct_concept")
        if keyed is not None and (cleaned.get(note_name(keyed)) or "").strip():
            self.add_error(
                note_name(keyed),
                _("“%(concept)s” is the keyed concept: a note is for a wrong one. Clear it, or key another concept.")
                % {"concept": keyed.name},
            )
        self._merge(cleaned)
        return cleaned

    def _merge(self, cleaned):
        """Merge a row sent from a stale copy with the scenario as stored now (module docstring)."""
        pk = self.gone or self.instance.pk
        base = (self.base or {}).get(str(pk)) if pk else None
        if not isinstance(base, dict):
            return  # a new row, one already shown as deleted meanwhile, or a page without a base: saved as sent
        self.theirs = None if self.gone else row_values(self.instance, self.concepts)
        mine = {name: editing.plain(cleaned[name]) for name in base if name in cleaned and name not in self.errors}
        deleting = bool(cleaned.get("DELETE"))
        verdict, taken, self.conflicts, self.next_base = editing.row_merge(base, mine, self.theirs, deleting)
        if verdict == "gone":
            cleaned["DELETE"] = True  # deleted by the other editor, untouched here: it stays deleted
            return
        if verdict == "gone-changed":
            self.conflicts = [NON_FIELD_ERRORS]
            self.add_error(
                None,
                _(
                    "Someone else deleted this scenario while you were editing it, and you had changed it. What "
                    "you typed is still here, as a new scenario: save again to add it back, or tick “Delete this "
                    "scenario” to let it go."
                ),
            )
            return
        for name in taken:
            cleaned[name] = self._stored(name)
            self.merged.append(name)
            editing.set_data(self, name, self.theirs[name])
        if self.conflicts:  # who changed it, from the history: looked up only when there is a conflict to name
            who, when = editing.last_editor(self.instance)
        for name in self.conflicts:
            self.add_error(name, editing.conflict_message(who, when, editing.shown(self._shown(name))))
        if verdict == "deleting-changed":
            fields = ", ".join(str(self.fields[name].label) for name in taken + self.conflicts)
            self.conflicts.append("DELETE")
            self.add_error(
                "DELETE",
                _(
                    "Someone else changed this scenario while you were editing (%(fields)s); their change is "
                    "shown here. Untick “Delete” to keep it, or save again to delete it."
                )
                % {"fields": fields},
            )

    def _stored(self, name):
        """The stored value of box `name`, as the form's cleaned data holds it."""
        if name == "cues":
            return list(self.instance.cues.all())
        if name in FIELDS:
            return getattr(self.instance, name)
        return self.theirs[name]

    def _shown(self, name):
        """The other editor's value of box `name`, as a conflict names it (`editing.shown` cuts it)."""
        if name == "difficulty":
            return self.instance.get_difficulty_display()
        if name in ("cues", "correct_concept"):
            return getattr(self.instance, name)
        value = self.theirs[name]
        if isinstance(value, bool):
            return _("ticked") if value else _("not ticked")
        return value

    def unchanged(self):
        """True if saving this row would store what is stored now (after the merge)."""
        if self.theirs is None:  # a new row, or no merge (a page without a base): as Django sees it
            return not self.has_changed()
        return all(editing.plain(self.cleaned_data.get(name)) == value for name, value in self.theirs.items())

    def note_fields(self):
        return [self[note_name(concept)] for concept in self.concepts]

    def as_data(self, key):
        """The row as the rules read it (content_rules.ScenarioData), from what was typed."""
        data = self.cleaned_data
        keyed = data["correct_concept"]
        return content_rules.ScenarioData(
            slug=key,
            text=data["text"],
            correct_concept=keyed.slug,
            explanation=data.get("explanation", ""),
            cues=[cue.slug for cue in data.get("cues", [])],
            against_type=data.get("against_type", False),
            source_url=self.instance.source_url,
            wrong_choices={
                concept.slug: data[note_name(concept)]
                for concept in self.concepts
                if (data.get(note_name(concept)) or "").strip()
            },
        )


class QuizFormSet(forms.BaseModelFormSet):
    def add_fields(self, form, index):
        super().add_fields(form, index)
        form.fields["ORDER"].label = _("Position")
        form.fields["ORDER"].widget.attrs["class"] = "position"
        form.fields["DELETE"].label = _("Delete this scenario")

    def _construct_form(self, i, **kwargs):
        form = super()._construct_form(i, **kwargs)
        posted = str(self.data.get(f"{form.prefix}-id", "")) if self.is_bound else ""
        if i < self.initial_form_count() and form.instance.pk is None and posted.isascii() and posted.isdigit():
            # A scenario sent by id that is not (or no longer) in this quiz: deleted since the page was opened.
            # Django's id box would refuse it unseen; the merge decides (ScenarioRowForm._merge).
            form.gone = int(posted)
            form.fields["id"] = forms.IntegerField(required=False, widget=forms.HiddenInput)
        return form

    def clean(self):
        super().clean()
        if self.conflicts():
            raise ValidationError(
                _(
                    "Someone else changed this quiz while you were editing it. Nothing was saved yet: their "
                    "changes are shown beside yours below. Keep yours, take theirs or combine them, then save "
                    "again; boxes only they changed already show their text."
                ),
                code="conflict",
            )

    def conflicts(self):
        return [form for form in self.forms if form.conflicts]

    def carried_state(self, stored):
        """The base a re-rendered page carries: the quiz as stored now (`stored`, quiz_values), except each
        merged row's `next_base`, so that saving again keeps what the editor chose."""
        rows = dict(stored)
        for form in self.forms:
            key = str(form.instance.pk)
            if form.next_base is not None and key in rows:
                rows[key] = form.next_base
        return editing.sign_base(rows)

    def merged_message(self):
        """A sentence naming the boxes, scenario by scenario, where the other editor's change was kept, or ""."""
        parts = [f"“{form.instance.slug}” ({editing.merged_labels(form)})" for form in self.forms if form.merged]
        return editing.merged_message(None, "; ".join(parts)) if parts else ""


def formset_class(extra):
    return modelformset_factory(
        Scenario,
        form=ScenarioRowForm,
        formset=QuizFormSet,
        extra=extra,
        can_order=True,
        can_delete=True,
        max_num=500,
        absolute_max=500,
    )


def _extra(request, has_scenarios):
    raw = request.GET.get("extra", "")
    if raw.isdigit():
        return min(int(raw), MAX_EXTRA)
    return 3 if has_scenarios else 10


def _findings(comparison, formset, use_typed):
    """The rules on the quiz: from what was typed (rows that are valid) or from what is stored."""
    scenarios = []
    for form in formset.forms:
        if form.instance.pk is None and not (use_typed and form.has_changed()):
            continue
        if use_typed and form.is_valid() and form.cleaned_data:
            if form.cleaned_data.get("DELETE") or not form.cleaned_data.get("is_published", True):
                continue
            scenarios.append(form.as_data(form.prefix))
        elif form.instance.pk is not None and form.instance.is_published:
            scenarios.append(scenario_data(form.instance, key=form.prefix))
    return findings_for(comparison, scenarios)


def quiz_view(model_admin, request, object_id):
    comparison = Comparison.objects.filter(pk=object_id).first() if str(object_id).isdigit() else None
    if comparison is None:
        raise Http404(_("No such comparison."))
    if not model_admin.has_view_or_change_permission(request, comparison):
        raise PermissionDenied
    can_change = model_admin.has_change_permission(request, comparison) and request.user.has_perms(
        ["explainer.add_scenario", "explainer.change_scenario", "explainer.delete_scenario"]
    )
    concepts = comparison.ordered_concepts
    rows = comparison.attributes.all()
    queryset = scenarios_of(comparison)
    stored = quiz_values(comparison, concepts)  # read apart from the formset's rows, which a save changes
    extra = _extra(request, bool(stored)) if can_change else 0
    FormSet = formset_class(extra)
    form_kwargs = {"comparison": comparison, "concepts": concepts, "rows": rows}
    status, checked = 200, False
    state = editing.sign_base(stored)
    if can_change:
        editing.greet(request, comparison, SCREEN)
    if request.method == "POST":
        if not can_change:
            raise PermissionDenied
        form_kwargs["base"] = editing.read_base(request.POST.get("state"))
        formset = FormSet(request.POST, queryset=queryset, form_kwargs=form_kwargs)
        valid = formset.is_valid() and _refuse_answered_deletions(formset)
        state = formset.carried_state(stored)
        checked = True
        if formset.conflicts():
            status = 409
        elif "_check" in request.POST:
            status = 200 if valid else 400
        elif valid:
            saved = save_quiz(request, comparison, formset)
            if formset.merged_message():
                messages.info(request, formset.merged_message())
            messages.success(
                request,
                _("Saved the quiz of “%(title)s”: %(count)d scenario(s) changed.")
                % {"title": comparison, "count": saved},
            )
            url = reverse("admin:explainer_comparison_quiz", args=[comparison.pk])
            return redirect(url + (f"?extra={extra}" if "_addmore" in request.POST else ""))
        else:
            status = 400
    else:
        formset = FormSet(queryset=queryset, form_kwargs=form_kwargs)
    if not can_change:
        for form in formset.forms:
            for field in form.fields.values():
                field.disabled = True
    findings = _findings(comparison, formset, use_typed=checked)
    anchors = {f.prefix: f"scenario-{f.instance.slug}" if f.instance.pk else f.prefix for f in formset.forms}
    findings.giveaways = [(share, [anchors.get(key, key) for key in keys]) for share, keys in findings.giveaways]
    context = {
        **editing.screen_context(model_admin, request, comparison, SCREEN),
        "comparison": comparison,
        "title": _("Quiz of %(title)s") % {"title": comparison},
        "formset": formset,
        "rows": [(form, findings.of(form.prefix)) for form in formset.forms],
        "findings": findings,
        "checked": checked,
        "state": state,
        "concepts": concepts,
        "can_change": can_change,
        "extra": extra,
        "more": min(extra + 10, MAX_EXTRA),
        "help_url": reverse("admin:explainer_quiz_rules"),
    }
    return TemplateResponse(request, "admin/explainer/comparison/quiz.html", context, status=status)


def _refuse_answered_deletions(formset):
    """Rows ticked for deletion whose scenario learners answered get a form error: their answers would go too."""
    ok = True
    for form in formset.deleted_forms:
        answered = form.instance.pk and form.instance.responses.count()
        if answered:
            form.add_error(
                None,
                gettext_lazy(
                    "Learners answered this scenario: deleting it would delete their answers. "
                    "Untick “published” instead, to withdraw it from the quiz."
                ),
            )
            ok = False
    return ok


def final_order(formset, stored):
    """Every scenario the quiz keeps, in its new order: the formset's rows (forms) and the scenarios stored now
    that the page did not hold (added by someone else since: Scenario objects). A row moved on this page (its
    position box changed) goes to the number typed (ahead of the row at that place, or after it when moved
    down); every other row keeps its place as stored now (an empty box too); new rows without a number go
    last."""
    place = {scenario.pk: number for number, scenario in enumerate(stored, 1)}
    end = len(stored) + 1
    kept = set(formset.ordered_forms)
    seen = {form.instance.pk for form in formset.deleted_forms}
    keyed = []
    for index, form in enumerate(formset.forms):
        if form not in kept:
            continue
        pk, order = form.instance.pk, form.cleaned_data.get("ORDER")
        if pk in place:
            seen.add(pk)
            moved = order is not None and order != index + 1
            down = moved and order > index + 1  # moved down: it goes after the row now at that place
            keyed.append(((order, 2 if down else 0, index) if moved else (place[pk], 1, index), form))
        else:
            keyed.append(((end, 1, index) if order is None else (order, 0, index), form))
    keyed += [((place[s.pk], 1, -1), s) for s in stored if s.pk not in seen]
    return [item for _key, item in sorted(keyed, key=lambda pair: pair[0])]


def save_quiz(request, comparison, formset):
    """Write the changed rows, the order and the deletions in one transaction and one revision; return the count."""
    changed = 0
    with transaction.atomic(), reversion.create_revision():
        reversion.set_user(request.user)
        reversion.set_comment(_("Edited the quiz on one screen."))
        stored = list(comparison.scenarios.order_by("position", "pk").select_for_update())
        for form in formset.deleted_forms:
            if form.instance.pk:
                form.instance.delete()
                changed += 1
        for position, item in enumerate(final_order(formset, stored), 1):
            if isinstance(item, Scenario):  # not on this page: only renumbered
                if item.position != position:
                    Scenario.objects.filter(pk=item.pk).update(position=position)
                continue
            form, scenario = item, item.instance
            moved = scenario.position != position
            if not moved and form.unchanged():
                continue
            scenario = form.save(commit=False)
            scenario.comparison = comparison
            scenario.position = position
            scenario.save()
            form.save_m2m()
            _save_notes(scenario, form)
            changed += 1
        if changed:
            comparison.save(update_fields=["updated_at"])
    return changed


def _save_notes(scenario, form):
    for concept in form.concepts:
        text = (form.cleaned_data.get(note_name(concept)) or "").strip()
        note = next((n for n in scenario.wrong_notes.all() if n.concept_id == concept.pk), None)
        if text and note is None:
            WrongChoiceNote.objects.create(scenario=scenario, concept=concept, text=text)
        elif text and note.text != text:
            note.text = text
            note.save()
        elif not text and note is not None:
            note.delete()


def panel_context(comparison, quality):
    """What the comparison page's "Quiz quality" panel shows: `quality` (content_checks.quality) with each
    finding linked to its scenario on the quiz screen, and the scenarios that hold each listed word."""
    quiz_url = reverse("admin:explainer_comparison_quiz", args=[comparison.pk])
    texts = dict(comparison.scenarios.published().order_by("position", "pk").values_list("slug", "text"))
    links = {slug: f"{quiz_url}#scenario-{slug}" for slug in texts}
    words = [(word, [(slug, links[slug]) for slug in slugs]) for word, slugs in holding(quality["words"], texts)]
    return {
        **quality,
        "findings": [(finding, links.get(finding.item)) for finding in quality["findings"]],
        "words": words,
        "quiz_url": quiz_url,
        "help_url": reverse("admin:explainer_quiz_rules"),
    }
