"""Comparisons and their parts (concept links, rows, cells, points), with the publishing flow."""

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.options import IS_POPUP_VAR
from django.db.models import Count
from django.shortcuts import redirect
from django.template.loader import render_to_string
from django.urls import path, reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from explainer import content_checks
from explainer.admin import typed_rows
from explainer.admin.base import ContentAdmin, LiveGuardForm, LiveLock, LockedInline, LockedTabularInline
from explainer.admin.drafts import checklist, draft_views, problem_list
from explainer.admin.quiz_import import export_view, import_view, rules_view
from explainer.admin.quiz_screen import panel_context, quiz_view
from explainer.admin.review import ReviewDueFilter
from explainer.admin.table import table_view
from explainer.editing import ConcurrentForm
from explainer.models import (
    Attribute,
    Category,
    Cell,
    Comparison,
    ComparisonConcept,
    KeyDifference,
    Similarity,
)


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


class ComparisonConceptInline(LockedTabularInline):
    model = ComparisonConcept
    # No min_num: a new comparison is saved first and its concepts added from the checklist;
    # publishing is what needs two (Comparison.publication_checks).
    extra = 0
    autocomplete_fields = ["concept"]
    verbose_name = _("concept (column)")
    verbose_name_plural = _("concepts (columns, left to right)")


class AttributeInline(LockedTabularInline):
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
    form = typed_rows.KeyDifferenceForm
    extra = 0
    fields = ["position", "attribute", "title", "text"]

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        # Offer only this comparison's own rows, and (after a submit) the rows typed on the form.
        if db_field.name == "attribute":
            comparison_id = request.resolver_match.kwargs.get("object_id")
            kwargs["queryset"] = Attribute.objects.filter(comparison_id=comparison_id)
            kwargs["form_class"] = typed_rows.RowField
            kwargs["new_rows"] = typed_rows.typed_rows(request.POST) if request.method == "POST" else []
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


class ComparisonForm(ConcurrentForm):
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
        # A count drops the model's ordering (GROUP BY): restated, so autocomplete pages are stable.
        queryset = (
            super().get_queryset(request).select_related("category").annotate(attribute_total=Count("attributes"))
        )
        return queryset.order_by(*self.model._meta.ordering)

    def get_urls(self):
        table = path(
            "<path:object_id>/table/",
            self.admin_site.admin_view(self.table),
            name="explainer_comparison_table",
        )
        quiz = [
            path("quiz-rules/", self.admin_site.admin_view(self.quiz_rules), name="explainer_quiz_rules"),
            path("<path:object_id>/quiz/", self.admin_site.admin_view(self.quiz), name="explainer_comparison_quiz"),
            path(
                "<path:object_id>/quiz/import/",
                self.admin_site.admin_view(self.quiz_import),
                name="explainer_comparison_quiz_import",
            ),
            path(
                "<path:object_id>/quiz/export/",
                self.admin_site.admin_view(self.quiz_export),
                name="explainer_comparison_quiz_export",
            ),
        ]
        return [table, *quiz, *draft_views(self), *super().get_urls()]

    def has_change_permission(self, request, obj=None):
        # A live comparison is changed through its draft (explainer.drafts), never in place.
        return not (obj is not None and obj.is_locked) and super().has_change_permission(request, obj)

    def get_fieldsets(self, request, obj=None):
        fieldsets = super().get_fieldsets(request, obj)
        hidden = ()
        if obj is None:
            hidden = ("confirm_quiz",)  # a new comparison has no quiz yet: nothing to confirm
        elif obj.is_draft_copy:
            # A draft of a live page is published with "Publish changes", and keeps the live page's address.
            hidden = ("status", "confirm_quiz", "slug")
        elif obj.is_locked:
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

    def response_add(self, request, obj, post_url_continue=None):
        return self._stay_after_refusal(request, obj) or super().response_add(request, obj, post_url_continue)

    def response_change(self, request, obj):
        return self._stay_after_refusal(request, obj) or super().response_change(request, obj)

    def _stay_after_refusal(self, request, obj):
        """After a refused publication, back to the comparison's own form (its checklist), not to the list."""
        if not getattr(request, "publication_refused", False) or IS_POPUP_VAR in request.POST:
            return None
        self.message_user(request, _("Your changes were saved."), messages.SUCCESS)
        return redirect(reverse("admin:explainer_comparison_change", args=[obj.pk]) + "#readiness")

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

    def quiz(self, request, object_id):
        return quiz_view(self, request, object_id)

    def quiz_import(self, request, object_id):
        return import_view(self, request, object_id)

    def quiz_export(self, request, object_id):
        return export_view(self, request, object_id)

    def quiz_rules(self, request):
        return rules_view(self, request)

    @admin.display(description=_("table"))
    def table_link(self, obj):
        if obj.pk is None:
            return _("Save the comparison first; then edit its whole table on one screen.")
        url = reverse("admin:explainer_comparison_table", args=[obj.pk])
        quiz = reverse("admin:explainer_comparison_quiz", args=[obj.pk])
        return format_html(
            '<a class="button" href="{}">{}</a> <a class="button" href="{}">{}</a>',
            url,
            _("Edit the whole table on one screen"),
            quiz,
            _("Write the quiz on one screen"),
        )

    def save_model(self, request, obj, form, change):
        # Publishing waits for the inlines (save_related): concepts and rows added
        # in the same submit must count. Until then the comparison is saved as a
        # draft, inside the admin's transaction, so readers never see the interim.
        if form.cleaned_data.get("status") == Comparison.Status.PUBLISHED:
            obj.status = Comparison.Status.DRAFT
        super().save_model(request, obj, form, change)

    def save_formset(self, request, form, formset, change):
        # The rows inline is saved before the differences inline: a difference may name a row typed with it.
        if formset.model is KeyDifference:
            typed_rows.tie_new_rows(formset)
        super().save_formset(request, form, formset, change)

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
        if refuse_incomplete(request, comparison, itemised=False):
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
        return render_to_string(
            "admin/explainer/comparison/quiz_quality.html", panel_context(obj, self.shown_quality(obj))
        )

    def shown_quality(self, obj):
        """content_checks.quality(obj), worked out once for the page that shows it twice (panel and checklist)."""
        if getattr(obj, "_shown_quality", None) is None:
            obj._shown_quality = content_checks.quality(obj)
        return obj._shown_quality

    @admin.display(description=_("page"))
    def view_on_site_link(self, obj):
        label = _("view") if obj.is_published else _("preview")
        return format_html('<a href="{}" target="_blank" rel="noopener">{}</a>', obj.get_absolute_url(), label)


def refuse_incomplete(request, comparison, itemised=True):
    """If `comparison` may not be published, tell the editor why and return True.

    `itemised=False` when the editor lands on the comparison's own form, whose checklist lists
    what is missing: the message then points there instead of naming each piece twice.
    """
    problems = comparison.missing_for_publication()
    if problems and itemised:
        intro = _("“%(title)s” cannot be published yet; it stays a draft until these are fixed:") % {
            "title": comparison
        }
        messages.error(request, problem_list(intro, problems))
    elif problems:
        messages.error(
            request,
            _("“%(title)s” cannot be published yet; it stays a draft. The checklist below shows what it needs.")
            % {"title": comparison},
        )
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


class CellInline(LockedTabularInline):
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
