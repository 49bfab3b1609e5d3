"""The shipped content files (explainer/content/<slug>/): their schema, and reading them.

Contract:
- `read_folder(folder)` returns a `ContentFolder` or raises `ContentError` whose
  message names the file, the item (by slug where it has one) and the field:
  "alliance-vs-coalition/scenarios.json: item 'nato-1949': field 'cues': [] should be non-empty".
- Every file is checked against its JSON Schema before anything is loaded, so a
  broken file never half-loads. Lengths match the model fields'.
"""

import json
from dataclasses import dataclass
from pathlib import Path

from jsonschema import Draft202012Validator

CONTENT_DIR = Path(__file__).resolve().parent / "content"

SLUG = {"type": "string", "pattern": r"^[a-z0-9]+(?:-[a-z0-9]+)*$", "maxLength": 80}
URL = {"type": "string", "pattern": r"^https://\S+$", "maxLength": 300}


def text(max_length=None, min_length=1):
    schema = {"type": "string", "minLength": min_length}
    if max_length:
        schema["maxLength"] = max_length
    return schema


def obj(required, optional=None):
    properties = {**required, **(optional or {})}
    return {"type": "object", "required": list(required), "properties": properties, "additionalProperties": False}


CATEGORY = obj({"slug": SLUG, "name": text(80)}, {"description": text(300, 0)})
CONCEPT = obj(
    {"slug": SLUG, "name": text(80), "definition": text(300)},
    {"description": text(min_length=0), "synonyms": {"type": "array", "items": text(60), "uniqueItems": True}},
)
ATTRIBUTE = obj(
    {"slug": SLUG, "name": text(80), "cells": {"type": "object", "additionalProperties": text(500)}},
    {
        "question": text(160, 0),
        # A few bold words per concept, shown above the cell's sentence (Cell.headline).
        "headlines": {"type": "object", "additionalProperties": text(60)},
        # One of the rows that matter most: shown in the key-takeaways box (Attribute.is_key).
        "key": {"type": "boolean"},
    },
)
SIMILARITY = obj({"title": text(120), "text": text()})
DIFFERENCE = obj({"attribute": SLUG, "title": text(120), "text": text()})
EXAMPLE_KINDS = [
    "political",
    "military",
    "economic",
    "legal",
    "social",
    "cultural",
    "scientific",
    "environmental",
    "technological",
    "historical",
]
EXAMPLE = obj(
    {
        "slug": {**SLUG, "maxLength": 120},
        "concept": SLUG,
        "name": text(120),
        "start_year": {"type": "integer", "minimum": -32768, "maximum": 32767},
        "summary": text(),
        "source_url": URL,
    },
    {
        "kind": {"enum": ["", *EXAMPLE_KINDS]},
        "end_year": {"type": ["integer", "null"], "minimum": -32768, "maximum": 32767},
        # Without an end year: true if it still goes on ("1949–present"), false for a one-year event.
        "ongoing": {"type": "boolean"},
    },
)
MONTH = {"type": "string", "pattern": r"^\d{4}-\d{2}$"}
# A time-bound claim says the month it was last checked and the month by which it must be checked again.
SOURCE = obj({"claim": text(), "url": URL}, {"checked": MONTH, "review_by": MONTH})
COMPARISON_META = obj(
    {
        "slug": {**SLUG, "maxLength": 120},
        "title": text(120),
        "lede": text(300),
        "concepts": {"type": "array", "items": SLUG, "minItems": 2, "uniqueItems": True},
    },
    {
        "one_line_test": text(200),
        "intro": text(min_length=0),
        "blur_note": text(min_length=0),
        "related": {"type": "array", "items": SLUG},
        "no_quiz": {"type": "boolean"},
    },
)
COMPARISON_FILE = obj(
    {
        "category": CATEGORY,
        "comparison": COMPARISON_META,
        "attributes": {"type": "array", "items": ATTRIBUTE, "minItems": 1},
    },
    {
        "concepts": {"type": "array", "items": CONCEPT},
        "similarities": {"type": "array", "items": SIMILARITY},
        "differences": {"type": "array", "items": DIFFERENCE},
        "examples": {"type": "array", "items": EXAMPLE},
        "sources": {"type": "array", "items": SOURCE},
    },
)
SCENARIO = obj(
    {
        "slug": {**SLUG, "maxLength": 120},
        "correct_concept": SLUG,
        "difficulty": {"enum": ["easy", "medium", "hard"]},
        "text": text(1200),
        "explanation": text(),
        "cues": {"type": "array", "items": SLUG, "minItems": 1, "uniqueItems": True},
        "real": {"type": "boolean"},
    },
    {
        "against_type": {"type": "boolean"},
        "misconception": text(min_length=0),
        # Per wrong concept (by slug), why it does not fit: shown to learners who chose it.
        "wrong_choices": {"type": "object", "propertyNames": SLUG, "additionalProperties": text(600)},
        "year": {"type": ["integer", "null"]},
        "source_url": {"anyOf": [URL, {"const": ""}]},
    },
)
SCENARIOS_FILE = {"type": "array", "items": SCENARIO}


class ContentError(Exception):
    """A content file that cannot be loaded; the message says where and why."""


@dataclass
class ContentFolder:
    path: Path
    comparison: dict  # comparison.json
    scenarios: list  # scenarios.json, or [] without one

    @property
    def slug(self):
        return self.comparison["comparison"]["slug"]


def _where(document, error):
    """ "item 'slug': field 'x'" for a schema error's path in `document`."""
    parts, node = [], document
    for step in error.absolute_path:
        node = node[step]
        if isinstance(step, int):
            label = node.get("slug") or node.get("title") if isinstance(node, dict) else None
            parts.append(f"item {label!r}" if label else f"item {step + 1}")
        else:
            parts.append(f"field {step!r}")
    return ": ".join(parts) or "top level"


def validate(document, schema, name):
    """Raise ContentError naming the file, item and field of the first problems in `document`."""
    errors = sorted(Draft202012Validator(schema).iter_errors(document), key=lambda e: list(e.absolute_path))
    if errors:
        lines = [f"{name}: {_where(document, error)}: {error.message}" for error in errors[:10]]
        more = f"\n(and {len(errors) - 10} more)" if len(errors) > 10 else ""
        raise ContentError("\n".join(lines) + more)


def _read_json(path, name):
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, json.JSONDecodeError) as error:
        raise ContentError(f"{name}: cannot be read: {error}") from error


def read_folder(folder):
    folder = Path(folder)
    name = f"{folder.name}/comparison.json"
    comparison = _read_json(folder / "comparison.json", name)
    validate(comparison, COMPARISON_FILE, name)
    scenarios = []
    if (folder / "scenarios.json").is_file():
        name = f"{folder.name}/scenarios.json"
        scenarios = _read_json(folder / "scenarios.json", name)
        validate(scenarios, SCENARIOS_FILE, name)
        for item in scenarios:
            if item["real"] and not (item.get("year") and item.get("source_url")):
                raise ContentError(
                    f"{name}: item {item['slug']!r}: field 'real': a real case needs a year and a source_url"
                )
    return ContentFolder(folder, comparison, scenarios)


def content_folders(directory=CONTENT_DIR):
    """The content folders under `directory`, by name."""
    return sorted(path for path in Path(directory).iterdir() if (path / "comparison.json").is_file())
