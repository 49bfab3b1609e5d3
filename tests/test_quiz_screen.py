"""A quiz in an hour: the one-screen quiz editor, spreadsheet import and export, and the rules page."""

import csv
import io

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from reversion.models import Revision

from explainer.admin.quiz_screen import note_name
from explainer.models import Response, Scenario
from tests import admin_forms, factories

pytestmark = pytest.mark.django_db


def quiz_url(comparison, **query):
    url = reverse("admin:explainer_comparison_quiz", args=[comparison.pk])
    return url + ("?" + "&".join(f"{k}={v}" for k, v in query.items()) if query else "")


def import_url(comparison):
    return reverse("admin:explainer_comparison_quiz_import", args=[comparison.pk])


def export_url(comparison, fmt):
    return reverse("admin:explainer_comparison_quiz_export", args=[comparison.pk]) + f"?format={fmt}"


def screen_data(client, url):
    """What the quiz screen at `url` would send unchanged, form by form, as a browser does."""
    response = client.get(url)
    assert response.status_code == 200
    return sent_from(response)


def sent_from(response):
    """What the browser sends from the quiz screen on `response` (opened, or shown again after a refusal)."""
    formset = response.context["formset"]
    data = {"state": response.context["state"], "_save": "Save"}
    admin_forms._add_form(data, formset.management_form)
    for form in formset.forms:
        admin_forms._add_form(data, form)
        for name in form.fields:
            if data.get(form.add_prefix(name)) == "" and name == "cues":
                del data[form.add_prefix(name)]  # no box ticked: a browser sends nothing
    return data, formset


@pytest.fixture
def quiz(db):
    """A draft comparison with two concepts, three rows and two scenarios, one keyed to each concept."""
    comparison = factories.make_comparison(published=False)
    first, second = comparison.ordered_concepts
    rows = list(comparison.attributes.all())
    factories.make_scenario(
        comparison, correct_concept=first, cues=[rows[0]], text="A group meets weekly for years.", position=1
    )
    factories.make_scenario(
        comparison, correct_concept=second, cues=[rows[1]], text="Two towns share a ferry for a summer.", position=2
    )
    return comparison


def test_the_screen_shows_every_scenario_with_the_rules_it_breaks(admin_client, quiz):
    first = quiz.ordered_concepts[0]
    Scenario.objects.filter(comparison=quiz, position=1).update(text=f"It is plainly a {first.name} here.")
    page = admin_client.get(quiz_url(quiz))
    assert page.status_code == 200
    text = page.content.decode()
    assert f"It is plainly a {first.name} here." in text and "Two towns share a ferry" in text
    assert "[names-concept]" in text  # beside the scenario that names its concept
    assert "[size]" in text  # the quiz as a whole: two scenarios of thirty
    rows = page.context["rows"]
    assert [r.findings[0].rule for _, r in rows if r.findings][:1] == ["names-concept"]
    # The rules link to their explanation in the admin itself.
    assert reverse("admin:explainer_quiz_rules") + "#rule-names-concept" in text


def test_one_save_adds_edits_reorders_and_deletes_in_one_revision(admin_client, quiz):
    first, second = quiz.ordered_concepts
    rows = list(quiz.attributes.all())
    data, formset = screen_data(admin_client, quiz_url(quiz, extra=2))
    old_first, old_second = (f.instance for f in formset.forms[:2])
    # Edit the first, and move it below the new one.
    data["form-0-text"] = "A group meets every week for ten years."
    data["form-0-ORDER"] = "3"
    # Delete the second.
    data["form-1-DELETE"] = "on"
    # A new one, with cues and a note on the wrong choice.
    data |= {
        "form-2-text": "Neighbours pool money for one storm season.",
        "form-2-correct_concept": str(second.pk),
        "form-2-explanation": f"Short and for one aim ({rows[2].name}).",
        "form-2-cues": [str(rows[2].pk)],
        "form-2-difficulty": "hard",
        "form-2-against_type": "on",
        "form-2-ORDER": "1",
        f"form-2-{note_name(first)}": "It does not last.",
    }
    revisions = Revision.objects.count()
    response = admin_client.post(quiz_url(quiz, extra=2), data)
    assert response.status_code == 302, response.context and response.context["formset"].errors
    scenarios = list(quiz.scenarios.order_by("position"))
    assert [s.text for s in scenarios] == [
        "Neighbours pool money for one storm season.",
        "A group meets every week for ten years.",
    ]
    new = scenarios[0]
    assert new.slug and new.against_type and new.difficulty == "hard" and new.correct_concept == second
    assert list(new.cues.all()) == [rows[2]]
    assert [(n.concept, n.text) for n in new.wrong_notes.all()] == [(first, "It does not last.")]
    assert not Scenario.objects.filter(pk=old_second.pk).exists()
    assert scenarios[1].pk == old_first.pk
    assert Revision.objects.count() == revisions + 1


def test_check_runs_the_rules_on_the_typing_and_saves_nothing(admin_client, quiz):
    second = quiz.ordered_concepts[1]
    data, _ = screen_data(admin_client, quiz_url(quiz))
    data.pop("_save")
    data["_check"] = "Check"
    data["form-0-text"] = f"The {second.name} of the towns."
    response = admin_client.post(quiz_url(quiz), data)
    assert response.status_code == 200
    assert "[names-concept]" in response.content.decode()
    assert f"The {second.name} of the towns." in response.content.decode()  # the typing is still there
    assert not Scenario.objects.filter(text__contains=second.name).exists()


def texts(comparison):
    return list(comparison.scenarios.order_by("position", "pk").values_list("text", flat=True))


def ana_then_ben(ana, ben, quiz, anas, bens, **query):
    """Ana and Ben both open the quiz screen; Ana saves her changes `anas`, then Ben his `bens` from his older
    copy. Returns the response to Ben's save."""
    url = quiz_url(quiz, **query)
    ana_sends, ben_sends = screen_data(ana, url)[0], screen_data(ben, url)[0]
    assert ana.post(url, ana_sends | anas).status_code == 302
    return ben.post(url, ben_sends | bens)


def save_again(client, quiz, response):
    """Send the form shown again on `response` as it is (the editor keeps what the boxes hold)."""
    return client.post(quiz_url(quiz), sent_from(response)[0])


def test_two_editors_changing_different_scenarios_and_fields_both_have_their_changes_saved(ana, ben, quiz):
    first, second = quiz.ordered_concepts
    anas = {"form-0-text": "Ana's text, saved first.", "form-1-ORDER": "1"}
    bens = {"form-0-difficulty": "hard", "form-1-explanation": "Ben's explanation (from an older copy)."}

    response = ana_then_ben(ana, ben, quiz, anas, bens)

    assert response.status_code == 302
    ferry, group = quiz.scenarios.order_by("position")  # Ana's move is kept: Ben did not move anything
    assert group.text == "Ana's text, saved first." and group.difficulty == "hard"
    assert ferry.explanation == "Ben's explanation (from an older copy)."
    assert ferry.correct_concept == second and group.correct_concept == first
    assert "their change was kept with yours" in ben.get(quiz_url(quiz)).text


def test_cues_and_notes_on_wrong_choices_merge_as_fields(ana, ben, quiz):
    second = quiz.ordered_concepts[1]
    rows = list(quiz.attributes.all())
    anas = {f"form-0-{note_name(second)}": "Ana: it lasts too long."}

    response = ana_then_ben(ana, ben, quiz, anas, {"form-0-cues": [str(rows[0].pk), str(rows[2].pk)]})

    assert response.status_code == 302
    group = quiz.scenarios.get(position=1)
    assert sorted(c.pk for c in group.cues.all()) == [rows[0].pk, rows[2].pk]
    assert [(n.concept, n.text) for n in group.wrong_notes.all()] == [(second, "Ana: it lasts too long.")]


def test_the_same_field_changed_by_both_is_refused_with_both_values_shown_and_nothing_lost(ana, ben, quiz):
    bens = {"form-0-text": "Text by Ben.", "form-1-text": "Another text by Ben, untouched by Ana."}

    response = ana_then_ben(ana, ben, quiz, {"form-0-text": "Text by Ana."}, bens)

    assert response.status_code == 409
    page = response.content.decode()
    assert "Someone else changed this quiz while you were editing it" in page
    assert "Ana changed this at" in page and "Theirs: “Text by Ana.”" in page  # theirs beside Ben's own
    assert response.context["formset"].forms[0]["text"].value() == "Text by Ben."  # Ben's, still in the box
    assert "Another text by Ben, untouched by Ana." in page
    assert texts(quiz) == ["Text by Ana.", "Two towns share a ferry for a summer."]  # nothing of Ben's saved yet
    assert save_again(ben, quiz, response).status_code == 302  # Ben keeps his: saving again stores it
    assert texts(quiz) == ["Text by Ben.", "Another text by Ben, untouched by Ana."]


def test_a_scenario_the_other_editor_deleted_stays_deleted_when_this_editor_did_not_change_it(ana, ben, quiz):
    response = ana_then_ben(ana, ben, quiz, {"form-1-DELETE": "on"}, {"form-0-text": "Text by Ben."})

    assert response.status_code == 302
    assert texts(quiz) == ["Text by Ben."]


def test_changing_a_scenario_the_other_editor_deleted_is_a_conflict_that_keeps_the_typing(ana, ben, quiz):
    response = ana_then_ben(ana, ben, quiz, {"form-1-DELETE": "on"}, {"form-1-text": "Ben's rewrite of the ferry."})

    assert response.status_code == 409
    assert "Someone else deleted this scenario while you were editing it" in response.content.decode()
    assert response.context["formset"].forms[1]["text"].value() == "Ben's rewrite of the ferry."
    assert texts(quiz) == ["A group meets weekly for years."]
    assert save_again(ben, quiz, response).status_code == 302  # it is added back, as a new scenario
    assert texts(quiz) == ["A group meets weekly for years.", "Ben's rewrite of the ferry."]


def test_deleting_a_scenario_the_other_editor_changed_is_asked_first_with_their_change_shown(ana, ben, quiz):
    response = ana_then_ben(ana, ben, quiz, {"form-1-text": "Ana's better ferry."}, {"form-1-DELETE": "on"})

    assert response.status_code == 409
    assert "Untick “Delete” to keep it, or save again to delete it." in response.content.decode()
    assert response.context["formset"].forms[1]["text"].value() == "Ana's better ferry."
    assert texts(quiz) == ["A group meets weekly for years.", "Ana's better ferry."]
    assert save_again(ben, quiz, response).status_code == 302
    assert texts(quiz) == ["A group meets weekly for years."]


def test_scenarios_added_by_both_editors_are_all_kept(ana, ben, quiz):
    first = quiz.ordered_concepts[0]
    rows = list(quiz.attributes.all())
    new = {
        "form-2-correct_concept": str(first.pk),
        "form-2-explanation": f"It lasts ({rows[0].name}).",
        "form-2-cues": [str(rows[0].pk)],
    }

    anas, bens = new | {"form-2-text": "Ana's new scenario."}, new | {"form-2-text": "Ben's new scenario."}

    response = ana_then_ben(ana, ben, quiz, anas, bens, extra=1)

    assert response.status_code == 302
    assert texts(quiz)[2:] == ["Ana's new scenario.", "Ben's new scenario."]
    assert len(texts(quiz)) == 4  # the two scenarios of the quiz, then both new ones


def test_a_moved_row_goes_to_the_number_typed_and_a_row_added_meanwhile_keeps_its_place(ana, ben, quiz):
    factories.make_scenario(quiz, text="A third case.", position=3)
    bens, _ = screen_data(ben, quiz_url(quiz))
    factories.make_scenario(quiz, text="Added by Ana meanwhile.", position=4)

    bens |= {"form-0-ORDER": "3", "form-2-ORDER": "1"}  # the first down to third, the third up to first
    assert ben.post(quiz_url(quiz), bens).status_code == 302

    assert texts(quiz) == [
        "A third case.",
        "Two towns share a ferry for a summer.",
        "A group meets weekly for years.",
        "Added by Ana meanwhile.",
    ]


def test_another_editor_on_the_quiz_screen_is_named(ana, ben, quiz):
    ana.get(quiz_url(quiz))

    assert "Ana is editing this since" in ben.get(quiz_url(quiz)).text


def test_a_note_on_the_keyed_concept_is_an_error_and_nothing_is_saved(admin_client, quiz):
    data, formset = screen_data(admin_client, quiz_url(quiz))
    keyed = formset.forms[0].instance.correct_concept
    data[f"form-0-{note_name(keyed)}"] = "Why not the right one?"
    data["form-0-text"] = "Changed text."
    response = admin_client.post(quiz_url(quiz), data)
    assert response.status_code == 400
    assert "is the keyed concept: a note is for a wrong one" in response.content.decode()
    assert not Scenario.objects.filter(text="Changed text.").exists()


def test_an_answered_scenario_is_withdrawn_not_deleted(admin_client, quiz):
    data, formset = screen_data(admin_client, quiz_url(quiz))
    scenario = formset.forms[0].instance
    Response.objects.create(
        round_id="00000000-0000-0000-0000-000000000001",
        scenario=scenario,
        chosen=scenario.correct_concept,
        is_correct=True,
    )
    data["form-0-DELETE"] = "on"
    response = admin_client.post(quiz_url(quiz), data)
    assert response.status_code == 400
    assert "Untick “published” instead" in response.content.decode()
    assert Scenario.objects.filter(pk=scenario.pk).exists()


def test_a_live_quiz_is_read_only_with_the_live_banner(admin_client):
    live = factories.make_quiz_comparison(per_concept=1)
    page = admin_client.get(quiz_url(live))
    text = page.content.decode()
    assert page.status_code == 200
    assert "This page is live: what you see here is read-only." in text
    assert "Save the quiz" not in text and "Edit a draft" in text
    assert " disabled" in text  # the boxes show the text but take no typing
    data, _ = screen_data(admin_client, quiz_url(live))
    assert admin_client.post(quiz_url(live), data).status_code == 403
    assert admin_client.post(import_url(live), {"file": SimpleUploadedFile("q.csv", b"text\n")}).status_code == 403


def test_an_unknown_comparison_is_a_404_and_a_reader_is_sent_to_log_in(admin_client, quiz):
    assert admin_client.get(reverse("admin:explainer_comparison_quiz", args=["999999"])).status_code == 404
    assert admin_client.get(reverse("admin:explainer_comparison_quiz", args=["nope"])).status_code == 404
    assert Client().get(quiz_url(quiz)).status_code == 302


# Spreadsheets


def csv_file(rows, name="quiz.csv"):
    out = io.StringIO()
    writer = csv.writer(out)
    for row in rows:
        writer.writerow(row)
    return SimpleUploadedFile(name, out.getvalue().encode(), content_type="text/csv")


def xlsx_file(rows, name="quiz.xlsx"):
    book = openpyxl.Workbook()
    sheet = book.active
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return SimpleUploadedFile(name, out.getvalue())


def header(comparison):
    return [
        "id",
        "position",
        "text",
        "keyed concept",
        "against type",
        "difficulty",
        "cues",
        "explanation",
        "common mistake",
        "published",
        *[f"why not {c.name}" for c in comparison.ordered_concepts],
    ]


def test_import_previews_every_row_with_its_findings_and_saves_nothing_until_confirmed(admin_client, quiz):
    first, second = quiz.ordered_concepts
    row = quiz.attributes.first()
    rows = [
        header(quiz),
        [
            "",
            "3",
            "Ships sail together for one war.",
            second.name,
            "no",
            "easy",
            row.name,
            f"One aim ({row.name}).",
            "",
            "yes",
            "It ends.",
            "",
        ],
        [
            "",
            "4",
            f"Clearly a {first.name}.",
            first.name,
            "yes",
            "medium",
            row.name,
            f"Lasts ({row.name}).",
            "",
            "yes",
            "",
            "No end.",
        ],
    ]
    before = Scenario.objects.count()
    preview = admin_client.post(import_url(quiz), {"file": csv_file(rows)})
    assert preview.status_code == 200
    text = preview.content.decode()
    assert "nothing is saved yet" in text and "Import these rows" in text
    report = preview.context["report"]
    assert [r.kind for r in report.rows] == ["new", "new"]
    assert [f.rule for f in report.rows[1].findings] == ["names-concept"]  # row 3 names its concept
    assert report.rows[1].number == 3
    assert Scenario.objects.count() == before  # the preview was rolled back

    confirm = admin_client.post(
        import_url(quiz),
        {"content": preview.context["content"], "name": "quiz.csv", "state": preview.context["state"]},
    )
    assert confirm.status_code == 302
    assert Scenario.objects.count() == before + 2
    imported = quiz.scenarios.get(text="Ships sail together for one war.")
    assert imported.correct_concept == second and list(imported.cues.all()) == [row]
    assert [(n.concept, n.text) for n in imported.wrong_notes.all()] == [(first, "It ends.")]


def test_an_xlsx_with_errors_saves_nothing_and_names_each_row_and_column(admin_client, quiz):
    first, _ = quiz.ordered_concepts
    row = quiz.attributes.first()
    other = Scenario.objects.exclude(comparison=quiz).first() or factories.make_scenario(factories.make_comparison())
    rows = [
        header(quiz),
        ["", "", "A good row.", first.name, "no", "easy", row.name, f"Fine ({row.name}).", "", "yes", "", "x"],
        ["", "", "Bad concept.", "Nonsense", "perhaps", "very hard", "No such row", "", "", "yes", "", ""],
        [str(other.pk), "", "Someone else's scenario.", first.name, "no", "easy", "", "Expl.", "", "yes", "", ""],
    ]
    before = list(Scenario.objects.values_list("pk", "text"))
    preview = admin_client.post(import_url(quiz), {"file": xlsx_file(rows)})
    assert preview.status_code == 400
    text = preview.content.decode()
    assert "Import these rows" not in text
    errors = {r.number: {column for column, _ in r.errors} for r in preview.context["report"].rows}
    assert errors[2] == set()
    assert errors[3] == {"keyed concept", "against type", "difficulty", "cues", "explanation"}
    assert errors[4] == {"id"}
    assert "Row 3, column “keyed concept”:" in text, [r.errors for r in preview.context["report"].rows]
    # Sending the file back anyway (a forged confirmation) saves nothing either.
    confirm = admin_client.post(
        import_url(quiz),
        {"content": preview.context["content"], "name": "quiz.xlsx", "state": preview.context["state"]},
    )
    assert confirm.status_code == 400
    assert list(Scenario.objects.values_list("pk", "text")) == before


def test_an_export_imports_back_unchanged(admin_client, quiz):
    for fmt in ("csv", "xlsx"):
        exported = admin_client.get(export_url(quiz, fmt))
        assert exported.status_code == 200
        assert exported["Content-Disposition"].endswith(f'-quiz.{fmt}"')
        before = list(quiz.scenarios.values_list("pk", "text", "correct_concept", "position").order_by("pk"))
        upload = SimpleUploadedFile(f"quiz.{fmt}", exported.content)
        preview = admin_client.post(import_url(quiz), {"file": upload})
        assert preview.status_code == 200, [r.errors for r in preview.context["report"].rows]
        assert [r.kind for r in preview.context["report"].rows] == ["update", "update"]
        confirm = admin_client.post(
            import_url(quiz),
            {"content": preview.context["content"], "name": f"quiz.{fmt}", "state": preview.context["state"]},
        )
        assert confirm.status_code == 302
        assert list(quiz.scenarios.values_list("pk", "text", "correct_concept", "position").order_by("pk")) == before


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("quiz.txt", b"text\n"),
        ("quiz.xlsx", b"not a zip file"),
        ("quiz.csv", b"\xff\xfe\x00bad"),
        ("quiz.csv", b"a,b\n1,2\n"),
    ],
)
def test_an_unreadable_file_is_a_clear_400(admin_client, quiz, name, content):
    response = admin_client.post(import_url(quiz), {"file": SimpleUploadedFile(name, content)})
    assert response.status_code == 400
    assert response.context["form"].errors


def test_a_damaged_confirmation_is_a_400(admin_client, quiz):
    response = admin_client.post(import_url(quiz), {"content": "!!!", "name": "quiz.csv", "state": "x"})
    assert response.status_code == 400


def test_the_rules_page_explains_every_rule_the_checks_use(admin_client):
    from explainer.content_checks import QUIZ_RULES

    page = admin_client.get(reverse("admin:explainer_quiz_rules"))
    assert page.status_code == 200
    for rule in QUIZ_RULES:
        assert f'id="rule-{rule}"' in page.content.decode()
    assert "docs/quiz.md" not in page.content.decode()


# The quality panel on the comparison's page


def change_page(client, comparison):
    return client.get(reverse("admin:explainer_comparison_change", args=[comparison.pk])).content.decode()


def test_the_panel_says_no_scenarios_yet_rather_than_no_problems(admin_client):
    empty = factories.make_comparison(published=False)
    text = change_page(admin_client, empty)
    assert "No scenarios yet: nothing to check." in text
    assert "No problems found" not in text
    assert "docs/quiz.md" not in text
    assert reverse("admin:explainer_quiz_rules") in text


def test_the_panel_links_each_finding_to_its_scenario_and_lists_the_scenarios_holding_a_giveaway(admin_client, quiz):
    first = quiz.ordered_concepts[0]
    named = quiz.scenarios.get(position=1)
    named.text = f"Plainly a {first.name}, ferry or not."
    named.save()
    text = change_page(admin_client, quiz)
    screen = reverse("admin:explainer_comparison_quiz", args=[quiz.pk])
    assert f'<a href="{screen}#scenario-{named.slug}">{named.slug}</a>: ' in text
    assert reverse("admin:explainer_quiz_rules") + "#rule-names-concept" in text
    # With two scenarios every word of one of them sorts both: each give-away names the scenario holding it.
    assert "give-away" in text
    other = quiz.scenarios.get(position=2)
    assert f'<a href="{screen}#scenario-{other.slug}">{other.slug}</a></td>' in text


@pytest.mark.parametrize("forged", ["9" * 30, "0"])
def test_a_scenario_id_that_is_not_in_the_quiz_is_taken_as_a_new_row_never_a_500(admin_client, quiz, forged):
    data, _ = screen_data(admin_client, quiz_url(quiz))

    response = admin_client.post(quiz_url(quiz), data | {"form-1-id": forged, "form-1-text": "Sent under a forged id."})

    assert response.status_code == 302
    assert texts(quiz) == [
        "A group meets weekly for years.",
        "Sent under a forged id.",
        "Two towns share a ferry for a summer.",  # the scenario the row held is left as it was
    ]
