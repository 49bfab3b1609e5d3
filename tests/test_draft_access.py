"""Who may see drafts: the view permission on comparisons, not staff status (teachers are staff to log in).

A matrix of roles and a draft's public addresses: its page, its concept
copies, its quiz, worksheet and answer key, its report form.
"""

import pytest
from django.contrib.auth.models import Permission
from django.urls import reverse

from explainer import drafts
from tests import factories

pytestmark = pytest.mark.django_db

ROLES = ["anonymous", "teacher", "staff", "editor", "superuser"]
SEES_DRAFTS = {"editor", "superuser"}
PAGES = ["comparison", "concept_copy", "quiz", "worksheet", "worksheet_key", "report"]


def page_url(page, draft):
    slug = draft.slug
    if page == "comparison":
        return draft.get_absolute_url()
    if page == "concept_copy":
        return reverse("concept_detail", args=[draft.ordered_concepts[0].slug])
    if page == "quiz":
        return reverse("quiz", args=[slug])
    if page == "report":
        return reverse("report", args=[slug])
    return reverse(page, args=[slug]) + "?sheet=7"


@pytest.fixture
def draft(db):
    live = factories.complete(factories.make_comparison(), quiz=True)
    return drafts.start(live, factories.make_user(superuser=True))


@pytest.mark.parametrize("page", PAGES)
@pytest.mark.parametrize("role", ROLES)
def test_a_draft_is_404_to_everyone_without_the_view_permission(client, draft, role, page):
    user = factories.make_role(role)
    if user is not None:
        client.force_login(user)
    response = client.get(page_url(page, draft))
    if role in SEES_DRAFTS:
        assert response.status_code == 200
        assert draft.title in response.text
    else:
        assert response.status_code == 404
        assert draft.title not in response.text


def test_a_teacher_given_the_view_permission_sees_drafts(client, draft):
    teacher = factories.make_teacher()
    teacher.user_permissions.add(Permission.objects.get(codename="view_comparison"))
    client.force_login(teacher)
    assert client.get(draft.get_absolute_url()).status_code == 200
