"""Every admin change form, posted with constraint-breaking and hostile values: never a 5xx, and a form error keeps
what was typed (hypothesis draws which fields get which values)."""

import pytest
from django.urls import reverse
from django.utils.html import escape
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

from explainer.admin.table import table_state
from explainer.models import Attribute, KeyDifference, Similarity
from tests import admin_forms, factories

pytestmark = pytest.mark.django_db

HOSTILE = st.one_of(
    st.sampled_from(
        [
            "",
            " ",
            "\x00",
            "a\x00b",
            "x" * 5000,
            "<script>alert(1)</script>",
            "'; DROP TABLE explainer_comparison; --",
            "-1",
            "0",
            "32768",
            "99999999999999999999999",
            "1e308",
            "NaN",
            "new:",
            "new:nowhere",
            "new:../../etc",
            "on",
            "published",
            "\r\n\r\n",
            "🙂" * 100,
            "１２",
        ]
    ),
    st.text(max_size=200),
    st.integers(min_value=-(2**63), max_value=2**63).map(str),
)
SETTINGS = settings(
    max_examples=15,
    deadline=None,
    derandomize=True,
    phases=[Phase.explicit, Phase.reuse, Phase.generate],  # shrinking a 500 took minutes; the traceback names it
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
PLAIN = st.text(alphabet=st.characters(min_codepoint=97, max_codepoint=122), min_size=6, max_size=12)


@pytest.fixture
def draft(db):
    return factories.complete(factories.make_comparison(published=False), quiz=True)


def change_url(obj):
    return reverse(f"admin:explainer_{obj._meta.model_name}_change", args=[obj.pk])


def assert_handled(response, typed):
    """No 5xx; a re-rendered form (a form error) still holds the `typed` marker text."""
    assert response.status_code < 500, response.status_code
    if response.status_code == 200 and typed is not None:
        assert escape(typed) in response.text


def hostile_post(client, url, base, data, marker_field, marker):
    """Post `base` with the hostile `data` over it, and a plain marker text in `marker_field` (when it is kept)."""
    sent = base | data
    typed = None
    if marker_field in base and marker_field not in data:
        sent[marker_field] = typed = f"Typed by hand {marker}"
    response = client.post(url, sent)
    assert_handled(response, typed)


@SETTINGS
@given(data=st.data(), marker=PLAIN)
def test_the_comparison_form_with_its_inlines(editor_client, draft, data, marker):
    url = change_url(draft)
    base = admin_forms.change_form_data(editor_client, url)
    keys = sorted(base)
    hostile = {key: data.draw(HOSTILE) for key in data.draw(st.lists(st.sampled_from(keys), max_size=6, unique=True))}
    if data.draw(st.booleans()):
        rows = admin_forms.formset_prefix(editor_client, url, Attribute)
        admin_forms.add_inline_form(
            base, rows, name=data.draw(HOSTILE), slug=data.draw(HOSTILE), position=data.draw(HOSTILE)
        )
    if data.draw(st.booleans()):
        prefix = admin_forms.formset_prefix(editor_client, url, KeyDifference)
        admin_forms.add_inline_form(
            base, prefix, title=data.draw(HOSTILE), text=data.draw(HOSTILE), attribute=data.draw(HOSTILE)
        )
    if data.draw(st.booleans()):
        prefix = admin_forms.formset_prefix(editor_client, url, Similarity)
        admin_forms.add_inline_form(base, prefix, title=data.draw(HOSTILE), text=data.draw(HOSTILE))
    hostile_post(editor_client, url, base, hostile, "lede", marker)


@SETTINGS
@given(data=st.data(), marker=PLAIN)
def test_the_table_screen(editor_client, draft, data, marker):
    url = reverse("admin:explainer_comparison_table", args=[draft.pk])
    page = editor_client.get(url)
    form = page.context["form"]
    base = {name: form[name].value() or "" for name in form.fields} | {"state": table_state(draft)}
    keys = sorted(base)
    hostile = {key: data.draw(HOSTILE) for key in data.draw(st.lists(st.sampled_from(keys), max_size=6, unique=True))}
    cells = [key for key in keys if key.startswith("cell_") and key not in hostile]
    response = editor_client.post(url, base | hostile | ({cells[0]: f"Typed by hand {marker}"} if cells else {}))
    assert response.status_code < 500
    if response.status_code in (200, 400, 409) and cells:
        assert f"Typed by hand {marker}" in response.text


@SETTINGS
@given(data=st.data(), marker=PLAIN)
def test_a_scenario_with_its_notes(editor_client, draft, data, marker):
    scenario = draft.scenarios.first()
    url = change_url(scenario)
    base = admin_forms.change_form_data(editor_client, url)
    keys = sorted(base)
    hostile = {key: data.draw(HOSTILE) for key in data.draw(st.lists(st.sampled_from(keys), max_size=6, unique=True))}
    if data.draw(st.booleans()):
        admin_forms.add_inline_form(base, "wrong_notes", concept=data.draw(HOSTILE), text=data.draw(HOSTILE))
    hostile_post(editor_client, url, base, hostile, "explanation", marker)


@SETTINGS
@given(data=st.data(), marker=PLAIN)
def test_a_concept_with_its_examples(editor_client, draft, data, marker):
    concept = draft.ordered_concepts[0]
    url = change_url(concept)
    base = admin_forms.change_form_data(editor_client, url)
    keys = sorted(base)
    hostile = {key: data.draw(HOSTILE) for key in data.draw(st.lists(st.sampled_from(keys), max_size=6, unique=True))}
    if data.draw(st.booleans()):
        admin_forms.add_inline_form(
            base,
            "examples",
            name=data.draw(HOSTILE),
            slug=data.draw(HOSTILE),
            kind=data.draw(HOSTILE),
            start_year=data.draw(HOSTILE),
            end_year=data.draw(HOSTILE),
        )
    hostile_post(editor_client, url, base, hostile, "description", marker)


@SETTINGS
@given(data=st.data(), marker=PLAIN)
def test_an_example(editor_client, draft, data, marker):
    example = draft.ordered_concepts[0].examples.first()
    url = change_url(example)
    base = admin_forms.change_form_data(editor_client, url)
    keys = sorted(base)
    hostile = {key: data.draw(HOSTILE) for key in data.draw(st.lists(st.sampled_from(keys), max_size=6, unique=True))}
    hostile_post(editor_client, url, base, hostile, "summary", marker)


@SETTINGS
@given(data=st.data())
def test_adding_a_scenario_or_an_example(editor_client, draft, data):
    for name, fields in (
        ("scenario", ["comparison", "slug", "text", "correct_concept", "cues", "difficulty", "year", "source_url"]),
        ("example", ["concept", "name", "slug", "kind", "start_year", "end_year", "summary", "source_url"]),
    ):
        url = reverse(f"admin:explainer_{name}_add") + f"?comparison={draft.pk}"
        sent = {field: data.draw(HOSTILE) for field in fields}
        for prefix in ("wrong_notes", "examples"):
            sent |= {f"{prefix}-TOTAL_FORMS": "0", f"{prefix}-INITIAL_FORMS": "0"}
        assert editor_client.post(url, sent).status_code < 500


@pytest.mark.parametrize("value", ["99999999999999999999999", "-1", "abc", "1e308", "\x00"])
def test_ids_beyond_any_database_are_form_errors(editor_client, draft, value):
    example = draft.ordered_concepts[0].examples.first()
    for url, data in (
        (reverse("admin:explainer_scenario_add") + f"?comparison={value}", {"comparison": value}),
        (reverse("admin:explainer_example_add") + f"?comparison={value}&concept={value}", {"concept": value}),
        (change_url(example), admin_forms.change_form_data(editor_client, change_url(example)) | {"concept": value}),
        (change_url(draft), admin_forms.change_form_data(editor_client, change_url(draft)) | {"related": [value]}),
    ):
        sent = data | {"wrong_notes-TOTAL_FORMS": "0", "wrong_notes-INITIAL_FORMS": "0"}
        sent |= {"examples-TOTAL_FORMS": "0", "examples-INITIAL_FORMS": "0"}
        assert editor_client.get(url).status_code < 500
        assert editor_client.post(url, sent).status_code < 500
