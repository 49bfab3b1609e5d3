"""Content model: concepts, the comparisons between them, and their tables.

A comparison shows its concepts side by side. Each Attribute is one row of
that table and each Cell what one concept says for that row. Similarities and
key differences are Points of the comparison; examples belong to a concept, so
that NATO is an example of "alliance" on every comparison that has alliances.
"""

import reversion
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Prefetch, Q
from django.db.models.functions import NullIf
from django.urls import reverse
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _

from explainer import freshness
from explainer.content_rules import MIN_PER_CONCEPT, MIN_SCENARIOS
from explainer.quiz.scoring import STRONG_ROUND, WEAK_ROUND

# What a comparison needs before readers may see it (beyond a full table): see missing_for_publication.
MIN_SIMILARITIES = 3
MIN_DIFFERENCES = 3
MIN_EXAMPLES = 4


class Category(models.Model):
    name = models.CharField(_("name"), max_length=80, unique=True)
    slug = models.SlugField(_("slug"), max_length=80, unique=True)
    description = models.CharField(
        _("description"), max_length=300, blank=True, help_text=_("One plain sentence shown on the category page.")
    )
    position = models.PositiveSmallIntegerField(_("position"), default=0, help_text=_("Lower numbers come first."))

    class Meta:
        ordering = ["position", "name"]
        verbose_name = _("category")
        verbose_name_plural = _("categories")

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("category_detail", args=[self.slug])


class ConceptQuerySet(models.QuerySet):
    def live(self):
        """Concepts themselves, not the private copies that drafts of live comparisons edit."""
        return self.filter(draft_of__isnull=True)


class Concept(models.Model):
    name = models.CharField(_("name"), max_length=80)
    slug = models.SlugField(_("slug"), max_length=80, unique=True)
    definition = models.CharField(
        _("definition"),
        max_length=300,
        blank=True,
        help_text=_("One plain sentence. Required before any comparison using this concept can be published."),
    )
    description = models.TextField(
        _("description"), blank=True, help_text=_("A few short paragraphs. Markdown: **bold**, *italic*, lists, links.")
    )
    synonyms = models.CharField(
        _("synonyms"),
        max_length=300,
        blank=True,
        help_text=_(
            "Close synonyms, separated by commas. The quiz checks warn when a scenario uses one, "
            "since it would give the answer away."
        ),
    )
    updated_at = models.DateTimeField(_("updated"), auto_now=True)
    draft_of = models.ForeignKey(
        "self",
        # Not SET_NULL: an orphaned copy would become a second live concept of the same name.
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        editable=False,
        related_name="draft_copies",
        verbose_name=_("draft of"),
        help_text=_("Set on the copy a draft of a live comparison edits; publishing the draft applies it here."),
    )
    draft_base = models.JSONField(
        _("values when the draft began"),
        null=True,
        blank=True,
        editable=False,
        help_text=_("The live concept's texts when this copy was made: publishing applies only what changed."),
    )

    objects = ConceptQuerySet.as_manager()

    class Meta:
        ordering = ["name", "id"]
        verbose_name = _("concept")
        verbose_name_plural = _("concepts")
        constraints = [
            # Drafts' copies keep the name, so that a preview looks exactly like the page it will become.
            models.UniqueConstraint(
                fields=["name"], condition=Q(draft_of__isnull=True), name="unique_live_concept_name"
            ),
        ]

    def __str__(self):
        if self.draft_of_id:
            return _("%(name)s (draft copy)") % {"name": self.name}
        return self.name

    def get_absolute_url(self):
        return reverse("concept_detail", args=[self.slug])

    @property
    def is_locked(self):
        """Whether editors may not change it in place: a live comparison shows it (a draft's copy never is)."""
        if self.pk is None or self.draft_of_id:
            return False
        return self.comparisons.filter(status=ComparisonStatus.PUBLISHED).exists()

    @property
    def synonym_list(self):
        return [word.strip() for word in self.synonyms.split(",") if word.strip()]


class ComparisonQuerySet(models.QuerySet):
    def published(self):
        """Comparisons the public may see."""
        return self.filter(status=Comparison.Status.PUBLISHED)

    def visible_to(self, user):
        """Everything for staff (drafts are their preview), published ones for everybody else."""
        if user.is_authenticated and user.is_staff:
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
    draft_of = models.OneToOneField(
        "self",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        editable=False,
        related_name="pending_draft",
        verbose_name=_("draft of"),
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
                return index % TONES + 1
        return 0

    def table_rows(self):
        """The table as a list of TableRow, cells in the order of the concepts."""
        concepts = self.ordered_concepts
        rows = []
        for attribute in self.attributes.all():
            by_concept = {cell.concept_id: cell for cell in attribute.cells.all()}
            columns = [
                TableCell(concept, index % TONES + 1, by_concept.get(concept.pk))
                for index, concept in enumerate(concepts)
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
            ],
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
        minimum = MIN_SCENARIOS.get(len(concepts), MIN_SCENARIOS[3])
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


def number_last(instance, siblings):
    """Give a new `instance` left at position 0 the next free position among `siblings`, so that it goes last.

    Editors may still type any number to reorder; only a new, unnumbered item is moved.
    """
    if instance._state.adding and not instance.position:
        last = siblings.aggregate(last=models.Max("position"))["last"]
        if last is not None:
            instance.position = last + 1


TONES = 3  # colours in the concept palette: .tone-1 to .tone-3
KEY_ROWS = 3  # rows shown in the key-takeaways box


class TableCell:
    """One concept's entry in a table row: concept, tone, bold headline and sentence ("" when missing)."""

    __slots__ = ("concept", "headline", "text", "tone")

    def __init__(self, concept, tone, cell=None):
        self.concept = concept
        self.tone = tone
        self.headline = cell.headline if cell else ""
        self.text = cell.text if cell else ""

    def __repr__(self):
        return f"TableCell({self.concept!r}, {self.headline!r}, {self.text!r})"


class TableRow:
    """One row of a comparison table: the attribute, one text per concept (empty when missing) and the full cells."""

    __slots__ = ("attribute", "cells", "columns")

    def __init__(self, attribute, cells, columns=None):
        self.attribute = attribute
        self.cells = cells
        self.columns = columns or []

    def __repr__(self):
        return f"TableRow({self.attribute!r}, {self.cells!r})"


class ComparisonConcept(models.Model):
    comparison = models.ForeignKey(Comparison, on_delete=models.CASCADE, verbose_name=_("comparison"))
    concept = models.ForeignKey(Concept, on_delete=models.PROTECT, verbose_name=_("concept"))
    position = models.PositiveSmallIntegerField(
        _("column"), default=0, help_text=_("Columns go left to right. Leave 0 to add the column last.")
    )

    class Meta:
        ordering = ["comparison", "position"]
        verbose_name = _("concept of a comparison")
        verbose_name_plural = _("concepts of the comparison")
        constraints = [
            models.UniqueConstraint(fields=["comparison", "concept"], name="unique_concept_per_comparison"),
        ]

    def __str__(self):
        return f"{self.comparison}: {self.concept}"

    def save(self, *args, **kwargs):
        number_last(self, ComparisonConcept.objects.filter(comparison_id=self.comparison_id))
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return self.comparison.get_absolute_url()


class AttributeQuerySet(models.QuerySet):
    def with_miss_stats(self):
        """Annotate how often the scenarios this row is a cue of were answered, and missed; most missed first."""
        responses = "scenarios__responses"
        return self.annotate(
            answered=models.Count(responses),
            missed=models.Count(responses, filter=Q(scenarios__responses__is_correct=False)),
        ).order_by("-missed", "position")


class Attribute(models.Model):
    comparison = models.ForeignKey(
        Comparison, on_delete=models.CASCADE, related_name="attributes", verbose_name=_("comparison")
    )
    name = models.CharField(_("name"), max_length=80, help_text=_('The row heading, e.g. "Duration".'))
    slug = models.SlugField(_("slug"), max_length=80, help_text=_("Unique within the comparison; used in links."))
    question = models.CharField(
        _("question"),
        max_length=160,
        blank=True,
        help_text=_('The question the row answers, e.g. "How long does it last?"'),
    )
    position = models.PositiveSmallIntegerField(
        _("position"), default=0, help_text=_("Rows go top to bottom. Leave 0 to add the row last.")
    )
    is_key = models.BooleanField(
        _("key takeaway"),
        default=False,
        help_text=_("Mark the three rows that matter most: their headlines open the page, in the key-takeaways box."),
    )
    draft_of = models.ForeignKey(
        "self", on_delete=models.SET_NULL, null=True, blank=True, editable=False, related_name="+"
    )

    objects = AttributeQuerySet.as_manager()

    class Meta:
        ordering = ["comparison", "position", "id"]
        verbose_name = _("attribute (table row)")
        verbose_name_plural = _("attributes (table rows)")
        constraints = [
            models.UniqueConstraint(fields=["comparison", "slug"], name="unique_attribute_slug_per_comparison"),
        ]

    def __str__(self):
        return f"{self.comparison}: {self.name}"

    def save(self, *args, **kwargs):
        number_last(self, Attribute.objects.filter(comparison_id=self.comparison_id))
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return f"{self.comparison.get_absolute_url()}#row-{self.slug}"

    @property
    def is_locked(self):
        """A row of a live comparison changes only through a draft (explainer.drafts)."""
        return self.comparison.is_locked


class Cell(models.Model):
    attribute = models.ForeignKey(
        Attribute, on_delete=models.CASCADE, related_name="cells", verbose_name=_("attribute")
    )
    concept = models.ForeignKey(Concept, on_delete=models.CASCADE, related_name="cells", verbose_name=_("concept"))
    headline = models.CharField(
        _("headline"),
        max_length=60,
        blank=True,
        help_text=_("A few words, shown in bold above the sentence, e.g. “A standing promise of support”."),
    )
    text = models.CharField(_("text"), max_length=500, help_text=_("One or two plain sentences."))

    class Meta:
        ordering = ["attribute", "concept"]
        verbose_name = _("cell")
        verbose_name_plural = _("cells")
        constraints = [
            models.UniqueConstraint(fields=["attribute", "concept"], name="unique_cell_per_attribute_and_concept"),
        ]

    def __str__(self):
        return f"{self.attribute.name} × {self.concept.name}"

    def get_absolute_url(self):
        return self.attribute.get_absolute_url()

    def clean(self):
        if self.attribute_id and self.concept_id:
            in_comparison = ComparisonConcept.objects.filter(
                comparison_id=self.attribute.comparison_id, concept_id=self.concept_id
            ).exists()
            if not in_comparison:
                raise ValidationError({"concept": _("This concept is not part of the attribute's comparison.")})


class PointKind(models.TextChoices):
    SIMILARITY = "similarity", _("Similarity")
    DIFFERENCE = "difference", _("Key difference")


class Point(models.Model):
    """A similarity or a key difference: an ordered point of a comparison.

    One table for both keeps the comparison page at a fixed, small number of
    queries; editors see them as two separate lists (the proxies below).
    """

    Kind = PointKind

    comparison = models.ForeignKey(
        Comparison, on_delete=models.CASCADE, related_name="points", verbose_name=_("comparison")
    )
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    attribute = models.ForeignKey(
        Attribute,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="differences",
        verbose_name=_("attribute"),
        help_text=_("Key differences: the table row this difference is about."),
    )
    title = models.CharField(_("title"), max_length=120)
    text = models.TextField(_("text"), help_text=_("One to three plain sentences."))
    position = models.PositiveSmallIntegerField(_("position"), default=0, help_text=_("Leave 0 to add it last."))

    class Meta:
        ordering = ["comparison", "kind", "position", "id"]
        verbose_name = _("point")
        verbose_name_plural = _("points")
        constraints = [
            models.CheckConstraint(
                condition=Q(kind=PointKind.SIMILARITY, attribute__isnull=True)
                | Q(kind=PointKind.DIFFERENCE, attribute__isnull=False),
                name="point_difference_names_attribute",
            ),
        ]

    def __str__(self):
        return self.title

    def save(self, *args, **kwargs):
        number_last(self, Point.objects.filter(comparison_id=self.comparison_id, kind=self.kind))
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        anchor = "similarities" if self.kind == self.Kind.SIMILARITY else "differences"
        return f"{self.comparison.get_absolute_url()}#{anchor}"

    def clean(self):
        if self.attribute_id and self.comparison_id and self.attribute.comparison_id != self.comparison_id:
            raise ValidationError({"attribute": _("Choose a row of this comparison's own table.")})


class SimilarityManager(models.Manager):
    def get_queryset(self):
        return super().get_queryset().filter(kind=Point.Kind.SIMILARITY)


class DifferenceManager(models.Manager):
    def get_queryset(self):
        return super().get_queryset().filter(kind=Point.Kind.DIFFERENCE)


class Similarity(Point):
    objects = SimilarityManager()

    class Meta:
        proxy = True
        ordering = ["comparison", "position", "id"]
        verbose_name = _("similarity")
        verbose_name_plural = _("similarities")

    def save(self, *args, **kwargs):
        self.kind = Point.Kind.SIMILARITY
        super().save(*args, **kwargs)


class KeyDifference(Point):
    objects = DifferenceManager()

    class Meta:
        proxy = True
        ordering = ["comparison", "position", "id"]
        verbose_name = _("key difference")
        verbose_name_plural = _("key differences")

    def save(self, *args, **kwargs):
        self.kind = Point.Kind.DIFFERENCE
        super().save(*args, **kwargs)


class Example(models.Model):
    class Kind(models.TextChoices):
        # Broad enough for any subject; "none" (blank) is fine when no label helps.
        POLITICAL = "political", _("Political")
        MILITARY = "military", _("Military")
        ECONOMIC = "economic", _("Economic")
        LEGAL = "legal", _("Legal")
        SOCIAL = "social", _("Social")
        CULTURAL = "cultural", _("Cultural")
        SCIENTIFIC = "scientific", _("Scientific")
        ENVIRONMENTAL = "environmental", _("Environmental")
        TECHNOLOGICAL = "technological", _("Technological")
        HISTORICAL = "historical", _("Historical")

    concept = models.ForeignKey(Concept, on_delete=models.CASCADE, related_name="examples", verbose_name=_("concept"))
    name = models.CharField(_("name"), max_length=120)
    slug = models.SlugField(_("slug"), max_length=120, unique=True)
    kind = models.CharField(
        _("kind"),
        max_length=16,
        choices=Kind.choices,
        blank=True,
        help_text=_("Optional: a broad label, shown as a badge."),
    )
    start_year = models.SmallIntegerField(_("from (year)"), help_text=_("Negative for years BCE."))
    end_year = models.SmallIntegerField(
        _("to (year)"), null=True, blank=True, help_text=_("Leave empty for a one-year event, or if it still goes on.")
    )
    ongoing = models.BooleanField(
        _("still goes on"),
        default=False,
        help_text=_("Tick if it still exists today (shown as “1949–present”); leave unticked for a past event."),
    )
    summary = models.TextField(_("summary"), help_text=_("Two or three plain sentences: what it is and why it counts."))
    source_url = models.URLField(_("source"), max_length=300, help_text=_("A reliable page readers can check."))
    draft_of = models.ForeignKey(
        "self", on_delete=models.SET_NULL, null=True, blank=True, editable=False, related_name="+"
    )
    draft_base = models.JSONField(null=True, blank=True, editable=False)

    class Meta:
        ordering = ["concept", "start_year", "name"]
        verbose_name = _("example")
        verbose_name_plural = _("examples")
        constraints = [
            models.CheckConstraint(
                condition=Q(end_year__isnull=True) | Q(end_year__gte=models.F("start_year")),
                name="example_ends_after_it_starts",
            ),
            models.CheckConstraint(
                condition=Q(end_year__isnull=True) | Q(ongoing=False), name="example_ongoing_has_no_end"
            ),
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return f"{self.concept.get_absolute_url()}#example-{self.slug}"

    @property
    def period(self):
        """The years as readers see them: "1949–present", "1955–1991", "2010"."""
        if self.end_year is None and self.ongoing:
            return _("%(start)s–present") % {"start": self.start_year}
        if self.end_year is None or self.end_year == self.start_year:
            return str(self.start_year)
        return f"{self.start_year}–{self.end_year}"


def _rate(part, whole):
    """100 * part / whole as a float, or None when whole is 0."""
    return models.ExpressionWrapper(100.0 * part / NullIf(whole, 0), output_field=models.FloatField())


class ScenarioQuerySet(models.QuerySet):
    def published(self):
        return self.filter(is_published=True)

    def for_question(self):
        """What a question page shows: the text only (never the answer's explanation)."""
        return self.select_related("comparison").only("id", "text", "difficulty", "comparison_id", "comparison__slug")

    def for_feedback(self):
        """What feedback shows: the correct concept, the explanation, the cues (rows come from the table)
        and the notes on wrong choices."""
        return self.select_related("correct_concept").prefetch_related("cues", "wrong_notes")

    def with_stats(self):
        """Annotate, for editors, how each scenario fares.

        answered, correct_rate (0-100, None before any answer), and the %
        correct among strong learners (rounds scored STRONG_ROUND or better)
        and weak ones (WEAK_ROUND or worse): strong_rate and weak_rate. A
        scenario that strong learners miss more often than weak ones is
        probably ambiguous or wrong (docs/quiz.md). confidently_wrong counts the
        answers marked "sure" that were wrong, and confidently_wrong_rate is their
        share of all answers: the strongest sign of a misconception.
        """
        answered = models.Count("responses")
        correct = models.Count("responses", filter=Q(responses__is_correct=True))
        scores = (
            Response.objects.values("round_id")
            .annotate(score=models.Avg(models.Case(models.When(is_correct=True, then=1.0), default=0.0)))
            .values("round_id")
        )
        strong = Q(responses__round_id__in=scores.filter(score__gte=STRONG_ROUND))
        weak = Q(responses__round_id__in=scores.filter(score__lte=WEAK_ROUND))
        confidently_wrong = models.Count(
            "responses", filter=Q(responses__confidence=Confidence.SURE, responses__is_correct=False)
        )
        return self.annotate(
            answered=answered,
            correct_rate=_rate(correct, answered),
            confidently_wrong=confidently_wrong,
            confidently_wrong_rate=_rate(confidently_wrong, answered),
            strong_rate=_rate(
                models.Count("responses", filter=strong & Q(responses__is_correct=True)),
                models.Count("responses", filter=strong),
            ),
            weak_rate=_rate(
                models.Count("responses", filter=weak & Q(responses__is_correct=True)),
                models.Count("responses", filter=weak),
            ),
        )


SHORT_SLUG_WORDS = 5
SHORT_SLUG_LENGTH = 40


def short_slug(text, siblings):
    """A short slug from the first words of `text` ("a-navy-and-an-army"), made unique among `siblings`."""
    base = slugify(" ".join(text.split()[:SHORT_SLUG_WORDS]))[:SHORT_SLUG_LENGTH].strip("-") or "scenario"
    taken = set(siblings.filter(slug__startswith=base).values_list("slug", flat=True))
    slug, number = base, 2
    while slug in taken:
        slug = f"{base}-{number}"
        number += 1
    return slug


class Scenario(models.Model):
    """A case for the "Which is it?" quiz: the learner decides which concept it shows."""

    class Difficulty(models.TextChoices):
        EASY = "easy", _("Easy")
        MEDIUM = "medium", _("Medium")
        HARD = "hard", _("Hard")

    comparison = models.ForeignKey(
        Comparison, on_delete=models.CASCADE, related_name="scenarios", verbose_name=_("comparison")
    )
    slug = models.SlugField(
        _("slug"),
        max_length=120,
        blank=True,
        help_text=_("Unique within the comparison. Leave empty: a short one is made from the first words."),
    )
    text = models.TextField(
        _("scenario"),
        max_length=1200,
        help_text=_(
            "Two to four plain sentences: who, what, for how long, how they decide. Do not give the answer away."
        ),
    )
    correct_concept = models.ForeignKey(
        Concept,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("correct concept"),
        help_text=_("Must be one of the comparison's concepts."),
    )
    explanation = models.TextField(
        _("explanation"),
        help_text=_(
            "Markdown. Why this is the right concept, naming the deciding rows, and what the other "
            "concept would have looked like."
        ),
    )
    misconception = models.TextField(
        _("common mistake"),
        blank=True,
        help_text=_("Shown to learners who chose wrongly: the usual reason for the wrong choice, and why it fails."),
    )
    cues = models.ManyToManyField(
        Attribute,
        related_name="scenarios",
        verbose_name=_("cues"),
        help_text=_(
            "The table rows that decide this case; they are highlighted in the feedback. "
            "Name each in the explanation, in parentheses: “(duration)”."
        ),
    )
    against_type = models.BooleanField(
        _("against type"),
        default=False,
        help_text=_(
            "The usual surface cue points the wrong way here and a deeper row decides "
            "(a coalition that lasted decades). At least 30% of a quiz should be."
        ),
    )
    difficulty = models.CharField(_("difficulty"), max_length=6, choices=Difficulty.choices, default=Difficulty.MEDIUM)
    is_real = models.BooleanField(
        _("real case"), default=False, help_text=_("A real historical case (needs year and source).")
    )
    year = models.SmallIntegerField(_("year"), null=True, blank=True)
    source_url = models.URLField(_("source"), max_length=300, blank=True)
    is_published = models.BooleanField(_("published"), default=True, help_text=_("Only published scenarios are asked."))
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)
    draft_of = models.ForeignKey(
        "self", on_delete=models.SET_NULL, null=True, blank=True, editable=False, related_name="+"
    )

    objects = ScenarioQuerySet.as_manager()

    class Meta:
        ordering = ["comparison", "slug"]
        verbose_name = _("quiz scenario")
        verbose_name_plural = _("quiz scenarios")
        constraints = [
            models.UniqueConstraint(fields=["comparison", "slug"], name="unique_scenario_slug_per_comparison"),
            models.CheckConstraint(
                condition=Q(is_real=False) | (Q(year__isnull=False) & ~Q(source_url="")),
                name="real_scenario_has_year_and_source",
            ),
        ]

    def __str__(self):
        return f"{self.comparison}: {self.slug}"

    def save(self, *args, **kwargs):
        if not self.slug:
            self.slug = short_slug(self.text, Scenario.objects.filter(comparison_id=self.comparison_id))
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("quiz", args=[self.comparison.slug])

    @property
    def is_locked(self):
        """A scenario of a live comparison changes only through a draft (explainer.drafts)."""
        return self.comparison.is_locked

    def clean(self):
        if (
            self.comparison_id
            and self.correct_concept_id
            and not ComparisonConcept.objects.filter(
                comparison_id=self.comparison_id, concept_id=self.correct_concept_id
            ).exists()
        ):
            raise ValidationError({"correct_concept": _("Choose one of this comparison's concepts.")})


class WrongChoiceNote(models.Model):
    """Why one wrong concept does not fit one scenario ("why not a coalition?"), shown to learners who chose it."""

    scenario = models.ForeignKey(
        Scenario, on_delete=models.CASCADE, related_name="wrong_notes", verbose_name=_("scenario")
    )
    concept = models.ForeignKey(
        Concept,
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name=_("wrong concept"),
        help_text=_("One of the comparison's concepts other than the correct one."),
    )
    text = models.TextField(
        _("why not"),
        max_length=600,
        help_text=_(
            "One to three plain sentences: what this concept would have needed, and the detail of the case "
            "that rules it out. Name the deciding row."
        ),
    )

    class Meta:
        ordering = ["scenario", "concept__name"]
        verbose_name = _("note on a wrong choice")
        verbose_name_plural = _("notes on wrong choices")
        constraints = [
            models.UniqueConstraint(fields=["scenario", "concept"], name="one_note_per_wrong_concept"),
        ]

    def __str__(self):
        return f"{self.scenario}: why not {self.concept}"

    def get_absolute_url(self):
        return self.scenario.get_absolute_url()

    def clean(self):
        scenario = self.scenario if self.scenario_id else None
        if scenario is None or not self.concept_id:
            return
        if self.concept_id == scenario.correct_concept_id:
            raise ValidationError({"concept": _("This is the correct concept: a note is for a wrong one.")})
        if not ComparisonConcept.objects.filter(
            comparison_id=scenario.comparison_id, concept_id=self.concept_id
        ).exists():
            raise ValidationError({"concept": _("Choose one of this comparison's concepts.")})


class Confidence(models.TextChoices):
    """How sure the learner said they were, before seeing the answer (optional)."""

    SURE = "sure", _("Sure")
    THINK_SO = "think", _("I think so")
    GUESSING = "guess", _("Guessing")


class ResponseQuerySet(models.QuerySet):
    def confidently_wrong(self):
        return self.filter(confidence=Confidence.SURE, is_correct=False)


class Response(models.Model):
    """One learner's response to one scenario, recorded anonymously for the statistics."""

    Confidence = Confidence

    round_id = models.UUIDField(_("round"), db_index=True)
    scenario = models.ForeignKey(
        Scenario, on_delete=models.CASCADE, related_name="responses", verbose_name=_("scenario")
    )
    chosen = models.ForeignKey(Concept, on_delete=models.CASCADE, related_name="+", verbose_name=_("chosen concept"))
    is_correct = models.BooleanField(_("correct"))
    answered_at = models.DateTimeField(_("answered"), default=timezone.now, db_index=True)
    # Set for a pupil of a teacher's class (explainer.classes): the response counts in the
    # statistics like any other, and goes with the pupil when the class is deleted.
    pupil = models.ForeignKey(
        "explainer.Pupil",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        editable=False,
        related_name="responses",
        verbose_name=_("pupil"),
    )
    confidence = models.CharField(
        _("confidence"),
        max_length=5,
        choices=Confidence.choices,
        blank=True,
        default="",
        help_text=_("How sure the learner said they were; empty when they did not say (and for older responses)."),
    )

    objects = ResponseQuerySet.as_manager()

    class Meta:
        ordering = ["-answered_at"]
        verbose_name = _("learner response")
        verbose_name_plural = _("learner responses")
        constraints = [
            # A round answered twice (a double click, a replayed POST) is counted once.
            models.UniqueConstraint(fields=["round_id", "scenario"], name="one_response_per_scenario_per_round"),
        ]

    def __str__(self):
        verdict = _("right") if self.is_correct else _("wrong")
        return f"{self.scenario}: {self.chosen} ({verdict})"

    def get_absolute_url(self):
        return self.scenario.get_absolute_url()


class ContentGeneration(models.Model):
    """A single row whose number goes up with every change to content; it keys the page cache."""

    number = models.PositiveBigIntegerField(default=0)

    class Meta:
        verbose_name = _("content generation")
        constraints = [models.CheckConstraint(condition=Q(id=1), name="content_generation_single_row")]

    def __str__(self):
        return f"content generation {self.number}"


class ComparisonVersion(models.Model):
    """A number per comparison that goes up with every change to what its pages show; it keys their cache.

    Raised by explainer.caching in the same transaction as the change: a save or
    delete of the comparison, its rows, cells, points, scenarios and concept
    links, of its concepts and their examples, of its category, and of a
    comparison it lists as related. The comparison id is a plain number, not a
    foreign key: the row outlives a deleted comparison, so that the count never
    starts again from the bottom under an id it used before.
    """

    comparison_id = models.PositiveBigIntegerField(_("comparison id"), primary_key=True)
    number = models.PositiveBigIntegerField(_("version"), default=0)

    class Meta:
        ordering = ["comparison_id"]
        verbose_name = _("comparison version")
        verbose_name_plural = _("comparison versions")

    def __str__(self):
        return f"comparison {self.comparison_id} version {self.number}"


class ReportQuerySet(models.QuerySet):
    def recent_from(self, visitor, since):
        return self.filter(visitor=visitor, created_at__gte=since)


class Report(models.Model):
    """A reader's "Report a problem" note about a comparison or a quiz scenario."""

    class Status(models.TextChoices):
        NEW = "new", _("New")
        FIXED = "fixed", _("Fixed")
        DISMISSED = "dismissed", _("Dismissed")

    comparison = models.ForeignKey(
        Comparison, on_delete=models.CASCADE, related_name="reports", verbose_name=_("comparison")
    )
    scenario = models.ForeignKey(
        Scenario,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="reports",
        verbose_name=_("quiz scenario"),
        help_text=_("Set when the report is about one quiz question."),
    )
    message = models.TextField(_("message"), max_length=1000)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.NEW)
    note = models.TextField(
        _("editor's note"), blank=True, help_text=_("What was done about it; readers never see this.")
    )
    visitor = models.CharField(
        _("visitor"),
        max_length=16,
        editable=False,
        help_text=_("A one-way hash of the address, for rate limiting only."),
    )
    created_at = models.DateTimeField(_("received"), default=timezone.now, db_index=True)

    objects = ReportQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("reader report")
        verbose_name_plural = _("reader reports")

    def __str__(self):
        return f"{self.comparison}: {self.message[:60]}"

    def get_absolute_url(self):
        """The reported page: the comparison, or its quiz for a scenario."""
        if self.scenario_id:
            return reverse("quiz", args=[self.comparison.slug])
        return self.comparison.get_absolute_url()


# The content editors write, parents before children. Responses and reports are
# records of what readers did, not content: they change no page.
CONTENT_MODELS = [
    Category,
    Concept,
    Comparison,
    ComparisonConcept,
    Attribute,
    Cell,
    Point,
    Example,
    Scenario,
    WrongChoiceNote,
]
# Teachers' classes live in their own package; importing them here registers them with the app.
from explainer.classes.models import Pupil, SchoolClass  # noqa: E402

RECORD_MODELS = [SchoolClass, Pupil, Response, Report]


# Revision history (django-reversion): every content change keeps a version, and
# a comparison's or concept's version includes the rows, cells, points and examples
# edited with it, so that reverting one brings back the whole table as it was.
reversion.register(Category)
reversion.register(Concept, follow=["examples"])
reversion.register(Example)
reversion.register(Comparison, follow=["comparisonconcept_set", "attributes", "points"])
reversion.register(ComparisonConcept)
reversion.register(Attribute, follow=["cells"])
reversion.register(Cell)
reversion.register(Point)
reversion.register(Similarity)
reversion.register(KeyDifference)
reversion.register(Scenario, follow=["wrong_notes"])
reversion.register(WrongChoiceNote)
