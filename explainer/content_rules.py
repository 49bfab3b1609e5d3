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

import datetime
import functools
import json
import math
import re
import sys
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path

import snowballstemmer

from explainer import freshness
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


# The group is the word without its possessive or contraction ending, which findall returns.
_WORD = re.compile(r"([a-z0-9]+)(?:['’][a-z]+)?")


def words(text, surface=None):
    """The text's words, lower-cased and stemmed ("Votes" and "voted" are one word), possessives dropped.

    When `surface` (a dict) is given, it learns a readable form of each stem, for messages.
    """
    raw = _WORD.findall(text.lower())
    stems = [_stem(word) for word in raw]
    if surface is not None:
        for stem, word in zip(stems, raw, strict=True):
            if len(word) < len(surface.get(stem, word + "_")):
                surface[stem] = word
    return stems


@functools.lru_cache(maxsize=16384)
def _tokens(text):
    """words(text) as a tuple, remembered: several rules read the same item's words in turn."""
    return tuple(words(text))


@dataclass
class ConceptData:
    slug: str
    name: str
    definition: str = ""
    synonyms: list = field(default_factory=list)
    description: str = ""


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
    summary: str = ""


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
    texts: dict = field(default_factory=dict)  # where on the page ("intro", "difference “…”") -> its text
    sources: list = field(default_factory=list)  # of freshness.Source


@dataclass(frozen=True)
class Finding:
    comparison: str
    item: str
    rule: str
    message: str
    # A warning is shown but fails nothing: a claim past its review date is due for a
    # check, not broken content, and a build must not start failing on a date alone.
    warning: bool = False

    def __str__(self):
        prefix = "warning: " if self.warning else ""
        return f"{prefix}{self.comparison}: {self.item}: [{self.rule}] {self.message}"


def errors(findings):
    """The findings that fail a check (everything but warnings)."""
    return [f for f in findings if not f.warning]


def warnings(findings):
    return [f for f in findings if f.warning]


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


# Transfer: quiz cases are cases the page does not show (docs/quiz.md).
TRANSFER_MAX = 0.10  # the share of a quiz's items that may retell a case the page presents
SHARED_PHRASE = 5  # this many words in a row (stop words left out) shared with the page retell it


@dataclass
class Retelling:
    item: str  # the scenario's slug
    case: str  # the page's case: an example's name, or the place on the page
    how: str  # "same source", "names it" or "shares “…”"


@functools.lru_cache(maxsize=16384)
def _content_words(text):
    """The text's words without stop words, as a tuple (remembered, like _tokens)."""
    return tuple(w for w in _tokens(text) if w not in STOP_WORDS)


def _shown(text, phrase):
    """A stemmed phrase of `text` in the words the text uses, for messages."""
    surface = {}
    words(text, surface)
    return " ".join(surface.get(w, w) for w in phrase)


def _grams(tokens, size):
    return {tuple(tokens[i : i + size]) for i in range(len(tokens) - size + 1)}


def retellings(comparison):
    """The quiz items that retell a case the page presents, with that case; in quiz order.

    An item retells an example when it cites the example's source, names it (the
    example's full name without its parts in brackets, two words or more: parts of
    a name, such as "North Atlantic", also name other things), or shares
    SHARED_PHRASE words in a row with its summary;
    it retells the page when it shares that many words in a row with one of the
    page's texts (intro, blur note, cells, points).
    """
    examples = []
    for example in comparison.examples:
        name = _content_words(_PARENTHESES.sub(" ", example.name))
        # Names are found by plain string search on the joined words: far cheaper than a scan.
        named = f" {' '.join(name)} " if len(name) >= 2 else None
        examples.append((example, named, _grams(_content_words(example.summary), SHARED_PHRASE)))
    page = {}  # phrase -> the first place on the page that has it
    for place, text in comparison.texts.items():
        for gram in _grams(_content_words(text), SHARED_PHRASE):
            page.setdefault(gram, place)
    found = []
    for scenario in comparison.scenarios:
        tokens = _content_words(scenario.text)
        joined = f" {' '.join(tokens)} "
        grams = _grams(tokens, SHARED_PHRASE)
        retold = None
        for example, named, summary in examples:
            if scenario.source_url and scenario.source_url == example.source_url:
                retold = Retelling(scenario.slug, example.name, "same source")
            elif named and named in joined:
                retold = Retelling(scenario.slug, example.name, "names it")
            elif grams & summary:
                retold = Retelling(
                    scenario.slug, example.name, f"shares “{_shown(scenario.text, min(grams & summary))}”"
                )
            if retold:
                break
        if retold is None:
            shared = [gram for gram in grams if gram in page]
            if shared:
                gram = min(shared)
                retold = Retelling(scenario.slug, page[gram], f"shares “{_shown(scenario.text, gram)}”")
        if retold:
            found.append(retold)
    return found


def transfer_allowance(comparison):
    """How many of its items a quiz may spend on the page's own cases (10%, rounded down)."""
    return int(len(comparison.scenarios) * TRANSFER_MAX + 1e-9)


def check_transfer(comparison, add):
    """`transfer`: at most 10% of the items retell a page case; over that, each retelling item is named."""
    found = retellings(comparison)
    allowed = transfer_allowance(comparison)
    if len(found) <= allowed:
        return
    for retold in found:
        add(
            retold.item,
            "transfer",
            f"retells the page's case “{retold.case}” ({retold.how}); {len(found)} of "
            f"{len(comparison.scenarios)} items retell page cases, at most {allowed} may: "
            "give it a case the page does not show.",
        )


# Words in combination: a multinomial naive Bayes over the items' words, each item
# classified by the others (leave one out). The same figures as /work/tools/nb_check.py.
CLASSIFIER_MARGIN = 0.25


@dataclass
class ClassifierResult:
    accuracy: float
    chance: float  # the share of the commonest keyed concept
    confident: list  # (gap in log-probability, scenario slug, concept) of the items keyed right, surest first

    @property
    def margin(self):
        return self.accuracy - self.chance


def classifier(comparison):
    """Leave-one-out multinomial naive Bayes (add-one smoothing) over the items' words; None without items.

    Each item is scored against counts with its own words subtracted, which is
    the same as training on the others, at the cost of one pass.
    """
    scenarios = comparison.scenarios
    if len(scenarios) < 2:
        return None
    docs = [(Counter(_content_words(s.text)), s.correct_concept, s.slug) for s in scenarios]
    labels = sorted({label for _, label, _ in docs})
    counts = {label: Counter() for label in labels}
    sizes = Counter()
    doc_freq = Counter()
    for bag, label, _ in docs:
        counts[label].update(bag)
        sizes[label] += 1
        doc_freq.update(bag.keys())
    totals = {label: sum(counts[label].values()) for label in labels}
    vocabulary = len(doc_freq)
    n = len(docs)
    log = math.log
    right, confident = 0, []
    for bag, label, slug in docs:
        own = sum(bag.values())
        # Words only this item uses are outside the others' vocabulary.
        vocab = vocabulary - sum(1 for w in bag if doc_freq[w] == 1)
        scores = {}
        for c in labels:
            held = c == label
            documents = sizes[c] - held
            if documents == 0:
                scores[c] = -math.inf
                continue
            class_counts = counts[c]
            denominator = log(totals[c] - (own if held else 0) + vocab)
            score = log(documents / (n - 1))
            for w, times in bag.items():
                if doc_freq[w] == 1:
                    continue
                count = class_counts[w] - (times if held else 0)
                score += times * (log(count + 1) - denominator)
            scores[c] = score
        guess = max(scores, key=scores.get)
        if guess == label:
            right += 1
            ordered = sorted(scores.values(), reverse=True)
            confident.append((ordered[0] - ordered[1], slug, label))
    confident.sort(reverse=True)
    chance = max(Counter(label for _, label, _ in docs).values()) / n
    return ClassifierResult(right / n, chance, confident)


def check_classifier(comparison, add):
    """`classifier`: the words in combination may not key the items more than 0.25 above chance."""
    result = classifier(comparison)
    if result is None or result.margin <= CLASSIFIER_MARGIN + 1e-9:
        return
    surest = ", ".join(slug for _, slug, _ in result.confident[:5])
    add(
        "quiz",
        "classifier",
        f"a word-counting classifier keys {result.accuracy:.0%} of the items (chance {result.chance:.0%}, "
        f"margin {result.margin:+.2f}; the limit is +{CLASSIFIER_MARGIN:.2f}): rewrite first {surest}.",
    )


# No key in the sources: the sources back the page's claims and name no quiz item.
_QUIZ_TALK = re.compile(r"\b(quiz|scenarios?|model for)\b", re.IGNORECASE)


def check_sources_name_no_item(comparison, add):
    """`key-in-sources`: no source names a quiz item (its slug, its slug as words) or talks about the quiz."""
    names = []
    for scenario in comparison.scenarios:
        phrase = _tokens(scenario.slug.replace("-", " "))
        names.append((scenario.slug, f" {' '.join(phrase)} " if len(phrase) >= 3 else None))
    for number, source in enumerate(comparison.sources, start=1):
        claim = source.claim
        joined = f" {' '.join(_tokens(claim))} "
        lowered = claim.lower()
        for slug, phrase in names:
            if slug in lowered or (phrase and phrase in joined):
                add(f"source {number}", "key-in-sources", f"names the quiz item “{slug}”: sources back the page only.")
                break
        else:
            talk = _QUIZ_TALK.search(claim)
            if talk:
                add(
                    f"source {number}",
                    "key-in-sources",
                    f"says “{talk.group(1)}”: sources back the page's claims and name no quiz item.",
                )


# Freshness: a claim that can go stale says when it was checked and when to check it again.


def time_bound_texts(comparison):
    """(place, text) for every text that makes a time-bound claim: the page's texts and real items."""
    texts = list(comparison.texts.items())
    texts += [(f"example “{e.name}”", e.summary) for e in comparison.examples]
    texts += [(f"concept “{c.name}”", c.description) for c in comparison.concepts]
    texts += [(s.slug, s.text) for s in comparison.scenarios if s.source_url]
    return [(place, text) for place, text in texts if freshness.time_bound(text)]


def check_freshness(comparison, today=None):
    """`freshness`: dated time-bound claims with a dated source; a `past-due` warning once a review date passes."""
    found = []

    def add(item, message, rule="freshness", warning=False):
        found.append(Finding(comparison.slug, item, rule, message, warning))

    dated = {s.checked for s in comparison.sources if s.checked and s.review_by}
    for place, text in time_bound_texts(comparison):
        months = sorted(set(freshness.as_of_months(text)))
        if not months:
            add(
                place,
                f"“{freshness.time_bound(text)}” makes a time-bound claim: say “as of <Month YYYY>”, the month "
                "it was checked, and back it with a source that has checked and review_by.",
            )
        for month in months:
            if month not in dated:
                add(place, f"the claim “as of” {month} needs a source checked {month} with a review_by date.")
    today = today or datetime.date.today()
    this_month = today.year * 12 + today.month - 1
    for number, source in enumerate(comparison.sources, start=1):
        item = f"source {number}"
        checked, review_by = freshness.month_index(source.checked), freshness.month_index(source.review_by)
        if (freshness.time_bound(source.claim) or freshness.as_of_months(source.claim)) and not (
            source.checked and source.review_by
        ):
            add(item, "a time-bound claim needs the month it was checked and a review_by date.")
        elif source.review_by and checked is None:
            add(item, "a review_by date needs the month the claim was checked.")
        elif review_by is not None and checked is not None:
            if not 0 < review_by - checked <= freshness.MAX_REVIEW_MONTHS:
                add(
                    item,
                    f"review_by {source.review_by} must fall within {freshness.MAX_REVIEW_MONTHS} months "
                    f"after checked {source.checked}.",
                )
            elif review_by < this_month:
                add(
                    item,
                    f"past due: “{source.claim[:80]}” was to be checked again by {source.review_by}.",
                    rule="past-due",
                    warning=True,
                )
    return found


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
