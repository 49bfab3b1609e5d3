"""The editors' workflow: the one-screen table, publishing rules, history, roles, login throttling."""

import uuid

import pytest
import reversion
from django.contrib.auth.models import Group
from django.test import Client
from django.urls import reverse
from reversion.models import Version

from explainer.admin.table import field_name, headline_name, table_state
from explainer.models import Cell, Comparison, Concept, Example, Response
from tests import admin_forms, factories

pytestmark = pytest.mark.django_db


def table_url(comparison):
    return reverse("admin:explainer_comparison_table", args=[comparison.pk])


def grid_data(comparison, change=lambda attribute, concept, text: text):
    data = {"state": table_state(comparison)}
    for row in comparison.table_rows():
        for concept, text in zip(comparison.ordered_concepts, row.cells, strict=True):
            data[field_name(row.attribute, concept)] = change(row.attribute, concept, text)
    return data


# The one-screen table


def test_the_table_screen_shows_every_cell_and_marks_empty_ones(admin_client, comparison):
    comparison.attributes.first().cells.first().delete()
    page = admin_client.get(table_url(comparison)).text
    for row in comparison.table_rows():
        for concept in comparison.ordered_concepts:
            assert f'name="{field_name(row.attribute, concept)}"' in page
    assert page.count('class="empty-mark"') == 1
    assert "1 cell is empty" in page


def test_one_submit_saves_every_cell_in_one_revision(admin_client, superuser, draft):
    data = grid_data(draft, lambda attribute, concept, text: f"New text for {attribute.name} / {concept.name}")
    response = admin_client.post(table_url(draft), data)
    assert response.status_code == 302
    cells = Cell.objects.filter(attribute__comparison=draft).select_related("attribute", "concept")
    assert cells.count() == 6
    assert all(cell.text == f"New text for {cell.attribute.name} / {cell.concept.name}" for cell in cells)
    versions = Version.objects.get_for_model(Cell)
    assert {v.revision_id for v in versions} and len({v.revision_id for v in versions}) == 1
    revision = versions.first().revision
    assert revision.user == superuser and "table" in revision.comment
    assert versions.count() == 6


def test_filling_an_empty_cell_creates_it_and_clearing_one_deletes_it(admin_client, draft):
    first_row = draft.attributes.first()
    missing = first_row.cells.first()
    concept = missing.concept
    missing.delete()
    cleared = draft.attributes.last().cells.first()

    def change(attribute, c, text):
        if attribute == first_row and c == concept:
            return "Filled at last."
        if attribute.pk == cleared.attribute_id and c.pk == cleared.concept_id:
            return "   "
        return text

    assert admin_client.post(table_url(draft), grid_data(draft, change)).status_code == 302
    assert Cell.objects.get(attribute=first_row, concept=concept).text == "Filled at last."
    assert not Cell.objects.filter(pk=cleared.pk).exists()


def test_a_concurrent_edit_is_refused_and_keeps_the_editors_text(admin_client, draft):
    data = grid_data(draft, lambda attribute, concept, text: "My careful rewrite.")
    other = Cell.objects.filter(attribute__comparison=draft).first()
    other.text = "Someone else's change."
    other.save()
    response = admin_client.post(table_url(draft), data)
    assert response.status_code == 409
    assert "Someone else changed this table" in response.text
    assert "My careful rewrite." in response.text  # the editor's work is on the page
    other.refresh_from_db()
    assert other.text == "Someone else's change."


def test_the_table_screen_edits_headlines_with_their_cells(admin_client, draft):
    data = grid_data(draft)
    for row in draft.table_rows():
        for concept in draft.ordered_concepts:
            data[headline_name(row.attribute, concept)] = f"Bold {concept.name}"
    assert admin_client.post(table_url(draft), data).status_code == 302
    cells = Cell.objects.filter(attribute__comparison=draft).select_related("concept")
    assert all(cell.headline == f"Bold {cell.concept.name}" for cell in cells)
    page = admin_client.get(table_url(draft)).text
    assert f'name="{headline_name(draft.attributes.first(), draft.ordered_concepts[0])}"' in page


def test_a_table_sent_without_headline_fields_keeps_the_headlines(admin_client, draft):
    Cell.objects.filter(attribute__comparison=draft).update(headline="Kept")
    data = grid_data(draft, lambda attribute, concept, text: text + " Changed.")  # no headline_* fields
    assert admin_client.post(table_url(draft), data).status_code == 302
    assert set(Cell.objects.filter(attribute__comparison=draft).values_list("headline", flat=True)) == {"Kept"}


def test_a_headline_without_its_sentence_is_refused_without_saving(admin_client, draft):
    row, concept = draft.attributes.first(), draft.ordered_concepts[0]
    data = grid_data(draft, lambda attribute, c, text: "" if (attribute, c) == (row, concept) else text)
    data[headline_name(row, concept)] = "Alone"
    response = admin_client.post(table_url(draft), data)
    assert response.status_code == 400
    assert "A headline needs its sentence" in response.text
    assert Cell.objects.filter(attribute=row, concept=concept).exists()


def test_a_too_long_cell_is_refused_without_saving(admin_client, draft):
    data = grid_data(draft, lambda attribute, concept, text: "x" * 501)
    response = admin_client.post(table_url(draft), data)
    assert response.status_code == 400
    assert not Cell.objects.filter(text="x" * 501).exists()


def test_the_table_screen_of_an_unknown_comparison_is_404(admin_client, db):
    assert admin_client.get(reverse("admin:explainer_comparison_table", args=[999999])).status_code == 404
    assert admin_client.get("/admin/explainer/comparison/abc/table/").status_code == 404


def test_an_editor_can_use_the_table_screen(editor_client, draft):
    data = grid_data(draft, lambda attribute, concept, text: text + " (edited)")
    assert editor_client.post(table_url(draft), data).status_code == 302
    assert Cell.objects.filter(text__endswith="(edited)").count() == 6


# Publishing rules


def change_form_data(client, comparison, **overrides):
    url = reverse("admin:explainer_comparison_change", args=[comparison.pk])
    return admin_forms.change_form_data(client, url, **overrides)


def test_publishing_an_incomplete_comparison_is_refused_with_the_reason(admin_client, draft):
    factories.complete(draft)
    empty = draft.attributes.first().cells.first()
    empty.delete()
    data = change_form_data(admin_client, draft, status="published")
    response = admin_client.post(reverse("admin:explainer_comparison_change", args=[draft.pk]), data, follow=True)
    assert response.status_code == 200
    draft.refresh_from_db()
    assert draft.status == Comparison.Status.DRAFT
    assert "cannot be published yet" in response.text
    assert f"The row “{empty.attribute.name}” has empty cells: {empty.concept.name}." in response.text


def test_publishing_is_refused_for_a_concept_without_definition(admin_client, draft):
    Concept.objects.filter(pk=draft.ordered_concepts[0].pk).update(definition="")
    data = change_form_data(admin_client, draft, status="published")
    response = admin_client.post(reverse("admin:explainer_comparison_change", args=[draft.pk]), data, follow=True)
    draft.refresh_from_db()
    assert draft.status == Comparison.Status.DRAFT
    assert "has no definition" in response.text


def test_a_refused_publication_keeps_the_other_edits(admin_client, draft):
    draft.attributes.first().cells.first().delete()
    data = change_form_data(admin_client, draft, status="published", lede="A better lede, kept.")
    admin_client.post(reverse("admin:explainer_comparison_change", args=[draft.pk]), data)
    draft.refresh_from_db()
    assert draft.lede == "A better lede, kept."
    assert draft.status == Comparison.Status.DRAFT


def test_a_complete_comparison_is_published_from_the_change_form(admin_client, draft):
    factories.complete(draft)
    data = change_form_data(admin_client, draft, status="published")
    response = admin_client.post(reverse("admin:explainer_comparison_change", args=[draft.pk]), data)
    assert response.status_code == 302
    draft.refresh_from_db()
    assert draft.status == Comparison.Status.PUBLISHED and draft.published_at is not None


def test_the_publish_action_publishes_complete_ones_and_names_what_blocks_the_others(admin_client, db):
    ready = factories.complete(factories.make_comparison(published=False))
    blocked = factories.make_comparison(concepts=1, published=False)
    response = admin_client.post(
        reverse("admin:explainer_comparison_changelist"),
        {"action": "publish", "_selected_action": [ready.pk, blocked.pk]},
        follow=True,
    )
    ready.refresh_from_db()
    blocked.refresh_from_db()
    assert ready.status == Comparison.Status.PUBLISHED
    assert blocked.status == Comparison.Status.DRAFT
    assert "needs at least two concepts" in response.text


def test_staff_preview_a_draft_exactly_as_readers_will_see_it(editor_client, draft):
    preview = editor_client.get(draft.get_absolute_url()).text
    draft.status = Comparison.Status.PUBLISHED
    draft.save()
    public = Client().get(draft.get_absolute_url()).text
    strip = lambda page: page[page.index("<h1") : page.index("</article>")]  # noqa: E731
    assert strip(preview) == strip(public)


# History


def test_an_admin_edit_keeps_a_revision_with_who_and_when(admin_client, superuser, draft):
    data = change_form_data(admin_client, draft, lede="Edited through the admin.")
    admin_client.post(reverse("admin:explainer_comparison_change", args=[draft.pk]), data)
    version = Version.objects.get_for_object(draft).first()
    assert version.revision.user == superuser
    assert version.revision.date_created is not None
    assert version.field_dict["lede"] == "Edited through the admin."


def test_revert_restores_the_exact_previous_content(db):
    comparison = factories.make_comparison()
    with reversion.create_revision():
        comparison.save()
        for attribute in comparison.attributes.all():
            attribute.save()
            for cell in attribute.cells.all():
                cell.save()
    before = sorted(Cell.objects.filter(attribute__comparison=comparison).values_list("pk", "text"))
    original_title = comparison.title
    with reversion.create_revision():
        comparison.title = "Vandalised"
        comparison.save()
        Cell.objects.filter(attribute__comparison=comparison).update(text="vandalised")
    Version.objects.get_for_object(comparison)[1].revision.revert(delete=True)
    comparison.refresh_from_db()
    assert comparison.title == original_title
    assert sorted(Cell.objects.filter(attribute__comparison=comparison).values_list("pk", "text")) == before


def test_a_deleted_example_can_be_recovered_exactly(db):
    concept = factories.make_concept()
    with reversion.create_revision():
        example = factories.make_example(concept, name="Warsaw Pact", start_year=1955, end_year=1991)
    fields = Example.objects.filter(pk=example.pk).values().get()
    example.delete()
    deleted = Version.objects.get_deleted(Example).get(object_id=str(fields["id"]))
    deleted.revert()
    assert Example.objects.filter(pk=fields["id"]).values().get() == fields


def test_history_compare_and_recover_pages_open(admin_client, draft):
    with reversion.create_revision():
        draft.save()
    with reversion.create_revision():
        draft.lede = "Second version."
        draft.save()
    versions = list(Version.objects.get_for_object(draft))
    base = reverse("admin:explainer_comparison_change", args=[draft.pk]).removesuffix("change/")
    assert admin_client.get(base + "history/").status_code == 200
    compare = admin_client.get(
        base + "history/compare/", {"version_id1": versions[1].pk, "version_id2": versions[0].pk}
    )
    assert compare.status_code == 200
    assert "<del>Lede of comparison" in compare.text and "<ins>Second version</ins>" in compare.text
    assert admin_client.get(reverse("admin:explainer_comparison_recoverlist")).status_code == 200


# Roles


@pytest.mark.parametrize(
    ("url", "status"),
    [
        ("admin:auth_user_changelist", 403),
        ("admin:auth_user_add", 403),
        ("admin:auth_group_changelist", 403),
        ("admin:explainer_comparison_changelist", 200),
        ("admin:explainer_scenario_changelist", 200),
        ("admin:explainer_response_changelist", 200),
        ("admin:explainer_report_changelist", 200),
        ("admin:explainer_concept_add", 200),
    ],
)
def test_what_the_editors_group_may_open(editor_client, url, status):
    assert editor_client.get(reverse(url)).status_code == status


def test_an_editor_cannot_change_recorded_answers(editor_client, db):
    scenario = factories.make_scenario(factories.make_comparison())
    response = Response.objects.create(
        round_id=uuid.uuid4(), scenario=scenario, chosen=scenario.correct_concept, is_correct=True
    )
    change = reverse("admin:explainer_response_change", args=[response.pk])
    delete = reverse("admin:explainer_response_delete", args=[response.pk])
    assert editor_client.get(reverse("admin:explainer_response_add")).status_code == 403
    assert editor_client.get(change).status_code == 200  # editors may read them
    assert editor_client.post(change, {"is_correct": "", "chosen": scenario.correct_concept.pk}).status_code == 403
    assert editor_client.post(delete, {"post": "yes"}).status_code == 403
    response.refresh_from_db()
    assert response.is_correct is True


def test_the_editors_group_holds_no_auth_permission(db):
    group = Group.objects.get(name="Editors")
    assert not group.permissions.filter(content_type__app_label="auth").exists()
    assert group.permissions.filter(codename="change_comparison").exists()


# Login throttling


def test_admin_login_is_locked_after_repeated_failures(db):
    factories.make_user(staff=True, username="target", password="the-right-password")
    client = Client()
    url = reverse("admin:login")
    for _ in range(4):
        response = client.post(url, {"username": "target", "password": "wrong"})
        assert response.status_code == 200  # the usual "please enter the correct username" form
    response = client.post(url, {"username": "target", "password": "wrong"})
    assert response.status_code == 429
    response = client.post(url, {"username": "target", "password": "the-right-password"})
    assert response.status_code == 429
    assert "Too many failed log-in attempts" in response.text


def test_a_correct_login_after_a_few_failures_works(db):
    factories.make_user(staff=True, username="careful", password="the-right-password")
    client = Client()
    url = reverse("admin:login")
    for _ in range(2):
        client.post(url, {"username": "careful", "password": "wrong"})
    response = client.post(url, {"username": "careful", "password": "the-right-password", "next": "/admin/"})
    assert response.status_code == 302


def test_an_editor_goes_from_nothing_to_a_published_comparison_inside_the_admin(editor_client, db):
    category = factories.make_category(name="Civics")
    treaty = factories.make_concept(name="Treaty", definition="A binding written agreement between states.")
    convention = factories.make_concept(name="Convention", definition="A treaty open to many states.")
    add = reverse("admin:explainer_comparison_add")
    data = {
        "title": "Treaty vs. Convention",
        "slug": "treaty-vs-convention",
        "category": category.pk,
        "status": "draft",
        "lede": "Every convention is a treaty; not every treaty is a convention.",
        "intro": "",
        "blur_note": "",
        "comparisonconcept_set-TOTAL_FORMS": 2,
        "comparisonconcept_set-INITIAL_FORMS": 0,
        "comparisonconcept_set-0-concept": treaty.pk,
        "comparisonconcept_set-0-position": 0,
        "comparisonconcept_set-1-concept": convention.pk,
        "comparisonconcept_set-1-position": 1,
        "attributes-TOTAL_FORMS": 1,
        "attributes-INITIAL_FORMS": 0,
        "attributes-0-position": 0,
        "attributes-0-name": "Parties",
        "attributes-0-slug": "parties",
        "attributes-0-question": "Who signs it?",
        "has_quiz": "",
        "points-TOTAL_FORMS": 0,
        "points-INITIAL_FORMS": 0,
        "points-2-TOTAL_FORMS": 0,
        "points-2-INITIAL_FORMS": 0,
    }
    assert editor_client.post(add, data).status_code == 302
    comparison = Comparison.objects.get(slug="treaty-vs-convention")
    assert comparison.status == Comparison.Status.DRAFT
    table = grid_data(comparison, lambda attribute, concept, text: f"{concept.name}: who signs")
    assert editor_client.post(table_url(comparison), table).status_code == 302
    for _ in range(3):
        factories.add_similarity(comparison)
        factories.add_difference(comparison, comparison.attributes.first())
    for number in range(4):
        factories.make_example(comparison.ordered_concepts[number % 2])
    publish = change_form_data(editor_client, comparison, status="published")
    assert (
        editor_client.post(reverse("admin:explainer_comparison_change", args=[comparison.pk]), publish).status_code
        == 302
    )
    comparison.refresh_from_db()
    assert comparison.status == Comparison.Status.PUBLISHED
    assert "Convention: who signs" in Client().get("/compare/treaty-vs-convention/").text


def test_an_over_long_username_is_refused_without_a_login_attempt(db):
    from axes.models import AccessAttempt

    response = Client().post(reverse("admin:login"), {"username": "x" * 5000, "password": "whatever"})
    assert response.status_code == 200
    assert "Ensure this value has at most 150 characters" in response.text
    assert not AccessAttempt.objects.exists()


def test_behind_the_proxy_a_lockout_keys_on_the_client_not_the_proxy(db, settings):
    settings.BEHIND_TLS_PROXY = True
    factories.make_user(staff=True, username="target", password="the-right-password")
    url = reverse("admin:login")
    # Every request arrives from the proxy (127.0.0.1), which appends the client's address.
    attacker = Client(REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR="203.0.113.9")
    for _ in range(5):
        attacker.post(url, {"username": "target", "password": "wrong"})
    assert attacker.post(url, {"username": "target", "password": "the-right-password"}).status_code == 429
    editor = Client(REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR="198.51.100.7")
    response = editor.post(url, {"username": "target", "password": "the-right-password", "next": "/admin/"})
    assert response.status_code == 302
