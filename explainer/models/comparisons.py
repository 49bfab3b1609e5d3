"""A comparison of two or more concepts: what readers see, and what it needs before it may be published.

Its table (rows, cells, points) lives in explainer.models.table; its quiz in explainer.models.quiz.
"""

from django.db import models
from django.db.models import Prefetch, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from explainer import freshness
from explainer.content_rules import MIN_PER_CONCEPT, MIN_SCENARIOS
from explainer.models.concepts import Category, Concept
from explainer.models.fields import optional_link
from explainer.models.table import KEY_ROWS, Attribute, ComparisonConcept, Point, TableCell, TableRow
from explainer.tones import tone_of

# What a comparison needs before readers may see it (beyond a full table): see missing_for_publication.
MIN_SIMILARITIES = 3
MIN_DIFFERENCES = 3
MIN_EXAMPLES = 4


def sees_drafts(user):
    """Whether `user` may see unpublished comparisons and their concept copies: the view permission on
    comparisons (Editors, superusers), not staff status, which teachers have only to log in."""
    return user.is_authenticated and user.has_perm("explainer.view_comparison")


class ComparisonQuerySet(models.QuerySet):
    def published(self):
        """Comparisons the public may see."""
        return self.filter(status=Comparison.Status.PUBLISHED)

    def visible_to(self, user):
        """Everything for those who see drafts (sees_drafts: their preview), published ones for everybody else."""
        if sees_drafts(user):
            return self.all()
        return self.published()

    def with_concepts(self):
        """Concepts in column order (ordered_concepts), without their examples: enough for a list of comparisons."""
        return self.select_related("category").prefetch_related(
            Prefetch("comparisonconcept_set", queryset=ComparisonConcept.objects.select_related("concept"))
        )

    def with_table(self):
        """Everything the comparison page shows, in a fixed number of queries.

        Seven queries whatever the size of the table: the comparison with its
        category, its concepts in column order, their examples, the rows, their
        cells, the points (similarities and key differences, with their rows)
        and the related comparisons.
        """
        return self.select_related("category").prefetch_related(
            Prefetch(
                "comparisonconcept_set",
                queryset=ComparisonConcept.objects.select_related("concept").prefetch_related("concept__examples"),
            ),
            table_prefetch(),
            Prefetch("points", queryset=Point.objects.select_related("attribute")),
            "related",
        )


def table_prefetch():
    """The table's rows with their cells, for `prefetch_related` or `prefetch_related_objects`."""
    return Prefetch("attributes", queryset=Attribute.objects.prefetch_related("cells"))


class ComparisonStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    PUBLISHED = "published", _("Published")


class Comparison(models.Model):
    Status = ComparisonStatus

    title = models.CharField(
        _("title"), max_length=120, help_text=_('As readers see it, e.g. "Alliance vs. Coalition".')
    )
    slug = models.SlugField(
        _("slug"), max_length=120, unique=True, help_text=_("The last part of the address, as in /compare/this-slug/.")
    )
    lede = models.CharField(
        _("lede"), max_length=300, help_text=_("The takeaway in one or two plain sentences, shown under the title.")
    )
    one_line_test = models.CharField(
        _("one-line test"),
        max_length=200,
        blank=True,
        help_text=_(
            "The one question that tells the concepts apart, with its answer for each, e.g. “What holds them "
            "together? A standing promise: alliance. One shared task: coalition.” Shown first on the page and "
            "on the home page's card."
        ),
    )
    intro = models.TextField(_("introduction"), blank=True, help_text=_("Markdown. One or two short paragraphs."))
    blur_note = models.TextField(
        _("where the line blurs"),
        blank=True,
        help_text=_("Markdown. The cases that sit between the concepts, and why."),
    )
    sources = models.TextField(
        _("sources"),
        blank=True,
        help_text=_(
            "Markdown list: one line per fact or group of facts, with a link and the month it was "
            "checked, e.g. “- NATO's membership (32 states): <https://www.nato.int/> (checked 2026-11)”; "
            "a claim that can go stale also says when to check it again: “(checked 2026-12, review by 2027-06)”."
        ),
    )
    # Worked out from `sources` on save (explainer.freshness), so the admin can list what is due.
    review_by = models.DateField(
        _("review by"),
        null=True,
        blank=True,
        editable=False,
        db_index=True,
        help_text=_("The earliest “review by” month among the sources: when a time-bound claim is due a check."),
    )
    category = models.ForeignKey(
        Category, on_delete=models.PROTECT, related_name="comparisons", verbose_name=_("category")
    )
    concepts = models.ManyToManyField(
        Concept, through="ComparisonConcept", related_name="comparisons", verbose_name=_("concepts")
    )
    related = models.ManyToManyField(
        "self",
        blank=True,
        symmetrical=True,
        verbose_name=_("related comparisons"),
        help_text=_("Shown at the foot of the page. Only published ones are shown to readers."),
    )
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.DRAFT)
    has_quiz = models.BooleanField(
        _("has a quiz"),
        default=True,
        help_text=_(
            "Untick for “no quiz yet”: the quiz is then hidden everywhere and its minimum is not "
            "required for publishing."
        ),
    )
    draft_of = optional_link(
        "self",
        on_delete=models.CASCADE,
        related_name="pending_draft",
        verbose_name=_("draft of"),
        editable=False,
        one_to_one=True,
        help_text=_("The live comparison whose changes this draft holds until they are published."),
    )
    published_at = models.DateTimeField(_("published"), null=True, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    objects = ComparisonQuerySet.as_manager()

    class Meta:
        ordering = ["title"]
        verbose_name = _("comparison")
        verbose_name_plural = _("comparisons")
        constraints = [
            models.CheckConstraint(
                condition=Q(status=ComparisonStatus.DRAFT) | Q(published_at__isnull=False),
                name="comparison_published_has_date",
            ),
            # A draft of a live comparison is published by merging it into the live one, never by itself.
            models.CheckConstraint(
                condition=Q(draft_of__isnull=True) | Q(status=ComparisonStatus.DRAFT),
                name="comparison_draft_copy_is_draft",
            ),
        ]

    def __str__(self):
        if self.draft_of_id:
            return _("%(title)s (draft of the live page)") % {"title": self.title}
        return self.title

    def save(self, *args, update_fields=None, **kwargs):
        if self.status == self.Status.PUBLISHED and self.published_at is None:
            self.published_at = timezone.now()
        self.review_by = freshness.earliest_review(self.sources)
        if update_fields is not None and "sources" in update_fields:
            update_fields = {*update_fields, "review_by"}
        if update_fields is not None and "published_at" in update_fields:
            # Publishing is a change: "updated" must never read earlier than "published".
            update_fields = {*update_fields, "updated_at"}
        super().save(*args, update_fields=update_fields, **kwargs)

    def get_absolute_url(self):
        return reverse("comparison_detail", args=[self.slug])

    @property
    def is_published(self):
        return self.status == self.Status.PUBLISHED

    @property
    def is_draft_copy(self):
        """Whether this is the draft that holds pending changes to a live comparison."""
        return self.draft_of_id is not None

    @property
    def draft(self):
        """The draft of this live comparison's pending changes, or None."""
        try:
            return self.pending_draft
        except Comparison.DoesNotExist:
            return None

    @property
    def is_locked(self):
        """Whether editors may not change this comparison directly: it is live, so changes go through a draft."""
        return self.is_published

    # The properties below read what with_table() prefetched, and query for
    # themselves on a bare instance: one code path either way.

    @property
    def ordered_concepts(self):
        """The concepts in column order."""
        return [link.concept for link in self.comparisonconcept_set.all()]

    def tone_of(self, concept):
        """The concept's colour on every view of this comparison: its 1-based column (1-3), or 0 if not in it.

        Templates put it on the class `tone-N` (static/scss/_tones.scss): table
        columns, quiz options and chart bars of one concept share one colour
        and one marker. Columns past the third reuse the palette from tone 1.
        """
        concept_id = getattr(concept, "pk", concept)
        for index, link in enumerate(self.comparisonconcept_set.all()):
            if link.concept_id == concept_id:
                return tone_of(index)
        return 0

    def table_rows(self):
        """The table as a list of TableRow, cells in the order of the concepts."""
        concepts = self.ordered_concepts
        rows = []
        for attribute in self.attributes.all():
            by_concept = {cell.concept_id: cell for cell in attribute.cells.all()}
            columns = [
                TableCell(concept, tone_of(index), by_concept.get(concept.pk)) for index, concept in enumerate(concepts)
            ]
            rows.append(TableRow(attribute, [column.text for column in columns], columns))
        return rows

    def key_rows(self, rows=None):
        """The rows an editor marked as key takeaways (at most KEY_ROWS, in table order), from `rows` or the table."""
        rows = self.table_rows() if rows is None else rows
        return [row for row in rows if row.attribute.is_key][:KEY_ROWS]

    @property
    def published_related(self):
        """The published related comparisons, by title."""
        return sorted((c for c in self.related.all() if c.is_published), key=lambda c: c.title)

    @property
    def similarities(self):
        return [point for point in self.points.all() if point.kind == Point.Kind.SIMILARITY]

    @property
    def key_differences(self):
        return [point for point in self.points.all() if point.kind == Point.Kind.DIFFERENCE]

    def missing_for_publication(self):
        """What stops this comparison from being published, as sentences for the editor (empty when ready)."""
        return [problem for check in self.publication_checks() for problem in check.problems]

    def publication_checks(self):
        """The checklist for publishing: a PublicationCheck per requirement, each with its problems (none when done).

        The requirements: at least two concepts, each with a definition; a
        table whose every cell is written; at least MIN_SIMILARITIES
        similarities and MIN_DIFFERENCES key differences (each names its row,
        a constraint); MIN_EXAMPLES examples across its concepts; and, unless
        it has "no quiz yet", the quiz's minimum (content_rules.MIN_SCENARIOS
        published scenarios in all, MIN_PER_CONCEPT per concept).
        """
        concepts = self.ordered_concepts
        checks = []

        def check(key, label, problems):
            checks.append(PublicationCheck(key, label, problems))

        check(
            "concepts",
            _("At least two concepts (columns)"),
            [_("It needs at least two concepts (it has %(count)d).") % {"count": len(concepts)}]
            if len(concepts) < 2
            else [],
        )
        check(
            "definitions",
            _("A definition for each concept"),
            [
                _("The concept “%(name)s” has no definition.") % {"name": concept.name}
                for concept in concepts
                if not concept.definition.strip()
            ]
            if concepts
            else [_("Add the concepts first: each needs a definition.")],
        )
        rows = self.table_rows()
        table_problems = [] if rows else [_("The table has no rows (attributes).")]
        for row in rows:
            empty = [concept.name for concept, text in zip(concepts, row.cells, strict=True) if not text.strip()]
            if empty:
                table_problems.append(
                    _("The row “%(attribute)s” has empty cells: %(concepts)s.")
                    % {"attribute": row.attribute.name, "concepts": ", ".join(empty)}
                )
        check("table", _("Table rows, every cell written"), table_problems)
        counts = [
            ("similarities", len(self.similarities), MIN_SIMILARITIES, _("similarities")),
            ("differences", len(self.key_differences), MIN_DIFFERENCES, _("key differences")),
            ("examples", sum(len(c.examples.all()) for c in concepts), MIN_EXAMPLES, _("examples")),
        ]
        for key, count, minimum, what in counts:
            check(
                key,
                _("At least %(minimum)d %(what)s (%(count)d now)") % {"minimum": minimum, "what": what, "count": count},
                [
                    _("It needs at least %(minimum)d %(what)s (it has %(count)d).")
                    % {"minimum": minimum, "what": what, "count": count}
                ]
                if count < minimum
                else [],
            )
        if self.has_quiz:
            total, problems = self._quiz_size(concepts)
            check("quiz", _("The quiz: %(count)d published scenarios") % {"count": total}, problems)
        return checks

    def _quiz_size(self, concepts):
        keyed = {concept.pk: 0 for concept in concepts}
        for concept_id in self.scenarios.filter(is_published=True).values_list("correct_concept_id", flat=True):
            keyed[concept_id] = keyed.get(concept_id, 0) + 1
        total = sum(keyed.values())
        # Fewer than two concepts yet: the quiz will need at least what a two-concept one does.
        minimum = MIN_SCENARIOS[min(max(len(concepts), 2), 3)]
        problems = []
        if total < minimum:
            problems.append(
                _(
                    "The quiz needs at least %(minimum)d published scenarios (it has %(count)d); "
                    "or untick “has a quiz” for “no quiz yet”."
                )
                % {"minimum": minimum, "count": total}
            )
        short = [concept.name for concept in concepts if keyed[concept.pk] < MIN_PER_CONCEPT]
        if short:
            problems.append(
                _("The quiz needs at least %(minimum)d scenarios keyed to each concept; too few for: %(concepts)s.")
                % {"minimum": MIN_PER_CONCEPT, "concepts": ", ".join(short)}
            )
        return total, problems


class PublicationCheck:
    """One line of the publishing checklist: `problems` is empty when it is done."""

    __slots__ = ("key", "label", "problems")

    def __init__(self, key, label, problems):
        self.key, self.label, self.problems = key, label, problems

    @property
    def done(self):
        return not self.problems
