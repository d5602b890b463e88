"""The YAML loader (pledges.inputs.yamlfile): strict, typed by the schema only, lines from the parser."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pledges.inputs.yamlfile import Map, Seq, Str, YamlError, load
from pledges.suggest.draft import _scalar

SCHEMA = Map({"items": Seq(Map({"id": Str}, {"note": Str}))}, {"country": Str})


@pytest.mark.parametrize("written", ["NO", "012", "1e9", "yes", "~", "2024-05-13", "null", "0x1F"])
def test_every_scalar_stays_the_string_written(written):
    assert load(f"country: {written}\nitems:\n  - id: a\n", SCHEMA).data["country"] == written


@pytest.mark.parametrize("text, line, message", [
    ("items:\n  - id: a\n    id: b\n", 3, "Duplicate key 'id'"),
    ("items:\n  - id: a\n    nte: b\n", 3, "unexpected key not in schema 'nte'"),
    ("items: [a, b]\n", 1, "flow style"),
    ("items:\n  - {id: a}\n", 2, "flow style"),
    ("items:\n  - id: &x a\n  - id: *x\n", 3, "alias"),  # the line of the alias that repeats a value
    ("items:\n  - id: !!python/object:os.system a\n", 2, "explicit tag"),
    ("items:\n  - note: a\n", 2, "required key 'id'"),
    ('items:\n  - id: "unclosed\n', 3, "found unexpected end of stream"),
    ("", 1, "empty"),
])
def test_a_bad_document_is_refused_with_the_parsers_line(text, line, message):
    with pytest.raises(YamlError) as error:
        load(text, SCHEMA)
    assert message in error.value.message and error.value.line == line


def test_a_misspelt_key_names_the_nearest_valid_one():
    with pytest.raises(YamlError) as error:
        load("items:\n  - id: a\n    nte: b\n", SCHEMA)
    assert "note" in error.value.hint


def test_lines_are_the_parsers_after_a_block_with_list_markers():
    text = "items:\n  - id: a\n    note: |\n      - not an item\n      - nor this\n  - id: b\n    note: x\n"
    items = load(text, SCHEMA)["items"]
    assert [item.line for item in items] == [2, 6]
    assert items[1].key_line("note") == 7


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.characters(blacklist_categories=("Cs", "Cc", "Cf"),  # the package refuses them
                                     blacklist_characters="\u2028\u2029\u0085\ufeff"),
               max_size=80))
def test_a_drafted_value_reads_back_as_written(value):
    assert load(f"country: {_scalar(value)}\nitems:\n  - id: a\n", SCHEMA).data["country"] == value


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet="aé b", max_size=40), st.lists(st.text(alphabet="aé b", max_size=4), max_size=5))
def test_quotes_are_found_at_every_offset_they_stand_at_overlaps_included(text, phrases):
    from pledges.inputs.quotes import occurrences_of

    found = occurrences_of(text, phrases)
    for phrase in phrases:
        every = [i for i in range(len(text)) if phrase and text.startswith(phrase, i)]
        assert found.get(phrase, []) == every
