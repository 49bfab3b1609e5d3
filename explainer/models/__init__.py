"""The app's models, by subject; `from explainer.models import X` reads them all from here.

Modules import downwards only: concepts <- table <- comparisons <- quiz <- reports, classes, learners <- handoff;
versions and editing stand alone. Revision history is registered here, once every model exists.
"""

import reversion

from explainer.models.classes import Pupil, SchoolClass, TeacherPreferences
from explainer.models.comparisons import (
    MIN_DIFFERENCES,
    MIN_EXAMPLES,
    MIN_SIMILARITIES,
    Comparison,
    ComparisonQuerySet,
    ComparisonStatus,
    PublicationCheck,
    sees_drafts,
    table_prefetch,
)
from explainer.models.concepts import Category, Concept, ConceptQuerySet, Example
from explainer.models.editing import EditPresence
from explainer.models.handoff import ContinueLink
from explainer.models.learners import Learner, LearnerRound, ReviewCard
from explainer.models.lti import LtiAttempt, LtiLaunchState, LtiPlatform, LtiRetiredKey
from explainer.models.quiz import (
    Confidence,
    Response,
    ResponseQuerySet,
    Scenario,
    ScenarioQuerySet,
    WrongChoiceNote,
    short_slug,
)
from explainer.models.reports import Report, ReportQuerySet
from explainer.models.table import (
    KEY_ROWS,
    Attribute,
    AttributeQuerySet,
    Cell,
    ComparisonConcept,
    KeyDifference,
    Point,
    PointKind,
    Similarity,
    TableCell,
    TableRow,
    number_last,
)
from explainer.models.versions import ComparisonVersion, ContentGeneration

# The content editors write, parents before children. Responses and reports are
# records of what readers did, not content: they change no page.
CONTENT_MODELS = [
    Category,
    Concept,
    Comparison,
    ComparisonConcept,
    Attribute,
    Cell,
    Point,
    Example,
    Scenario,
    WrongChoiceNote,
]
RECORD_MODELS = [
    SchoolClass,
    Learner,
    Pupil,
    LearnerRound,
    ReviewCard,
    Response,
    Report,
    TeacherPreferences,
    LtiPlatform,
    LtiRetiredKey,
    LtiAttempt,
]


# Revision history (django-reversion): every content change keeps a version, and
# a comparison's or concept's version includes the rows, cells, points and examples
# edited with it, so that reverting one brings back the whole table as it was.
reversion.register(Category)
reversion.register(Concept, follow=["examples"])
reversion.register(Example)
reversion.register(Comparison, follow=["comparisonconcept_set", "attributes", "points"])
reversion.register(ComparisonConcept)
reversion.register(Attribute, follow=["cells"])
reversion.register(Cell)
reversion.register(Point)
reversion.register(Similarity)
reversion.register(KeyDifference)
reversion.register(Scenario, follow=["wrong_notes"])
reversion.register(WrongChoiceNote)
