"""Learners and what the site keeps of their learning: rounds in play and review cards.

A learner is a row made at their first answer (never on a page view: public
pages stay shared and cached), known by a long-lived signed cookie holding its
`public_id` (explainer/learners/identity.py). No e-mail, name or address is
needed; `user` links an account when the learner makes one (optional).

- `LearnerRound`: the round a learner is playing, one per comparison (or one
  review round across comparisons, `comparison` empty): the same fields the
  round engine's QuizRound has (explainer/quiz/rounds.py).
- `ReviewCard`: one FSRS card per (learner, scenario), made at a miss
  (explainer/quiz/review.py schedules it).
- Their answers are `Response` rows whose `learner` is set (explainer/models/quiz.py).
"""

import secrets
import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from explainer.models.comparisons import Comparison
from explainer.models.fields import optional_link
from explainer.models.quiz import Scenario
from explainer.models.reads import Select, earliest

PUBLIC_ID_BYTES = 24  # 32 characters of URL-safe base64: never guessed, never counted through


def new_public_id():
    return secrets.token_urlsafe(PUBLIC_ID_BYTES)


class Learner(models.Model):
    """Someone learning on the site, anonymous unless they link an account."""

    public_id = models.CharField(_("public id"), max_length=64, unique=True, default=new_public_id, editable=False)
    created_at = models.DateTimeField(_("created"), default=timezone.now, editable=False)
    # Moved on at most once a day (explainer/learners/identity.py): purge_learners reads it.
    last_seen_at = models.DateTimeField(_("last seen"), default=timezone.now, db_index=True)
    user = optional_link(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        related_name="learner",
        verbose_name=_("account"),
        one_to_one=True,
    )

    class Meta:
        ordering = ["-last_seen_at"]
        verbose_name = _("learner")
        verbose_name_plural = _("learners")

    def __str__(self):
        return f"learner {self.public_id[:8]}"


class LearnerRoundQuerySet(models.QuerySet):
    def played_by(self, public_id, comparison_id):
        """(learner, round) for the learner whose cookie holds `public_id` and their round of the comparison, or
        None when either is missing: one query (a hot read, explainer/models/reads.py), as select_related would."""
        found = _PLAYED_BY.one([public_id, comparison_id], using=self.db)
        if found is None:
            return None
        learner_round, learner = found
        learner_round.learner = learner
        return learner, learner_round


class LearnerRound(models.Model):
    """The round a learner is playing: per comparison, or (comparison empty) their review round across all."""

    learner = models.ForeignKey(Learner, on_delete=models.CASCADE, related_name="rounds", verbose_name=_("learner"))
    comparison = optional_link(
        Comparison,
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name=_("comparison"),
        help_text=_("Empty for the review round across comparisons."),
    )
    round_id = models.UUIDField(_("round"), default=uuid.uuid4, unique=True)
    items = models.JSONField(_("questions in order"), default=list)
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    # str(scenario id) -> {"chosen": id, "correct": bool[, "confidence": value]}
    responses = models.JSONField(_("responses"), default=dict)
    retry = models.BooleanField(_("retry round"), default=False)
    review = models.JSONField(_("back for review"), default=list)
    updated_at = models.DateTimeField(_("updated"), default=timezone.now)

    objects = LearnerRoundQuerySet.as_manager()

    class Meta:
        verbose_name = _("learner's round")
        verbose_name_plural = _("learners' rounds")
        constraints = [
            models.UniqueConstraint(fields=["learner", "comparison"], name="one_round_per_learner_and_comparison"),
            models.UniqueConstraint(
                fields=["learner"], condition=models.Q(comparison=None), name="one_review_round_per_learner"
            ),
        ]

    def __str__(self):
        return f"{self.learner}: {self.comparison or 'review'}"


class ReviewCardQuerySet(models.QuerySet):
    def of(self, learner_id, scenario_id):
        """The learner's card of the case, or None (a hot read: every answer reviews it)."""
        found = _CARD.one([learner_id, scenario_id], using=self.db)
        return found[0] if found is not None else None

    def earliest_due(self, learner_id):
        """When the learner's earliest card falls due, or None without cards (a hot read, after every miss)."""
        field = ReviewCard._meta.get_field("due")
        return earliest(field, f"{ReviewCard._meta.get_field('learner').column} = %s", [learner_id], using=self.db)


class ReviewCard(models.Model):
    """A case a learner missed, scheduled for review by FSRS (explainer/quiz/review.py)."""

    learner = models.ForeignKey(Learner, on_delete=models.CASCADE, related_name="cards", verbose_name=_("learner"))
    scenario = models.ForeignKey(Scenario, on_delete=models.CASCADE, related_name="+", verbose_name=_("scenario"))
    state = models.PositiveSmallIntegerField(_("state"))
    stability = models.FloatField(_("stability (days)"))
    difficulty = models.FloatField(_("difficulty"))
    due = models.DateTimeField(_("due"))
    last_review = models.DateTimeField(_("last review"), null=True, blank=True)
    confidently_wrong = models.BooleanField(_("last miss was “sure”"), default=False)

    objects = ReviewCardQuerySet.as_manager()

    class Meta:
        ordering = ["due"]
        verbose_name = _("review card")
        verbose_name_plural = _("review cards")
        constraints = [
            models.UniqueConstraint(fields=["learner", "scenario"], name="one_card_per_learner_and_scenario"),
        ]
        indexes = [models.Index(fields=["learner", "due"], name="card_learner_due")]

    def __str__(self):
        return f"{self.learner}: {self.scenario_id} due {self.due:%Y-%m-%d}"


_PLAYED_BY = Select(
    [("r", LearnerRound), ("l", Learner)],
    "{r} r INNER JOIN {l} l ON l.id = r.learner_id",
    "l.public_id = %s AND r.comparison_id = %s",
)
_CARD = Select([("c", ReviewCard)], "{c} c", "c.learner_id = %s AND c.scenario_id = %s")
