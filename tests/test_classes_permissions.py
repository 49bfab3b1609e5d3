"""Who may open which of a class's pages: a matrix of roles and pages (explainer/classes/views.py)."""

import pytest
from django.urls import reverse

from tests import factories

pytestmark = pytest.mark.django_db

ROLES = ["anonymous", "reader", "staff", "owner", "other_teacher", "editor", "superuser"]

# page: (method, status for each role above). 302 for anonymous is the log-in page; 302 for
# close is the class page again; another teacher's class is 404, as if it did not exist.
MATRIX = {
    "class_list": ("get", [302, 403, 403, 200, 200, 200, 200]),
    "class_create": ("get", [302, 403, 403, 200, 200, 403, 200]),
    "class_detail": ("get", [302, 403, 403, 200, 404, 200, 200]),
    "class_csv": ("get", [302, 403, 403, 200, 404, 200, 200]),
    "class_projector": ("get", [302, 403, 403, 200, 404, 200, 200]),
    "class_joined": ("get", [302, 403, 403, 200, 404, 200, 200]),
    "teacher_time_zone": ("get", [302, 403, 403, 200, 200, 200, 200]),
    "class_worksheet": ("get", [302, 403, 403, 200, 404, 200, 200]),
    "class_key": ("get", [302, 403, 403, 200, 404, 200, 200]),
    "class_close": ("post", [302, 403, 403, 302, 404, 403, 302]),
    "class_delete": ("get", [302, 403, 403, 200, 404, 403, 200]),
}


def user_for(role, owner):
    if role == "owner":
        return owner
    return factories.make_role("teacher" if role == "other_teacher" else role)


def url_for(name, school_class):
    return reverse(name, args=[] if name in ("class_list", "class_create", "teacher_time_zone") else [school_class.pk])


CASES = [
    (name, role, method, statuses[i]) for name, (method, statuses) in MATRIX.items() for i, role in enumerate(ROLES)
]


@pytest.mark.parametrize(("name", "role", "method", "status"), CASES, ids=[f"{c[0]}-{c[1]}" for c in CASES])
def test_permission_matrix(client, teacher, name, role, method, status):
    school_class = factories.make_class(teacher=teacher)
    user = user_for(role, teacher)
    if user is not None:
        client.force_login(user)
    data = {"action": "close"} if method == "post" else None
    response = getattr(client, method)(url_for(name, school_class), data)
    assert response.status_code == status
    if role == "anonymous":
        assert response.url.startswith(reverse("admin:login"))


def test_a_teacher_lists_only_their_own_classes(client, teacher):
    own = factories.make_class(teacher=teacher, name="Own class")
    factories.make_class(name="Someone else's class")
    client.force_login(teacher)
    page = client.get(reverse("class_list")).text
    assert own.name in page and "Someone else" not in page


def test_an_editor_lists_every_class_with_its_teacher(client, teacher):
    factories.make_class(teacher=teacher, name="Own class")
    factories.make_class(name="Other class")
    editor = user_for("editor", teacher)
    client.force_login(editor)
    page = client.get(reverse("class_list")).text
    assert "Own class" in page and "Other class" in page and teacher.username in page


def test_an_editor_sees_results_but_no_close_or_delete_buttons(client, teacher):
    school_class = factories.make_class(teacher=teacher)
    client.force_login(user_for("editor", teacher))
    page = client.get(school_class.get_absolute_url()).text
    assert "Question by question" in page
    assert "Close the class now" not in page and "Delete the class" not in page


def test_another_teacher_cannot_delete_the_class(client, teacher):
    school_class = factories.make_class(teacher=teacher)
    client.force_login(factories.make_teacher())
    assert client.post(reverse("class_delete", args=[school_class.pk])).status_code == 404
    school_class.refresh_from_db()


def test_a_class_page_of_an_unknown_id_is_404(teacher_client):
    assert teacher_client.get(reverse("class_detail", args=[999999])).status_code == 404


def test_the_admin_index_leads_a_teacher_to_their_classes(teacher_client):
    page = teacher_client.get(reverse("admin:index")).text
    assert f'<a href="{reverse("class_list")}">Your classes' in page


def test_the_admin_index_shows_no_classes_link_without_the_permission(client):
    client.force_login(factories.make_user(staff=True))
    assert reverse("class_list") not in client.get(reverse("admin:index")).text
