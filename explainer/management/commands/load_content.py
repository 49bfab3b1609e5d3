"""Load the content that ships with the project (explainer/content/*/).

Contract:
- Each folder under explainer/content/ holds one comparison: comparison.json
  (category, concepts, the comparison, its table, points and examples) and,
  optionally, scenarios.json (its quiz).
- Objects are matched by their natural keys (slugs). A missing object is
  created; an existing one is left exactly as an editor may have changed it
  (fields the content gained later, such as headlines, key rows and the
  one-line test, are filled in where still empty), unless --overwrite is
  given, which puts the shipped text back and unpublishes the scenarios of
  a shipped comparison that its file no longer lists (they keep their
  recorded responses).
- Corrections reach sites loaded earlier: an object that nobody but
  load_content has changed (its revision history, `ShippedHistory`) takes
  the shipped text as --overwrite would, and a scenario of that kind that the
  file no longer lists is unpublished (it keeps its responses). An object an
  editor changed is kept.
- Running it twice changes nothing the second time, and it says what it did.
- Every file is checked against its schema (explainer/content_files.py) before
  anything is written; an error names the file, the item and the field.
- It runs in one transaction: a broken file leaves the database untouched.
"""

from collections import Counter
from pathlib import Path

import reversion
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone
from reversion.errors import RevertError
from reversion.models import Version

from explainer import caching, freshness, models
from explainer.content_files import CONTENT_DIR, ContentError, content_folders, read_folder

LOAD_COMMENT = "Loaded the shipped content (load_content)."
# What a shipped scenario holds: a dropped one an editor changed in any of these stays published.
SCENARIO_FIELDS = [
    "text",
    "correct_concept",
    "against_type",
    "explanation",
    "misconception",
    "difficulty",
    "is_real",
    "year",
    "source_url",
    "is_published",
]


class Command(BaseCommand):
    help = "Create the shipped comparisons, concepts, examples and quiz scenarios (idempotent)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--overwrite",
            action="store_true",
            help="Replace the text of existing objects with the shipped text (editors' changes are lost).",
        )
        parser.add_argument("--dir", type=Path, default=CONTENT_DIR, help="Folder to read (default: %(default)s).")

    def handle(self, *args, overwrite=False, dir=CONTENT_DIR, **options):
        self.overwrite = overwrite
        self.counts = Counter()
        try:
            folders = [read_folder(path) for path in content_folders(dir)]
        except ContentError as error:
            raise CommandError(str(error)) from error
        if not folders:
            raise CommandError(f"No content found in {dir}.")
        self.check_categories_agree(folders)
        self.history = ShippedHistory()
        # One bump of each affected comparison's version at the end, not one per object saved.
        with transaction.atomic(), reversion.create_revision(), caching.batched():
            reversion.set_comment(LOAD_COMMENT)
            # Concepts first: a comparison may use a concept another folder defines.
            for folder in folders:
                for data in folder.comparison.get("concepts", []):
                    self.load_concept(data)
            comparisons = {folder.slug: self.load_folder(folder) for folder in folders}
            for folder in folders:
                related = folder.comparison["comparison"].get("related", [])
                comparisons[folder.slug].related.add(*[comparisons[slug] for slug in related if slug in comparisons])
        self.report(len(folders), options["verbosity"])

    def load_folder(self, folder):
        """One comparison, section by section; returns it."""
        doc, where = folder.comparison, folder.path.name
        comparison, is_new = self.load_comparison(doc["category"], doc["comparison"], doc.get("sources", []), where)
        attributes = self.load_table(comparison, doc["attributes"], where)
        self.load_points(comparison, doc.get("similarities", []), doc.get("differences", []), attributes, where)
        self.load_examples(comparison, doc.get("examples", []), where)
        self.load_scenarios(comparison, folder.scenarios, attributes, where)
        if is_new:
            # Shipped content is reviewed content: publish it on first load.
            comparison.status = models.Comparison.Status.PUBLISHED
            comparison.published_at = timezone.now()
            comparison.save(update_fields=["status", "published_at"])
        return comparison

    def report(self, folders, verbosity):
        created = sum(n for (model, action), n in self.counts.items() if action == "created")
        updated = sum(n for (model, action), n in self.counts.items() if action == "updated")
        kept = sum(n for (model, action), n in self.counts.items() if action == "kept")
        upgraded = sum(n for (model, action), n in self.counts.items() if action == "corrected")
        filled = sum(n for (model, action), n in self.counts.items() if action == "filled")
        retired = sum(n for (model, action), n in self.counts.items() if action == "unpublished")
        self.stdout.write(
            self.style.SUCCESS(
                f"Content from {folders} folder(s): {created} created, {updated} updated, {kept} already there"
                + (f", {upgraded} corrected (unchanged since shipped)" if upgraded else "")
                + (f", {filled} given new fields they lacked" if filled else "")
                + (f", {retired} scenario(s) no longer shipped unpublished." if retired else ".")
            )
        )
        if verbosity > 1:
            self.stdout.write(", ".join(f"{n} {model} {action}" for (model, action), n in sorted(self.counts.items())))

    def check_categories_agree(self, folders):
        """A category named in several folders must be described the same way in each."""
        seen = {}
        for folder in folders:
            category = folder.comparison["category"]
            first = seen.setdefault(category["slug"], (folder, category))
            if first[1] != category:
                raise CommandError(
                    f"Category {category['slug']!r} differs between {first[0].path.name} and {folder.path.name};"
                    " make them match."
                )

    def upsert(self, model, lookup, values, fill=None):
        """Create `model` at `lookup` with `values`, or update it only with --overwrite.

        `fill` holds fields added to the content after a site was first loaded
        (headlines, key rows, the one-line test): they are written on create and
        with --overwrite, and otherwise only where the stored value is still
        empty, so an existing site gains them without losing an editor's change.
        Returns the object and whether it was written.
        """
        label = model._meta.verbose_name_plural
        fill = fill or {}
        obj = model._default_manager.filter(**lookup).first()
        shipped = {**values, **fill}
        if obj is None:
            obj = model(**lookup, **shipped)
            obj.full_clean(validate_unique=False, validate_constraints=False)
            obj.save()
            self.counts[(label, "created")] += 1
            return obj, True
        if self.overwrite:
            change, fields = "updated", shipped
        elif self.history.unchanged(obj, shipped):
            # Nobody but load_content has changed it: the shipped text (a correction) may replace it.
            change, fields = "corrected", shipped
        else:
            # An editor has changed it: only the fields still empty are filled.
            change, fields = "filled", {key: value for key, value in fill.items() if value and not getattr(obj, key)}
        fields = {key: value for key, value in fields.items() if getattr(obj, key) != value}
        if not fields:
            self.counts[(label, "kept")] += 1
            return obj, False
        for key, value in fields.items():
            setattr(obj, key, value)
        if change == "filled":
            obj.save(update_fields=list(fields))
        else:
            obj.save()
        self.counts[(label, change)] += 1
        return obj, True

    def load_concept(self, data):
        self.upsert(
            models.Concept,
            {"slug": data["slug"]},
            {
                "name": data["name"],
                "definition": data["definition"],
                "description": data.get("description", ""),
                "synonyms": ", ".join(data.get("synonyms", [])),
            },
        )

    def load_comparison(self, category, data, sources, where):
        """The comparison, its category and its concepts (columns); returns (comparison, whether it is new)."""
        category, _ = self.upsert(
            models.Category,
            {"slug": category["slug"]},
            {"name": category["name"], "description": category.get("description", "")},
        )
        is_new = not models.Comparison.objects.filter(slug=data["slug"]).exists()
        comparison, _ = self.upsert(
            models.Comparison,
            {"slug": data["slug"]},
            {
                "title": data["title"],
                "lede": data["lede"],
                "intro": data.get("intro", ""),
                "blur_note": data.get("blur_note", ""),
                "sources": sources_markdown(sources),
                "category": category,
            },
            fill={"one_line_test": data.get("one_line_test", "")},
        )
        for position, slug in enumerate(data["concepts"]):
            concept = models.Concept.objects.filter(slug=slug).first()
            if concept is None:
                raise CommandError(f"{where}/comparison.json: field 'concepts': unknown concept {slug!r}.")
            self.upsert(
                models.ComparisonConcept, {"comparison": comparison, "concept": concept}, {"position": position}
            )
        return comparison, is_new

    def load_table(self, comparison, rows, where):
        """The rows and their cells; returns the rows by slug."""
        concepts = {c.slug: c for c in comparison.ordered_concepts}
        attributes = {}
        for position, row in enumerate(rows):
            attribute, _ = self.upsert(
                models.Attribute,
                {"comparison": comparison, "slug": row["slug"]},
                {"name": row["name"], "question": row.get("question", ""), "position": position},
                fill={"is_key": row.get("key", False)},
            )
            attributes[row["slug"]] = attribute
            headlines = row.get("headlines", {})
            for concept_slug in headlines.keys() - row["cells"].keys():
                refuse(f"{where}/comparison.json", row["slug"], "headlines", f"{concept_slug!r} has no cell.")
            for concept_slug, text in row["cells"].items():
                concept = concept_of(concepts, concept_slug, f"{where}/comparison.json", row["slug"], "cells")
                self.upsert(
                    models.Cell,
                    {"attribute": attribute, "concept": concept},
                    {"text": text},
                    fill={"headline": headlines.get(concept_slug, "")},
                )
        return attributes

    def load_points(self, comparison, similarities, differences, attributes, where):
        for position, point in enumerate(similarities):
            self.upsert(
                models.Point,
                {"comparison": comparison, "kind": models.Point.Kind.SIMILARITY, "title": point["title"]},
                {"text": point["text"], "position": position},
            )
        for position, point in enumerate(differences):
            if point["attribute"] not in attributes:
                refuse(f"{where}/comparison.json", point["title"], "attribute", f"unknown row {point['attribute']!r}.")
            self.upsert(
                models.Point,
                {"comparison": comparison, "kind": models.Point.Kind.DIFFERENCE, "title": point["title"]},
                {"text": point["text"], "position": position, "attribute": attributes[point["attribute"]]},
            )

    def load_examples(self, comparison, examples, where):
        concepts = {c.slug: c for c in comparison.ordered_concepts}
        for item in examples:
            concept = concept_of(concepts, item["concept"], f"{where}/comparison.json", item["slug"], "concept")
            self.upsert(
                models.Example,
                {"slug": item["slug"]},
                {
                    "concept": concept,
                    "name": item["name"],
                    "kind": item.get("kind", ""),
                    "start_year": item["start_year"],
                    "end_year": item.get("end_year"),
                    "ongoing": item.get("ongoing", False),
                    "summary": item["summary"],
                    "source_url": item["source_url"],
                },
            )

    def load_scenarios(self, comparison, scenarios, attributes, where):
        concepts = {c.slug: c for c in comparison.ordered_concepts}
        for item in scenarios:
            correct = concept_of(
                concepts, item["correct_concept"], f"{where}/scenarios.json", item["slug"], "correct_concept"
            )
            unknown = [slug for slug in item["cues"] if slug not in attributes]
            if unknown:
                refuse(f"{where}/scenarios.json", item["slug"], "cues", f"unknown row(s) {unknown}.")
            scenario, written = self.upsert(
                models.Scenario,
                {"comparison": comparison, "slug": item["slug"]},
                {
                    "text": item["text"],
                    "correct_concept": correct,
                    "against_type": item.get("against_type", False),
                    "explanation": item["explanation"],
                    "misconception": item.get("misconception", ""),
                    "difficulty": item["difficulty"],
                    "is_real": item["real"],
                    "year": item.get("year"),
                    "source_url": item.get("source_url") or "",
                },
            )
            if written:
                scenario.cues.set([attributes[slug] for slug in item["cues"]])
            for slug, note in item.get("wrong_choices", {}).items():
                wrong = concept_of(concepts, slug, f"{where}/scenarios.json", item["slug"], "wrong_choices")
                if wrong == correct:
                    refuse(
                        f"{where}/scenarios.json", item["slug"], "wrong_choices", f"{slug!r} is the correct concept."
                    )
                self.upsert(models.WrongChoiceNote, {"scenario": scenario, "concept": wrong}, {"text": note})
        # Scenarios the files no longer ship (rewritten or withdrawn items) stop being
        # asked; they stay, with their recorded responses, for the statistics. Without
        # --overwrite, only those nobody but load_content has changed.
        retired = comparison.scenarios.published().exclude(slug__in=[item["slug"] for item in scenarios])
        if not self.overwrite:
            retired = retired.filter(pk__in=[s.pk for s in retired if self.history.unchanged(s, SCENARIO_FIELDS)])
        if retired:
            unpublished = retired.update(is_published=False)
            self.counts[(models.Scenario._meta.verbose_name_plural, "unpublished")] += unpublished
            if unpublished:
                caching.bump([comparison.pk])  # update() sends no signals: the quiz must stop asking them


def sources_markdown(sources):
    """The content file's sources as the Markdown list readers see under "Sources" (with checked and review by)."""
    return "\n".join(
        freshness.source_line(s["claim"], s["url"], s.get("checked", ""), s.get("review_by", "")) for s in sources
    )


class ShippedHistory:
    """Whether an object still holds what load_content last wrote, read from its revision history.

    An object is unchanged when (a) every version an editor saved (any revision
    not made by load_content) holds the same values, on the shipped fields, as
    the load before it, and (b) its values now are those of its latest load.
    An object with no load in its history (loaded before revisions were kept,
    or made by an editor) is never unchanged. A load's revision can hold an
    editor's text (reversion follows a saved comparison to its rows), which is
    why (a) looks at every editor's version rather than at the latest load only.
    """

    def __init__(self):
        self._versions = {}  # model -> {object id: [versions, oldest first]}

    def versions(self, model):
        if model not in self._versions:
            by_object = {}
            for version in Version.objects.get_for_model(model).select_related("revision").order_by("revision_id"):
                by_object.setdefault(version.object_id, []).append(version)
            self._versions[model] = by_object
        return self._versions[model]

    def unchanged(self, obj, fields):
        versions = self.versions(type(obj)).get(str(obj.pk), [])
        attnames = [obj._meta.get_field(name).attname for name in fields]

        def values(version):
            recorded = version.field_dict
            return [recorded.get(name) for name in attnames]

        shipped = None
        for version in versions:
            try:
                state = values(version)
            except RevertError:  # a version that no longer reads back proves nothing: keep the object
                return False
            if version.revision.comment == LOAD_COMMENT:
                shipped = state
            elif shipped is None or state != shipped:
                return False
        return shipped is not None and [getattr(obj, name) for name in attnames] == shipped


def refuse(file, item, field, message):
    """Stop the load with the same "file: item: field: problem" form as the schema's errors."""
    raise CommandError(f"{file}: item {item!r}: field {field!r}: {message}")


def concept_of(concepts, slug, file, item, field):
    """The comparison's concept called `slug`, or a refusal naming where the unknown slug stands."""
    if slug not in concepts:
        refuse(file, item, field, f"{slug!r} is not a concept of this comparison.")
    return concepts[slug]
