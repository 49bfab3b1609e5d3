"""One word per idea: Scenario.answer becomes correct_concept, the recorded Answer becomes Response.

Renames only: every row is kept. The content type is renamed by Django; the
permissions' codenames ("view_answer" ...) are renamed here, so that groups
and users keep what they were granted. Also adds Concept.synonyms and
Scenario.against_type for the quiz checks.
"""

from django.db import migrations, models


def rename_permissions(old, new):
    def run(apps, schema_editor):
        Permission = apps.get_model("auth", "Permission")
        for permission in Permission.objects.filter(content_type__app_label="explainer", codename__endswith=f"_{old}"):
            action = permission.codename.rsplit("_", 1)[0]
            if Permission.objects.filter(content_type=permission.content_type, codename=f"{action}_{new}").exists():
                continue
            permission.codename = f"{action}_{new}"
            permission.name = permission.name.replace(old, new)
            permission.save(update_fields=["codename", "name"])

    return run


class Migration(migrations.Migration):
    dependencies = [
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("explainer", "0005_editors_group"),
    ]

    operations = [
        migrations.RenameField("scenario", "answer", "correct_concept"),
        migrations.RemoveConstraint("answer", "one_answer_per_scenario_per_round"),
        migrations.RenameModel("Answer", "Response"),
        migrations.RunPython(rename_permissions("answer", "response"), rename_permissions("response", "answer")),
        migrations.AlterModelOptions(
            name="response",
            options={
                "ordering": ["-answered_at"],
                "verbose_name": "learner response",
                "verbose_name_plural": "learner responses",
            },
        ),
        migrations.AlterField(
            model_name="response",
            name="scenario",
            field=models.ForeignKey(
                on_delete=models.deletion.CASCADE,
                related_name="responses",
                to="explainer.scenario",
                verbose_name="scenario",
            ),
        ),
        migrations.AddConstraint(
            model_name="response",
            constraint=models.UniqueConstraint(
                fields=("round_id", "scenario"), name="one_response_per_scenario_per_round"
            ),
        ),
    ]
