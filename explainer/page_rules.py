"""The rules that read a quiz against its page: transfer, the word classifier, sources and freshness.

Contract: each `check_*` takes a `ComparisonData` (explainer.rule_data) and
an `add(item, rule, message)` callback, or returns `Finding`s, like the
per-comparison rules in explainer.content_rules that call them; nothing here
imports Django.
"""

import datetime
import functools
import math
import re
from collections import Counter
from dataclasses import dataclass

from explainer import freshness
from explainer.rule_data import STOP_WORDS, Finding, tokens, words

_PARENTHESES = re.compile(r"\(([^()]{2,60})\)")

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
    return tuple(w for w in tokens(text) if w not in STOP_WORDS)


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
    """Leave-one-out multinomial naive Bayes (add-one smoothing) over the items' words; None with fewer
    than two items or fewer than two keyed concepts (nothing to tell apart: every guess is the one label).

    Each item is scored against counts with its own words subtracted, which is
    the same as training on the others, at the cost of one pass.
    """
    scenarios = comparison.scenarios
    if len(scenarios) < 2:
        return None
    docs = [(Counter(_content_words(s.text)), s.correct_concept, s.slug) for s in scenarios]
    labels = sorted({label for _, label, _ in docs})
    if len(labels) < 2:
        return None
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
        phrase = tokens(scenario.slug.replace("-", " "))
        names.append((scenario.slug, f" {' '.join(phrase)} " if len(phrase) >= 3 else None))
    for number, source in enumerate(comparison.sources, start=1):
        claim = source.claim
        joined = f" {' '.join(tokens(claim))} "
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
