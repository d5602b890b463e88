"""Grammar-based fuzzing (hypothesis, fixed budget and seed): annotation files built from the
YAML structures the loader accepts and the mistakes people make, and sentences built from the
number styles of the three languages. Whatever comes, the result is a value or the package's own
error: never a traceback. A crash found here becomes a case in test_bad_inputs.py."""

from __future__ import annotations

import json

import pytest
from hypothesis import HealthCheck, given, seed, settings
from hypothesis import strategies as st

from pledges.inputs.annotations import SOURCE_SCHEMA
from pledges.inputs.yamlfile import YamlError, load
from pledges.reading.numbers import find_figures

pytestmark = pytest.mark.slow

KEYS = sorted(SOURCE_SCHEMA.keys | {"id", "fact", "quote", "value", "unit", "qualifier", "qualifer", "seed "})
SCALARS = st.one_of(st.text(max_size=20), st.sampled_from(["NO", "yes", "012", "1e9", "~", "null", "", "- x", ": x",
                                                          "!!int 5", "&a x", "*a", "[a, b]", "{a: b}", "|", ">"]))


def scalar(value: str) -> str:
    return json.dumps(value) if value and value[0] not in "!&*[{|>" else value


@st.composite
def documents(draw) -> str:
    """A YAML document shaped like an annotation: keys (some misspelt), scalars of every style,
    lists of claims, block scalars, comments, odd indentation and duplicated keys."""
    lines = []
    for _ in range(draw(st.integers(0, 6))):
        key = draw(st.sampled_from(KEYS))
        kind = draw(st.sampled_from(["scalar", "list", "block", "comment", "flow"]))
        if kind == "scalar":
            lines.append(f"{key}: {scalar(draw(SCALARS))}")
        elif kind == "block":
            lines.append(f"{key}: |")
            lines += [f"  {draw(st.text(alphabet='ab- :#', max_size=10))}" for _ in range(draw(st.integers(0, 3)))]
        elif kind == "comment":
            lines.append(f"# {draw(st.text(max_size=10))}")
        elif kind == "flow":
            lines.append(f"{key}: [{scalar(draw(SCALARS))}, {{x: {scalar(draw(SCALARS))}}}]")
        else:
            lines.append(f"{key}:")
            for _ in range(draw(st.integers(0, 3))):
                indent = " " * draw(st.sampled_from([2, 2, 2, 3, 4]))
                first = True
                for _ in range(draw(st.integers(1, 4))):
                    lines.append(f"{indent}{'- ' if first else '  '}{draw(st.sampled_from(KEYS))}: "
                                 f"{scalar(draw(SCALARS))}")
                    first = False
    return "\n".join(lines) + draw(st.sampled_from(["\n", "", "\n\n"]))


@seed(20261201)
@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(text=documents())
def test_any_annotation_shaped_document_loads_or_gives_a_line_and_a_message(text):
    try:
        document = load(text, SOURCE_SCHEMA)
    except YamlError as error:
        assert error.message and 0 <= error.line <= text.count("\n") + 2
    else:
        assert isinstance(document.data, dict)


NUMBERS = st.sampled_from(["3.000", "3 000", "3\u202f000", "1,2", "1.2", "25.000", "2,500", "4", "10", "1.5-2",
                           "0,5", "12,345.67", "1.234,5", "100", "2024", "13", "7th"])
SCALES = st.sampled_from(["", " bn", "bn", " billion", " milliards", " miliardi", " mld", " M€", " Md€", " mila",
                          " million", " millions", " mln", "k", "+"])
UNITS = st.sampled_from(["", " €", " euros", " d'euros", " di euro", " dollars", " $", " USD", " emplois", " jobs",
                         " GPU", " posti di lavoro", " MW", " GW", " %", " per cent", " start-up"])
HEDGES = st.sampled_from(["", "more than ", "plus de ", "oltre ", "up to ", "jusqu'à ", "fino a ", "about ",
                          "environ ", "circa ", "nearly ", "près de ", "quasi ", "between ", "entre ", "tra "])
WORDS = st.sampled_from(["", "quatre milliards", "tre miliardi", "four billion", "une cinquantaine", "a dozen",
                         "un million et demi", "half a billion", "mezzo miliardo", "deux cents", "twenty thousand"])


@st.composite
def sentences(draw) -> str:
    parts = []
    for _ in range(draw(st.integers(1, 4))):
        figure = draw(WORDS) or (draw(NUMBERS) + draw(SCALES))
        parts.append(f"{draw(HEDGES)}{draw(st.sampled_from(['', '$', '€', 'EUR ']))}{figure}{draw(UNITS)}")
    glue = draw(st.sampled_from([" and ", " et ", " e ", ", ", " (", " to ", " à ", "-"]))
    return draw(st.sampled_from(["Acme will invest ", "Le groupe investira ", "Il gruppo investirà ", ""])) + \
        glue.join(parts) + draw(st.sampled_from([".", " by 2027.", " d'ici fin 2026.", ")", ""]))


@seed(20261201)
@settings(max_examples=600, deadline=None)
@given(text=sentences(), language=st.sampled_from(["en", "fr", "it"]))
def test_the_figure_reader_reads_any_number_style_without_failing(text, language):
    for figure in find_figures(text, language):
        assert text[figure.start:figure.end] == figure.text and figure.value >= 0
        assert figure.value_to is None or figure.value_to > figure.value
        assert figure.qualifier in ("unhedged", "about", "nearly", "more_than", "at_least", "up_to")
