"""The one-screen table as editors see it: live is read-only with the banner, boxes are labelled and grow."""

import pytest
from django.urls import reverse

from tests import factories

pytestmark = pytest.mark.django_db


def table_url(comparison):
    return reverse("admin:explainer_comparison_table", args=[comparison.pk])


def test_a_live_table_is_read_only_with_the_live_banner(admin_client, comparison):
    text = admin_client.get(table_url(comparison)).content.decode()
    assert "This page is live: what you see here is read-only." in text
    assert "Edit a draft" in text and "Save the table" not in text
    assert text.count("disabled") >= 2 * len(comparison.ordered_concepts)


def test_a_draft_table_takes_typing_in_growing_boxes(admin_client, draft):
    text = admin_client.get(table_url(draft)).content.decode()
    assert "read-only" not in text and "Save the table" in text
    assert 'class="grows' in text or "grows" in text
    assert " disabled" not in text


def test_the_live_banner_sends_to_the_drafts_own_table(admin_client, comparison):
    from explainer import drafts

    draft = drafts.start(comparison, factories.make_user(staff=True))
    text = admin_client.get(table_url(comparison)).content.decode()
    assert f'href="{table_url(draft)}"' in text


# The editor's home


def test_the_home_lists_new_reports_oldest_first_each_linked_to_what_to_fix(admin_client, comparison):
    from explainer.models import Report

    scenario = factories.make_scenario(comparison)
    old = Report.objects.create(comparison=comparison, scenario=scenario, message="The answer is wrong.")
    Report.objects.filter(pk=old.pk).update(created_at=old.created_at.replace(year=2020))
    Report.objects.create(comparison=comparison, message="A typo in the lede.")
    Report.objects.create(comparison=comparison, message="Already done.", status=Report.Status.FIXED)
    text = admin_client.get(reverse("admin:index")).content.decode()
    assert "2 new reader reports" in text
    assert text.index("The answer is wrong.") < text.index("A typo in the lede.")
    quiz = reverse("admin:explainer_comparison_quiz", args=[comparison.pk])
    assert f'href="{quiz}#scenario-{scenario.slug}"' in text
    assert "Already done." not in text


def test_the_home_shows_own_and_others_drafts_and_quizzes_that_break_a_rule(client, comparison):
    import reversion

    from explainer import drafts

    me, other = factories.make_user(superuser=True), factories.make_user(superuser=True, username="ana")
    mine = drafts.start(comparison, me)
    with reversion.create_revision():
        reversion.set_user(other)
        theirs = factories.make_comparison(published=False, title="A new page by Ana")
    broken = factories.make_quiz_comparison(per_concept=1, title="Too short a quiz")
    client.force_login(me)
    text = client.get(reverse("admin:index")).content.decode()
    yours, others = text.index(">Yours<"), text.index(">Others")
    assert yours < text.index(mine.title) < others < text.index(theirs.title)
    assert "started by ana" in text
    assert f'href="{reverse("admin:explainer_comparison_quiz", args=[broken.pk])}">Too short a quiz</a>' in text


def test_the_home_opens_with_a_quiz_whose_cases_all_key_one_concept(admin_client):
    from explainer.models import Scenario

    lopsided = factories.make_quiz_comparison(per_concept=3, title="Every case keys one concept")
    first = lopsided.ordered_concepts[0]
    Scenario.objects.filter(comparison=lopsided).update(correct_concept=first)
    response = admin_client.get(reverse("admin:index"))
    assert response.status_code == 200
    assert "Every case keys one concept" in response.content.decode()  # listed: its quiz breaks a rule


def test_a_teacher_sees_no_editors_home(client):
    client.force_login(factories.make_teacher())
    assert "Waiting for you" not in client.get(reverse("admin:index")).content.decode()


# Preview: a new tab, with the way back to editing


def test_staff_see_an_edit_this_page_bar_that_never_reaches_readers(staff_client, comparison):
    from django.test import Client

    page = comparison.get_absolute_url()
    edit = reverse("admin:explainer_comparison_change", args=[comparison.pk])
    reader = Client()
    first = reader.get(page).content.decode()  # fills the shared page cache
    staff = staff_client.get(page)
    assert "Edit this page" in staff.content.decode() and f'href="{edit}"' in staff.content.decode()
    assert staff["Cache-Control"] == "private, no-cache"
    again = Client().get(page).content.decode()  # from the shared cache, after the staff visit
    assert "Edit this page" not in first and "Edit this page" not in again


def test_previews_open_in_a_new_tab(admin_client, draft):
    text = admin_client.get(reverse("admin:explainer_comparison_change", args=[draft.pk])).content.decode()
    assert f'href="{draft.get_absolute_url()}" target="_blank" rel="noopener"' in text


# The table screen: add, move and delete rows


def test_one_save_adds_moves_and_deletes_rows(admin_client, draft):
    from explainer.admin.table import delete_name, position_name, table_state
    from explainer.models import Attribute, Cell

    first, second, third = draft.attributes.all()
    data = {"state": table_state(draft)}
    data |= {position_name(first): "3", position_name(second): "1", position_name(third): "2"}
    data |= {delete_name(second): "on", "new_row": "Cost", "new_row_question": "Who pays?"}
    response = admin_client.post(table_url(draft), data)
    assert response.status_code == 302
    assert [a.name for a in draft.attributes.order_by("position")] == [third.name, first.name, "Cost"]
    assert not Attribute.objects.filter(pk=second.pk).exists()
    assert not Cell.objects.filter(attribute_id=second.pk).exists()
    assert draft.attributes.get(name="Cost").question == "Who pays?"


def test_a_new_row_named_like_an_existing_one_is_refused_with_the_typing_kept(admin_client, draft):
    from explainer.admin.table import table_state

    first = draft.attributes.first()
    response = admin_client.post(table_url(draft), {"state": table_state(draft), "new_row": first.name.upper()})
    assert response.status_code == 400
    assert "The table has a row of that name already." in response.content.decode()
    assert draft.attributes.count() == 3
