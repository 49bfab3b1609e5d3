"""A version per comparison for the page cache (explainer.caching), one row per existing comparison."""

from django.db import migrations, models


def create_rows(apps, schema_editor):
    Comparison = apps.get_model("explainer", "Comparison")
    ComparisonVersion = apps.get_model("explainer", "ComparisonVersion")
    ComparisonVersion.objects.bulk_create(
        [ComparisonVersion(comparison_id=pk, number=1) for pk in Comparison.objects.values_list("pk", flat=True)]
    )


def delete_rows(apps, schema_editor):
    apps.get_model("explainer", "ComparisonVersion").objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [
        ("explainer", "0014_search_trigram"),
    ]

    operations = [
        migrations.CreateModel(
            name="ComparisonVersion",
            fields=[
                (
                    "comparison_id",
                    models.PositiveBigIntegerField(primary_key=True, serialize=False, verbose_name="comparison id"),
                ),
                ("number", models.PositiveBigIntegerField(default=0, verbose_name="version")),
            ],
            options={
                "verbose_name": "comparison version",
                "verbose_name_plural": "comparison versions",
                "ordering": ["comparison_id"],
            },
        ),
        migrations.RunPython(create_rows, delete_rows),
    ]
