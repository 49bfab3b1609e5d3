"""A comparison's quiz scenarios as a spreadsheet (CSV or XLSX), through django-import-export.

Contract:
- `ScenarioResource(comparison)` reads and writes one comparison's scenarios,
  one row each: id, position, text, keyed concept (by name), against type
  (yes/no), difficulty, cues (row names, ";" between), explanation, common
  mistake, published (yes/no), and one "why not <concept>" column per concept.
  A row with an id updates that scenario of this comparison; a row without one
  adds a scenario; scenarios not in the file are left as they are.
- `preview(comparison, content, name)` imports in a transaction it rolls back
  and returns an `ImportReport`: every row's errors (named by row and column)
  and the quiz rules each row breaks, worked out on the quiz as it would be.
- `apply(comparison, content, name, user)` imports for real, in one
  transaction and one revision, and only when the file has no error at all:
  a file with errors saves nothing.
- `export(comparison, fmt)` returns the file's bytes.
Bad input (an unreadable file, an unknown format) raises SheetError with a
sentence for the editor.
"""

from dataclasses import dataclass, field

import reversion
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from import_export import fields, resources, widgets
from import_export.formats import base_formats

from explainer.models import Scenario, WrongChoiceNote
from explainer.quiz_findings import findings_for, scenario_data

FORMATS = {"csv": base_formats.CSV(), "xlsx": base_formats.XLSX()}
MAX_BYTES = 1_000_000
MAX_ROWS = 500
YES = {"yes", "y", "true", "1", "x"}
NO = {"no", "n", "false", "0", ""}


class SheetError(Exception):
    """The file cannot be read; the message says why, for the editor."""


class YesNoWidget(widgets.Widget):
    def clean(self, value, row=None, **kwargs):
        text = "" if value is None else str(value).strip().lower()
        if text in YES:
            return True
        if text in NO:
            return False
        raise ValueError(_("Write “yes” or “no”, not “%(value)s”.") % {"value": value})

    def render(self, value, obj=None, **kwargs):
        return "yes" if value else "no"


class TextWidget(widgets.Widget):
    """Text as typed, with spreadsheet numbers kept as written and nothing for an empty cell."""

    def clean(self, value, row=None, **kwargs):
        if value is None:
            return ""
        if isinstance(value, float) and value.is_integer():
            value = int(value)
        return str(value).strip()

    def render(self, value, obj=None, **kwargs):
        return "" if value is None else str(value)


class DifficultyWidget(TextWidget):
    def clean(self, value, row=None, **kwargs):
        text = super().clean(value).lower() or Scenario.Difficulty.MEDIUM
        if text not in Scenario.Difficulty.values:
            raise ValueError(
                _("Write one of %(choices)s, not “%(value)s”.")
                % {"choices": ", ".join(Scenario.Difficulty.values), "value": value}
            )
        return text


class PositionWidget(widgets.Widget):
    def clean(self, value, row=None, **kwargs):
        if value is None or str(value).strip() == "":
            return 0
        try:
            number = float(str(value).strip())
        except ValueError:
            raise ValueError(_("Write a whole number, not “%(value)s”.") % {"value": value}) from None
        if not number.is_integer() or number < 0:
            raise ValueError(_("Write a whole number, not “%(value)s”.") % {"value": value})
        return int(number)

    def render(self, value, obj=None, **kwargs):
        return value


class ConceptWidget(widgets.Widget):
    """A concept of this comparison, by name (any case)."""

    def __init__(self, concepts):
        super().__init__()
        self.concepts = concepts

    def clean(self, value, row=None, **kwargs):
        text = TextWidget().clean(value)
        for concept in self.concepts:
            if concept.name.lower() == text.lower() or concept.slug == text.lower():
                return concept
        raise ValueError(
            _("No concept “%(value)s” in this comparison: write one of %(names)s.")
            % {"value": text, "names": ", ".join(c.name for c in self.concepts)}
        )

    def render(self, value, obj=None, **kwargs):
        return value.name if value is not None else ""


class CuesWidget(widgets.ManyToManyWidget):
    """Rows of this comparison, by name, ";" between; an unknown name is an error, never silently dropped."""

    def __init__(self, rows):
        super().__init__(model=None, separator=";", field="name")
        self.rows = rows

    def clean(self, value, row=None, **kwargs):
        names = [part.strip() for part in TextWidget().clean(value).split(";") if part.strip()]
        by_name = {r.name.lower(): r for r in self.rows}
        unknown = [name for name in names if name.lower() not in by_name]
        if unknown:
            raise ValueError(
                _("Not a row of this table: %(unknown)s. Rows: %(rows)s.")
                % {"unknown": ", ".join(unknown), "rows": "; ".join(r.name for r in self.rows)}
            )
        return [by_name[name.lower()] for name in names]

    def render(self, value, obj=None, **kwargs):
        return "; ".join(cue.name for cue in value.all()) if value is not None else ""


def note_column(concept):
    return f"why not {concept.name}"


class ScenarioResource(resources.ModelResource):
    def __init__(self, comparison):
        super().__init__()
        self.comparison = comparison
        self.concepts = list(comparison.ordered_concepts)
        self.rows = list(comparison.attributes.all())
        self.fields = {
            "id": fields.Field(attribute="id", column_name="id", widget=widgets.IntegerWidget()),
            "position": fields.Field(attribute="position", column_name="position", widget=PositionWidget()),
            "text": fields.Field(attribute="text", column_name="text", widget=TextWidget()),
            "correct_concept": fields.Field(
                attribute="correct_concept", column_name="keyed concept", widget=ConceptWidget(self.concepts)
            ),
            "against_type": fields.Field(attribute="against_type", column_name="against type", widget=YesNoWidget()),
            "difficulty": fields.Field(attribute="difficulty", column_name="difficulty", widget=DifficultyWidget()),
            "cues": fields.Field(attribute="cues", column_name="cues", widget=CuesWidget(self.rows)),
            "explanation": fields.Field(attribute="explanation", column_name="explanation", widget=TextWidget()),
            "misconception": fields.Field(attribute="misconception", column_name="common mistake", widget=TextWidget()),
            "is_published": fields.Field(attribute="is_published", column_name="published", widget=YesNoWidget()),
        }
        for concept in self.concepts:
            self.fields[note_column(concept)] = fields.Field(
                attribute=None, column_name=note_column(concept), widget=TextWidget()
            )
        self.keys = {}  # scenario pk -> row number, filled while importing
        self.findings = None

    class Meta:
        model = Scenario
        import_id_fields = ["id"]
        clean_model_instances = True
        skip_unchanged = False
        report_skipped = True
        use_transactions = True

    def get_export_order(self):
        return list(self.fields)

    def get_import_order(self):
        return list(self.fields)

    def get_queryset(self):
        return self.comparison.scenarios.order_by("position", "pk")

    def column_of(self, name):
        """The spreadsheet column for a model field name (as validation errors name them)."""
        for key, fld in self.fields.items():
            if name in (key, fld.attribute):
                return fld.column_name
        return name

    def init_instance(self, row=None):
        if row and str(row.get("id") or "").strip():
            raise ValidationError(
                {"id": _("No scenario with this id in this quiz: leave the id empty to add a new scenario.")}
            )
        return Scenario(comparison=self.comparison)

    def import_instance(self, instance, row, **kwargs):
        errors = {}
        try:
            super().import_instance(instance, row, **kwargs)
        except ValidationError as error:
            errors = error.update_error_dict(errors)
        if "cues" in row:
            try:
                self.fields["cues"].clean(row)
            except ValueError as error:
                errors["cues"] = ValidationError(str(error))
        keyed = instance.correct_concept if instance.correct_concept_id else None
        if keyed is not None and TextWidget().clean(row.get(note_column(keyed))):
            errors[note_column(keyed)] = ValidationError(
                _("“%(concept)s” is the keyed concept: a note is for a wrong one.") % {"concept": keyed.name}
            )
        if errors:
            raise ValidationError(errors)

    def validate_instance(self, instance, import_validation_errors=None, validate_unique=True):
        # The notes' columns are not model fields: full_clean must not be asked to skip them.
        errors = dict(import_validation_errors or {})
        notes = {k: errors.pop(k) for k in list(errors) if k.startswith("why not ")}
        try:
            super().validate_instance(instance, errors, validate_unique)
        except ValidationError as error:
            raise ValidationError({**error.error_dict, **notes}) from None
        if notes:
            raise ValidationError(notes)

    def after_save_instance(self, instance, row, **kwargs):
        for concept in self.concepts:
            column = note_column(concept)
            if column not in row:
                continue
            text = TextWidget().clean(row[column])
            instance.wrong_notes.filter(concept=concept).delete()
            if text:
                WrongChoiceNote.objects.create(scenario=instance, concept=concept, text=text)
        self.keys[instance.pk] = kwargs.get("row_number")

    def dehydrate_cues(self, scenario):
        return "; ".join(cue.name for cue in scenario.cues.all())

    def export_field(self, fld, instance, **kwargs):
        if fld.attribute is None and fld.column_name.startswith("why not "):
            concept = next(c for c in self.concepts if note_column(c) == fld.column_name)
            return next((n.text for n in instance.wrong_notes.all() if n.concept_id == concept.pk), "")
        return super().export_field(fld, instance, **kwargs)

    def after_import(self, dataset, result, **kwargs):
        # Inside the import's transaction: the rules see the quiz as it would be after the import.
        scenarios = (
            self.comparison.scenarios.published()
            .select_related("correct_concept")
            .prefetch_related("cues", "wrong_notes__concept")
        )
        self.findings = findings_for(
            self.comparison, [scenario_data(s, key=f"row-{self.keys.get(s.pk, s.slug)}") for s in scenarios]
        )


@dataclass
class RowReport:
    number: int  # the spreadsheet's row number (the header is row 1)
    kind: str  # new, update, skip, invalid, error
    text: str
    errors: list = field(default_factory=list)  # (column, message)
    findings: list = field(default_factory=list)
    words: list = field(default_factory=list)


@dataclass
class ImportReport:
    rows: list
    quiz: list  # findings about the quiz as a whole, once imported
    giveaways: list

    @property
    def has_errors(self):
        return any(row.errors for row in self.rows)

    @property
    def counts(self):
        counts = {}
        for row in self.rows:
            counts[row.kind] = counts.get(row.kind, 0) + 1
        return counts


def format_of(name):
    extension = name.rsplit(".", 1)[-1].lower() if "." in name else ""
    if extension not in FORMATS:
        raise SheetError(_("Upload a .csv or .xlsx file (this one is “%(name)s”).") % {"name": name})
    return extension


def read(content, name):
    """The file's rows as a tablib Dataset; SheetError when it cannot be read."""
    extension = format_of(name)
    if len(content) > MAX_BYTES:
        raise SheetError(_("The file is over 1 MB: a quiz fits in far less. Is it the right file?"))
    try:
        if extension == "csv":
            text = content.decode("utf-8-sig")
            dataset = FORMATS["csv"].create_dataset(text)
        else:
            dataset = FORMATS["xlsx"].create_dataset(content)
    except Exception as error:  # csv, zipfile and openpyxl each raise their own kinds of error
        raise SheetError(
            _("The file could not be read as %(kind)s: %(error)s") % {"kind": extension, "error": error}
        ) from error
    dataset.headers = [str(h).strip() if h is not None else "" for h in (dataset.headers or [])]
    if "text" not in dataset.headers or "keyed concept" not in dataset.headers:
        raise SheetError(
            _(
                "The first row must name the columns, with at least “text” and “keyed concept”: "
                "export the quiz to get one."
            )
        )
    # Blank lines at the end of a spreadsheet are not rows.
    blank = [i for i, row in enumerate(dataset) if all(v in (None, "") for v in row)]
    for index in reversed(blank):
        del dataset[index]
    if len(dataset) > MAX_ROWS:
        raise SheetError(_("The file has %(count)d rows; at most %(max)d.") % {"count": len(dataset), "max": MAX_ROWS})
    return dataset


def _report(resource, dataset, result):
    texts = [str(row[dataset.headers.index("text")] or "")[:200] for row in dataset]
    reports = {
        number: RowReport(number=number + 1, kind="new", text=texts[number - 1])
        for number in range(1, len(dataset) + 1)
    }
    for row_result, number in zip(result.rows, range(1, len(dataset) + 1), strict=False):
        reports[number].kind = row_result.import_type
    for invalid in result.invalid_rows:
        report = reports[invalid.number]
        report.kind = "invalid"
        for name, messages in invalid.error_dict.items():
            column = resource.column_of(name) if name != "__all__" else _("the row")
            report.errors.extend((column, message) for message in messages)
    for number, errors in result.row_errors():
        reports[number].kind = "error"
        reports[number].errors.extend((_("the row"), str(error.error)) for error in errors)
    for error in result.base_errors:
        raise SheetError(str(error.error))
    findings = resource.findings
    if findings is not None:
        for number, report in reports.items():
            verdict = findings.of(f"row-{number}")
            report.findings, report.words = verdict.findings, verdict.words
    return ImportReport(
        rows=list(reports.values()),
        quiz=findings.quiz if findings else [],
        giveaways=[
            (share, [int(k.split("-")[1]) + 1 for k in keys if k.split("-")[1].isdigit()])
            for share, keys in (findings.giveaways if findings else [])
        ],
    )


def preview(comparison, content, name):
    dataset = read(content, name)
    resource = ScenarioResource(comparison)
    result = resource.import_data(dataset, dry_run=True, use_transactions=True)
    return _report(resource, dataset, result)


def apply(comparison, content, name, user):
    """Import for real; returns the ImportReport. Nothing is saved unless every row is free of errors."""
    dataset = read(content, name)
    resource = ScenarioResource(comparison)
    with transaction.atomic(), reversion.create_revision():
        reversion.set_user(user)
        reversion.set_comment(_("Imported the quiz from “%(name)s”.") % {"name": name})
        result = resource.import_data(dataset, dry_run=False, use_transactions=True, rollback_on_validation_errors=True)
        report = _report(resource, dataset, result)
        if report.has_errors:
            transaction.set_rollback(True)
            return report
        for scenario in comparison.scenarios.all():
            reversion.add_to_revision(scenario)
        comparison.save(update_fields=["updated_at"])
    return report


def export(comparison, fmt):
    resource = ScenarioResource(comparison)
    queryset = resource.get_queryset().select_related("correct_concept").prefetch_related("cues", "wrong_notes")
    dataset = resource.export(queryset)
    return FORMATS[fmt].export_data(dataset)
