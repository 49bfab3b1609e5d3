"""Sitemap and Atom feed of the published comparisons (Django's sitemaps and syndication frameworks).

With SITE_URL set, every address they give uses it, whatever Host the request came with.
"""

from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.sitemaps import GenericSitemap, Sitemap
from django.contrib.sitemaps.views import SitemapIndexItem
from django.contrib.syndication.views import Feed
from django.db.models import Exists, OuterRef
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed
from django.utils.translation import gettext_lazy as _

from explainer.models import Category, Comparison, ComparisonConcept, Concept


def absolute(path):
    """`path` on the canonical origin when SITE_URL is set; else as it is (the frameworks add the request's)."""
    return f"{settings.SITE_URL}{path}" if settings.SITE_URL else path


FEED_ENTRIES = 10  # the newest; a feed reader polls it, so it stays small however big the site grows
SITEMAP_PAGE_SIZE = 50  # addresses per sitemap page: each page renders fast however many pages the site has


class CanonicalSitemap(Sitemap):
    """A sitemap whose addresses use SITE_URL when it is set; long sections are split into pages (?p=2)."""

    limit = SITEMAP_PAGE_SIZE

    def get_protocol(self, protocol=None):
        return urlsplit(settings.SITE_URL).scheme if settings.SITE_URL else super().get_protocol(protocol)

    def get_domain(self, site=None):
        return urlsplit(settings.SITE_URL).netloc if settings.SITE_URL else super().get_domain(site)


class CanonicalGenericSitemap(CanonicalSitemap, GenericSitemap):
    pass


class PageSitemap(CanonicalSitemap):
    changefreq = "weekly"
    priority = 0.6

    def items(self):
        published = Comparison.objects.published().filter(category=OuterRef("pk"))
        return ["home", *Category.objects.filter(Exists(published)).only("slug").order_by("slug")]

    def location(self, item):
        return reverse("home") if item == "home" else item.get_absolute_url()


def sitemap_index(request):
    """/sitemap.xml: the index of the sections and their pages, each at SITE_URL when it is set.

    (Django's own index view takes the host from the request, which SITE_URL must override.)
    """
    origin = settings.SITE_URL or f"{request.scheme}://{request.get_host()}"
    items = []
    for section, site in SITEMAPS.items():
        site = site() if isinstance(site, type) else site
        location = origin + reverse("sitemap_section", kwargs={"section": section})
        items.append(SitemapIndexItem(location, None))
        items.extend(SitemapIndexItem(f"{location}?p={page}", None) for page in site.paginator.page_range[1:])
    return TemplateResponse(request, "sitemap_index.xml", {"sitemaps": items}, content_type="application/xml")


# Each section reads only what its addresses need (slug and date), and a concept's "in a published comparison"
# is a semi-join (EXISTS), not a join made DISTINCT: the count and each page stay cheap however large the site.
SITEMAPS = {
    "comparisons": CanonicalGenericSitemap(
        {
            "queryset": Comparison.objects.published().only("slug", "updated_at").order_by("slug"),
            "date_field": "updated_at",
        },
        priority=0.8,
        changefreq="monthly",
    ),
    "concepts": CanonicalGenericSitemap(
        {
            "queryset": Concept.objects.filter(
                Exists(
                    ComparisonConcept.objects.filter(
                        concept=OuterRef("pk"), comparison__status=Comparison.Status.PUBLISHED
                    )
                )
            )
            .only("slug", "updated_at")
            .order_by("slug"),
            "date_field": "updated_at",
        },
        priority=0.5,
        changefreq="monthly",
    ),
    "pages": PageSitemap,
}


class ComparisonFeed(Feed):
    feed_type = Atom1Feed
    title = _("Explainer: new and updated comparisons")
    subtitle = _("Side-by-side explanations of ideas that are easily confused.")

    def link(self):
        return absolute(reverse("home"))

    def feed_url(self):
        return absolute(reverse("feed"))

    def item_link(self, item):
        return absolute(item.get_absolute_url())

    def items(self):
        return Comparison.objects.published().select_related("category").order_by("-updated_at")[:FEED_ENTRIES]

    def item_title(self, item):
        return item.title

    def item_description(self, item):
        return item.lede

    def item_pubdate(self, item):
        return item.published_at

    def item_updateddate(self, item):
        # Rows published before Comparison.save kept the two in order can hold an older "updated".
        return max(item.updated_at, item.published_at or item.updated_at)

    def item_categories(self, item):
        return [item.category.name]
