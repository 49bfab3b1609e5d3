"""A comparison's quiz exported for a quiz bank (issue 26, point 5): Moodle XML, QTI 2.1 and GIFT.

Each export is read back with a parser (ElementTree for the XML formats, a small GIFT reader
below: no maintained GIFT parser is packaged) and compared, field by field, with the scenarios
in the database. No package ships the IMS QTI 2.1 schemas, so the QTI items are checked field by
field and for the schema's order of parts.
"""

import html
import io
import re
import xml.etree.ElementTree as ET
import zipfile

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse
from hypothesis import given
from hypothesis import strategies as st

from explainer.markup import render_markdown
from explainer.models import Comparison, Scenario, WrongChoiceNote
from explainer.quiz_bank.gift import SPECIAL, escape
from tests import factories
from tests.queries import queries_for

pytestmark = pytest.mark.django_db

QTI = "{http://www.imsglobal.org/xsd/imsqti_v2p1}"
CP = "{http://www.imsglobal.org/xsd/imscp_v1p1}"
HOSTILE_TEXT = 'A pact {signed} at 10:30 = "firm" ~ or not; #1 rule: a\\b <b>bold</b> & co.\n\nA second paragraph.'
HOSTILE_NAME = "Coalition: {=#~}"


@pytest.fixture
def hostile(db):
    """A quiz whose texts hold every character GIFT, XML and HTML give a meaning to."""
    comparison = factories.make_quiz_comparison(per_concept=3)
    second = comparison.ordered_concepts[1]
    second.name = HOSTILE_NAME
    second.save()
    scenario = comparison.scenarios.filter(correct_concept=comparison.ordered_concepts[0]).first()
    scenario.text = HOSTILE_TEXT
    scenario.explanation = "It is **binding** (see [the rule](https://example.org/a?b=1&c=2)):\n\n- one\n- two {x}"
    scenario.misconception = "Many think #2 = ~3."
    scenario.save()
    WrongChoiceNote.objects.create(scenario=scenario, concept=second, text="A coalition would need: {votes}.")
    Scenario.objects.filter(pk=comparison.scenarios.last().pk).update(is_published=False)
    return comparison


def export(client, comparison, fmt):
    response = client.get(reverse("quiz_bank_export", args=[comparison.slug, fmt]))
    assert response.status_code == 200, response.status_code
    return response


@pytest.mark.parametrize(
    ("fmt", "content_type", "filename"),
    [
        ("moodle", "application/xml; charset=utf-8", "{slug}-moodle.xml"),
        ("qti", "application/zip", "{slug}-qti21.zip"),
        ("gift", "text/plain; charset=utf-8", "{slug}.gift.txt"),
    ],
)
def test_each_format_downloads_as_a_file_of_its_type_named_after_the_comparison(
    teacher_client, hostile, fmt, content_type, filename
):
    response = export(teacher_client, hostile, fmt)
    assert response["Content-Type"] == content_type
    assert f'filename="{filename.format(slug=hostile.slug)}"' in response["Content-Disposition"]


def source(comparison):
    """What the export must hold, read from the database: per published scenario, its text, options and feedback."""
    concepts = comparison.ordered_concepts
    expected = {}
    for scenario in Scenario.objects.published().filter(comparison=comparison).prefetch_related("wrong_notes"):
        notes = {note.concept_id: note.text for note in scenario.wrong_notes.all()}
        options = []
        for concept in concepts:
            right = concept.pk == scenario.correct_concept_id
            parts = [] if right else [notes.get(concept.pk, ""), scenario.misconception]
            options.append((concept.name, right, words(" ".join(parts))))
        expected[f"{comparison.slug}-{scenario.slug}"] = {
            "text": words(scenario.text),
            "options": options,
            "explanation": render_markdown(scenario.explanation),
        }
    return expected


def words(text):
    return " ".join(text.split())


BLOCK_TAG = re.compile(r"</?(\w+:)?(p|li|ul|ol|br|hr|h3|h4|blockquote|pre|table|thead|tbody|tr|th|td)\b[^>]*>")


def plain(text_or_html):
    """Words only, as a quiz bank shows them: block tags part words, other tags go, entities are read."""
    text = re.sub(r"<[^>]+>", "", BLOCK_TAG.sub(" ", text_or_html))
    return " ".join(html.unescape(text).split())


def compare(found, expected):
    assert set(found) == set(expected)
    for identifier, item in expected.items():
        got = found[identifier]
        assert got["text"] == item["text"] + " Which is it?", identifier
        assert got["options"] == item["options"], identifier
        assert plain(got["explanation"]) == plain(item["explanation"]), identifier


# Moodle XML


def parse(body):
    return ET.fromstring(body)  # noqa: S314 - the site's own export, made in this test


def read_moodle(body):
    root = parse(body)
    assert root.tag == "quiz"
    category, *questions = root.findall("question")
    assert category.get("type") == "category"
    found = {}
    for question in questions:
        assert question.get("type") == "multichoice"
        assert question.findtext("single") == "true" and question.findtext("questiontext").strip() == ""
        options = []
        for answer in question.findall("answer"):
            assert answer.get("format") == "html"
            options.append(
                (
                    plain(answer.findtext("text")),
                    answer.get("fraction") == "100",
                    plain(answer.find("feedback").findtext("text") or ""),
                )
            )
        found[question.findtext("idnumber")] = {
            "text": plain(question.find("questiontext").findtext("text")),
            "options": options,
            "explanation": question.find("generalfeedback").findtext("text"),
            "category": category.find("category").findtext("text"),
        }
    return found


def test_the_moodle_xml_holds_every_published_scenario_with_its_options_and_feedback(teacher_client, hostile):
    response = export(teacher_client, hostile, "moodle")
    found = read_moodle(response.content)
    compare(found, source(hostile))
    assert len(found) == hostile.scenarios.filter(is_published=True).count() == 5


def test_the_moodle_general_feedback_is_the_explanation_as_sanitised_html(teacher_client, hostile):
    found = read_moodle(export(teacher_client, hostile, "moodle").content)
    scenario = Scenario.objects.get(comparison=hostile, text=HOSTILE_TEXT)
    item = found[f"{hostile.slug}-{scenario.slug}"]
    assert item["explanation"] == render_markdown(scenario.explanation)
    assert "<strong>binding</strong>" in item["explanation"]
    assert item["category"] == f"$course$/top/Explainer/{hostile.title}"


def test_the_moodle_wrong_option_feedback_is_the_note_then_the_common_mix_up(teacher_client, hostile):
    scenario = Scenario.objects.get(comparison=hostile, text=HOSTILE_TEXT)
    options = read_moodle(export(teacher_client, hostile, "moodle").content)[f"{hostile.slug}-{scenario.slug}"][
        "options"
    ]
    assert options[1] == (HOSTILE_NAME, False, "A coalition would need: {votes}. Many think #2 = ~3.")
    assert options[0][1] is True and options[0][2] == ""


def test_the_shipped_quiz_round_trips_through_moodle_xml(teacher_client, shipped_content):
    comparison = Comparison.objects.get(slug="alliance-vs-coalition")
    compare(read_moodle(export(teacher_client, comparison, "moodle").content), source(comparison))


# QTI 2.1

ITEM_ORDER = ["responseDeclaration", "outcomeDeclaration", "itemBody", "responseProcessing", "modalFeedback"]


def read_qti(body):
    archive = zipfile.ZipFile(io.BytesIO(body))
    manifest = parse(archive.read("imsmanifest.xml"))
    assert manifest.tag == f"{CP}manifest"
    assert manifest.findtext(f"{CP}metadata/{CP}schema") == "QTIv2.1 Package"
    resources = manifest.findall(f"{CP}resources/{CP}resource")
    assert sorted(archive.namelist()) == sorted(["imsmanifest.xml", *(r.get("href") for r in resources)])
    found = {}
    for resource in resources:
        assert resource.get("type") == "imsqti_item_xmlv2p1"
        assert resource.find(f"{CP}file").get("href") == resource.get("href")
        item = parse(archive.read(resource.get("href")))
        found[item.get("identifier")] = read_qti_item(item)
    return found


def read_qti_item(item):
    assert item.tag == f"{QTI}assessmentItem"
    assert item.get("adaptive") == "false" and item.get("timeDependent") == "false" and item.get("title")
    parts = [child.tag.removeprefix(QTI) for child in item]
    assert parts == sorted(parts, key=ITEM_ORDER.index), parts  # the schema's sequence
    response = item.find(f"{QTI}responseDeclaration")
    assert (response.get("identifier"), response.get("cardinality"), response.get("baseType")) == (
        "RESPONSE",
        "single",
        "identifier",
    )
    correct = response.findtext(f"{QTI}correctResponse/{QTI}value")
    outcomes = {o.get("identifier"): o.get("baseType") for o in item.findall(f"{QTI}outcomeDeclaration")}
    assert outcomes == {"SCORE": "float", "FEEDBACK": "identifier", "EXPLANATION": "identifier"}
    body = item.find(f"{QTI}itemBody")
    interaction = body.find(f"{QTI}choiceInteraction")
    assert interaction.get("responseIdentifier") == "RESPONSE" and interaction.get("maxChoices") == "1"
    text = " ".join(p.text for p in body.findall(f"{QTI}p")) + " " + interaction.findtext(f"{QTI}prompt")
    feedback = {f.get("identifier"): f for f in item.findall(f"{QTI}modalFeedback")}
    assert all(f.get("showHide") == "show" for f in feedback.values())
    explanation = feedback.pop("EXPLANATION")
    assert explanation.get("outcomeIdentifier") == "EXPLANATION"
    assert all(f.get("outcomeIdentifier") == "FEEDBACK" for f in feedback.values())
    options = []
    for choice in interaction.findall(f"{QTI}simpleChoice"):
        note = feedback.get(choice.get("identifier"))
        options.append(
            (
                choice.text,
                choice.get("identifier") == correct,
                words(" ".join(note.itertext())) if note is not None else "",
            )
        )
    processing = item.find(f"{QTI}responseProcessing")
    assert processing.find(f".//{QTI}match/{QTI}correct").get("identifier") == "RESPONSE"
    return {
        "text": words(text),  # XML text: no markup to drop
        "options": options,
        "explanation": "".join(ET.tostring(child, encoding="unicode") for child in explanation),
        "explanation_element": explanation,
    }


def test_the_qti_package_has_a_manifest_and_one_item_per_published_scenario(teacher_client, hostile):
    response = export(teacher_client, hostile, "qti")
    found = read_qti(response.content)
    compare(found, source(hostile))
    assert len(found) == 5


def test_the_qti_explanation_is_xhtml_in_the_qti_namespace(teacher_client, hostile):
    scenario = Scenario.objects.get(comparison=hostile, text=HOSTILE_TEXT)
    item = read_qti(export(teacher_client, hostile, "qti").content)[f"{hostile.slug}-{scenario.slug}"]
    element = item["explanation_element"]
    assert [child.tag.removeprefix(QTI) for child in element] == ["p", "ul"]
    link = element.find(f".//{QTI}a")
    assert link.get("href") == "https://example.org/a?b=1&c=2" and "rel" not in link.attrib
    assert element.find(f".//{QTI}strong").text == "binding"


def test_the_shipped_quiz_round_trips_through_qti(teacher_client, shipped_content):
    comparison = Comparison.objects.get(slug="alliance-vs-coalition")
    compare(read_qti(export(teacher_client, comparison, "qti").content), source(comparison))


# GIFT


def find_unescaped(text, target, start=0):
    i = start
    while i < len(text):
        if text[i] == "\\":
            i += 2
            continue
        if text.startswith(target, i):
            return i
        i += 1
    return -1


def split_unescaped(text, separators):
    """`text` cut before each unescaped separator character: [(separator or "", piece), ...]."""
    pieces, current, mark, i = [], [], "", 0
    while i < len(text):
        char = text[i]
        if char == "\\":
            current.append(text[i : i + 2])
            i += 2
            continue
        if char in separators:
            pieces.append((mark, "".join(current)))
            current, mark = [], char
        else:
            current.append(char)
        i += 1
    pieces.append((mark, "".join(current)))
    return pieces


def unescape(text):
    out, i = [], 0
    while i < len(text):
        if text[i] == "\\" and i + 1 < len(text):
            out.append("\n" if text[i + 1] == "n" else text[i + 1])
            i += 2
        else:
            out.append(text[i])
            i += 1
    return "".join(out)


def read_gift(text):
    """A small reader for the GIFT that Moodle documents: categories, titles, formats, =/~ answers, # and ####."""
    found, category, identifier = {}, None, None
    for block in re.split(r"\n[ \t]*\n", text.strip()):
        lines = []
        for line in block.split("\n"):
            if line.startswith("//"):
                identifier = line[2:].strip()
            else:
                lines.append(line)
        if not lines:
            continue
        if lines[0].startswith("$CATEGORY:"):
            category = lines[0].removeprefix("$CATEGORY:").strip()
            continue
        body = "\n".join(lines)
        assert body.startswith("::")
        end = find_unescaped(body, "::", 2)
        title, rest = unescape(body[2:end]), body[end + 2 :]
        fmt = re.match(r"\[(\w+)\]", rest)
        assert fmt and fmt[1] == "html"
        rest = rest[fmt.end() :]
        opening = find_unescaped(rest, "{")
        closing = max(i for i in range(len(rest)) if rest[i] == "}" and find_unescaped(rest, "}", i) == i)
        assert rest[closing + 1 :].strip() == ""
        answers = rest[opening + 1 : closing]
        general = find_unescaped(answers, "####")
        answers, explanation = answers[:general], unescape(answers[general + 4 :].strip())
        options = []
        for mark, piece in split_unescaped(answers, "=~"):
            if not mark:
                assert piece.strip() == ""
                continue
            (_, answer), *feedback = split_unescaped(piece.strip(), "#")
            options.append((plain(unescape(answer)), mark == "=", plain(unescape(feedback[0][1])) if feedback else ""))
        found[unescape(identifier)] = {
            "title": title,
            "text": plain(unescape(rest[:opening])),
            "options": options,
            "explanation": explanation,
            "category": category,
        }
    return found


def test_the_gift_file_holds_every_published_scenario_with_its_options_and_feedback(teacher_client, hostile):
    response = export(teacher_client, hostile, "gift")
    found = read_gift(response.content.decode())
    compare(found, source(hostile))
    assert {item["category"] for item in found.values()} == {f"$course$/top/Explainer/{hostile.title}"}


def test_the_gift_explanation_is_the_sanitised_html_as_one_line(teacher_client, hostile):
    body = export(teacher_client, hostile, "gift").content.decode()
    scenario = Scenario.objects.get(comparison=hostile, text=HOSTILE_TEXT)
    item = read_gift(body)[f"{hostile.slug}-{scenario.slug}"]
    assert item["explanation"] == render_markdown(scenario.explanation).strip()
    line = next(line for line in body.split("\n") if line.startswith("####") and "binding" in line)
    assert "https\\://example.org" in line and "two \\{x\\}" in line


def test_the_shipped_quiz_round_trips_through_gift(teacher_client, shipped_content):
    comparison = Comparison.objects.get(slug="alliance-vs-coalition")
    compare(read_gift(export(teacher_client, comparison, "gift").content.decode()), source(comparison))


def test_gift_escapes_each_special_character_and_line_breaks():
    assert escape("a~b=c#d{e}f:g\\h\nnext") == "a\\~b\\=c\\#d\\{e\\}f\\:g\\\\h\\nnext"


@given(st.text())
def test_gift_escaping_reads_back_as_the_same_text_and_leaves_no_bare_special_character(text):
    escaped = escape(text)
    assert unescape(escaped) == text.replace("\r\n", "\n").replace("\r", "\n")
    assert "\n" not in escaped and "\r" not in escaped
    assert all(find_unescaped(escaped, char) == -1 for char in SPECIAL)


@pytest.mark.parametrize("fmt", ["moodle", "qti", "gift"])
def test_an_export_reads_as_many_queries_for_a_long_quiz_as_for_a_short_one(teacher_client, fmt):
    short = factories.make_quiz_comparison(per_concept=2)
    long = factories.make_quiz_comparison(per_concept=12)
    for comparison in (short, long):
        for scenario in comparison.scenarios.all():
            WrongChoiceNote.objects.create(
                scenario=scenario,
                concept=next(c for c in comparison.ordered_concepts if c.pk != scenario.correct_concept_id),
                text="Why not.",
            )
    urls = [reverse("quiz_bank_export", args=[c.slug, fmt]) for c in (short, long)]
    assert queries_for(teacher_client, urls[0]) == queries_for(teacher_client, urls[1])


# Who may export, and what


@pytest.mark.parametrize(
    ("role", "status"),
    [("anonymous", 302), ("reader", 403), ("staff", 403), ("teacher", 200), ("editor", 200), ("superuser", 200)],
)
def test_teachers_and_editors_may_export_and_nobody_else(client, hostile, role, status):
    users = {
        "reader": lambda: factories.make_user(),
        "staff": lambda: factories.make_user(staff=True),
        "teacher": factories.make_teacher,
        "superuser": lambda: factories.make_user(superuser=True),
    }
    if role == "editor":
        user = factories.make_user(staff=True)
        user.groups.add(Group.objects.get(name="Editors"))
        client.force_login(user)
    elif role != "anonymous":
        client.force_login(users[role]())
    response = client.get(reverse("quiz_bank_export", args=[hostile.slug, "gift"]))
    assert response.status_code == status
    if role == "anonymous":
        assert response.url.startswith(reverse("admin:login"))


@pytest.mark.parametrize("fmt", ["pdf", "MOODLE", "..", "qti21"])
def test_an_unknown_format_is_404(teacher_client, hostile, fmt):
    assert teacher_client.get(reverse("quiz_bank_export", args=[hostile.slug, fmt])).status_code == 404


def test_a_draft_or_a_comparison_without_a_quiz_is_404_for_a_teacher(teacher_client, db):
    draft = factories.make_quiz_comparison(per_concept=3, published=False)
    no_quiz = factories.make_quiz_comparison(per_concept=3, has_quiz=False)
    for comparison in (draft, no_quiz):
        assert teacher_client.get(reverse("quiz_bank_export", args=[comparison.slug, "moodle"])).status_code == 404
    assert teacher_client.get(reverse("quiz_bank_export", args=["no-such-thing", "moodle"])).status_code == 404


def test_an_editor_may_export_a_draft_to_try_it(editor_client, db):
    draft = factories.make_quiz_comparison(per_concept=3, published=False)
    assert len(read_gift(export(editor_client, draft, "gift").content.decode())) == 6


def test_the_class_page_links_the_three_exports_of_its_comparison(teacher_client, school_class):
    page = teacher_client.get(school_class.get_absolute_url()).text
    for fmt in ("moodle", "qti", "gift"):
        assert f'href="{reverse("quiz_bank_export", args=[school_class.comparison.slug, fmt])}"' in page


def test_the_comparisons_admin_page_links_the_three_exports(admin_client, hostile):
    page = admin_client.get(reverse("admin:explainer_comparison_change", args=[hostile.pk])).text
    for fmt in ("moodle", "qti", "gift"):
        assert f'href="{reverse("quiz_bank_export", args=[hostile.slug, fmt])}"' in page
