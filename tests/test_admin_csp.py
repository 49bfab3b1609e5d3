"""The admin's history pages keep the site's Content-Security-Policy, and the site answers /favicon.ico."""

import re

import pytest
import reversion
from django.template.loader import render_to_string
from django.urls import reverse
from reversion.models import Version

pytestmark = pytest.mark.django_db

# What style-src 'self' blocks: an inline <style> element or a style="" attribute.
INLINE_STYLE = re.compile(r"<style[\s>]|\sstyle\s*=", re.IGNORECASE)


@pytest.fixture
def versions(draft):
    for lede in ("First version.", "Second version."):
        with reversion.create_revision():
            draft.lede = lede
            draft.save()
    return list(Version.objects.get_for_object(draft))


def history_base(comparison):
    return reverse("admin:explainer_comparison_change", args=[comparison.pk]).removesuffix("change/")


def test_history_and_compare_pages_have_no_inline_style(admin_client, draft, versions):
    history = admin_client.get(history_base(draft) + "history/")
    compare = admin_client.get(
        history_base(draft) + "history/compare/", {"version_id1": versions[1].pk, "version_id2": versions[0].pk}
    )
    assert history.status_code == compare.status_code == 200
    # The newest version's "compare from" radio is still there, hidden by a class instead.
    assert 'class="compare-placeholder"' in history.text
    for page in (history, compare):
        assert not INLINE_STYLE.search(page.text), INLINE_STYLE.search(page.text).group()
        assert "style-src 'self'" in page["Content-Security-Policy"]


def test_the_raw_compare_page_takes_its_styles_from_a_static_file(rf, superuser):
    # reversion-compare shows the raw diff when two versions cannot be compared field by field.
    request = rf.get("/")
    request.user = superuser
    html = render_to_string(
        "reversion-compare/compare_raw.html", {"app_label": "explainer", "opts": None}, request=request
    )
    assert "admin-extra/compare-raw.css" in html
    assert not INLINE_STYLE.search(html)


def test_the_admin_names_the_site_icon(admin_client):
    page = admin_client.get(reverse("admin:index"))
    assert 'rel="icon"' in page.text and "favicon.svg" in page.text


def test_favicon_ico_answers_with_an_icon_for_the_whole_site(client):
    response = client.get("/favicon.ico")
    assert response.status_code == 200
    assert response["Content-Type"] == "image/x-icon"
    assert response.content[:4] == b"\x00\x00\x01\x00"  # the ICO header: a real icon, not a page
    assert "max-age" in response["Cache-Control"]
