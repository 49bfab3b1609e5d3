"""Django admin for editors: every piece of content, with the tools to find it fast."""

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.forms import AdminAuthenticationForm
from django.contrib.admin.options import IS_POPUP_VAR
from django.core.validators import MaxLengthValidator
from django.db.models import Case, Count, IntegerField, Q, Value, When
from django.shortcuts import redirect
from django.template.loader import render_to_string
from django.urls import path, reverse
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from reversion_compare.admin import CompareVersionAdmin

from explainer import content_checks
from explainer.admin_drafts import checklist, draft_views, problem_list
from explainer.admin_review import ReviewDueFilter
from explainer.admin_table import table_view
from explainer.models import (
    Attribute,
    Category,
    Cell,
    Comparison,
    ComparisonConcept,
    Concept,
    Example,
    KeyDifference,
    Report,
    Response,
    Scenario,
    Similarity,
    WrongChoiceNote,
)


class LoginForm(AdminAuthenticationForm):
    """The admin login, refusing an over-long username before any authentication runs.

    Django's login form sets the username's max_length after the field is made,
    so the length is never validated; an over-long name then reached
    django-axes, whose attempt log holds 255 characters (a 500 on PostgreSQL).
    """

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        username = self.fields["username"]
        username.validators.append(MaxLengthValidator(username.max_length))


admin.site.login_form = LoginForm
admin.site.site_header = _("Explainer editing")
admin.site.site_title = _("Explainer editing")
admin.site.index_title = _("Content")


class ContentAdmin(CompareVersionAdmin):
    """Admin for content: every save keeps a revision (who, when); "History" compares
    two revisions and reverts to one; "Recover deleted" brings back a deleted object."""

    def get_search_results(self, request, queryset, search_term):
        """Django's search, with an exact match of the first search field ranked first (autocomplete too)."""
        queryset, may_have_duplicates = super().get_search_results(request, queryset, search_term)
        if request.path.endswith("/autocomplete/") and hasattr(self.model, "draft_of"):
            # Drafts' private copies are never offered as a choice elsewhere.
            queryset = queryset.filter(draft_of__isnull=True)
        term = search_term.strip()
        if term and self.search_fields:
            exact = {f"{self.search_fields[0]}__iexact": term}
            queryset = queryset.annotate(
                exact_match=Case(When(Q(**exact), then=Value(0)), default=Value(1), output_field=IntegerField())
            ).order_by("exact_match", *(queryset.query.order_by or self.model._meta.ordering or ["pk"]))
        return queryset, may_have_duplicates


class LiveLock:
    """For admins of what belongs to a comparison: nothing of a live comparison is changed in place.

    Live pages change only through a draft (explainer.drafts): these objects are
    shown read-only, with a link to start or open the draft; a form that would
    attach something new to a live comparison is refused with that advice.
    `owner_of(obj)` names what decides: the comparison an object belongs to (or the concept).
    """

    def owner_of(self, obj):
        return obj.comparison

    def is_locked(self, obj):
        if obj is None or obj.pk is None:
            return False
        owner = self.owner_of(obj)
        return owner is not None and owner.is_locked

    def has_change_permission(self, request, obj=None):
        return not self.is_locked(obj) and super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return not self.is_locked(obj) and super().has_delete_permission(request, obj)


class LiveGuardForm(forms.ModelForm):
    """A form that refuses to attach anything to a live comparison (or a concept a live page shows).

    `owner_field` names the field whose value decides; `owner(value)` maps it to
    the comparison or concept (by default the value itself).
    """

    owner_field = "comparison"

    def owner(self, value):
        return value

    def clean(self):
        cleaned = super().clean()
        value = cleaned.get(self.owner_field)
        error = refuse_live(self.owner(value)) if value is not None else None
        if error is not None:
            raise error
        return cleaned


def refuse_live(owner):
    """The form error for attaching something to a live comparison or concept (None when it is not live)."""
    if owner is not None and owner.is_locked:
        return forms.ValidationError(
            _(
                "“%(title)s” is shown on a live page: readers would see this at once. Open the live "
                "comparison and choose “Edit a draft”, then make the change in the draft."
            ),
            code="live",
            params={"title": owner},
        )
    return None


class ReturnToComparison:
    """Screens the checklist links to (with ?comparison=<id>) go back to that comparison after "Save".

    `on_added(request, obj, comparison)` may attach the new object to it first.
    """

    def checklist_comparison(self, request):
        raw = request.GET.get("comparison", "")
        return Comparison.objects.filter(pk=raw).first() if raw.isdigit() else None

    def back_to(self, request, response, obj, added):
        comparison = self.checklist_comparison(request)
        stays = {"_continue", "_addanother", "_saveasnew", IS_POPUP_VAR} & set(request.POST)
        if comparison is None or stays or response.status_code != 302:
            return response
        if added:
            self.on_added(request, obj, comparison)
        return redirect(reverse("admin:explainer_comparison_change", args=[comparison.pk]) + "#readiness")

    def on_added(self, request, obj, comparison):
        pass

    def response_add(self, request, obj, post_url_continue=None):
        return self.back_to(request, super().response_add(request, obj, post_url_continue), obj, added=True)

    def response_change(self, request, obj):
        return self.back_to(request, super().response_change(request, obj), obj, added=False)


class LockedInline:
    """An inline of a parent that may be live: read-only while the parent is locked."""

    def parent_locked(self, obj):
        return obj is not None and getattr(obj, "is_locked", False)

    def has_add_permission(self, request, obj=None):
        return not self.parent_locked(obj) and super().has_add_permission(request, obj)

    def has_change_permission(self, request, obj=None):
        return not self.parent_locked(obj) and super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return not self.parent_locked(obj) and super().has_delete_permission(request, obj)


@admin.register(Category)
class CategoryAdmin(ContentAdmin):
    list_display = ["name", "position", "comparison_count"]
    list_editable = ["position"]
    search_fields = ["name"]
    prepopulated_fields = {"slug": ["name"]}

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(comparison_total=Count("comparisons"))

    @admin.display(description=_("comparisons"), ordering="comparison_total")
    def comparison_count(self, obj):
        return obj.comparison_total


class ComparisonConceptInline(LockedInline, admin.TabularInline):
    model = ComparisonConcept
    # No min_num: a new comparison is saved first and its concepts added from the checklist;
    # publishing is what needs two (Comparison.publication_checks).
    extra = 0
    autocomplete_fields = ["concept"]
    verbose_name = _("concept (column)")
    verbose_name_plural = _("concepts (columns, left to right)")


class AttributeInline(LockedInline, admin.TabularInline):
    model = Attribute
    extra = 0
    fields = ["position", "name", "slug", "question", "is_key", "edit_cells"]
    readonly_fields = ["edit_cells"]
    prepopulated_fields = {"slug": ["name"]}
    show_change_link = True

    @admin.display(description=_("cells"))
    def edit_cells(self, obj):
        if not obj.pk:
            return "—"
        return format_html(
            '<a href="{}">{}</a>',
            reverse("admin:explainer_attribute_change", args=[obj.pk]),
            _("Edit this row's cells"),
        )


class SimilarityInline(LockedInline, admin.StackedInline):
    model = Similarity
    extra = 0
    fields = ["position", "title", "text"]


class KeyDifferenceInline(LockedInline, admin.StackedInline):
    model = KeyDifference
    extra = 0
    fields = ["position", "attribute", "title", "text"]

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        # Offer only this comparison's own rows.
        if db_field.name == "attribute":
            comparison_id = request.resolver_match.kwargs.get("object_id")
            kwargs["queryset"] = Attribute.objects.filter(comparison_id=comparison_id)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


class ComparisonForm(forms.ModelForm):
    confirm_quiz = forms.BooleanField(
        label=_("Publish even though the quiz breaks a rule"),
        required=False,
        help_text=_("See “Quiz quality” below. Leave unticked to keep the comparison a draft until the quiz is fixed."),
    )

    class Meta:
        model = Comparison
        fields = ["title", "slug", "category", "status", "has_quiz", "lede", "intro", "blur_note", "sources", "related"]


@admin.register(Comparison)
class ComparisonAdmin(ContentAdmin):
    form = ComparisonForm
    list_display = ["title", "category", "state", "attribute_count", "review_by", "updated_at", "view_on_site_link"]
    list_filter = ["status", "category", ReviewDueFilter]
    search_fields = ["title", "slug", "lede", "concepts__name"]
    prepopulated_fields = {"slug": ["title"]}
    autocomplete_fields = ["related"]
    date_hierarchy = "updated_at"
    readonly_fields = [
        "published_at",
        "created_at",
        "updated_at",
        "missed_cues",
        "table_link",
        "quiz_quality",
        "readiness",
        "review_by",
    ]
    actions = ["publish", "unpublish"]
    fieldsets = [
        (
            None,
            {
                "fields": [
                    "title",
                    "slug",
                    "category",
                    "status",
                    "confirm_quiz",
                    "has_quiz",
                    "lede",
                    "one_line_test",
                    "table_link",
                ]
            },
        ),
        (_("Ready to publish?"), {"fields": ["readiness"]}),
        (_("Text"), {"fields": ["intro", "blur_note", "sources"]}),
        (_("Links"), {"fields": ["related"]}),
        (_("Dates"), {"fields": ["published_at", "created_at", "updated_at", "review_by"], "classes": ["collapse"]}),
        (_("Quiz quality"), {"fields": ["quiz_quality"]}),
        (_("Quiz statistics"), {"fields": ["missed_cues"]}),
    ]
    inlines = [ComparisonConceptInline, AttributeInline, SimilarityInline, KeyDifferenceInline]

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("category").annotate(attribute_total=Count("attributes"))

    def get_urls(self):
        table = path(
            "<path:object_id>/table/",
            self.admin_site.admin_view(self.table),
            name="explainer_comparison_table",
        )
        return [table, *draft_views(self), *super().get_urls()]

    def has_change_permission(self, request, obj=None):
        # A live comparison is changed through its draft (explainer.drafts), never in place.
        return not (obj is not None and obj.is_locked) and super().has_change_permission(request, obj)

    def get_fieldsets(self, request, obj=None):
        fieldsets = super().get_fieldsets(request, obj)
        hidden = ()
        if obj is not None and obj.is_draft_copy:
            # A draft of a live page is published with "Publish changes", and keeps the live page's address.
            hidden = ("status", "confirm_quiz", "slug")
        elif obj is not None and obj.is_locked:
            hidden = ("confirm_quiz",)  # a read-only page has nothing to confirm
        if hidden:
            first = [name for name in fieldsets[0][1]["fields"] if name not in hidden]
            fieldsets = [(None, {**fieldsets[0][1], "fields": first}), *fieldsets[1:]]
        return fieldsets

    def get_prepopulated_fields(self, request, obj=None):
        return {} if obj is not None and obj.is_draft_copy else self.prepopulated_fields

    def change_view(self, request, object_id, form_url="", extra_context=None):
        comparison = self.get_object(request, object_id)
        extra = {"comparison": comparison, "draft": comparison.draft if comparison else None}
        return super().change_view(request, object_id, form_url, {**extra, **(extra_context or {})})

    def message_user(self, request, message, level=messages.INFO, *args, **kwargs):
        # After a refused publication, "changed successfully" beside the refusal would read as a success.
        if getattr(request, "publication_refused", False) and level == messages.SUCCESS:
            message, level = _("Your changes were saved; the comparison stays a draft (see above)."), messages.WARNING
        super().message_user(request, message, level, *args, **kwargs)

    @admin.display(description=_("state"), ordering="status")
    def state(self, obj):
        if obj.is_draft_copy:
            return _("Draft of the live page")
        if obj.is_published:
            return _("Live, with unpublished changes") if obj.draft is not None else _("Live")
        return _("Draft")

    @admin.display(description=_("checklist"))
    def readiness(self, obj):
        if obj.pk is None:
            return _("Save the comparison first; the checklist then shows what it still needs.")
        return checklist(obj, self.shown_quality(obj))

    def table(self, request, object_id):
        return table_view(self, request, object_id)

    @admin.display(description=_("table"))
    def table_link(self, obj):
        if obj.pk is None:
            return _("Save the comparison first; then edit its whole table on one screen.")
        url = reverse("admin:explainer_comparison_table", args=[obj.pk])
        return format_html('<a class="button" href="{}">{}</a>', url, _("Edit the whole table on one screen"))

    def save_model(self, request, obj, form, change):
        # Publishing waits for the inlines (save_related): concepts and rows added
        # in the same submit must count. Until then the comparison is saved as a
        # draft, inside the admin's transaction, so readers never see the interim.
        if form.cleaned_data.get("status") == Comparison.Status.PUBLISHED:
            obj.status = Comparison.Status.DRAFT
        super().save_model(request, obj, form, change)

    def save_related(self, request, form, formsets, change):
        """Save the inlines, then publish if the editor asked to and the comparison is complete.

        When it is not complete, or its quiz breaks a rule and the editor did
        not confirm, the editor is told exactly why and the comparison stays a
        draft; the editor's other changes are kept either way.
        """
        super().save_related(request, form, formsets, change)
        comparison = form.instance
        if form.cleaned_data.get("status") != Comparison.Status.PUBLISHED:
            return
        if refuse_incomplete(request, comparison):
            request.publication_refused = True
            return
        # The quiz confirmation is asked when a comparison goes live, not on every later save of a live one.
        going_live = form.initial.get("status") != Comparison.Status.PUBLISHED
        if (
            going_live
            and comparison.has_quiz
            and not form.cleaned_data.get("confirm_quiz")
            and refuse_quiz_findings(request, comparison)
        ):
            request.publication_refused = True
            return
        comparison.status = Comparison.Status.PUBLISHED
        comparison.save(update_fields=["status", "published_at"])

    @admin.action(description=_("Publish the selected comparisons"), permissions=["change"])
    def publish(self, request, queryset):
        published = 0
        for comparison in queryset:
            if (
                comparison.is_published
                or comparison.is_draft_copy
                or refuse_incomplete(request, comparison)
                or (comparison.has_quiz and refuse_quiz_findings(request, comparison))
            ):
                continue
            comparison.status = Comparison.Status.PUBLISHED
            comparison.save()
            published += 1
        if published:
            self.message_user(
                request,
                ngettext("Published %d comparison.", "Published %d comparisons.", published) % published,
                messages.SUCCESS,
            )

    @admin.action(description=_("Unpublish the selected comparisons (back to draft)"), permissions=["change"])
    def unpublish(self, request, queryset):
        for comparison in queryset.filter(status=Comparison.Status.PUBLISHED):
            comparison.status = Comparison.Status.DRAFT
            comparison.save()

    @admin.display(description=_("rows"), ordering="attribute_total")
    def attribute_count(self, obj):
        return obj.attribute_total

    @admin.display(description=_("cues learners miss most"))
    def missed_cues(self, obj):
        if obj.pk is None:
            return "—"
        rows = [row for row in obj.attributes.with_miss_stats() if row.answered]
        return render_to_string("admin/explainer/comparison/missed_cues.html", {"rows": rows})

    @admin.display(description=_("quiz quality"))
    def quiz_quality(self, obj):
        if obj.pk is None:
            return "—"
        return render_to_string("admin/explainer/comparison/quiz_quality.html", self.shown_quality(obj))

    def shown_quality(self, obj):
        """content_checks.quality(obj), worked out once for the page that shows it twice (panel and checklist)."""
        if getattr(obj, "_shown_quality", None) is None:
            obj._shown_quality = content_checks.quality(obj)
        return obj._shown_quality

    @admin.display(description=_("page"))
    def view_on_site_link(self, obj):
        label = _("view") if obj.is_published else _("preview")
        return format_html('<a href="{}">{}</a>', obj.get_absolute_url(), label)


def refuse_incomplete(request, comparison):
    """If `comparison` may not be published, tell the editor exactly why and return True."""
    problems = comparison.missing_for_publication()
    if problems:
        intro = _("“%(title)s” cannot be published yet; it stays a draft until these are fixed:") % {
            "title": comparison
        }
        messages.error(request, problem_list(intro, problems))
    return bool(problems)


def refuse_quiz_findings(request, comparison):
    """If the comparison's quiz breaks a rule, say which and return True: publishing then needs a confirmation."""
    findings = content_checks.quality(comparison)["quiz_findings"]
    if findings:
        intro = _(
            "“%(title)s” stays a draft: its quiz breaks these rules. Fix them, or tick "
            "“Publish even though the quiz breaks a rule” on its page to publish anyway:"
        ) % {"title": comparison}
        messages.error(request, problem_list(intro, [f"{f.item}: {f.message}" for f in findings[:20]]))
    return bool(findings)


class CellInline(LockedInline, admin.TabularInline):
    model = Cell
    extra = 0
    fields = ["concept", "headline", "text"]

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        # Offer only the concepts of this row's comparison.
        if db_field.name == "concept":
            attribute = Attribute.objects.filter(pk=request.resolver_match.kwargs.get("object_id")).first()
            if attribute is not None:
                kwargs["queryset"] = attribute.comparison.concepts.all()
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def get_extra(self, request, obj=None, **kwargs):
        # One blank form per missing cell, so an empty cell is obvious.
        if obj is None:
            return 0
        return max(obj.comparison.concepts.count() - obj.cells.count(), 0)


@admin.register(Attribute)
class AttributeAdmin(LiveLock, ContentAdmin):
    form = LiveGuardForm
    list_display = ["name", "comparison", "position", "question", "is_key", "filled_cells"]
    list_filter = ["comparison", "is_key"]
    search_fields = ["name", "question", "comparison__title"]
    prepopulated_fields = {"slug": ["name"]}
    autocomplete_fields = ["comparison"]
    inlines = [CellInline]

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("comparison").annotate(cell_total=Count("cells"))

    @admin.display(description=_("cells filled"), ordering="cell_total")
    def filled_cells(self, obj):
        return obj.cell_total


class CellForm(LiveGuardForm):
    owner_field = "attribute"

    def owner(self, value):
        return value.comparison


@admin.register(Cell)
class CellAdmin(LiveLock, ContentAdmin):
    form = CellForm
    list_display = ["attribute", "concept", "headline", "text"]
    list_filter = ["attribute__comparison", "concept"]
    search_fields = ["headline", "text", "attribute__name", "concept__name"]
    autocomplete_fields = ["attribute", "concept"]
    list_select_related = ["attribute__comparison", "concept"]

    def owner_of(self, obj):
        return obj.attribute.comparison


class ExampleInline(LockedInline, admin.StackedInline):
    model = Example
    extra = 0
    fields = [("name", "slug"), ("kind", "start_year", "end_year", "ongoing"), "summary", "source_url"]
    prepopulated_fields = {"slug": ["name"]}


class DraftCopyFilter(admin.SimpleListFilter):
    title = _("kind")
    parameter_name = "copies"

    def lookups(self, request, model_admin):
        return [("live", _("Concepts")), ("drafts", _("Copies in drafts of live pages"))]

    def queryset(self, request, queryset):
        if self.value() == "live":
            return queryset.filter(draft_of__isnull=True)
        if self.value() == "drafts":
            return queryset.filter(draft_of__isnull=False)
        return queryset


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
        return super().get_queryset(request).select_related("draft_of").annotate(example_total=Count("examples"))

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


@admin.register(Similarity)
class SimilarityAdmin(LiveLock, ContentAdmin):
    form = LiveGuardForm
    list_display = ["title", "comparison", "position"]
    list_filter = ["comparison"]
    search_fields = ["title", "text"]
    fields = ["comparison", "position", "title", "text"]
    autocomplete_fields = ["comparison"]
    list_select_related = ["comparison"]


@admin.register(KeyDifference)
class KeyDifferenceAdmin(LiveLock, ContentAdmin):
    form = LiveGuardForm
    list_display = ["title", "comparison", "attribute", "position"]
    list_filter = ["comparison"]
    search_fields = ["title", "text"]
    fields = ["comparison", "attribute", "position", "title", "text"]
    autocomplete_fields = ["comparison", "attribute"]
    list_select_related = ["comparison", "attribute"]


class AnsweredFilter(admin.SimpleListFilter):
    title = _("answers")
    parameter_name = "answered"

    def lookups(self, request, model_admin):
        return [("yes", _("Answered at least once")), ("no", _("Never answered"))]

    def queryset(self, request, queryset):
        if self.value() == "yes":
            return queryset.filter(answered__gt=0)
        if self.value() == "no":
            return queryset.filter(answered=0)
        return queryset


class WrongChoiceNoteInline(LockedInline, admin.TabularInline):
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
        scenario_id = request.resolver_match.kwargs.get("object_id")
        if db_field.name == "concept" and scenario_id:
            scenario = Scenario.objects.filter(pk=scenario_id).first()
            if scenario is not None:
                kwargs["queryset"] = scenario.comparison.concepts.exclude(pk=scenario.correct_concept_id)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


@admin.register(Scenario)
class ScenarioAdmin(ReturnToComparison, LiveLock, ContentAdmin):
    form = LiveGuardForm
    # Difficulty, against type and real case are filters: as columns they pushed the statistics
    # off a 1280 px screen.
    list_display = [
        "slug",
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

    def save_related(self, request, form, formsets, change):
        """Save, then warn (never refuse) when the scenario breaks a quiz rule: a draft item may be fixed later."""
        super().save_related(request, form, formsets, change)
        findings = content_checks.scenario_findings(form.instance)
        if findings:
            messages.warning(
                request,
                format_html(
                    "{} <ul>{}</ul>",
                    _("Saved, but this scenario breaks a quiz rule (docs/quiz.md):"),
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
        return Comparison.objects.filter(pk=raw).first() if raw and str(raw).isdigit() else None

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


@admin.register(Report)
class ReportAdmin(admin.ModelAdmin):
    """The queue of readers' reports: newest first, filtered by status, each linked to its page."""

    list_display = ["created_at", "status", "comparison", "scenario", "short_message", "page_link"]
    list_filter = ["status", "comparison"]
    list_editable = ["status"]
    search_fields = ["message", "note"]
    list_select_related = ["comparison", "scenario"]
    readonly_fields = ["comparison", "scenario", "message", "created_at", "page_link"]
    fields = ["status", "note", "page_link", "comparison", "scenario", "message", "created_at"]
    actions = ["mark_fixed", "mark_dismissed"]
    date_hierarchy = "created_at"

    def has_add_permission(self, request):
        return False  # reports come from readers

    @admin.display(description=_("message"))
    def short_message(self, obj):
        return obj.message if len(obj.message) <= 80 else obj.message[:79] + "…"

    @admin.display(description=_("reported page"))
    def page_link(self, obj):
        return format_html('<a href="{}">{}</a>', obj.get_absolute_url(), obj.get_absolute_url())

    @admin.action(description=_("Mark as fixed"), permissions=["change"])
    def mark_fixed(self, request, queryset):
        queryset.update(status=Report.Status.FIXED)

    @admin.action(description=_("Mark as dismissed"), permissions=["change"])
    def mark_dismissed(self, request, queryset):
        queryset.update(status=Report.Status.DISMISSED)
