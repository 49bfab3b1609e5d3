"""What the quiz steps read of a comparison, kept in the process per comparison version.

Every quiz step needs the comparison, its concepts and one scenario; the
feedback also needs the table. None of it changes unless the comparison's
version (explainer.caching, ComparisonVersion) changes: every edit to the
comparison, its rows, cells, scenarios, concepts or examples raises it in the
same transaction. So a step reads the version with one small query and takes
the rest from a per-process memo keyed by (comparison id, version); an edit
shows on the next step, in every worker, as the page cache does.

Contract: the objects handed out are shared by the requests that read the same
version: treat them as read-only (never set request-specific attributes on
them). Nothing about a learner is kept here; rounds are the learner's records.
"""

from django.db.models import prefetch_related_objects
from django.http import Http404

from explainer.caching import comparison_version
from explainer.memo import Memo
from explainer.models import Comparison, Scenario, sees_drafts, table_prefetch

memo = Memo(512)


class QuizContent:
    """One version of a comparison as the quiz reads it: the comparison (with concepts) and its scenarios."""

    def __init__(self, comparison):
        self.comparison = comparison
        prefetch_related_objects([comparison], table_prefetch())  # the table, for the feedback
        # All of them, published or not: feedback is shown for a scenario answered before it was withdrawn.
        scenarios = Scenario.objects.for_feedback().filter(comparison=comparison)
        self.scenarios = {scenario.pk: scenario for scenario in scenarios}

    def question(self, pk):
        """The published scenario `pk` of this comparison, or None."""
        scenario = self.scenarios.get(pk)
        return scenario if scenario is not None and scenario.is_published else None

    def feedback(self, pk):
        """Scenario `pk` with its correct concept and cues, or None (also when it belongs to another comparison)."""
        return self.scenarios.get(pk)


def quiz_content(request, slug):
    """The QuizContent of the comparison at `slug` that `request.user` may see; Http404 otherwise."""
    row = comparison_version(request, slug)
    if row is None:
        raise Http404("No comparison at this address.")
    pk, status, version = row
    if status != Comparison.Status.PUBLISHED and not sees_drafts(request.user):
        raise Http404("No comparison at this address.")
    content = content_of(pk, version)
    if content is None:  # deleted in the meantime
        raise Http404("No comparison at this address.")
    return content


def published_content(request, comparison):
    """The QuizContent of `comparison` as published, or None when it is not published (withdrawn, or a draft).

    For a class (explainer/classes/pupil_round.py): it plays the comparison as readers see it, whoever asks.
    """
    row = comparison_version(request, comparison.slug)
    if row is None or row[1] != Comparison.Status.PUBLISHED:
        return None
    return content_of(row[0], row[2])


def content_of(pk, version):
    """The QuizContent of comparison `pk` at `version` (kept per version), or None when it no longer exists."""
    key = (pk, version)
    content = memo.get(key) if version is not None else None
    if content is None:
        comparison = Comparison.objects.with_concepts().filter(pk=pk).first()
        if comparison is None:
            return None
        content = QuizContent(comparison)
        if version is not None:
            comparison.content_version = key  # its page parts are kept per version ({% versioned %})
            memo.put(key, content)
    return content
