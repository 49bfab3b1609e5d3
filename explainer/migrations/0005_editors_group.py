"""The "Editors" group: may change all content and read the statistics and reports,
but has no permission on users, groups or permissions."""

from django.db import migrations

GROUP = "Editors"
CONTENT = [
    "category",
    "concept",
    "comparison",
    "comparisonconcept",
    "attribute",
    "cell",
    "point",
    "similarity",
    "keydifference",
    "example",
    "scenario",
]
READ_ONLY = ["answer"]
QUEUE = ["report"]


def wanted_codenames():
    codenames = set()
    for model in CONTENT:
        codenames |= {f"{action}_{model}" for action in ("add", "change", "delete", "view")}
    for model in READ_ONLY:
        codenames.add(f"view_{model}")
    for model in QUEUE:
        codenames |= {f"view_{model}", f"change_{model}", f"delete_{model}"}
    return codenames


def create_group(apps, schema_editor):
    from django.contrib.auth.management import create_permissions

    # Permissions are normally created after all migrations; make sure they exist now.
    app_config = apps.get_app_config("explainer")
    app_config.models_module = True
    create_permissions(app_config, apps=apps, verbosity=0)
    app_config.models_module = None

    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    group, _ = Group.objects.get_or_create(name=GROUP)
    permissions = Permission.objects.filter(content_type__app_label="explainer", codename__in=wanted_codenames())
    group.permissions.set(permissions)


def delete_group(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name=GROUP).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("explainer", "0004_reader_reports"),
    ]

    operations = [migrations.RunPython(create_group, delete_group)]
