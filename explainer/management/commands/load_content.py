"""Load the content that ships with the project (explainer/content/*/).

Contract:
- Each folder under explainer/content/ holds one comparison: comparison.json
  (category, concepts, the comparison, its table, points and examples) and,
  optionally, scenarios.json (its quiz).
- Objects are matched by their natural keys (slugs). A missing object is
  created; an existing one is left exactly as an editor may have changed it,
  unless --overwrite is given, which puts the shipped text back.
- Running it twice changes nothing the second time, and it says what it did.
- It runs in one transaction: a broken file leaves the database untouched.
"""

import json
from collections import Counter
from pathlib import Path

import reversion
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone

from explainer.models import (
    Attribute,
    Category,
    Cell,
    Comparison,
    ComparisonConcept,
    Concept,
    Example,
    Point,
    Scenario,
)

CONTENT_DIR = Path(__file__).resolve().parents[2] / "content"


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
        folders = sorted(path for path in dir.iterdir() if (path / "comparison.json").is_file())
        if not folders:
            raise CommandError(f"No content found in {dir}.")
        documents = [(folder, self.read(folder / "comparison.json")) for folder in folders]
        self.check_categories_agree(documents)
        with transaction.atomic(), reversion.create_revision():
            reversion.set_comment("Loaded the shipped content (load_content).")
            # Concepts first: a comparison may use a concept another folder defines.
            for _folder, doc in documents:
                for data in doc.get("concepts", []):
                    self.load_concept(data)
            comparisons = {}
            for folder, doc in documents:
                comparisons[doc["comparison"]["slug"]] = (self.load_comparison(doc), doc)
                scenarios = folder / "scenarios.json"
                if scenarios.is_file():
                    self.load_scenarios(comparisons[doc["comparison"]["slug"]][0], self.read(scenarios))
            for comparison, doc in comparisons.values():
                related = [comparisons[slug][0] for slug in doc["comparison"].get("related", []) if slug in comparisons]
                comparison.related.add(*related)
        created = sum(n for (model, action), n in self.counts.items() if action == "created")
        updated = sum(n for (model, action), n in self.counts.items() if action == "updated")
        kept = sum(n for (model, action), n in self.counts.items() if action == "kept")
        details = ", ".join(f"{n} {model} {action}" for (model, action), n in sorted(self.counts.items()) if n)
        self.stdout.write(
            self.style.SUCCESS(
                f"Content from {len(folders)} folder(s): {created} created, {updated} updated, {kept} already there."
            )
        )
        if options["verbosity"] > 1:
            self.stdout.write(details)

    def check_categories_agree(self, documents):
        """A category named in several folders must be described the same way in each."""
        seen = {}
        for folder, doc in documents:
            category = doc["category"]
            first = seen.setdefault(category["slug"], (folder, category))
            if first[1] != category:
                raise CommandError(
                    f"Category {category['slug']!r} differs between {first[0].name} and {folder.name}; make them match."
                )

    def read(self, path):
        try:
            return json.loads(path.read_text(encoding="utf-8"))
        except (OSError, json.JSONDecodeError) as error:
            raise CommandError(f"Cannot read {path}: {error}") from error

    def upsert(self, model, lookup, values):
        """Create `model` at `lookup` with `values`, or update it only with --overwrite.

        Returns the object and whether it was written.
        """
        label = model._meta.verbose_name_plural
        obj = model._default_manager.filter(**lookup).first()
        if obj is None:
            obj = model(**lookup, **values)
            obj.full_clean(validate_unique=False, validate_constraints=False)
            obj.save()
            self.counts[(label, "created")] += 1
            return obj, True
        elif self.overwrite and any(getattr(obj, key) != value for key, value in values.items()):
            for key, value in values.items():
                setattr(obj, key, value)
            obj.save()
            self.counts[(label, "updated")] += 1
            return obj, True
        self.counts[(label, "kept")] += 1
        return obj, False

    def load_concept(self, data):
        self.upsert(
            Concept,
            {"slug": data["slug"]},
            {"name": data["name"], "definition": data["definition"], "description": data.get("description", "")},
        )

    def load_comparison(self, doc):
        cat = doc["category"]
        category, _ = self.upsert(
            Category, {"slug": cat["slug"]}, {"name": cat["name"], "description": cat.get("description", "")}
        )
        data = doc["comparison"]
        comparison = Comparison.objects.filter(slug=data["slug"]).first()
        is_new = comparison is None
        comparison, _ = self.upsert(
            Comparison,
            {"slug": data["slug"]},
            {
                "title": data["title"],
                "lede": data["lede"],
                "intro": data.get("intro", ""),
                "blur_note": data.get("blur_note", ""),
                "category": category,
            },
        )
        for position, slug in enumerate(data["concepts"]):
            try:
                concept = Concept.objects.get(slug=slug)
            except Concept.DoesNotExist:
                raise CommandError(f"{data['slug']}: unknown concept {slug!r}.") from None
            self.upsert(ComparisonConcept, {"comparison": comparison, "concept": concept}, {"position": position})
        concepts = {c.slug: c for c in comparison.concepts.all()}
        attributes = {}
        for position, row in enumerate(doc["attributes"]):
            attribute, _ = self.upsert(
                Attribute,
                {"comparison": comparison, "slug": row["slug"]},
                {"name": row["name"], "question": row.get("question", ""), "position": position},
            )
            attributes[row["slug"]] = attribute
            for concept_slug, text in row["cells"].items():
                if concept_slug not in concepts:
                    raise CommandError(f"{data['slug']}/{row['slug']}: {concept_slug!r} is not a concept of it.")
                self.upsert(Cell, {"attribute": attribute, "concept": concepts[concept_slug]}, {"text": text})
        for position, point in enumerate(doc.get("similarities", [])):
            self.upsert(
                Point,
                {"comparison": comparison, "kind": Point.Kind.SIMILARITY, "title": point["title"]},
                {"text": point["text"], "position": position},
            )
        for position, point in enumerate(doc.get("differences", [])):
            if point["attribute"] not in attributes:
                raise CommandError(f"{data['slug']}: difference about unknown attribute {point['attribute']!r}.")
            self.upsert(
                Point,
                {"comparison": comparison, "kind": Point.Kind.DIFFERENCE, "title": point["title"]},
                {"text": point["text"], "position": position, "attribute": attributes[point["attribute"]]},
            )
        for item in doc.get("examples", []):
            if item["concept"] not in concepts:
                raise CommandError(f"{data['slug']}: example {item['slug']!r} of unknown concept {item['concept']!r}.")
            self.upsert(
                Example,
                {"slug": item["slug"]},
                {
                    "concept": concepts[item["concept"]],
                    "name": item["name"],
                    "kind": item["kind"],
                    "start_year": item["start_year"],
                    "end_year": item.get("end_year"),
                    "summary": item["summary"],
                    "source_url": item["source_url"],
                },
            )
        if is_new:
            # Shipped content is reviewed content: publish it on first load.
            comparison.status = Comparison.Status.PUBLISHED
            comparison.published_at = timezone.now()
            comparison.save(update_fields=["status", "published_at"])
        return comparison

    def load_scenarios(self, comparison, scenarios):
        concepts = {c.slug: c for c in comparison.concepts.all()}
        attributes = {a.slug: a for a in comparison.attributes.all()}
        for item in scenarios:
            if item["correct_concept"] not in concepts:
                raise CommandError(
                    f"{comparison.slug}/{item['slug']}: unknown concept {item['correct_concept']!r}."
                )
            unknown = [slug for slug in item["cues"] if slug not in attributes]
            if unknown:
                raise CommandError(f"{comparison.slug}/{item['slug']}: unknown cue attribute(s) {unknown}.")
            scenario, written = self.upsert(
                Scenario,
                {"comparison": comparison, "slug": item["slug"]},
                {
                    "text": item["text"],
                    "answer": concepts[item["correct_concept"]],
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
