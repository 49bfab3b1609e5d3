"""Undo: "Restore this version" for anything in history, and "Recover deleted" one item at a time.

Contract:
- `restore(version, user)` brings back the values of `version` (a django-reversion
  Version). What a live page shows is never changed in place: the values go into
  the draft of that page (started when there is none), so the change is previewed
  and published like any other. A draft, or anything not on a live page, is
  restored in place. Returns the object whose form the editor should see next.
  Raises RestoreError, with a sentence for the editor, when it cannot.
  A comparison's version brings back its fields, columns, rows, cells and points,
  and (when the revision holds them) its scenarios with their notes and its
  concepts' texts; items that stay keep their ids.
- `recoverable(model)` lists the deleted versions of `model` worth offering: real
  deletions of live or draft items, never the copies a discarded or published draft
  left behind (their draft is gone), nor items whose owner no longer exists.
- `recover(version, user)` brings back that one item, with what it holds (a
  scenario's notes, a row's cells), not the rest of the revision it was saved in.
"""

from collections import defaultdict

import reversion
from django.core.exceptions import ObjectDoesNotExist
from django.db import IntegrityError, transaction
from django.utils.formats import localize
from django.utils.timezone import template_localtime
from django.utils.translation import gettext as _
from reversion.models import Version

from explainer import drafts
from explainer.models import (
    Attribute,
    Cell,
    Comparison,
    ComparisonConcept,
    Concept,
    Example,
    Point,
    Scenario,
    WrongChoiceNote,
)


class RestoreError(Exception):
    """The version cannot be restored; the message says why, for the editor."""


# What each kind of item belongs to: (foreign key attname, owner model). An item is offered for
# recovery only while its owner exists; Cell and WrongChoiceNote come back with their owner.
OWNERS = {
    Attribute: ("comparison_id", Comparison),
    Point: ("comparison_id", Comparison),
    Scenario: ("comparison_id", Comparison),
    ComparisonConcept: ("comparison_id", Comparison),
    Cell: ("attribute_id", Attribute),
    Example: ("concept_id", Concept),
    WrongChoiceNote: ("scenario_id", Scenario),
}
# What an item brings back with it when recovered: (model, foreign key attname to the item).
HELD = {
    Comparison: [(ComparisonConcept, "comparison_id"), (Attribute, "comparison_id"), (Point, "comparison_id")],
    Attribute: [(Cell, "attribute_id")],
    Scenario: [(WrongChoiceNote, "scenario_id")],
    Concept: [(Example, "concept_id")],
}


def _concrete(model):
    return model._meta.concrete_model if model is not None else None


def _when(version):
    return localize(template_localtime(version.revision.date_created))


def _snapshot(version):
    """{concrete model: {object id: field dict}} of everything in `version`'s revision."""
    found = defaultdict(dict)
    for other in version.revision.version_set.all():
        model = _concrete(other._model)
        if model is not None:
            found[model][int(other.object_id)] = other.field_dict
    return found


def comment_for(version):
    return _("Restored the version of %(date)s.") % {"date": _when(version)}


def describe(version):
    """What `restore(version)` will do, in a sentence for the confirmation page."""
    model = _concrete(version._model)
    current = model._default_manager.filter(pk=version.object_id).first()
    if current is None:
        return _("This item no longer exists: bring it back with “Recover deleted” on its list.")
    comparison = _live_comparison(current)
    if comparison is not None:
        return _(
            "“%(title)s” is live: this version goes into its draft. Readers keep the live page until you "
            "preview the draft and publish the changes."
        ) % {"title": comparison}
    return _("This version replaces the current one. It stays in history, so this too can be undone.")


def _live_comparison(obj):
    """The live comparison `obj` is shown on (its own comparison, or the first live page of a concept), or None."""
    if isinstance(obj, Comparison):
        return obj if obj.is_locked else None
    if isinstance(obj, Concept):
        return obj.comparisons.published().order_by("pk").first() if obj.is_locked else None
    if isinstance(obj, Example):
        return _live_comparison(obj.concept)
    if isinstance(obj, Cell):
        return _live_comparison(obj.attribute.comparison)
    if isinstance(obj, WrongChoiceNote):
        return _live_comparison(obj.scenario.comparison)
    comparison = getattr(obj, "comparison", None)
    return comparison if comparison is not None and comparison.is_locked else None


@transaction.atomic
def restore(version, user):
    """Bring back `version`'s values (see the module contract); returns the object to open next."""
    model = _concrete(version._model)
    if model is None:
        raise RestoreError(_("This version's kind of content no longer exists."))
    current = model._default_manager.filter(pk=version.object_id).first()
    if current is None:
        raise RestoreError(_("This item no longer exists: bring it back with “Recover deleted” on its list."))
    snapshot = _snapshot(version)
    live = _live_comparison(current)
    if model is Comparison:
        target = drafts.start(current, user) if live is not None else current
        _restore_comparison(snapshot, current.pk, target, via_draft=live is not None)
        drafts._record(drafts._whole(target), user, comment_for(version))
        return target
    if live is None:
        _revert_in_place(version, snapshot, model)
        with reversion.create_revision(manage_manually=True):
            reversion.add_to_revision(current)
            reversion.set_user(user)
            reversion.set_comment(comment_for(version))
        return current
    draft = drafts.start(live, user)
    copy = _copy_in_draft(model, current, draft)
    if copy is None:
        raise RestoreError(
            _(
                "The draft of “%(title)s” no longer has this item. Restore a version of the whole comparison "
                "from its history instead."
            )
            % {"title": live}
        )
    values = snapshot[model][int(version.object_id)]
    if model is Concept:
        _set(copy, values, drafts.CONCEPT_FIELDS)
    elif model is Scenario:
        _set(copy, values, drafts.SCENARIO_FIELDS)
    elif model is Attribute:
        _set(copy, values, [name for name in drafts.ROW_FIELDS if name != "slug"])
    elif model is Example:
        _set(copy, values, [name for name in drafts.EXAMPLE_FIELDS if name != "slug"])
    else:
        raise RestoreError(
            _("Restore a version of the whole comparison “%(title)s” from its history: it goes into its draft.")
            % {"title": live}
        )
    drafts._record(drafts._whole(draft), user, comment_for(version))
    return copy


def _copy_in_draft(model, live_obj, draft):
    if model is Concept:
        return Concept.objects.filter(draft_of=live_obj, comparisons=draft).first()
    if model is Example:
        return Example.objects.filter(draft_of=live_obj, concept__comparisons=draft).first()
    if model in (Scenario, Attribute):
        return model.objects.filter(draft_of=live_obj, comparison=draft).first()
    return None


def _set(obj, values, names):
    for name in names:
        if name in values:
            setattr(obj, name, values[name])
    obj.save()


def _revert_in_place(version, snapshot, model):
    """Revert the item alone, and what it holds in the same revision (a row's cells, a scenario's notes).

    Raises RestoreError when the database refuses (something it points to is gone).
    """
    try:
        with transaction.atomic():
            _revert_held(version, snapshot, model)
    except (IntegrityError, ObjectDoesNotExist) as error:
        raise RestoreError(
            _("This version points to something that no longer exists, so it cannot come back as it was.")
        ) from error


def _revert_held(version, snapshot, model):
    version._object_version.save()
    pk = int(version.object_id)
    for held, attname in HELD.get(model, []):
        for other in version.revision.version_set.all():
            if _concrete(other._model) is held and snapshot[held][int(other.object_id)].get(attname) == pk:
                _revert_held(other, snapshot, held)


def _restore_comparison(snapshot, old_id, target, via_draft):
    """Give `target` the values of comparison `old_id` in `snapshot`; items that stay keep their ids.

    `via_draft`: `target` is the draft of comparison `old_id`, whose items are found by draft_of.
    """

    def find(model, pk, **within):
        lookup = {"draft_of_id": pk} if via_draft else {"pk": pk}
        return model.objects.filter(**lookup, **within).first() if pk is not None else None

    def live_original(model, pk):
        """For a new draft item: the live item it stands for, so publishing keeps that item's id."""
        return pk if via_draft and model.objects.filter(pk=pk).exists() else None

    values = snapshot[Comparison][old_id]
    for name in drafts.COMPARISON_FIELDS:
        if name in values:
            setattr(target, name, values[name])
    target.save()

    # Columns, and concepts: a draft's copy, or the concept itself.
    concepts = {}
    links = sorted(
        (v for v in snapshot[ComparisonConcept].values() if v["comparison_id"] == old_id), key=lambda v: v["position"]
    )
    for link in links:
        concept = (find(Concept, link["concept_id"], comparisons=target) if via_draft else None) or (
            Concept.objects.filter(pk=link["concept_id"]).first()
        )
        if concept is not None:
            concepts[link["concept_id"]] = (concept, link["position"])
    if concepts:
        target.comparisonconcept_set.exclude(concept__in=[c for c, _p in concepts.values()]).delete()
        for concept, position in concepts.values():
            ComparisonConcept.objects.update_or_create(
                comparison=target, concept=concept, defaults={"position": position}
            )
    concepts = {pk: concept for pk, (concept, _p) in concepts.items()}
    for pk, concept in concepts.items():
        if pk in snapshot[Concept] and not concept.is_locked:
            _set(concept, snapshot[Concept][pk], drafts.CONCEPT_FIELDS)

    rows = _restore_rows(snapshot, old_id, target, find, live_original)
    drafts.sync_cells(
        target,
        {
            (rows[v["attribute_id"]].pk, concepts[v["concept_id"]].pk): (v.get("headline", ""), v["text"])
            for v in snapshot[Cell].values()
            if v["attribute_id"] in rows and v["concept_id"] in concepts
        },
    )
    points = []
    for pk, v in sorted(snapshot[Point].items(), key=lambda item: (item[1]["kind"], item[1]["position"], item[0])):
        if v["comparison_id"] != old_id or (v["attribute_id"] is not None and v["attribute_id"] not in rows):
            continue
        same = find(Point, pk, comparison=target)
        fields = {name: v[name] for name in drafts.POINT_FIELDS if name in v}
        fields["attribute_id"] = rows[v["attribute_id"]].pk if v["attribute_id"] is not None else None
        if same is None:
            fields["draft_of_id"] = live_original(Point, pk)
        points.append((same.pk if same else None, fields))
    drafts.sync_points(target, points)
    if any(v["comparison_id"] == old_id for v in snapshot[Scenario].values()):
        _restore_scenarios(snapshot, old_id, target, find, live_original, rows, concepts, via_draft)


def _restore_rows(snapshot, old_id, target, find, live_original):
    wanted = sorted(
        ((pk, v) for pk, v in snapshot[Attribute].items() if v["comparison_id"] == old_id),
        key=lambda item: (item[1]["position"], item[0]),
    )
    found = {pk: find(Attribute, pk, comparison=target) for pk, _v in wanted}
    kept = [row.pk for row in found.values() if row is not None]
    target.attributes.exclude(pk__in=kept).delete()
    for pk in kept:  # slugs are unique per comparison: out of the way before renaming any
        Attribute.objects.filter(pk=pk).update(slug=f"tmp-{pk}")
    rows = {}
    for pk, v in wanted:
        row = found[pk] or Attribute(comparison=target, draft_of_id=live_original(Attribute, pk))
        for name in drafts.ROW_FIELDS:
            if name in v:
                setattr(row, name, v[name])
        row.save()
        rows[pk] = row
    return rows


def _restore_scenarios(snapshot, old_id, target, find, live_original, rows, concepts, via_draft):
    wanted = [
        (pk, v)
        for pk, v in snapshot[Scenario].items()
        if v["comparison_id"] == old_id and v["correct_concept_id"] in concepts
    ]
    found = {pk: find(Scenario, pk, comparison=target) for pk, _v in wanted}
    kept = [s.pk for s in found.values() if s is not None]
    for gone in target.scenarios.exclude(pk__in=kept):
        if gone.responses.exists():  # learners' answers are kept: withdraw it instead
            gone.is_published = False
            gone.slug = f"{gone.slug[:100]}-retired-{gone.pk}"
            gone.save()
        else:
            gone.delete()
    for pk in kept:
        Scenario.objects.filter(pk=pk).update(slug=f"tmp-{pk}")
    for pk, v in wanted:
        scenario = found[pk] or Scenario(comparison=target, draft_of_id=live_original(Scenario, pk))
        for name in drafts.SCENARIO_FIELDS:
            if name in v:
                setattr(scenario, name, v[name])
        scenario.correct_concept = concepts[v["correct_concept_id"]]
        scenario.save()
        scenario.cues.set([rows[cue].pk for cue in v.get("cues", []) if cue in rows])
        scenario.wrong_notes.all().delete()
        WrongChoiceNote.objects.bulk_create(
            WrongChoiceNote(scenario=scenario, concept=concepts[note["concept_id"]], text=note["text"])
            for note in snapshot[WrongChoiceNote].values()
            if note["scenario_id"] == pk and note["concept_id"] in concepts
        )


# Recover deleted: one item at a time.


def recoverable(model):
    """The deleted versions of `model` to offer (newest first): see the module contract."""
    deleted = Version.objects.get_deleted(model).select_related("revision").order_by("-revision__date_created")
    model = _concrete(model)
    offered = []
    for version in deleted:
        values = version.field_dict
        if model in (Comparison, Concept) and values.get("draft_of_id"):
            continue  # a draft's copy goes with its draft; it is never an item of its own
        owner = OWNERS.get(model)
        if owner is not None:
            attname, owner_model = owner
            if not owner_model.objects.filter(pk=values.get(attname)).exists():
                continue
        offered.append(version)
    return offered


@transaction.atomic
def recover(version, user):
    """Bring back the deleted item of `version`, with what it holds; returns it.

    Raises RestoreError when it is not offered (recoverable) or its owner is live (it then goes
    back through a draft: restore a version of the comparison instead).
    """
    if version not in recoverable(version._model):
        raise RestoreError(_("This item cannot be recovered: it was a copy in a draft, or what held it is gone."))
    model = _concrete(version._model)
    values = version.field_dict
    owner = OWNERS.get(model)
    if owner is not None:
        holder = owner[1].objects.get(pk=values[owner[0]])
        live = _live_comparison(holder)
        if live is not None:
            raise RestoreError(
                _(
                    "“%(title)s” is live: bring this back through its draft, by restoring a version of the "
                    "comparison from its history."
                )
                % {"title": live}
            )
    _revert_in_place(version, _snapshot(version), model)
    obj = model._default_manager.get(pk=version.object_id)
    with reversion.create_revision(manage_manually=True):
        reversion.add_to_revision(obj)
        reversion.set_user(user)
        reversion.set_comment(_("Recovered, as it was on %(date)s.") % {"date": _when(version)})
    return obj
