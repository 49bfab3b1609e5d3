"""The plain data the content rules read, their words and their findings.

Contract: nothing here imports Django. `ComparisonData` and its parts are built
from the database (explainer.content_checks) or from content files
(explainer.content_rules.from_folder); `words` is the one reading of a text
that every rule shares (lower-cased, stemmed, possessives dropped).
"""

import functools
import re
from dataclasses import dataclass, field

import snowballstemmer

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
def tokens(text):
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
