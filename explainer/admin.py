"""Django admin for editors: every piece of content, with the tools to find it fast."""

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.forms import AdminAuthenticationForm
from django.core.validators import MaxLengthValidator
from django.db.models import Count
from django.template.loader import render_to_string
from django.urls import path, reverse
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from reversion_compare.admin import CompareVersionAdmin

from explainer import content_checks
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


class ComparisonConceptInline(admin.TabularInline):
    model = ComparisonConcept
    extra = 0
    min_num = 2
    autocomplete_fields = ["concept"]
    verbose_name = _("concept (column)")
    verbose_name_plural = _("concepts (columns, left to right)")


class AttributeInline(admin.TabularInline):
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


class SimilarityInline(admin.StackedInline):
    model = Similarity
    extra = 0
    fields = ["position", "title", "text"]


class KeyDifferenceInline(admin.StackedInline):
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
        fields = ["title", "slug", "category", "status", "lede", "intro", "blur_note", "sources", "related"]


@admin.register(Comparison)
class ComparisonAdmin(ContentAdmin):
    form = ComparisonForm
    list_display = ["title", "category", "status", "attribute_count", "published_at", "updated_at", "view_on_site_link"]
    list_filter = ["status", "category"]
    search_fields = ["title", "slug", "lede", "concepts__name"]
    prepopulated_fields = {"slug": ["title"]}
    autocomplete_fields = ["related"]
    date_hierarchy = "updated_at"
    readonly_fields = ["published_at", "created_at", "updated_at", "missed_cues", "table_link", "quiz_quality"]
    actions = ["publish", "unpublish"]
    fieldsets = [
        (
            None,
            {"fields": ["title", "slug", "category", "status", "confirm_quiz", "lede", "one_line_test", "table_link"]},
        ),
        (_("Text"), {"fields": ["intro", "blur_note", "sources"]}),
        (_("Links"), {"fields": ["related"]}),
        (_("Dates"), {"fields": ["published_at", "created_at", "updated_at"], "classes": ["collapse"]}),
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
        return [table, *super().get_urls()]

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
        if form.cleaned_data.get("status") != Comparison.Status.PUBLISHED or refuse_incomplete(request, comparison):
            return
        # The quiz confirmation is asked when a comparison goes live, not on every later save of a live one.
        going_live = form.initial.get("status") != Comparison.Status.PUBLISHED
        if going_live and not form.cleaned_data.get("confirm_quiz") and refuse_quiz_findings(request, comparison):
            return
        comparison.status = Comparison.Status.PUBLISHED
        comparison.save(update_fields=["status", "published_at"])

    @admin.action(description=_("Publish the selected comparisons"), permissions=["change"])
    def publish(self, request, queryset):
        published = 0
        for comparison in queryset:
            if (
                comparison.is_published
                or refuse_incomplete(request, comparison)
                or refuse_quiz_findings(request, comparison)
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
        return render_to_string("admin/explainer/comparison/quiz_quality.html", content_checks.quality(obj))

    @admin.display(description=_("page"))
    def view_on_site_link(self, obj):
        label = _("view") if obj.is_published else _("preview")
        return format_html('<a href="{}">{}</a>', obj.get_absolute_url(), label)


def refuse_incomplete(request, comparison):
    """If `comparison` may not be published, tell the editor exactly why and return True."""
    problems = comparison.missing_for_publication()
    if problems:
        messages.error(
            request,
            format_html(
                "{} <ul>{}</ul>",
                _("“%(title)s” cannot be published yet; it stays a draft until these are fixed:")
                % {"title": comparison},
                format_html_join("", "<li>{}</li>", ((problem,) for problem in problems)),
            ),
        )
    return bool(problems)


def refuse_quiz_findings(request, comparison):
    """If the comparison's quiz breaks a rule, say which and return True: publishing then needs a confirmation."""
    findings = content_checks.quality(comparison)["quiz_findings"]
    if findings:
        messages.error(
            request,
            format_html(
                "{} <ul>{}</ul>",
                _(
                    "“%(title)s” stays a draft: its quiz breaks these rules. Fix them, or tick "
                    "“Publish even though the quiz breaks a rule” on its page to publish anyway:"
                )
                % {"title": comparison},
                format_html_join("", "<li>{}</li>", ((f"{f.item}: {f.message}",) for f in findings[:20])),
            ),
        )
    return bool(findings)


class CellInline(admin.TabularInline):
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
class AttributeAdmin(ContentAdmin):
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


@admin.register(Cell)
class CellAdmin(ContentAdmin):
    list_display = ["attribute", "concept", "headline", "text"]
    list_filter = ["attribute__comparison", "concept"]
    search_fields = ["headline", "text", "attribute__name", "concept__name"]
    autocomplete_fields = ["attribute", "concept"]
    list_select_related = ["attribute__comparison", "concept"]


class ExampleInline(admin.StackedInline):
    model = Example
    extra = 0
    fields = [("name", "slug"), ("kind", "start_year", "end_year"), "summary", "source_url"]
    prepopulated_fields = {"slug": ["name"]}


@admin.register(Concept)
class ConceptAdmin(ContentAdmin):
    list_display = ["name", "definition", "example_count", "updated_at"]
    search_fields = ["name", "definition", "description"]
    prepopulated_fields = {"slug": ["name"]}
    inlines = [ExampleInline]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(example_total=Count("examples"))

    @admin.display(description=_("examples"), ordering="example_total")
    def example_count(self, obj):
        return obj.example_total


@admin.register(Example)
class ExampleAdmin(ContentAdmin):
    list_display = ["name", "concept", "kind", "start_year", "end_year"]
    list_filter = ["kind", "concept"]
    search_fields = ["name", "summary"]
    prepopulated_fields = {"slug": ["name"]}
    autocomplete_fields = ["concept"]
    list_select_related = ["concept"]


@admin.register(Similarity)
class SimilarityAdmin(ContentAdmin):
    list_display = ["title", "comparison", "position"]
    list_filter = ["comparison"]
    search_fields = ["title", "text"]
    fields = ["comparison", "position", "title", "text"]
    autocomplete_fields = ["comparison"]
    list_select_related = ["comparison"]


@admin.register(KeyDifference)
class KeyDifferenceAdmin(ContentAdmin):
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


@admin.register(Scenario)
class ScenarioAdmin(ContentAdmin):
    list_display = [
        "slug",
        "comparison",
        "correct_concept",
        "difficulty",
        "against_type",
        "is_real",
        "is_published",
        "answered_count",
        "percent_correct",
        "strong_vs_weak",
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
    list_editable = ["is_published"]
    search_fields = ["slug", "text", "explanation"]
    prepopulated_fields = {"slug": ["text"]}
    autocomplete_fields = ["comparison"]
    filter_horizontal = ["cues"]
    list_select_related = ["comparison", "correct_concept"]
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

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        scenario = self.get_object(request, request.resolver_match.kwargs.get("object_id"))
        if scenario is not None and db_field.name == "correct_concept":
            kwargs["queryset"] = scenario.comparison.concepts.all()
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        scenario = self.get_object(request, request.resolver_match.kwargs.get("object_id"))
        if scenario is not None and db_field.name == "cues":
            kwargs["queryset"] = scenario.comparison.attributes.all()
        return super().formfield_for_manytomany(db_field, request, **kwargs)


@admin.register(Response)
class ResponseAdmin(admin.ModelAdmin):
    """Learners' recorded responses are evidence, not content: editors read them, nobody edits them."""

    list_display = ["answered_at", "scenario", "chosen", "is_correct"]
    list_filter = ["is_correct", "scenario__comparison", "answered_at"]
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
