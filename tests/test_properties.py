"""Properties that must hold for any input, not just the cases we thought of (hypothesis)."""

import json
import shutil
from decimal import Decimal

import pytest
from babel.numbers import format_decimal
from conftest import ROOT, SOURCE_000
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pledges.checks.annotations import check
from pledges.errors import BuildFailed
from pledges.inputs.annotations import load
from pledges.reading.numbers import find_figures

pytestmark = pytest.mark.slow

SEED = "seeds/000_a740679b1ad3bc90.txt"
ANNOTATION = (ROOT / SOURCE_000).read_text(encoding="utf-8")
FIELDS = ["value", "start", "end", "unit", "metric", "qualifier", "fact", "target_date", "quote", "subject"]


@pytest.fixture(scope="module")
def small_package(tmp_path_factory):
    """One seed and its annotation: enough for the loader, fast enough for many examples."""
    root = tmp_path_factory.mktemp("one-source")
    (root / "annotations/sources").mkdir(parents=True)
    (root / "seeds").mkdir()
    shutil.copy2(ROOT / SEED, root / SEED)
    facts = (ROOT / "annotations/facts.yaml").read_text(encoding="utf-8")
    (root / "annotations/facts.yaml").write_text(facts, encoding="utf-8")
    return root


def load_and_check(root, annotation: str) -> None:
    """Either a clean result or BuildFailed: any other exception fails the test with its traceback."""
    (root / SOURCE_000).write_text(annotation, encoding="utf-8")
    try:
        check(*load(root))
    except BuildFailed as failure:
        assert failure.problems and all(str(p) for p in failure.problems)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(field=st.sampled_from(FIELDS), value=st.text(max_size=30))
def test_any_value_in_any_claim_field_gives_a_result_or_a_clear_error(small_package, field, value):
    lines = ANNOTATION.splitlines(keepends=True)
    index = next(i for i, line in enumerate(lines) if line.startswith(f"    {field}:"))
    lines[index] = f"    {field}: {json.dumps(value)}\n"  # a JSON string is a valid YAML scalar
    load_and_check(small_package, "".join(lines))


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(at=st.integers(min_value=0, max_value=len(ANNOTATION)), junk=st.text(max_size=12))
def test_any_text_spliced_into_an_annotation_gives_a_result_or_a_clear_error(small_package, at, junk):
    load_and_check(small_package, ANNOTATION[:at] + junk + ANNOTATION[at:])


@settings(max_examples=300, deadline=None)
@given(text=st.text(max_size=80), language=st.sampled_from(["en", "fr", "it"]))
def test_parser_never_raises(text, language):
    for figure in find_figures(text, language):
        assert figure.value >= 0 and text[figure.start:figure.end] == figure.text


@settings(max_examples=300, deadline=None)
@given(number=st.one_of(st.integers(min_value=0, max_value=10**12),
                        st.decimals(min_value=0, max_value=10**9, places=2, allow_nan=False)),
       language=st.sampled_from(["en", "fr", "it"]))
def test_a_number_written_the_way_a_language_writes_it_reads_back_the_same(number, language):
    written = format_decimal(number, locale=language)
    [figure] = find_figures(written, language)
    assert figure.value == Decimal(number)


@settings(max_examples=100, deadline=None)
@given(billions=st.decimals(min_value=Decimal("0.1"), max_value=999, places=1, allow_nan=False))
def test_scaled_amounts_read_back_in_each_language(billions):
    for language, template in (("en", "€{}bn"), ("fr", "{} milliards d'euros"), ("it", "{} miliardi di euro")):
        [figure] = find_figures(template.format(format_decimal(billions, locale=language)), language)
        assert (figure.value, figure.unit) == (billions * 10**9, "EUR")
