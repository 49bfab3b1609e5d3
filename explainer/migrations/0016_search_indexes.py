"""GIN indexes for the search on PostgreSQL: full text (search.document) and close spellings (search.similar).

Without them every search computes the weighted vector of every comparison,
concept and example, and a search that finds nothing the word similarity of
every title and name (sequential scans whose cost grows with the site). Each
full-text index holds exactly the expression search.document() builds, so
that the planner can use it; the trigram ones (gin_trgm_ops, pg_trgm from
0014) serve the word-similarity operator on search.SIMILAR_FIELDS.
tests/test_reader_site.py checks that the planner uses them.

PostgreSQL only, both ways: on SQLite the search is a portable LIKE match and
there is nothing to index, so the operation does nothing there (as 0014 does).
Nothing changes in the models' state: makemigrations sees no difference.
"""

from django.contrib.postgres.indexes import GinIndex
from django.contrib.postgres.search import SearchVector
from django.db import migrations


def weighted(*fields):
    """search.document(): the fields' vectors ('english'), weighted A, B, C in order, joined."""
    vectors = [SearchVector(field, weight=weight, config="english") for field, weight in zip(fields, "ABC")]
    vector = vectors[0]
    for more in vectors[1:]:
        vector += more
    return vector


INDEXES = [
    # The full-text search: search.document() of each group.
    ("comparison", GinIndex(weighted("title", "lede", "intro"), name="explainer_comparison_search")),
    ("concept", GinIndex(weighted("name", "definition", "description"), name="explainer_concept_search")),
    ("example", GinIndex(weighted("name", "summary"), name="explainer_example_search")),
    # Close spellings (search.similar, pg_trgm's word-similarity operator): search.SIMILAR_FIELDS.
    ("comparison", GinIndex(fields=["title"], opclasses=["gin_trgm_ops"], name="explainer_comparison_title_trgm")),
    ("concept", GinIndex(fields=["name"], opclasses=["gin_trgm_ops"], name="explainer_concept_name_trgm")),
    ("concept", GinIndex(fields=["synonyms"], opclasses=["gin_trgm_ops"], name="explainer_concept_synonyms_trgm")),
    ("example", GinIndex(fields=["name"], opclasses=["gin_trgm_ops"], name="explainer_example_name_trgm")),
]


def add_indexes(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for model, index in INDEXES:
            schema_editor.add_index(apps.get_model("explainer", model), index)


def remove_indexes(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for model, index in INDEXES:
            schema_editor.remove_index(apps.get_model("explainer", model), index)


class Migration(migrations.Migration):
    dependencies = [
        ("explainer", "0015_comparison_versions"),
    ]

    operations = [migrations.RunPython(add_indexes, remove_indexes)]
