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

import functools
import json
import re
import sys
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path

import snowballstemmer

from explainer.content_files import CONTENT_DIR, ContentError, content_folders, read_folder

# No single word may sort more than this share of a quiz's scenarios into their
# keyed concept (a word-presence rule: present -> one concept, absent -> another).
GIVEAWAY_LIMIT = {2: 0.70, 3: 0.62}
AGAINST_TYPE_MIN = 0.30
MIN_SCENARIOS = {2: 30, 3: 24}
MIN_PER_CONCEPT = 6
# A run of this many words of a definition, at least two of them not stop words,
# counts as quoting it.
DEFINITION_PHRASE = 3

STOP_WORDS = frozenset(
    (  # noqa: SIM905 - a list of words reads best as words
        "a an and are as at be been by for from had has have in into is it its of on or that the their them "
        "they this to was were which who with not no any all each one two more most other such than then there "
        "these those over under up out only own same so very can will would may might must should could do does "
        "did our we you your he she his her i me my"
    ).split()
)

_stemmer = snowballstemmer.stemmer("english")


@functools.lru_cache(maxsize=65536)
def _stem(word):
    """The word's stem; remembered, since the pure-Python stemmer cost most of check_content on a big site."""
    return _stemmer.stemWord(word)


_WORD = re.compile(r"[a-z0-9]+(?:['’][a-z]+)?")


def words(text, surface=None):
    """The text's words, lower-cased and stemmed ("Votes" and "voted" are one word), possessives dropped.

    When `surface` (a dict) is given, it learns a readable form of each stem, for messages.
    """
    raw = [w.split("'")[0].split("’")[0] for w in _WORD.findall(text.lower())]
    stems = [_stem(word) for word in raw]
    if surface is not None:
        for stem, word in zip(stems, raw, strict=True):
            if len(word) < len(surface.get(stem, word + "_")):
                surface[stem] = word
    return stems


@dataclass
class ConceptData:
    slug: str
    name: str
    definition: str = ""
    synonyms: list = field(default_factory=list)


@dataclass
class ScenarioData:
    slug: str
    text: str
    correct_concept: str
    explanation: str = ""
    cues: list = field(default_factory=list)
    against_type: bool = False
    source_url: str = ""
    wrong_choices: dict = field(default_factory=dict)  # wrong concept slug -> why not


@dataclass
class ExampleData:
    slug: str
    name: str
    concept: str
    source_url: str = ""


@dataclass
class ComparisonData:
    slug: str
    concepts: list  # of ConceptData, in column order
    rows: dict  # row slug -> row name
    cells: dict = field(default_factory=dict)  # (row slug, concept slug) -> text
    headlines: dict = field(default_factory=dict)  # (row slug, concept slug) -> headline, where written
    scenarios: list = field(default_factory=list)
    examples: list = field(default_factory=list)
    has_quiz: bool = True


@dataclass(frozen=True)
class Finding:
    comparison: str
    item: str
    rule: str
    message: str

    def __str__(self):
        return f"{self.comparison}: {self.item}: [{self.rule}] {self.message}"


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
    tokens = words(text)
    return {
        tuple(tokens[i : i + size])
        for i in range(len(tokens) - size + 1)
        if sum(t not in STOP_WORDS for t in tokens[i : i + size]) >= 2
    }


def _contains(tokens, phrase):
    n = len(phrase)
    return any(tuple(tokens[i : i + n]) == phrase for i in range(len(tokens) - n + 1))


_PARENTHESES = re.compile(r"\(([^()]{2,60})\)")


def check_comparison(comparison):
    """Findings for one comparison's quiz (an empty list when it keeps every rule)."""
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
        tokens = words(scenario.text)
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


def check_all(comparisons):
    findings = []
    for comparison in comparisons:
        findings.extend(check_comparison(comparison))
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
    """Scenarios, against-type share and the most predictive word, as one line."""
    total = len(comparison.scenarios)
    if not total:
        return f"{comparison.slug}: no scenarios"
    against = against_type_share(comparison)
    best = predictive_words(comparison, limit=1)
    word = f"“{best[0].word}” {best[0].share:.0%}" if best else "-"
    return f"{comparison.slug}: {total} scenarios, {against:.0%} against type, most predictive word {word}"


# Building the data from content files (the database side is in explainer.content_checks).


def from_folder(folder, concepts_by_slug):
    """ComparisonData from a content folder; `concepts_by_slug` holds every folder's concepts."""
    folder = Path(folder)
    doc = json.loads((folder / "comparison.json").read_text(encoding="utf-8"))
    scenarios_path = folder / "scenarios.json"
    scenarios = json.loads(scenarios_path.read_text(encoding="utf-8")) if scenarios_path.is_file() else []
    meta = doc["comparison"]
    return ComparisonData(
        slug=meta["slug"],
        concepts=[concepts_by_slug[slug] for slug in meta["concepts"]],
        rows={row["slug"]: row["name"] for row in doc["attributes"]},
        cells={(row["slug"], c): text for row in doc["attributes"] for c, text in row["cells"].items()},
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
            ExampleData(e["slug"], e["name"], e["concept"], e.get("source_url", "")) for e in doc.get("examples", [])
        ],
        has_quiz=not meta.get("no_quiz", False),
    )


def from_folders(folders):
    docs = [json.loads((Path(f) / "comparison.json").read_text(encoding="utf-8")) for f in folders]
    concepts = {
        c["slug"]: ConceptData(c["slug"], c["name"], c.get("definition", ""), list(c.get("synonyms", [])))
        for doc in docs
        for c in doc.get("concepts", [])
    }
    return [from_folder(folder, concepts) for folder in folders]


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
    findings = [f for f in check_all(comparisons) if f.comparison in named]
    for comparison in comparisons:
        if comparison.slug in named:
            print(summary_line(comparison))
            for word in predictive_words(comparison, limit=3):
                print(f"    {word.word}: {word.share:.0%} (-> {word.concept}, in {word.present_in})")
    for finding in findings:
        print(finding)
    print(f"{len(findings)} finding(s)")
    return 1 if findings else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
