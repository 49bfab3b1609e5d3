"""The quiz rules (explainer.content_rules) applied to scenarios as an editor is typing or importing them.

Contract: `findings_for(comparison, scenarios)` checks `scenarios` (ScenarioData,
not yet saved, keyed by their `slug`) as the comparison's whole quiz, against
its concepts and rows as they are in the database, and returns a `QuizFindings`:
for each scenario key the rules it breaks and the give-away words it holds, and
the findings about the quiz as a whole. Reads the comparison's concepts and
rows (two queries); writes nothing. The rules that compare comparisons with
each other run when the quiz is saved (explainer.content_checks), not here.

The pieces both read the database through are here, once: `concept_data` and
`scenario_data` (a saved concept or scenario as the rules read it), and
`holding` (which scenarios' texts hold a give-away word), which the quiz screen,
the import preview and the comparison page's panel share.
"""

from dataclasses import dataclass, field

from explainer import content_rules


@dataclass
class ScenarioVerdict:
    findings: list = field(default_factory=list)  # content_rules.Finding, for this scenario
    words: list = field(default_factory=list)  # give-away words this scenario's text holds


@dataclass
class QuizFindings:
    by_scenario: dict  # scenario key -> ScenarioVerdict
    quiz: list  # findings about the quiz as a whole (size, against type, give-away words)
    giveaways: list  # content_rules.WordShare over the limit, with the keys of the scenarios holding each

    def of(self, key):
        return self.by_scenario.get(key, ScenarioVerdict())

    @property
    def count(self):
        return len(self.quiz) + sum(len(v.findings) for v in self.by_scenario.values())


def concept_data(comparison):
    """The comparison's concepts, in column order, as the rules read them."""
    return [
        content_rules.ConceptData(c.slug, c.name, c.definition, c.synonym_list, c.description)
        for c in comparison.ordered_concepts
    ]


def comparison_data(comparison, scenarios):
    """ComparisonData for `comparison` with `scenarios` as its quiz (the database's concepts and rows)."""
    return content_rules.ComparisonData(
        slug=comparison.slug,
        concepts=concept_data(comparison),
        rows={a.slug: a.name for a in comparison.attributes.all()},
        scenarios=list(scenarios),
        has_quiz=comparison.has_quiz,
    )


def holding(shares, texts):
    """[(WordShare, [key of each text holding its word])] for `shares`, over `texts` ({key: scenario text})."""
    stems = {key: set(content_rules.words(text)) for key, text in texts.items()}
    found = []
    for share in shares:
        stem = content_rules.words(share.word)[0]
        found.append((share, [key for key, held in stems.items() if stem in held]))
    return found


def giveaway_words(data):
    """The words over the give-away limit, each with the keys of the scenarios whose text holds it."""
    limit = content_rules.giveaway_limit(data)
    over = [share for share in content_rules.predictive_words(data, limit=20) if share.share > limit]
    return holding(over, {s.slug: s.text for s in data.scenarios})


def findings_for(comparison, scenarios):
    data = comparison_data(comparison, scenarios)
    by_scenario = {s.slug: ScenarioVerdict() for s in data.scenarios}
    quiz = []
    for finding in content_rules.check_comparison(data):
        if finding.item in by_scenario:
            by_scenario[finding.item].findings.append(finding)
        else:
            quiz.append(finding)
    giveaways = giveaway_words(data)
    for share, keys in giveaways:
        for key in keys:
            by_scenario[key].words.append(share.word)
    return QuizFindings(by_scenario=by_scenario, quiz=quiz, giveaways=giveaways)


def scenario_data(scenario, key=None):
    """ScenarioData of a saved Scenario (its cues and notes prefetched), under `key` (its slug by default)."""
    return content_rules.ScenarioData(
        slug=key or scenario.slug,
        text=scenario.text,
        correct_concept=scenario.correct_concept.slug,
        explanation=scenario.explanation,
        cues=[cue.slug for cue in scenario.cues.all()],
        against_type=scenario.against_type,
        source_url=scenario.source_url,
        wrong_choices={note.concept.slug: note.text for note in scenario.wrong_notes.all()},
    )
