"""Comparison.review_by: the earliest "review by" month among a comparison's sources.

The field is worked out from the sources Markdown on save; the data step fills
it for comparisons saved before it existed. Backwards, the step has nothing to
undo (the field itself goes with the reversed AddField).
"""

from django.db import migrations, models

from explainer.freshness import earliest_review


def fill_review_by(apps, schema_editor):
    Comparison = apps.get_model("explainer", "Comparison")
    for comparison in Comparison.objects.exclude(sources="").only("pk", "sources"):
        review_by = earliest_review(comparison.sources)
        if review_by:
            Comparison.objects.filter(pk=comparison.pk).update(review_by=review_by)


class Migration(migrations.Migration):

    dependencies = [
        ('explainer', '0017_normalise_texts'),
    ]

    operations = [
        migrations.AddField(
            model_name='comparison',
            name='review_by',
            field=models.DateField(blank=True, db_index=True, editable=False, help_text='The earliest “review by” month among the sources: when a time-bound claim is due a check.', null=True, verbose_name='review by'),
        ),
        migrations.AlterField(
            model_name='comparison',
            name='sources',
            field=models.TextField(blank=True, help_text="Markdown list: one line per fact or group of facts, with a link and the month it was checked, e.g. “- NATO's membership (32 states): <https://www.nato.int/> (checked 2026-11)”; a claim that can go stale also says when to check it again: “(checked 2026-12, review by 2027-06)”.", verbose_name='sources'),
        ),
        migrations.RunPython(fill_review_by, migrations.RunPython.noop),
    ]
