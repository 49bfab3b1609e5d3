"""All of a comparison's quiz scenarios, written on one admin screen, with the quiz rules beside each.

Contract:
- GET shows every scenario of the comparison (in the editors' order) and blank
  rows to add more (`?extra=N`, at most MAX_EXTRA), each with the rules it
  breaks and the give-away words it holds, worked out on the quiz as it is.
- POST with "Check" runs the rules on what is typed and saves nothing; POST
  with "Save" writes every change in one transaction and one revision: changed
  and new rows, the order (the position boxes), deleted rows. A scenario that
  learners answered is never deleted here (untick "published" to withdraw it).
- A save made from a stale copy (someone else changed the quiz since the page
  was opened) saves nothing and shows the editor's text again (409).
- A live comparison's quiz is read-only here, with the live banner: it changes
  through its draft (explainer.drafts), whose own screen this is.
Works without JavaScript: reordering is by number, deleting by a tick box.
"""

import hashlib

import reversion
from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.forms import modelformset_factory
from django.http import Http404
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from explainer import content_rules
from explainer.models import Comparison, Scenario, WrongChoiceNote
from explainer.quiz_findings import findings_for, holding, scenario_data

MAX_EXTRA = 60  # blank rows on one page: a whole 30-scenario quiz with room to spare
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


def quiz_state(comparison):
    """A fingerprint of the quiz as stored, to detect a concurrent edit."""
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

    def __init__(self, *args, comparison, concepts, rows, **kwargs):
        super().__init__(*args, **kwargs)
        self.comparison, self.concepts = comparison, concepts
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
        return cleaned

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
    extra = _extra(request, queryset.exists()) if can_change else 0
    FormSet = formset_class(extra)
    form_kwargs = {"comparison": comparison, "concepts": concepts, "rows": rows}
    status, checked = 200, False
    state = quiz_state(comparison)
    if request.method == "POST":
        if not can_change:
            raise PermissionDenied
        formset = FormSet(request.POST, queryset=queryset, form_kwargs=form_kwargs)
        valid = formset.is_valid() and _refuse_answered_deletions(formset)
        checked = True
        if "_check" in request.POST:
            status = 200 if valid else 400
        elif valid and request.POST.get("state") != state:
            messages.error(
                request,
                _(
                    "Someone else changed this quiz while you were editing it. Nothing was saved: your text "
                    "is still below. Copy what you need, reload the page and apply it again."
                ),
            )
            status = 409
        elif valid:
            saved = save_quiz(request, comparison, formset)
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
        **model_admin.admin_site.each_context(request),
        "opts": Comparison._meta,
        "original": comparison,
        "comparison": comparison,
        "draft": comparison.draft,
        "draft_screen_url": reverse("admin:explainer_comparison_quiz", args=[comparison.draft.pk])
        if comparison.draft
        else "",
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
        "change_url": reverse("admin:explainer_comparison_change", args=[comparison.pk]),
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


def save_quiz(request, comparison, formset):
    """Write the changed rows, the order and the deletions in one transaction and one revision; return the count."""
    changed = 0
    with transaction.atomic(), reversion.create_revision():
        reversion.set_user(request.user)
        reversion.set_comment(_("Edited the quiz on one screen."))
        for form in formset.deleted_forms:
            if form.instance.pk:
                form.instance.delete()
                changed += 1
        for position, form in enumerate(formset.ordered_forms, 1):
            scenario = form.instance
            moved = scenario.position != position
            if not (form.has_changed() or moved):
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
