"""Teachers' classes and their pupils; a pupil's answers are Responses with `pupil` set.

Also the "Teachers" group (may create classes and see, close and delete its own;
explainer.classes.views checks ownership) and, for the Editors group, the right
to see every class's results (view_any_class). Both have a reverse step.
"""

from django.conf import settings
from django.db import migrations, models
import django.db.models.deletion
import django.utils.timezone
import uuid

TEACHERS = "Teachers"
TEACHER_CODENAMES = [
    "add_schoolclass",
    "change_schoolclass",
    "delete_schoolclass",
    "view_schoolclass",
    "view_pupil",
    "delete_pupil",
]
EDITORS = "Editors"
EDITOR_CODENAMES = ["view_schoolclass", "view_pupil", "view_any_class"]


def permissions(apps, codenames):
    from django.contrib.auth.management import create_permissions

    # Permissions are normally created after all migrations; make sure they exist now.
    app_config = apps.get_app_config("explainer")
    app_config.models_module = True
    create_permissions(app_config, apps=apps, verbosity=0)
    app_config.models_module = None
    Permission = apps.get_model("auth", "Permission")
    found = Permission.objects.filter(content_type__app_label="explainer", codename__in=codenames)
    assert found.count() == len(codenames), "a permission of the classes is missing"
    return found


def create_groups(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    teachers, _ = Group.objects.get_or_create(name=TEACHERS)
    teachers.permissions.set(permissions(apps, TEACHER_CODENAMES))
    editors = Group.objects.filter(name=EDITORS).first()
    if editors is not None:
        editors.permissions.add(*permissions(apps, EDITOR_CODENAMES))


def delete_groups(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    Group.objects.filter(name=TEACHERS).delete()
    editors = Group.objects.filter(name=EDITORS).first()
    if editors is not None:
        editors.permissions.remove(
            *Permission.objects.filter(content_type__app_label="explainer", codename__in=EDITOR_CODENAMES)
        )


class Migration(migrations.Migration):

    dependencies = [
        ('explainer', '0009_drafts_and_completeness'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name='Pupil',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('nickname', models.CharField(max_length=24, verbose_name='nickname')),
                ('nickname_key', models.CharField(editable=False, help_text='Keeps nicknames unique.', max_length=96, verbose_name='nickname, folded')),
                ('round_id', models.UUIDField(default=uuid.uuid4, editable=False, unique=True, verbose_name='round')),
                ('items', models.JSONField(default=list, editable=False, verbose_name='questions in order')),
                ('position', models.PositiveSmallIntegerField(default=0, editable=False, verbose_name='position')),
                ('joined_at', models.DateTimeField(default=django.utils.timezone.now, verbose_name='joined')),
            ],
            options={
                'verbose_name': 'pupil',
                'verbose_name_plural': 'pupils',
                'ordering': ['school_class', 'joined_at', 'id'],
            },
        ),
        migrations.AddField(
            model_name='response',
            name='pupil',
            field=models.ForeignKey(blank=True, editable=False, null=True, on_delete=django.db.models.deletion.CASCADE, related_name='responses', to='explainer.pupil', verbose_name='pupil'),
        ),
        migrations.CreateModel(
            name='SchoolClass',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('name', models.CharField(help_text='As you call the class, e.g. "9B history".', max_length=80, verbose_name='name')),
                ('code', models.CharField(editable=False, max_length=8, unique=True, verbose_name='code')),
                ('question_count', models.PositiveSmallIntegerField(default=10, help_text='Every pupil answers the same questions, in their own order.', verbose_name='number of questions')),
                ('closes_at', models.DateTimeField(blank=True, help_text='Optional. After this, no new pupils and no new answers.', null=True, verbose_name='closes')),
                ('created_at', models.DateTimeField(default=django.utils.timezone.now, verbose_name='created')),
                ('comparison', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='classes', to='explainer.comparison', verbose_name='comparison')),
                ('scenarios', models.ManyToManyField(editable=False, related_name='classes', to='explainer.scenario', verbose_name='questions')),
                ('teacher', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='classes', to=settings.AUTH_USER_MODEL, verbose_name='teacher')),
            ],
            options={
                'verbose_name': 'class',
                'verbose_name_plural': 'classes',
                'ordering': ['-created_at', '-id'],
                'permissions': [('view_any_class', "Can see every teacher's classes and results")],
            },
        ),
        migrations.AddField(
            model_name='pupil',
            name='school_class',
            field=models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='pupils', to='explainer.schoolclass', verbose_name='class'),
        ),
        migrations.AddConstraint(
            model_name='schoolclass',
            constraint=models.CheckConstraint(condition=models.Q(('question_count__gte', 3), ('question_count__lte', 20)), name='class_question_count_in_range'),
        ),
        migrations.AddConstraint(
            model_name='pupil',
            constraint=models.UniqueConstraint(fields=('school_class', 'nickname_key'), name='unique_nickname_per_class'),
        ),
        migrations.RunPython(create_groups, delete_groups),
    ]
