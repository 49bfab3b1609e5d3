"""The classes' migration: its data step (the Teachers group, the Editors' view_any_class) has a reverse."""

import pytest
from django.contrib.auth.models import Group
from django.db import connection
from django.db.migrations.executor import MigrationExecutor


@pytest.mark.django_db(transaction=True)
def test_the_classes_migration_reverses_and_reapplies():
    executor = MigrationExecutor(connection)
    ours = next(key for key in executor.loader.disk_migrations if key[0] == "explainer" and key[1].endswith("_classes"))
    parent = next(key for key in executor.loader.graph.node_map[ours].parents if key[0] == "explainer")
    leaves = executor.loader.graph.leaf_nodes()
    Group.objects.get_or_create(name="Editors")  # a transactional test starts with the data migrations' rows flushed
    try:
        executor.migrate([parent])
        assert not Group.objects.filter(name="Teachers").exists()
        assert not Group.objects.get(name="Editors").permissions.filter(codename="view_any_class").exists()
        assert "explainer_schoolclass" not in connection.introspection.table_names()
    finally:
        executor = MigrationExecutor(connection)
        executor.migrate(leaves)
    teachers = Group.objects.get(name="Teachers")
    assert set(teachers.permissions.values_list("codename", flat=True)) >= {"add_schoolclass", "view_schoolclass"}
    assert Group.objects.get(name="Editors").permissions.filter(codename="view_any_class").exists()
