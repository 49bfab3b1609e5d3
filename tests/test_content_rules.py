"""The content rules (docs/quiz.md): check_content passes shipped content and names each broken rule."""

import math
import re
from collections import Counter
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse

from explainer import freshness
from explainer.content_files import content_folders
from explainer.content_rules import STOP_WORDS, classifier, from_folders, words
from explainer.models import Cell, Comparison, Concept, Scenario
from tests import factories
from tests.admin_forms import change_form_data

pytestmark = pytest.mark.django_db

WORDS = ["harbour", "orchard", "quarry", "meadow", "canal", "ridge", "foundry", "mill", "ferry", "vineyard"]


def make_clean_quiz(per_concept=15, published=True):
    """A two-concept quiz that keeps every rule: varied texts, cues named, a third against type."""
    alpha = factories.make_concept(name="Alpha", slug="alpha", definition="A standing pact of mutual rescue.")
    beta = factories.make_concept(name="Beta", slug="beta", definition="A task group that ends with its job.")
    # Titled to sort first: the cross-comparison rules report on the comparison read second.
    comparison = factories.make_comparison(
        concepts=[alpha, beta], attributes=0, title="Alpha vs. Beta", published=published
    )
    row = factories.add_attribute(comparison, name="Duty", slug="duty")
    for concept in (alpha, beta):
        for i in range(per_concept):
            word = WORDS[i % len(WORDS)]
            factories.make_scenario(
                comparison,
                correct_concept=concept,
                cues=[row],
                slug=f"{concept.slug}-{i}",
                text=f"Case {concept.slug[0]}{i}: people near the {word} meet in {1900 + i}.",
                explanation="What they owe each other decides it (duty).",
                against_type=i < 5,
            )
    return comparison


def check(*slugs):
    """check_content's output and whether it passed."""
    out = StringIO()
    try:
        call_command("check_content", *slugs, stdout=out)
    except CommandError:
        return out.getvalue(), False
    return out.getvalue(), True


def test_a_quiz_that_keeps_every_rule_passes():
    comparison = make_clean_quiz()
    output, passed = check(comparison.slug)
    assert passed, output
    assert f"{comparison.slug}: 30 scenarios, 33% against type" in output


BROKEN_SCENARIOS = {
    "names-concept": (
        "alpha-3",
        {"text": "The members call it an alpha, and meet by the canal."},
        "alpha-3: [names-concept] the text contains the concept name or synonym “Alpha”",
    ),
    "quotes-definition": (
        "beta-4",
        {"text": "By the ridge, a pact of mutual rescue is signed in 1904."},
        "beta-4: [quotes-definition] the text repeats “of mutual rescu” from the Alpha definition.",
    ),
    "cue-not-a-row": (
        "alpha-1",
        {"explanation": "The money decides it (duty, budget)."},
        "alpha-1: [cues] the explanation names “(budget)”, which is not a row of the table.",
    ),
    "cue-not-named": (
        "alpha-2",
        {"explanation": "It is obvious."},
        "alpha-2: [cues] the explanation does not name its cue row “Duty”.",
    ),
}


@pytest.mark.parametrize("rule", BROKEN_SCENARIOS)
def test_a_scenario_breaking_a_rule_is_reported_by_item_and_rule(rule):
    slug, changes, expected = BROKEN_SCENARIOS[rule]
    comparison = make_clean_quiz()
    Scenario.objects.filter(slug=slug).update(**changes)
    output, passed = check(comparison.slug)
    assert not passed
    assert expected in output


def test_a_scenario_using_a_listed_synonym_is_reported():
    comparison = make_clean_quiz()
    Concept.objects.filter(slug="beta").update(synonyms="work crew, squad")
    Scenario.objects.filter(slug="beta-2").update(text="A work crew by the quarry meets in 1902.")
    output, passed = check(comparison.slug)
    assert not passed
    assert "beta-2: [names-concept] the text contains the concept name or synonym “work crew”" in output


def test_a_give_away_word_is_reported_with_its_share():
    comparison = make_clean_quiz()
    for scenario in Scenario.objects.filter(correct_concept__slug="alpha")[:11]:
        scenario.text += " They signed."
        scenario.save()
    output, passed = check(comparison.slug)
    assert not passed
    # 11 alpha items say "signed": present -> alpha, absent -> beta keys 11 + 15 of 30.
    assert "quiz: [giveaway-word] the word “signed” alone keys 87% of the scenarios (points to alpha" in output


def test_too_few_against_type_items_is_reported():
    comparison = make_clean_quiz()
    Scenario.objects.filter(comparison=comparison, slug__endswith="-0").update(against_type=False)
    Scenario.objects.filter(comparison=comparison, slug__endswith="-1").update(against_type=False)
    output, passed = check(comparison.slug)
    assert not passed
    assert "quiz: [against-type] 20% of the scenarios are against type (at least 30%)." in output


def test_a_quiz_below_the_minimum_size_is_reported():
    comparison = make_clean_quiz(per_concept=12)
    output, passed = check(comparison.slug)
    assert not passed
    assert "quiz: [size] 24 scenarios; a 2-concept quiz needs at least 30." in output


def test_a_shared_concept_described_two_ways_is_reported():
    first = make_clean_quiz()
    alpha = Concept.objects.get(slug="alpha")
    second = factories.make_comparison(concepts=[alpha, factories.make_concept()], attributes=0, title="Zeta")
    row = factories.add_attribute(second, name="Duty", slug="duty")
    Cell.objects.filter(attribute=row, concept=alpha).update(text="Something else entirely.")
    output, passed = check(first.slug, second.slug)
    assert not passed
    assert f"{second.slug}: row duty: [one-account] the alpha cell differs from the same row in {first.slug}" in output


def test_a_shared_case_keyed_two_ways_is_reported():
    first = make_clean_quiz()
    alpha, beta = Concept.objects.get(slug="alpha"), Concept.objects.get(slug="beta")
    Scenario.objects.filter(slug="alpha-0").update(source_url="https://example.org/case")
    second = factories.make_comparison(concepts=[alpha, beta], attributes=1, title="Zeta")
    factories.make_scenario(second, correct_concept=beta, slug="same-case", source_url="https://example.org/case")
    output, passed = check()
    assert not passed
    expected = "same-case: [one-account] the same case (https://example.org/case) is keyed beta here but alpha"
    assert f"{expected} in {first.slug}" in output


def test_unknown_comparison_slugs_are_refused():
    with pytest.raises(CommandError, match="No comparison with slug nowhere"):
        call_command("check_content", "nowhere", stdout=StringIO())


def test_the_shipped_content_passes_check_content(shipped_content):
    output, passed = check()
    assert passed, output
    assert f"{len(content_folders())} comparison(s) checked: no findings." in output


def test_editors_see_the_give_away_words_on_the_comparison_page(admin_client):
    comparison = make_clean_quiz()
    for scenario in Scenario.objects.filter(correct_concept__slug="alpha")[:11]:
        scenario.text += " They signed."
        scenario.save()
    page = admin_client.get(reverse("admin:explainer_comparison_change", args=[comparison.pk])).text
    assert "Quiz quality" in page
    # The word, its share marked as a give-away (linked to the rule), its concept, and the 11 scenarios holding it.
    row = re.search(
        r'<td>signed</td><td><strong>0.87</strong> <a href="[^"]*#rule-giveaway-word">give-away</a></td>'
        r"<td>alpha</td>\s*<td>11: (.*?)</td></tr>",
        page,
    )
    assert row is not None
    assert row.group(1).count("<a href=") == 11


def test_saving_a_scenario_that_breaks_a_rule_warns_but_saves(admin_client):
    comparison = make_clean_quiz(published=False)
    scenario = Scenario.objects.get(slug="alpha-5")
    url = reverse("admin:explainer_scenario_change", args=[scenario.pk])
    data = {
        "comparison": comparison.pk,
        "slug": scenario.slug,
        "text": "An alpha by the canal.",
        "correct_concept": scenario.correct_concept_id,
        "cues": [row.pk for row in comparison.attributes.all()],
        "difficulty": "easy",
        "is_published": "on",
        "explanation": scenario.explanation,
        "misconception": "",
        "year": "",
        "source_url": "",
        # The notes on wrong choices (an inline): none sent.
        "wrong_notes-TOTAL_FORMS": "0",
        "wrong_notes-INITIAL_FORMS": "0",
    }
    response = admin_client.post(url, data, follow=True)
    scenario.refresh_from_db()
    assert scenario.text == "An alpha by the canal."
    messages = [str(m) for m in response.context["messages"]]
    assert any("breaks a quiz rule" in m and "[names-concept]" in m for m in messages), messages


@pytest.fixture
def draft_with_a_weak_quiz(db):
    comparison = make_clean_quiz()
    Comparison.objects.filter(pk=comparison.pk).update(status=Comparison.Status.DRAFT, published_at=None)
    Scenario.objects.filter(comparison=comparison).update(against_type=False)
    factories.complete(comparison, quiz=False)
    Comparison.objects.filter(pk=comparison.pk).update(has_quiz=True)
    return Comparison.objects.get(pk=comparison.pk)


def test_publishing_a_comparison_whose_quiz_breaks_a_rule_asks_for_confirmation(admin_client, draft_with_a_weak_quiz):
    comparison = draft_with_a_weak_quiz
    url = reverse("admin:explainer_comparison_change", args=[comparison.pk])
    response = admin_client.post(url, change_form_data(admin_client, url, status="published"), follow=True)
    comparison.refresh_from_db()
    assert comparison.status == Comparison.Status.DRAFT
    assert "its quiz breaks these rules" in response.text and "against type" in response.text


def test_a_confirmed_publication_goes_through_despite_the_quiz(admin_client, draft_with_a_weak_quiz):
    comparison = draft_with_a_weak_quiz
    url = reverse("admin:explainer_comparison_change", args=[comparison.pk])
    admin_client.post(url, change_form_data(admin_client, url, status="published", confirm_quiz="on"), follow=True)
    comparison.refresh_from_db()
    assert comparison.status == Comparison.Status.PUBLISHED


def test_changing_a_live_comparison_whose_quiz_already_broke_a_rule_does_not_ask_again(admin_client):
    comparison = factories.complete(make_clean_quiz(), quiz=False)
    Comparison.objects.filter(pk=comparison.pk).update(has_quiz=True)
    Scenario.objects.filter(comparison=comparison).update(against_type=False)
    admin_client.post(reverse("admin:explainer_comparison_draft_start", args=[comparison.pk]))
    draft = Comparison.objects.get(draft_of=comparison)
    url = reverse("admin:explainer_comparison_change", args=[draft.pk])
    admin_client.post(url, change_form_data(admin_client, url, lede="A clearer lede."))
    admin_client.post(reverse("admin:explainer_comparison_draft_publish", args=[draft.pk]))
    comparison.refresh_from_db()
    assert comparison.status == Comparison.Status.PUBLISHED
    assert comparison.lede == "A clearer lede."


# The rules of issue 27: transfer, words in combination, no key in the sources, freshness.


def test_items_retelling_the_pages_own_cases_are_named_with_the_case():
    comparison = make_clean_quiz()
    alpha = Concept.objects.get(slug="alpha")
    factories.make_example(alpha, name="Harbour Pact", source_url="https://example.org/harbour-pact")
    # 3 of 30 may retell a page case (10%); a fourth breaks the rule.
    Scenario.objects.filter(slug__in=["alpha-0", "alpha-1", "alpha-2"]).update(
        source_url="https://example.org/harbour-pact"
    )
    output, passed = check(comparison.slug)
    assert passed, output
    Scenario.objects.filter(slug="beta-7").update(source_url="https://example.org/harbour-pact")
    output, passed = check(comparison.slug)
    assert not passed
    assert (
        "beta-7: [transfer] retells the page's case “Harbour Pact” (same source); 4 of 30 items retell page cases, "
        "at most 3 may" in output
    )


def test_an_item_sharing_a_long_phrase_with_an_example_retells_it():
    comparison = make_clean_quiz()
    alpha = Concept.objects.get(slug="alpha")
    factories.make_example(alpha, name="Quarry Accord", summary="Stonecutters pledged lifelong rescue during floods.")
    for slug in ["alpha-4", "alpha-5", "alpha-6", "beta-4"]:
        Scenario.objects.filter(slug=slug).update(text="Here stonecutters pledged lifelong rescue during floods, 1900.")
    output, passed = check(comparison.slug)
    assert not passed
    expected = (
        "beta-4: [transfer] retells the page's case “Quarry Accord” (shares “pledged lifelong rescue during floods”)"
    )
    assert expected in output


def test_words_that_sort_the_items_in_combination_break_the_classifier_rule():
    comparison = make_clean_quiz()
    # No word alone gives the answer away (each is in a third of its concept's items),
    # but together they sort every item.
    for concept, extra in [("alpha", ["lantern", "saddle", "copper"]), ("beta", ["willow", "anchor", "velvet"])]:
        for index, scenario in enumerate(Scenario.objects.filter(correct_concept__slug=concept).order_by("slug")):
            scenario.text += f" They bring a {extra[index % 3]}."
            scenario.save()
    output, passed = check(comparison.slug)
    assert not passed
    assert "quiz: [classifier] a word-counting classifier keys 100% of the items (chance 50%, margin +0.50" in output
    assert "giveaway-word" not in output


def _naive_loo(items):
    """Leave-one-out naive Bayes by retraining for every item, as /work/tools/nb_check.py does it."""
    right = 0
    labels = sorted({label for _, label in items})
    for k, (tokens, label) in enumerate(items):
        train = [item for j, item in enumerate(items) if j != k]
        vocab = {w for t, _ in train for w in t}
        scores = {}
        for c in labels:
            docs = [t for t, key in train if key == c]
            counts = Counter(w for t in docs for w in t)
            total = sum(counts.values())
            scores[c] = math.log(len(docs) / len(train)) + sum(
                math.log((counts[w] + 1) / (total + len(vocab))) for w in tokens if w in vocab
            )
        right += max(scores, key=scores.get) == label
    return right / len(items)


def test_the_classifiers_count_subtraction_matches_retraining_on_every_shipped_quiz():
    for data in from_folders(content_folders()):
        items = [([w for w in words(s.text) if w not in STOP_WORDS], s.correct_concept) for s in data.scenarios]
        assert classifier(data).accuracy == pytest.approx(_naive_loo(items)), data.slug


@pytest.mark.parametrize(
    ("sources", "finding"),
    [
        (
            "- A treaty of 1903, the model for alpha-3: <https://example.org/treaty> (checked 2026-11)",
            "[key-in-sources] names the quiz item “alpha-3”: sources back the page only.",
        ),
        (
            "- Nine members: <https://example.org/members> (checked 2026-11, review by 2028-01)",
            "[freshness] review_by 2028-01 must fall within 12 months after checked 2026-11.",
        ),
    ],
    ids=["it names a quiz item", "its review date is more than a year after its check"],
)
def test_a_source_that_breaks_a_rule_is_reported(sources, finding):
    comparison = make_clean_quiz()
    comparison.sources = sources
    comparison.save()
    output, passed = check(comparison.slug)
    assert not passed
    assert f"source 1: {finding}" in output


def test_a_time_bound_claim_without_its_month_and_review_date_is_reported():
    comparison = make_clean_quiz()
    comparison.intro = "The pact currently has nine members."
    comparison.save()
    output, passed = check(comparison.slug)
    assert not passed
    assert "intro: [freshness] “currently” makes a time-bound claim: say “as of <Month YYYY>”" in output
    comparison.intro = "The pact had nine members as of November 2026."
    comparison.sources = "- Nine members (as of November 2026): <https://example.org/members> (checked 2026-11)"
    comparison.save()
    output, passed = check(comparison.slug)
    assert not passed
    assert "source 1: [freshness] a time-bound claim needs the month it was checked and a review_by date." in output
    assert (
        "intro: [freshness] the claim “as of” 2026-11 needs a source checked 2026-11 with a review_by date." in output
    )
    comparison.sources = (
        "- Nine members (as of November 2026): <https://example.org/members> (checked 2026-11, review by 2027-11)"
    )
    comparison.save()
    output, passed = check(comparison.slug)
    assert passed, output


def test_a_claim_past_its_review_date_warns_without_failing():
    comparison = make_clean_quiz()
    comparison.sources = (
        "- Nine members (as of May 2020): <https://example.org/members> (checked 2020-05, review by 2021-05)"
    )
    comparison.save()
    output, passed = check(comparison.slug)
    assert passed, output
    assert (
        f"warning: {comparison.slug}: source 1: [past-due] past due: “Nine members (as of May 2020)” was to be "
        "checked again by 2021-05." in output
    )


def test_the_review_date_is_stored_and_the_admin_lists_what_is_due(admin_client):
    due = make_clean_quiz()
    due.sources = (
        "- One: <https://example.org/1> (checked 2020-05, review by 2021-05)\n"
        "- Two: <https://example.org/2> (checked 2020-01, review by 2020-12)"
    )
    due.save()
    factories.make_comparison(
        title="Later one", sources="- X: <https://example.org/x> (checked 2026-11, review by 2099-01)"
    )
    due.refresh_from_db()
    assert str(due.review_by) == "2020-12-01"  # the earliest of its sources
    page = admin_client.get(reverse("admin:explainer_comparison_changelist") + "?review=due").text
    assert "Due for review" in page
    assert "Alpha vs. Beta" in page
    assert "Later one" not in page


def test_editors_see_the_classifier_and_the_retold_items_on_the_comparison_page(admin_client):
    comparison = make_clean_quiz()
    for concept, extra in [("alpha", ["lantern", "saddle", "copper"]), ("beta", ["willow", "anchor", "velvet"])]:
        for index, scenario in enumerate(Scenario.objects.filter(correct_concept__slug=concept).order_by("slug")):
            scenario.text += f" They bring a {extra[index % 3]}."
            scenario.save()
    alpha = Concept.objects.get(slug="alpha")
    factories.make_example(alpha, name="Harbour Pact", source_url="https://example.org/harbour-pact")
    Scenario.objects.filter(slug="alpha-0").update(source_url="https://example.org/harbour-pact")
    page = admin_client.get(reverse("admin:explainer_comparison_change", args=[comparison.pk])).text
    assert "keys 1.00 of the items (chance 0.50, margin 0.50; the limit is 0.25)" in page
    assert "Items it keys right most surely (rewrite these first)" in page
    assert "1 item retells a case the page shows (at most 3)." in page
    assert "<li>alpha-0: “Harbour Pact” (same source)</li>" in page


def test_the_file_check_shows_a_page_every_example_of_its_concepts_as_the_site_does():
    # Examples belong to a concept: the three-way page shows the coalition examples shipped
    # with the two-way page, so its time-bound claims need its own dated sources too.
    pages = {data.slug: data for data in from_folders(content_folders())}
    three_way = {e.slug for e in pages["alliance-coalition-partnership"].examples}
    assert "australian-liberal-national-coalition" in three_way


@pytest.mark.parametrize(
    ("text", "phrase"),
    [
        ("NATO had 32 members as of November 2026.", "as of"),
        ("The treaty is still in force.", "still in force"),
        ("The measures were still being renewed.", "still being renewed"),
        ("It is the largest such ban to date.", "to date"),
        ("A coalition is still a coalition if it lasts.", ""),
        ("Keep the software up to date.", ""),
        ("So far as the law goes, it is a treaty.", ""),
    ],
)
def test_time_bound_claims_are_recognised_by_their_wording(text, phrase):
    assert freshness.time_bound(text) == phrase
