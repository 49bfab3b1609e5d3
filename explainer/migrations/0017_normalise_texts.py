"""Normalise the stored texts once (explainer.texts): LF line breaks, no trailing white space.

Texts saved from a browser before this carried CRLF, so "See the changes" and the
history showed edits nobody made. The reverse step does nothing: the CRLF forms
are not worth bringing back, and nothing reads them.
"""

from django.db import migrations

from explainer.texts import normalise

MODELS = [
    "Category", "Concept", "Comparison", "ComparisonConcept", "Attribute", "Cell", "Point",
    "Example", "Scenario", "WrongChoiceNote",
]  # fmt: skip


def normalise_texts(apps, schema_editor):
    for name in MODELS:
        model = apps.get_model("explainer", name)
        fields = [
            f.attname
            for f in model._meta.concrete_fields
            if f.get_internal_type() in ("CharField", "TextField") and not f.choices
        ]
        if not fields:
            continue
        changed = []
        for row in model.objects.only("pk", *fields).iterator(chunk_size=500):
            dirty = False
            for attname in fields:
                value = getattr(row, attname)
                cleaned = normalise(value)
                if cleaned != value:
                    setattr(row, attname, cleaned)
                    dirty = True
            if dirty:
                changed.append(row)
        model.objects.bulk_update(changed, fields, batch_size=500)


class Migration(migrations.Migration):
    dependencies = [("explainer", "0016_search_indexes")]

    operations = [migrations.RunPython(normalise_texts, migrations.RunPython.noop)]
