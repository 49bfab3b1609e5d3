"""Concepts and their examples."""

from django.contrib import admin
from django.db.models import Count, Q
from django.template.loader import render_to_string
from django.utils.translation import gettext_lazy as _

from explainer.admin.base import ChoiceFilter, ContentAdmin, LiveGuardForm, LiveLock, LockedInline, ReturnToComparison
from explainer.models import (
    Comparison,
    ComparisonConcept,
    Concept,
    Example,
)


class ExampleInline(LockedInline, admin.StackedInline):
    model = Example
    extra = 0
    fields = [("name", "slug"), ("kind", "start_year", "end_year", "ongoing"), "summary", "source_url"]
    prepopulated_fields = {"slug": ["name"]}


class DraftCopyFilter(ChoiceFilter):
    title = _("kind")
    parameter_name = "copies"
    conditions = {
        "live": (_("Concepts"), Q(draft_of__isnull=True)),
        "drafts": (_("Copies in drafts of live pages"), Q(draft_of__isnull=False)),
    }


@admin.register(Concept)
class ConceptAdmin(ReturnToComparison, LiveLock, ContentAdmin):
    list_display = ["name", "definition", "example_count", "draft_copy_of", "updated_at"]
    list_filter = [DraftCopyFilter]
    search_fields = ["name", "definition", "description"]
    prepopulated_fields = {"slug": ["name"]}
    readonly_fields = ["editing"]
    fields = ["editing", "name", "slug", "definition", "description", "synonyms"]
    inlines = [ExampleInline]

    def owner_of(self, obj):
        return obj

    def on_added(self, request, obj, comparison):
        # "Add a new concept" on a comparison's checklist: it becomes the comparison's next column.
        if not comparison.is_locked:
            ComparisonConcept.objects.get_or_create(comparison=comparison, concept=obj)

    def get_queryset(self, request):
        # A count drops the model's ordering (GROUP BY): restated, so autocomplete pages are stable.
        queryset = super().get_queryset(request).select_related("draft_of").annotate(example_total=Count("examples"))
        return queryset.order_by(*self.model._meta.ordering)

    def get_prepopulated_fields(self, request, obj=None):
        return {} if obj is not None and obj.draft_of_id else self.prepopulated_fields

    def get_readonly_fields(self, request, obj=None):
        # A draft's copy keeps its own slug; publishing applies the texts, never the address.
        return [*self.readonly_fields, "slug"] if obj is not None and obj.draft_of_id else self.readonly_fields

    @admin.display(description=_("draft copy of"))
    def draft_copy_of(self, obj):
        return obj.draft_of or "—"

    @admin.display(description=_("editing"))
    def editing(self, obj):
        if obj.pk is None:
            return "—"
        if obj.draft_of_id:
            drafts_ = [link.comparison for link in obj.comparisonconcept_set.select_related("comparison")]
            return render_to_string(
                "admin/explainer/concept/editing.html", {"concept": obj, "copy_in": drafts_, "live": obj.draft_of}
            )
        live = list(obj.comparisons.filter(status=Comparison.Status.PUBLISHED))
        if not live:
            return _("No live page shows this concept: changes show as soon as a comparison using it is published.")
        return render_to_string("admin/explainer/concept/editing.html", {"concept": obj, "live_pages": live})

    @admin.display(description=_("examples"), ordering="example_total")
    def example_count(self, obj):
        return obj.example_total


class ExampleForm(LiveGuardForm):
    owner_field = "concept"


@admin.register(Example)
class ExampleAdmin(ReturnToComparison, LiveLock, ContentAdmin):
    form = ExampleForm
    list_display = ["name", "concept", "kind", "period"]
    list_filter = ["kind", "concept"]
    search_fields = ["name", "summary"]
    prepopulated_fields = {"slug": ["name"]}
    autocomplete_fields = ["concept"]
    list_select_related = ["concept"]

    def owner_of(self, obj):
        return obj.concept

    @admin.display(description=_("years"), ordering="start_year")
    def period(self, obj):
        return obj.period
