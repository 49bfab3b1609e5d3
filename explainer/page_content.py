"""What a comparison page shows, read from the database once per comparison version and kept in the process.

A comparison page needs seven queries and their model instances (the
comparison, its concepts and examples, rows, cells, points, related ones).
None of it changes unless the comparison's version changes (explainer.caching
raises it in the same transaction as every edit that shows on the page), and
the version is read anyway to key the page cache. So when the page cache
misses (another Host, a query string, an evicted entry, a cache that is down
or switched off), the page is still rendered, but from content already read.
After an edit, the first request in each worker reads the new version.

Contract: the objects handed out are shared between requests: read-only.
"""

from django.http import Http404

from explainer.caching import visible_version
from explainer.memo import Memo
from explainer.models import Comparison

memo = Memo(256, "page-content")


class ComparisonPage:
    """One version of a comparison, with everything its page shows."""

    def __init__(self, comparison):
        self.comparison = comparison
        self.concepts = comparison.ordered_concepts
        self.rows = comparison.table_rows()
        self.key_rows = comparison.key_rows(self.rows)
        self.related = comparison.published_related


def comparison_page(request, slug):
    """The ComparisonPage of the comparison at `slug` that `request.user` may see; Http404 otherwise."""
    pk, version = visible_version(request, slug)
    page = memo.get((pk, version)) if version is not None else None
    if page is None:
        comparison = Comparison.objects.with_table().filter(pk=pk).first()
        if comparison is None:  # deleted in the meantime
            raise Http404("No comparison at this address.")
        page = ComparisonPage(comparison)
        if version is not None:
            comparison.content_version = (pk, version)  # its page parts are kept per version ({% versioned %})
            memo.put((pk, version), page)
    return page
