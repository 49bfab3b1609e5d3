"""The quiz-quality and consistency rules, on plain data (docs/quiz.md says why each exists).

Contract:
- The rules read `ComparisonData` (built from the database by `from_db`, or from
  a content folder by `from_folder`) and return `Finding`s; they import nothing
  from Django, so they run on content files before anything is loaded
  (``python -m explainer.content_rules explainer/content/*``).
- `check_comparison` applies the per-comparison rules, `check_across` the rules
  that compare comparisons sharing a concept. A finding names the comparison,
  the item and the rule; an empty list means the content passes.
- `predictive_words` measures how well single words sort a quiz's scenarios,
  the figure editors see in the admin's "quiz quality" panel.
"""

import json
import re
import sys
from collections import Counter, defaultdict
from dataclasses import dataclass
from pathlib import Path

from explainer import freshness
from explainer.content_files import CONTENT_DIR, ContentError, content_folders, read_folder

# The rules' data and words (explainer.rule_data) and the quiz-against-page rules
# (explainer.page_rules) are named here too: this module is the rules' one entry.
from explainer.page_rules import CLASSIFIER_MARGIN as CLASSIFIER_MARGIN
from explainer.page_rules import SHARED_PHRASE as SHARED_PHRASE
from explainer.page_rules import TRANSFER_MAX as TRANSFER_MAX
from explainer.page_rules import check_classifier, check_freshness, check_sources_name_no_item, check_transfer
from explainer.page_rules import classifier as classifier
from explainer.page_rules import retellings as retellings
from explainer.page_rules import transfer_allowance as transfer_allowance
from explainer.rule_data import STOP_WORDS as STOP_WORDS
from explainer.rule_data import ComparisonData as ComparisonData
from explainer.rule_data import ConceptData as ConceptData
from explainer.rule_data import ExampleData as ExampleData
from explainer.rule_data import Finding as Finding
from explainer.rule_data import ScenarioData as ScenarioData
from explainer.rule_data import errors as errors
from explainer.rule_data import tokens as _tokens
from explainer.rule_data import warnings as warnings
from explainer.rule_data import words

# No single word may sort more than this share of a quiz's scenarios into their
# keyed concept (a word-presence rule: present -> one concept, absent -> another).
GIVEAWAY_LIMIT = {2: 0.70, 3: 0.62}
AGAINST_TYPE_MIN = 0.30
MIN_SCENARIOS = {2: 30, 3: 24}
MIN_PER_CONCEPT = 6
# A run of this many words of a definition, at least two of them not stop words,
# counts as quoting it.
DEFINITION_PHRASE = 3


@dataclass
class WordShare:
    word: str
    share: float  # of the quiz's scenarios sorted right by the word alone
    concept: str  # the concept its presence points to
    present_in: int


def predictive_words(comparison, limit=5):
    """The words that best sort the scenarios on their own, best first.

    For each word, the rule "present -> concept A, absent -> concept B" (A != B)
    is scored by the share of all scenarios it keys right; the best pair counts.
    """
    scenarios = comparison.scenarios
    if not scenarios:
        return []
    keys = [s.correct_concept for s in scenarios]
    concepts = sorted(set(keys) | {c.slug for c in comparison.concepts})
    totals = Counter(keys)
    by_word = defaultdict(Counter)
    surface = {}
    for scenario in scenarios:
        for word in set(words(scenario.text, surface)):
            by_word[word][scenario.correct_concept] += 1
    shares = []
    for word, present in by_word.items():
        best = None
        for a in concepts:
            for b in concepts:
                if a == b:
                    continue
                right = present[a] + (totals[b] - present[b])
                if best is None or right > best[0]:
                    best = (right, a)
        shares.append(WordShare(surface[word], best[0] / len(scenarios), best[1], sum(present.values())))
    shares.sort(key=lambda s: (-s.share, s.word))
    return shares[:limit]


def _phrases(text, size):
    tokens = _tokens(text)
    return {
        tuple(tokens[i : i + size])
        for i in range(len(tokens) - size + 1)
        if sum(t not in STOP_WORDS for t in tokens[i : i + size]) >= 2
    }


def _contains(tokens, phrase):
    n = len(phrase)
    return any(tuple(tokens[i : i + n]) == phrase for i in range(len(tokens) - n + 1))


_PARENTHESES = re.compile(r"\(([^()]{2,60})\)")


def check_comparison(comparison, today=None):
    """Findings for one comparison's quiz and page (an empty list when it keeps every rule).

    `today` (a date, by default today) decides which reviews are past due.
    """
    findings = []

    def add(item, rule, message):
        findings.append(Finding(comparison.slug, item, rule, message))

    n_concepts = len(comparison.concepts)
    row_by_name = {name.lower(): slug for slug, name in comparison.rows.items()}
    forbidden = []  # (phrase tokens, what it is)
    for concept in comparison.concepts:
        for name in [concept.name, concept.slug.replace("-", " "), *concept.synonyms]:
            tokens = tuple(words(name))
            if tokens:
                forbidden.append((tokens, f"the concept name or synonym “{name}”"))
    definition_phrases = {
        concept.slug: _phrases(concept.definition, DEFINITION_PHRASE) for concept in comparison.concepts
    }
    for scenario in comparison.scenarios:
        tokens = _tokens(scenario.text)
        for phrase, what in forbidden:
            if _contains(tokens, phrase):
                add(scenario.slug, "names-concept", f"the text contains {what}.")
                break
        text_phrases = _phrases(scenario.text, DEFINITION_PHRASE)
        for concept in comparison.concepts:
            quoted = text_phrases & definition_phrases[concept.slug]
            if quoted:
                phrase = " ".join(sorted(quoted)[0])
                add(
                    scenario.slug,
                    "quotes-definition",
                    f"the text repeats “{phrase}” from the {concept.name} definition.",
                )
        if not scenario.cues:
            add(scenario.slug, "cues", "no cue: name the table rows that decide it.")
        explanation = scenario.explanation.lower()
        for cue in scenario.cues:
            if cue not in comparison.rows:
                add(scenario.slug, "cues", f"the cue “{cue}” is not a row of the table.")
            elif comparison.rows[cue].lower() not in explanation:
                add(scenario.slug, "cues", f"the explanation does not name its cue row “{comparison.rows[cue]}”.")
        named_rows = [part.strip() for group in _PARENTHESES.findall(explanation) for part in group.split(",")]
        for named in named_rows:
            slug = row_by_name.get(named)
            if slug is None:
                add(scenario.slug, "cues", f"the explanation names “({named})”, which is not a row of the table.")
            elif slug not in scenario.cues:
                add(scenario.slug, "cues", f"the explanation names the row “{named}”, which is not among its cues.")
        check_wrong_choices(comparison, scenario, add)
    check_sources_name_no_item(comparison, add)
    findings.extend(check_freshness(comparison, today))
    if not comparison.has_quiz or not comparison.scenarios:
        return findings
    total = len(comparison.scenarios)
    limit = giveaway_limit(comparison)
    for share in predictive_words(comparison, limit=20):
        if share.share <= limit:
            break
        add(
            "quiz",
            "giveaway-word",
            f"the word “{share.word}” alone keys {share.share:.0%} of the scenarios "
            f"(points to {share.concept}; the limit is {limit:.0%}).",
        )
    against = against_type_share(comparison)
    if against < AGAINST_TYPE_MIN:
        add(
            "quiz",
            "against-type",
            f"{against:.0%} of the scenarios are against type (at least {AGAINST_TYPE_MIN:.0%}).",
        )
    minimum = MIN_SCENARIOS.get(n_concepts, MIN_SCENARIOS[3])
    if total < minimum:
        add("quiz", "size", f"{total} scenarios; a {n_concepts}-concept quiz needs at least {minimum}.")
    keyed = Counter(s.correct_concept for s in comparison.scenarios)
    for concept in comparison.concepts:
        if keyed[concept.slug] < MIN_PER_CONCEPT:
            add(
                "quiz",
                "size",
                f"{keyed[concept.slug]} scenarios keyed {concept.name}; each concept needs at least {MIN_PER_CONCEPT}.",
            )
    check_transfer(comparison, add)
    check_classifier(comparison, add)
    return findings


def check_wrong_choices(comparison, scenario, add):
    """`wrong-choices`: notes only for wrong concepts; in a quiz of three or more, one for every wrong concept.

    With two concepts the explanation already says why the other one fails; with
    three, a learner who chose the third needs their own answer (docs/quiz.md).
    """
    slugs = [concept.slug for concept in comparison.concepts]
    for slug in scenario.wrong_choices:
        if slug == scenario.correct_concept:
            add(scenario.slug, "wrong-choices", f"a note on a wrong choice names the correct concept “{slug}”.")
        elif slug not in slugs:
            add(scenario.slug, "wrong-choices", f"a note on a wrong choice names “{slug}”, not a concept here.")
    if len(slugs) < 3:
        return
    for concept in comparison.concepts:
        note = scenario.wrong_choices.get(concept.slug, "")
        if concept.slug != scenario.correct_concept and not note.strip():
            add(
                scenario.slug,
                "wrong-choices",
                f"no note on why it is not {concept.name} (every wrong option needs one).",
            )


def check_across(comparisons):
    """Findings where comparisons that share a concept disagree about it."""
    findings = []
    seen_examples = {}  # identity -> (comparison, example)
    seen_cases = {}
    seen_cells = {}  # (row slug, concept slug) -> (comparison, text)
    seen_headlines = {}  # (row slug, concept slug) -> (comparison, headline)
    concepts_of = {c.slug: {concept.slug for concept in c.concepts} for c in comparisons}

    def share_a_concept(one, other):
        # A case can be a treaty on one page and an alliance on another: only
        # comparisons with a concept in common must classify it the same way.
        return one != other and bool(concepts_of[one] & concepts_of[other])

    for comparison in comparisons:
        for example in comparison.examples:
            for identity in filter(None, [example.name.strip().lower(), example.source_url]):
                first = seen_examples.setdefault(identity, (comparison.slug, example))
                if first[1].concept != example.concept and share_a_concept(first[0], comparison.slug):
                    findings.append(
                        Finding(
                            comparison.slug,
                            example.slug,
                            "one-account",
                            f"the example is a {example.concept} here but a {first[1].concept} in {first[0]}.",
                        )
                    )
                    break
        for scenario in comparison.scenarios:
            if not scenario.source_url:
                continue
            first = seen_cases.setdefault(scenario.source_url, (comparison.slug, scenario))
            if first[1].correct_concept != scenario.correct_concept and share_a_concept(first[0], comparison.slug):
                findings.append(
                    Finding(
                        comparison.slug,
                        scenario.slug,
                        "one-account",
                        f"the same case ({scenario.source_url}) is keyed {scenario.correct_concept} here "
                        f"but {first[1].correct_concept} in {first[0]} ({first[1].slug}).",
                    )
                )
        for (row, concept), text in comparison.cells.items():
            first = seen_cells.setdefault((row, concept), (comparison.slug, text))
            if first[1].strip() != text.strip():
                findings.append(
                    Finding(
                        comparison.slug,
                        f"row {row}",
                        "one-account",
                        f"the {concept} cell differs from the same row in {first[0]}: one concept, one account.",
                    )
                )
        for (row, concept), headline in comparison.headlines.items():
            first = seen_headlines.setdefault((row, concept), (comparison.slug, headline))
            if headline.strip() and first[1].strip() and first[1].strip() != headline.strip():
                findings.append(
                    Finding(
                        comparison.slug,
                        f"row {row}",
                        "one-account",
                        f"the {concept} headline differs from the same row in {first[0]}: one concept, one account.",
                    )
                )
    return findings


def check_all(comparisons, today=None):
    findings = []
    for comparison in comparisons:
        findings.extend(check_comparison(comparison, today))
    findings.extend(check_across(comparisons))
    return findings


def giveaway_limit(comparison):
    """The most of its scenarios one word may key: 70% with two concepts, 62% with three or more."""
    return GIVEAWAY_LIMIT.get(len(comparison.concepts), GIVEAWAY_LIMIT[3])


def against_type_share(comparison):
    """The share of the scenarios marked against type, or None without scenarios."""
    total = len(comparison.scenarios)
    return sum(s.against_type for s in comparison.scenarios) / total if total else None


def summary_line(comparison):
    """Scenarios, against-type share, the most predictive word, retold share and the classifier, as one line."""
    total = len(comparison.scenarios)
    if not total:
        return f"{comparison.slug}: no scenarios"
    against = against_type_share(comparison)
    best = predictive_words(comparison, limit=1)
    word = f"“{best[0].word}” {best[0].share:.0%}" if best else "-"
    retold = len(retellings(comparison)) / total
    result = classifier(comparison)
    guessed = f", classifier {result.accuracy:.2f} (chance {result.chance:.2f}, {result.margin:+.2f})" if result else ""
    return (
        f"{comparison.slug}: {total} scenarios, {against:.0%} against type, most predictive word {word}, "
        f"{retold:.0%} retold{guessed}"
    )


# Building the data from content files (the database side is in explainer.content_checks).


def page_texts(meta, cells, points):
    """The page's own texts by place: lede, one-line test, intro, blur note, cells, points.

    `cells` maps (row slug, concept slug) to text; `points` is (kind, title, text).
    """
    texts = {
        "lede": meta.get("lede", ""),
        "one-line test": meta.get("one_line_test", ""),
        "intro": meta.get("intro", ""),
        "blur note": meta.get("blur_note", ""),
    }
    texts.update({f"row {row}, {concept}": text for (row, concept), text in cells.items()})
    texts.update({f"{kind} “{title}”": text for kind, title, text in points})
    return {place: text for place, text in texts.items() if text}


def from_folder(folder, concepts_by_slug):
    """ComparisonData from a content folder; `concepts_by_slug` holds every folder's concepts."""
    folder = Path(folder)
    doc = json.loads((folder / "comparison.json").read_text(encoding="utf-8"))
    scenarios_path = folder / "scenarios.json"
    scenarios = json.loads(scenarios_path.read_text(encoding="utf-8")) if scenarios_path.is_file() else []
    meta = doc["comparison"]
    cells = {(row["slug"], c): text for row in doc["attributes"] for c, text in row["cells"].items()}
    points = [("similarity", p["title"], p["text"]) for p in doc.get("similarities", [])]
    points += [("difference", p["title"], p["text"]) for p in doc.get("differences", [])]
    return ComparisonData(
        slug=meta["slug"],
        concepts=[concepts_by_slug[slug] for slug in meta["concepts"]],
        rows={row["slug"]: row["name"] for row in doc["attributes"]},
        cells=cells,
        headlines={(row["slug"], c): text for row in doc["attributes"] for c, text in row.get("headlines", {}).items()},
        scenarios=[
            ScenarioData(
                slug=s["slug"],
                text=s["text"],
                correct_concept=s.get("correct_concept", s.get("concept", "")),
                explanation=s.get("explanation", ""),
                cues=list(s.get("cues", [])),
                against_type=bool(s.get("against_type", False)),
                source_url=s.get("source_url", ""),
                wrong_choices=dict(s.get("wrong_choices", {})),
            )
            for s in scenarios
        ],
        examples=[
            ExampleData(e["slug"], e["name"], e["concept"], e.get("source_url", ""), e.get("summary", ""))
            for e in doc.get("examples", [])
        ],
        has_quiz=not meta.get("no_quiz", False),
        texts=page_texts(meta, cells, points),
        # The same reading as the database's: through the Markdown readers see.
        sources=freshness.parse_sources(
            "\n".join(
                freshness.source_line(s["claim"], s["url"], s.get("checked", ""), s.get("review_by", ""))
                for s in doc.get("sources", [])
            )
        ),
    )


def from_folders(folders):
    docs = [json.loads((Path(f) / "comparison.json").read_text(encoding="utf-8")) for f in folders]
    concepts = {
        c["slug"]: ConceptData(
            c["slug"], c["name"], c.get("definition", ""), list(c.get("synonyms", [])), c.get("description", "")
        )
        for doc in docs
        for c in doc.get("concepts", [])
    }
    comparisons = [from_folder(folder, concepts) for folder in folders]
    # Examples belong to a concept, not to a page (docs/decisions.md): every page that
    # compares a concept shows all its examples, whichever folder ships them.
    by_concept = {}
    for comparison in comparisons:
        for example in comparison.examples:
            by_concept.setdefault(example.concept, {}).setdefault(example.slug, example)
    for comparison in comparisons:
        comparison.examples = [e for c in comparison.concepts for e in by_concept.get(c.slug, {}).values()]
    return comparisons


def main(argv):
    """Check the content folders named (all shipped ones by default) against the schema and the rules."""
    folders = [Path(a) for a in argv] or content_folders(CONTENT_DIR)
    try:
        named = {read_folder(folder).slug for folder in folders}  # the schema, as load_content applies it
    except ContentError as error:
        print(error)
        return 1
    # The cross-comparison rules need every concept: read all folders beside the ones named.
    comparisons = from_folders(content_folders(folders[0].parent))
    found = [f for f in check_all(comparisons) if f.comparison in named]
    for comparison in comparisons:
        if comparison.slug in named:
            print(summary_line(comparison))
            for word in predictive_words(comparison, limit=3):
                print(f"    {word.word}: {word.share:.0%} (-> {word.concept}, in {word.present_in})")
    for finding in found:
        print(finding)
    findings = errors(found)
    print(f"{len(findings)} finding(s)" + (f", {len(warnings(found))} warning(s)" if warnings(found) else ""))
    return 1 if findings else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
