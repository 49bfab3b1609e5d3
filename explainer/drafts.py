"""Drafts of live comparisons: change a copy, preview it, compare it, then publish or discard it.

A live (published) comparison is never edited in place: readers must keep
seeing it whole until an editor decides the changes are ready. Instead an
editor starts a *draft*, a private copy of the comparison (its concept
columns, rows, cells, points and quiz scenarios) with private copies of its
concepts and their examples. The draft is an ordinary draft comparison, so
every admin screen edits it and the staff-only page previews it exactly as
readers will see it. See docs/decisions.md, "Drafts of live comparisons".

Contract:
- `start(live, user)` makes the draft in one transaction, or returns the one
  that exists (one draft per live comparison).
- `problems(draft)` lists what stops publishing: the draft's own
  completeness (Comparison.missing_for_publication) and any concept text that
  changed on the live site since the draft began and in the draft too.
- `publish(draft, user)` applies the draft to the live comparison in one
  transaction, then deletes the draft. Live objects keep their ids, so
  learners' recorded responses stay with their scenarios; a scenario removed
  in the draft is unpublished on the live site, never deleted. Concept texts
  are three-way merged: only what the draft changed is applied. History
  (django-reversion) gets the live version as it was, the draft as published
  and the live version after.
- `discard(draft, user)` records the draft in history and deletes it; the
  live comparison is untouched.
- `changes(draft)` lists what publishing would change, section by section.
"""

import difflib
from dataclasses import dataclass, field

import reversion
from django.db import transaction
from django.utils.translation import gettext as _

from explainer import caching
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

COMPARISON_FIELDS = ["title", "lede", "one_line_test", "intro", "blur_note", "sources", "category_id", "has_quiz"]
CONCEPT_FIELDS = ["name", "definition", "description", "synonyms"]
EXAMPLE_FIELDS = ["name", "kind", "start_year", "end_year", "ongoing", "summary", "source_url"]
ROW_FIELDS = ["name", "slug", "question", "position", "is_key"]
SCENARIO_FIELDS = [
    "slug",
    "text",
    "explanation",
    "misconception",
    "against_type",
    "difficulty",
    "is_real",
    "year",
    "source_url",
    "is_published",
    "position",
]
DRAFT_SUFFIX = "--draft"
REWRITE_RATIO = 0.5  # below this share of words in common, a change is shown as a rewrite


class DraftError(Exception):
    """The draft cannot be published as it is; `problems` says why."""

    def __init__(self, problems):
        super().__init__("; ".join(problems))
        self.problems = problems


def _values(obj, names):
    return {name: getattr(obj, name) for name in names}


def _copy(obj, **overrides):
    """An unsaved copy of `obj` with every concrete field but the primary key, and `overrides`."""
    values = {f.attname: getattr(obj, f.attname) for f in obj._meta.concrete_fields if not f.primary_key}
    values.update(overrides)
    return type(obj)(**values)


def _unique_slug(model, base, max_length):
    slug, number = base[:max_length], 2
    while model.objects.filter(slug=slug).exists():
        tail = f"-{number}"
        slug, number = base[: max_length - len(tail)] + tail, number + 1
    return slug


def _whole(comparison):
    """Everything a revision must hold to bring `comparison` back: itself (with its columns, rows,
    cells and points, which reversion follows), its scenarios and its concepts (with their examples)."""
    return [comparison, *comparison.scenarios.all(), *comparison.concepts.all()]


def _record(objects, user, comment):
    with reversion.create_revision(manage_manually=True):
        for obj in objects:
            reversion.add_to_revision(obj)
        reversion.set_user(user)
        reversion.set_comment(comment)


def _copy_notes(source, target, concepts):
    """Give scenario `target` the notes on wrong choices of `source`, each concept mapped through `concepts`."""
    WrongChoiceNote.objects.bulk_create(
        WrongChoiceNote(scenario=target, concept=concepts[note.concept_id], text=note.text)
        for note in source.wrong_notes.all()
        if note.concept_id in concepts
    )


@transaction.atomic
def start(live, user):
    """The draft of `live`'s pending changes: the existing one, or a new copy of everything it shows."""
    live = Comparison.objects.select_for_update().get(pk=live.pk)
    if live.draft is not None:
        return live.draft
    draft = _copy(
        live,
        slug=_unique_slug(Comparison, live.slug[: 120 - len(DRAFT_SUFFIX)] + DRAFT_SUFFIX, 120),
        status=Comparison.Status.DRAFT,
        published_at=None,
        draft_of_id=live.pk,
    )
    draft.save()
    draft.related.set(live.related.all())

    concepts = {}  # live concept id -> its copy
    for link in live.comparisonconcept_set.select_related("concept"):
        concept = link.concept
        examples = list(concept.examples.all())
        base = {**_values(concept, CONCEPT_FIELDS), "examples": [example.pk for example in examples]}
        copy = _copy(
            concept,
            slug=_unique_slug(Concept, f"{concept.slug}--draft-{draft.pk}", 80),
            draft_of_id=concept.pk,
            draft_base=base,
        )
        copy.save()
        concepts[concept.pk] = copy
        Example.objects.bulk_create(
            _copy(
                example,
                concept_id=copy.pk,
                slug=_unique_slug(Example, f"{example.slug}--draft-{draft.pk}", 120),
                draft_of_id=example.pk,
                draft_base=_values(example, EXAMPLE_FIELDS),
            )
            for example in examples
        )
        ComparisonConcept.objects.create(comparison=draft, concept=copy, position=link.position)

    # bulk_create: copies keep their positions as they are (save() would renumber zeros).
    rows = {}
    for attribute in live.attributes.all():
        copy = _copy(attribute, comparison_id=draft.pk, draft_of_id=attribute.pk)
        rows[attribute.pk] = Attribute.objects.bulk_create([copy])[0]
    Cell.objects.bulk_create(
        _copy(cell, attribute_id=rows[cell.attribute_id].pk, concept_id=concepts[cell.concept_id].pk)
        for cell in Cell.objects.filter(attribute__comparison=live, concept_id__in=concepts)
    )
    Point.objects.bulk_create(
        _copy(
            point,
            comparison_id=draft.pk,
            attribute_id=rows[point.attribute_id].pk if point.attribute_id else None,
            draft_of_id=point.pk,
        )
        for point in live.points.all()
    )
    for scenario in live.scenarios.prefetch_related("cues", "wrong_notes"):
        copy = _copy(
            scenario,
            comparison_id=draft.pk,
            correct_concept_id=concepts[scenario.correct_concept_id].pk,
            draft_of_id=scenario.pk,
        )
        copy.save()
        copy.cues.set([rows[cue.pk] for cue in scenario.cues.all()])
        _copy_notes(scenario, copy, concepts)
    _record(_whole(draft), user, _("Started a draft of “%(title)s”.") % {"title": live.title})
    return draft


def _concept_map(draft):
    """The draft's concept ids -> the live concepts they become (a copy's original, or the concept itself)."""
    return {
        link.concept_id: (link.concept.draft_of or link.concept)
        for link in draft.comparisonconcept_set.select_related("concept__draft_of")
    }


def conflicts(draft):
    """Concept texts changed both on the live site (by another draft's publication) and in this draft."""
    found = []
    for link in draft.comparisonconcept_set.select_related("concept__draft_of"):
        copy, live = link.concept, link.concept.draft_of
        if live is None or not copy.draft_base:
            continue
        for name in CONCEPT_FIELDS:
            base, mine, theirs = copy.draft_base.get(name), getattr(copy, name), getattr(live, name)
            if mine != base and theirs != base and theirs != mine:
                found.append(
                    _(
                        "The concept “%(concept)s”: its %(field)s was changed on the live site after this "
                        "draft began. Copy the live text into the draft (or your text into it) first."
                    )
                    % {"concept": live.name, "field": Concept._meta.get_field(name).verbose_name}
                )
    return found


def problems(draft):
    """Everything that stops `draft` from being published, as sentences for the editor."""
    return [*draft.missing_for_publication(), *conflicts(draft)]


def _apply_edits(copy, live, fields):
    """Save into `live` the `fields` the draft `copy` changed since it was taken (its draft_base); no others."""
    base = copy.draft_base or {}
    changed = [name for name in fields if getattr(copy, name) != base.get(name)]
    for name in changed:
        setattr(live, name, getattr(copy, name))
    if changed:
        live.save()


def _apply_concepts(draft):
    """Apply the draft's concept copies to the live concepts (three-way: only what the draft changed)."""
    for link in draft.comparisonconcept_set.select_related("concept__draft_of"):
        copy, live = link.concept, link.concept.draft_of
        if live is None:
            continue
        base = copy.draft_base or {}
        _apply_edits(copy, live, CONCEPT_FIELDS)
        kept = set()
        for example in copy.examples.all():
            original = (
                Example.objects.filter(pk=example.draft_of_id, concept=live).first() if example.draft_of_id else None
            )
            if original is not None:
                _apply_edits(example, original, EXAMPLE_FIELDS)
                kept.add(original.pk)
            else:
                new = _copy(example, concept_id=live.pk, draft_of_id=None, draft_base=None)
                new.slug = _unique_slug(Example, example.slug.split("--draft-")[0], 120)
                new.save()
                kept.add(new.pk)
        removed = set(base.get("examples", [])) - kept
        Example.objects.filter(pk__in=removed, concept=live).delete()


def _apply_rows(draft, live, concepts):
    """Rows, cells and points, each keeping its live id where it is the same item.

    A row or point keeps the id of the live one it is a copy of, a cell the id of the live cell
    of the same row and concept: history then reads as edits, not as deletions and additions.
    Returns {draft row id: live row}.
    """
    live_rows = {row.pk: row for row in live.attributes.all()}
    drafted = list(draft.attributes.all())
    kept_ids = {row.draft_of_id for row in drafted if row.draft_of_id in live_rows}
    Attribute.objects.filter(comparison=live).exclude(pk__in=kept_ids).delete()
    # Slugs are unique per comparison: move the kept rows out of the way before renaming any.
    for pk in kept_ids:
        Attribute.objects.filter(pk=pk).update(slug=f"tmp-{pk}")
    rows = {}
    for row in drafted:
        target = live_rows[row.draft_of_id] if row.draft_of_id in kept_ids else Attribute(comparison=live)
        for name in ROW_FIELDS:
            setattr(target, name, getattr(row, name))
        target.save()
        rows[row.pk] = target
    sync_cells(
        live,
        {
            (rows[cell.attribute_id].pk, concepts[cell.concept_id].pk): (cell.headline, cell.text)
            for cell in Cell.objects.filter(attribute__comparison=draft)
            if cell.concept_id in concepts
        },
    )
    sync_points(
        live,
        [
            (
                point.draft_of_id,
                {
                    **_values(point, POINT_FIELDS),
                    "attribute_id": rows[point.attribute_id].pk if point.attribute_id else None,
                },
            )
            for point in draft.points.all()
        ],
    )
    return rows


def sync_cells(comparison, wanted):
    """Make `comparison`'s cells exactly `wanted`, {(row id, concept id): (headline, text)}.

    A cell that stays keeps its id and is saved only when its text changed.
    """
    existing = {(c.attribute_id, c.concept_id): c for c in Cell.objects.filter(attribute__comparison=comparison)}
    Cell.objects.filter(pk__in=[c.pk for key, c in existing.items() if key not in wanted]).delete()
    for (row_id, concept_id), (headline, text) in wanted.items():
        cell = existing.get((row_id, concept_id))
        if cell is None:
            Cell.objects.create(attribute_id=row_id, concept_id=concept_id, headline=headline, text=text)
        elif (cell.headline, cell.text) != (headline, text):
            cell.headline, cell.text = headline, text
            cell.save()


POINT_FIELDS = ["kind", "title", "text", "position", "attribute_id"]


def sync_points(comparison, wanted):
    """Make `comparison`'s points exactly `wanted`: (id of the point it is, or None; {field: value}) pairs.

    A point that stays keeps its id and is saved only when something changed; the values of a
    new point may also name its `draft_of_id`.
    """
    existing = {point.pk: point for point in comparison.points.all()}
    keep = {pk for pk, _values in wanted if pk in existing}
    Point.objects.filter(pk__in=set(existing) - keep).delete()
    for pk, values in wanted:
        point = existing[pk] if pk in keep else Point(comparison=comparison)
        if point.pk is not None and all(getattr(point, name) == value for name, value in values.items()):
            continue
        for name, value in values.items():
            setattr(point, name, value)
        point.save()


def _apply_scenarios(draft, live, concepts, rows):
    """Scenarios keep their ids (and so their learners' responses); one removed in the draft is unpublished.

    Their notes on wrong choices are replaced by the draft's.
    """
    live_ids = set(live.scenarios.values_list("pk", flat=True))
    drafted = list(draft.scenarios.prefetch_related("cues", "wrong_notes"))
    kept_ids = {s.draft_of_id for s in drafted if s.draft_of_id in live_ids}
    drafted_slugs = {s.slug for s in drafted}
    for scenario in live.scenarios.exclude(pk__in=kept_ids):
        scenario.is_published = False
        if scenario.slug in drafted_slugs:
            scenario.slug = f"{scenario.slug[:100]}-retired-{scenario.pk}"
        scenario.save()
    for pk in kept_ids:
        Scenario.objects.filter(pk=pk).update(slug=f"tmp-{pk}")
    for scenario in drafted:
        target = Scenario.objects.get(pk=scenario.draft_of_id) if scenario.draft_of_id in kept_ids else Scenario()
        target.comparison = live
        for name in SCENARIO_FIELDS:
            setattr(target, name, getattr(scenario, name))
        target.correct_concept = concepts[scenario.correct_concept_id]
        target.save()
        target.cues.set([rows[cue.pk] for cue in scenario.cues.all() if cue.pk in rows])
        target.wrong_notes.all().delete()
        _copy_notes(scenario, target, concepts)


@transaction.atomic
def publish(draft, user):
    """Apply `draft` to its live comparison and delete it; returns the live comparison.

    Raises DraftError (and changes nothing) when `problems(draft)` is not empty.
    """
    draft = Comparison.objects.select_for_update().get(pk=draft.pk)
    live = Comparison.objects.select_for_update().get(pk=draft.draft_of_id)
    found = problems(draft)
    if found:
        raise DraftError(found)
    # Every save below raises its comparison's page version (explainer.caching); batched, each
    # version moves once, and the bulk-created cells and points are covered by the live save.
    with caching.batched():
        live = _publish(draft, live, user)
    return live


def _publish(draft, live, user):
    _record(_whole(live), user, _("The live version, before a draft's changes were published."))
    _record(_whole(draft), user, _("The draft, as published."))
    concepts = _concept_map(draft)
    _apply_concepts(draft)
    for name in COMPARISON_FIELDS:
        setattr(live, name, getattr(draft, name))
    live.status = Comparison.Status.PUBLISHED
    live.save()
    live.related.set([c for c in draft.related.all() if c.pk != live.pk and not c.is_draft_copy])
    live.comparisonconcept_set.all().delete()
    for link in draft.comparisonconcept_set.all():
        ComparisonConcept.objects.create(comparison=live, concept=concepts[link.concept_id], position=link.position)
    rows = _apply_rows(draft, live, concepts)
    _apply_scenarios(draft, live, concepts, rows)
    _delete(draft)
    live.refresh_from_db()
    _record(_whole(live), user, _("Published the draft's changes."))
    caching.bump([live.pk])
    return live


def _delete(draft):
    links = draft.comparisonconcept_set.select_related("concept")
    copies = [link.concept for link in links if link.concept.draft_of_id]
    draft.delete()
    for concept in copies:
        if not concept.comparisons.exists():
            concept.delete()


@transaction.atomic
def discard(draft, user):
    """Delete `draft` (kept in history, under "Recover deleted"); the live comparison is untouched."""
    draft = Comparison.objects.select_for_update().get(pk=draft.pk)
    _record(_whole(draft), user, _("The draft, as discarded."))
    _delete(draft)


# What would change: a structured diff for the "Changes" page.


@dataclass
class Change:
    """One changed item: `before` or `after` is None when it was added or removed."""

    label: str
    before: str | None
    after: str | None
    note: str = ""  # what the change means for readers, when "added", "removed" or "changed" says too little

    @property
    def kind(self):
        if self.before is None:
            return "added"
        if self.after is None:
            return "removed"
        return "changed"

    def words(self):
        """(op, text) pieces of a word-level diff: op is "same", "del" or "ins"."""
        old, new = (self.before or "").split(" "), (self.after or "").split(" ")
        matcher = difflib.SequenceMatcher(a=old, b=new, autojunk=False)
        if matcher.ratio() < REWRITE_RATIO:
            # A rewrite: word-by-word marks would pair up stray "in"s and "the"s; show old, then new.
            return [(op, text) for op, text in (("del", self.before), ("ins", self.after)) if text]
        pieces = []
        for op, i1, i2, j1, j2 in matcher.get_opcodes():
            if op == "equal":
                pieces.append(("same", " ".join(old[i1:i2])))
                continue
            if i2 > i1:
                pieces.append(("del", " ".join(old[i1:i2])))
            if j2 > j1:
                pieces.append(("ins", " ".join(new[j1:j2])))
        return pieces


@dataclass
class Section:
    title: str
    changes: list = field(default_factory=list)


def _items(comparison, own):
    """The comparison as {section: {key: (label, text)}}; keys match between a live comparison and its draft.

    `own(obj)` gives the key of an object: its id on the live side, the id of its
    original (or a "new" key) on the draft side.
    """
    concepts = {link.concept_id: link.concept for link in comparison.comparisonconcept_set.select_related("concept")}
    names = {pk: concept.name for pk, concept in concepts.items()}
    items = {_("Page"): {}, _("Concepts"): {}, _("Examples"): {}, _("Table"): {}, _("Points"): {}, _("Quiz"): {}}
    page = items[_("Page")]
    for name in COMPARISON_FIELDS:
        value = getattr(comparison, name)
        if name == "category_id":
            value, name = str(comparison.category), "category"
        page[name] = (str(Comparison._meta.get_field(name).verbose_name), str(value))
    page["columns"] = (_("columns"), " | ".join(names[pk] for pk in concepts))
    page["related"] = (_("related comparisons"), ", ".join(sorted(c.title for c in comparison.related.all())))
    for concept in concepts.values():
        for name in CONCEPT_FIELDS:
            items[_("Concepts")][(own(concept), name)] = (
                f"{concept.name}: {Concept._meta.get_field(name).verbose_name}",
                getattr(concept, name),
            )
        for example in concept.examples.all():
            text = " · ".join(str(getattr(example, name)) for name in EXAMPLE_FIELDS)
            items[_("Examples")][own(example)] = (f"{concept.name}: {example.name}", text)
    rows = list(comparison.attributes.prefetch_related("cells"))
    for row in rows:
        label = _("Row “%(name)s”") % {"name": row.name}
        key = f" [{_('key takeaway')}]" if row.is_key else ""
        items[_("Table")][(own(row), "row")] = (label, f"{row.name} ({row.question}){key}")
        for cell in row.cells.all():
            concept = concepts.get(cell.concept_id)
            if concept is not None:
                text = f"{cell.headline}: {cell.text}" if cell.headline else cell.text
                items[_("Table")][(own(row), own(concept))] = (f"{row.name} × {concept.name}", text)
    items[_("Table")]["order"] = (_("row order"), " | ".join(row.name for row in rows))
    for kind, label in Point.Kind.choices:
        points = [p for p in comparison.points.select_related("attribute") if p.kind == kind]
        for number, point in enumerate(points, 1):
            row = f" [{point.attribute.name}]" if point.attribute_id else ""
            items[_("Points")][(kind, number)] = (f"{label} {number}", f"{point.title}{row}: {point.text}")
    for scenario in comparison.scenarios.select_related("correct_concept").prefetch_related("cues", "wrong_notes"):
        cues = ", ".join(sorted(cue.name for cue in scenario.cues.all()))
        published = "" if scenario.is_published else f" [{_('not published')}]"
        text = f"{scenario.text} → {scenario.correct_concept.name} ({cues}){published} — {scenario.explanation}"
        if scenario.misconception:
            text += f" — {scenario.misconception}"
        for note in sorted(scenario.wrong_notes.all(), key=lambda note: names.get(note.concept_id, "")):
            text += f" — {_('why not')} {names.get(note.concept_id, '')}: {note.text}"
        items[_("Quiz")][own(scenario)] = (scenario.slug, text)
    return items


def changes(draft):
    """What publishing `draft` would change on the live site: a list of Sections that have changes."""
    live = draft.draft_of
    before = _items(live, lambda obj: (type(obj).__name__, obj.pk))
    after = _items(
        draft,
        lambda obj: (type(obj).__name__, obj.draft_of_id) if obj.draft_of_id else (type(obj).__name__, "new", obj.pk),
    )
    sections = []
    for title, old in before.items():
        new = after[title]
        section = Section(title)
        for key in [*old, *(key for key in new if key not in old)]:
            was, now = old.get(key), new.get(key)
            if was is not None and now is not None and was[1] == now[1]:
                continue
            change = Change((now or was)[0], was[1] if was else None, now[1] if now else None)
            if title == _("Quiz") and now is None:
                # Publishing unpublishes a live scenario, never deletes it (_apply_scenarios).
                change.note = _("will be withdrawn from the live quiz (answers kept)")
            section.changes.append(change)
        if section.changes:
            sections.append(section)
    return sections
