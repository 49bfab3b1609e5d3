"""The content rules (explainer.content_rules) applied to what is in the database.

Contract: `check(comparisons)` returns the findings for those comparisons,
including the rules that compare them with every other comparison sharing a
concept; `quality(comparison)` returns what the admin's "quiz quality" panel
shows. Reads only, in a fixed number of queries (prefetches), whatever the
number of comparisons read.
"""

from django.db.models import Prefetch, Q

from explainer import content_rules, freshness
from explainer.models import Attribute, Comparison, ComparisonConcept, Concept, Scenario
from explainer.quiz_findings import concept_data, scenario_data


def _data(comparison):
    cells = {(a.slug, cell.concept.slug): cell.text for a in comparison.attributes.all() for cell in a.cells.all()}
    points = [(point.kind, point.title, point.text) for point in comparison.points.all()]
    meta = {
        "lede": comparison.lede,
        "one_line_test": comparison.one_line_test,
        "intro": comparison.intro,
        "blur_note": comparison.blur_note,
    }
    return content_rules.ComparisonData(
        slug=comparison.slug,
        concepts=concept_data(comparison),
        rows={a.slug: a.name for a in comparison.attributes.all()},
        cells=cells,
        headlines={
            (a.slug, cell.concept.slug): cell.headline
            for a in comparison.attributes.all()
            for cell in a.cells.all()
            if cell.headline
        },
        scenarios=[scenario_data(s) for s in comparison.scenarios.all()],
        examples=[
            content_rules.ExampleData(e.slug, e.name, c.slug, e.source_url, e.summary)
            for c in comparison.ordered_concepts
            for e in c.examples.all()
        ],
        texts=content_rules.page_texts(meta, cells, points),
        sources=freshness.parse_sources(comparison.sources),
    )


CHUNK = 100  # comparisons read at a time


def _queryset():
    return Comparison.objects.prefetch_related(
        Prefetch(
            "comparisonconcept_set",
            queryset=ComparisonConcept.objects.select_related("concept").prefetch_related("concept__examples"),
        ),
        Prefetch("attributes", queryset=Attribute.objects.prefetch_related("cells__concept")),
        "points",
        Prefetch(
            "scenarios",
            queryset=Scenario.objects.published()
            .select_related("correct_concept")
            .prefetch_related("cues", "wrong_notes__concept"),
        ),
    )


def check(comparisons=None, today=None):
    """Findings for `comparisons` (all by default), checked against every comparison that shares a concept.

    Returns (findings, the ComparisonData read); the findings include warnings
    (`Finding.warning`, claims past their review date), which fail nothing. Comparisons sharing no concept
    with the ones asked about cannot change their findings, so they are not read.
    """
    queryset = _queryset()
    wanted = None
    if comparisons is None:
        # Drafts of live pages are checked when published (and on their own admin page), not site-wide:
        # a copy would otherwise be reported beside its original.
        queryset = queryset.filter(draft_of__isnull=True)
    else:
        wanted = {c.slug for c in comparisons}
        shared = Concept.objects.filter(comparisons__slug__in=wanted)
        queryset = queryset.filter(Q(slug__in=wanted) | Q(concepts__in=shared)).distinct()
    # Read in chunks: one prefetch over a thousand comparisons' scenarios is an SQL expression SQLite refuses.
    pks = list(queryset.values_list("pk", flat=True))
    order = {pk: index for index, pk in enumerate(pks)}
    comparisons = []
    for start in range(0, len(pks), CHUNK):
        comparisons.extend(_queryset().filter(pk__in=pks[start : start + CHUNK]))
    everything = [_data(c) for c in sorted(comparisons, key=lambda c: order[c.pk])]
    findings = content_rules.check_all(everything, today)
    return [f for f in findings if wanted is None or f.comparison in wanted], everything


def quality(comparison, today=None):
    """The admin panel's figures.

    Findings (warnings apart), scenario count, against-type share, the give-away
    words, the items that retell a page case, the word-counting classifier's
    accuracy with the items it keys most surely, and the dated sources.
    """
    found, everything = check([comparison], today)
    findings = content_rules.errors(found)
    data = next(d for d in everything if d.slug == comparison.slug)
    result = content_rules.classifier(data)
    return {
        "findings": findings,
        "warnings": content_rules.warnings(found),
        "quiz_findings": [f for f in findings if f.rule in QUIZ_RULES],
        "scenarios": len(data.scenarios),
        "against_type": content_rules.against_type_share(data),
        "words": content_rules.predictive_words(data, limit=5),
        "limit": content_rules.giveaway_limit(data),
        "retold": content_rules.retellings(data),
        "retold_allowed": content_rules.transfer_allowance(data),
        "classifier": result,
        "classifier_surest": result.confident[:5] if result else [],
        "classifier_limit": content_rules.CLASSIFIER_MARGIN,
        "dated_sources": [s for s in data.sources if s.review_by],
    }


def scenario_findings(scenario):
    """The findings that name one scenario (for the warning shown when it is saved)."""
    findings, _ = check([scenario.comparison])
    return [f for f in findings if f.item == scenario.slug]


# The rules about the quiz as a whole; publishing with any of them broken asks for a confirmation.
QUIZ_RULES = {
    "giveaway-word",
    "against-type",
    "size",
    "names-concept",
    "quotes-definition",
    "cues",
    "wrong-choices",
    "transfer",
    "classifier",
    "key-in-sources",
}
