"""Quiz scenarios with their notes on wrong choices, and the answers readers gave."""

from django.contrib import admin, messages
from django.db.models import Q
from django.urls import reverse
from django.utils.html import format_html, format_html_join
from django.utils.text import Truncator
from django.utils.translation import gettext_lazy as _

from explainer import content_checks
from explainer.admin.base import (
    ChoiceFilter,
    ContentAdmin,
    LiveGuardForm,
    LiveLock,
    LockedTabularInline,
    ReturnToComparison,
    as_id,
)
from explainer.models import (
    Comparison,
    Concept,
    Response,
    Scenario,
    WrongChoiceNote,
)


class AnsweredFilter(ChoiceFilter):
    title = _("answers")
    parameter_name = "answered"
    conditions = {
        "yes": (_("Answered at least once"), Q(answered__gt=0)),
        "no": (_("Never answered"), Q(answered=0)),
    }


class WrongChoiceNoteInline(LockedTabularInline):
    """Why each wrong concept does not fit; in three-concept quizzes every wrong one needs a note."""

    model = WrongChoiceNote
    extra = 0
    fields = ["concept", "text"]

    def get_extra(self, request, obj=None, **kwargs):
        # Room for a note on each wrong concept not yet covered.
        if obj is None:
            return 1
        wrong = obj.comparison.concepts.exclude(pk=obj.correct_concept_id).count()
        return max(wrong - obj.wrong_notes.count(), 0)

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        # Only the concepts of the scenario's own comparison (a new scenario: of the comparison whose
        # checklist it was added from), never every concept of the site.
        if db_field.name == "concept":
            scenario_id = request.resolver_match.kwargs.get("object_id")
            scenario = Scenario.objects.filter(pk=scenario_id).first() if scenario_id else None
            if scenario is not None:
                kwargs["queryset"] = scenario.comparison.concepts.exclude(pk=scenario.correct_concept_id)
            elif (raw := as_id(request.GET.get("comparison"))) is not None:
                kwargs["queryset"] = Concept.objects.filter(comparisons__pk=raw)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


@admin.register(Scenario)
class ScenarioAdmin(ReturnToComparison, LiveLock, ContentAdmin):
    form = LiveGuardForm
    # Difficulty, against type and real case are filters: as columns they pushed the statistics
    # off a 1280 px screen.
    list_display = [
        "short_text",
        "comparison",
        "correct_concept",
        "is_published",
        "answered_count",
        "percent_correct",
        "strong_vs_weak",
        "confidently_wrong_share",
    ]
    list_filter = [
        "comparison",
        "is_published",
        "difficulty",
        "against_type",
        "is_real",
        "correct_concept",
        AnsweredFilter,
    ]
    search_fields = ["slug", "text", "explanation"]
    autocomplete_fields = ["comparison"]
    filter_horizontal = ["cues"]
    list_select_related = ["comparison", "correct_concept"]
    inlines = [WrongChoiceNoteInline]
    fieldsets = [
        (
            None,
            {
                "fields": [
                    "comparison",
                    "slug",
                    "text",
                    "correct_concept",
                    "cues",
                    "difficulty",
                    "against_type",
                    "is_published",
                ]
            },
        ),
        (_("Feedback"), {"fields": ["explanation", "misconception"]}),
        (_("Real case"), {"fields": ["is_real", "year", "source_url"]}),
    ]

    def get_queryset(self, request):
        return super().get_queryset(request).with_stats()

    @admin.display(description=_("scenario"), ordering="text")
    def short_text(self, obj):
        """The scenario's opening words: editors know a case by its text, not by its slug."""
        return Truncator(obj.text).words(14)

    def save_related(self, request, form, formsets, change):
        """Save, then warn (never refuse) when the scenario breaks a quiz rule: a draft item may be fixed later."""
        super().save_related(request, form, formsets, change)
        findings = content_checks.scenario_findings(form.instance)
        if findings:
            messages.warning(
                request,
                format_html(
                    '{} <a href="{}">{}</a> <ul>{}</ul>',
                    _("Saved, but this scenario breaks a quiz rule:"),
                    reverse("admin:explainer_quiz_rules"),
                    _("the rules, explained"),
                    format_html_join("", "<li>{}</li>", ((f"[{f.rule}] {f.message}",) for f in findings)),
                ),
            )

    @admin.display(description=_("answered"), ordering="answered")
    def answered_count(self, obj):
        return obj.answered

    @admin.display(description=_("% correct"), ordering="correct_rate")
    def percent_correct(self, obj):
        if obj.correct_rate is None:
            return "—"
        return f"{obj.correct_rate:.0f}%"

    @admin.display(description=_("strong / weak learners"), ordering="strong_rate")
    def strong_vs_weak(self, obj):
        """% correct among strong and weak learners; flagged when the strong do worse."""
        if obj.strong_rate is None or obj.weak_rate is None:
            return "—"
        text = f"{obj.strong_rate:.0f}% / {obj.weak_rate:.0f}%"
        if obj.strong_rate < obj.weak_rate:
            return format_html("<strong>{}</strong> — {}", text, _("check: strong learners miss it more"))
        return text

    @admin.display(description=_("confidently wrong"), ordering="confidently_wrong_rate")
    def confidently_wrong_share(self, obj):
        """Answers marked "sure" that were wrong, of all answers: the strongest sign of a misconception."""
        if obj.confidently_wrong_rate is None:
            return "—"
        return f"{obj.confidently_wrong} ({obj.confidently_wrong_rate:.0f}%)"

    def comparison_for_form(self, request):
        """The comparison the form is about: the scenario's own, or the one "Add a scenario" came from.

        On a POST the submitted comparison decides, so that the choices offered and
        the choices validated are the same list.
        """
        scenario = self.get_object(request, request.resolver_match.kwargs.get("object_id"))
        if scenario is not None:
            return scenario.comparison
        raw = request.POST.get("comparison") or request.GET.get("comparison")
        return Comparison.objects.filter(pk=as_id(raw)).first() if as_id(raw) else None

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        comparison = self.comparison_for_form(request)
        if comparison is not None and db_field.name == "correct_concept":
            kwargs["queryset"] = comparison.concepts.all()
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        comparison = self.comparison_for_form(request)
        if comparison is not None and db_field.name == "cues":
            kwargs["queryset"] = comparison.attributes.all()
        return super().formfield_for_manytomany(db_field, request, **kwargs)


@admin.register(Response)
class ResponseAdmin(admin.ModelAdmin):
    """Learners' recorded responses are evidence, not content: editors read them, nobody edits them."""

    list_display = ["answered_at", "scenario", "chosen", "is_correct", "confidence"]
    list_filter = ["is_correct", "confidence", "scenario__comparison", "answered_at"]
    search_fields = ["scenario__slug"]
    list_select_related = ["scenario__comparison", "chosen"]
    date_hierarchy = "answered_at"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
