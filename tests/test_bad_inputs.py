"""Each bad input stops the build with a message a maintainer can act on, and changes nothing.

Every case edits a real copy of the package, runs the real build, and asserts that the message
names the file (and line), the claim or fact, what was expected and what was found; that no
traceback is printed; and that data/ and datapackage.json keep their exact bytes.
"""

from __future__ import annotations

import re

import pytest
import yaml
from conftest import FACTS, ROOT, SOURCE_000, annotated

from pledges import vocabulary


def line_of(relative: str, words: str) -> int:
    """The line of the package file `relative` on which `words` start, so no case hard-codes one."""
    text = (ROOT / relative).read_text(encoding="utf-8")
    return text.count("\n", 0, text.index(words)) + 1

SOURCE_002 = "annotations/sources/002_52083d7952b85408.yaml"
_C01, _C03 = annotated(SOURCE_000, "c01"), annotated(SOURCE_002, "c03")  # cases edit these claims
SEED_000 = f"seeds/{yaml.safe_load((ROOT / SOURCE_000).read_text(encoding='utf-8'))['seed']}"
SEED_000_SHA256 = yaml.safe_load((ROOT / SOURCE_000).read_text(encoding="utf-8"))["sha256"]
SEED_000_TEXT = (ROOT / SEED_000).read_text(encoding="utf-8")
SEED_002_TEXT = (ROOT / "seeds" / yaml.safe_load((ROOT / SOURCE_002).read_text(encoding="utf-8"))["seed"]).read_text(
    encoding="utf-8")
QUOTE, START, END, VALUE, UNIT = _C01["quote"], _C01["start"], _C01["end"], _C01["value"], _C01["unit"]
OTHER_UNIT = "USD" if UNIT != "USD" else "EUR"
WRONG_VALUE = VALUE + VALUE // 8  # a figure the quote does not state
MOST = vocabulary.current().most(_C01["metric"])
C01_OFFSETS = f"start: {START}\n    end: {END}"
C01_VALUE = f"value: {VALUE}\n"
C01 = line_of(SOURCE_000, "  - id: c01")  # the lines cases name, found in the file, never written here
C01_VALUE_LINE = line_of(SOURCE_000, C01_VALUE)
SEED_LENGTH = len(SEED_000_TEXT)
C03_AT = [m.start() for m in re.finditer(re.escape(_C03["quote"]), SEED_002_TEXT)]
C03_OFFSETS = f"start: {_C03['start']}\n    end: {_C03['end']}"

CASES = {
    # Quotes and offsets
    "quote_moved_off_its_offsets": (
        SOURCE_000, C01_OFFSETS, f"start: {START + 1}\n    end: {END + 1}",
        [f"{SOURCE_000}:{C01}: claim c01: quote not found verbatim at its offsets",
         f"found:    {SEED_000[6:]}[{START + 1}:{END + 1}] is {SEED_000_TEXT[START + 1:END + 1]!r}",
         f"hint:     the quote occurs at start: {START}, end: {END}"]),
    "quote_that_occurs_twice_at_wrong_offsets": (
        SOURCE_002, C03_OFFSETS, f"start: {_C03['start'] + 1}\n    end: {_C03['end'] + 1}",
        [f"{SOURCE_002}:{line_of(SOURCE_002, '  - id: c03')}: claim c03: quote not found verbatim at its offsets",
         "hint:     the quote occurs at "
         + ", ".join(f"start: {at}, end: {at + len(_C03['quote'])}" for at in C03_AT)]),
    "quote_covers_words_the_seed_lacks": (
        SOURCE_000, f"quote: {QUOTE}", f"quote: {QUOTE} twice over",
        ["claim c01: quote not found verbatim", f"expected: '{QUOTE} twice over'",
         "does not occur anywhere in the seed"]),
    "quote_empty": (
        SOURCE_000, f"quote: {QUOTE}", 'quote: ""',
        [f"{SOURCE_000}:{C01}: claim c01: quote is empty", "found:    ''"]),
    "offsets_out_of_range": (
        SOURCE_000, C01_OFFSETS, f"start: {START}\n    end: 99999",
        ["claim c01: quote offsets out of range", f"expected: 0 <= start < end <= {SEED_LENGTH}",
         f"found:    start {START}, end 99999"]),
    # Values
    "value_not_in_quote": (
        SOURCE_000, C01_VALUE, f"value: {WRONG_VALUE}\n",
        ["claim c01: value is not stated in the quote", f"expected: a figure equal to {WRONG_VALUE} {UNIT}",
         f" = {VALUE} {UNIT}"]),
    "currency_not_in_quote": (
        SOURCE_000, f"unit: {UNIT}", f"unit: {OTHER_UNIT}",
        ["claim c01: value is not stated in the quote", f"expected: a figure equal to {VALUE} {OTHER_UNIT}"]),
    "inferred_but_stated": (
        SOURCE_000, "qualifier: unhedged\n", "qualifier: unhedged\n    inferred: guessed\n",
        ["claim c01: claim is marked inferred but its quote states the value"]),
    "value_absurd": (
        SOURCE_000, C01_VALUE, f"value: {MOST * 4000}\n",
        ["claim c01: value out of range", f"at most {MOST} {UNIT}", f"found:    {MOST * 4000}"]),
    "value_zero": (
        SOURCE_000, C01_VALUE, "value: 0\n", ["claim c01: value out of range", "found:    0"]),
    "value_with_scale_word": (
        SOURCE_000, C01_VALUE, "value: 4bn\n",
        [f"{SOURCE_000}:{C01_VALUE_LINE}: claim c01: value is not a plain number", "found:    '4bn'"]),
    "value_in_exponent_notation": (
        SOURCE_000, C01_VALUE, "value: 1e9\n",
        [f"{SOURCE_000}:{C01_VALUE_LINE}: claim c01: value is not a plain number", "'1e9'"]),
    "value_with_leading_zero": (
        SOURCE_000, C01_VALUE, "value: 012\n",
        [f"{SOURCE_000}:{C01_VALUE_LINE}: claim c01: value is not a plain number", "'012'"]),
    "value_nan": (
        SOURCE_000, C01_VALUE, "value: .nan\n", ["claim c01: value is not a plain number", "'.nan'"]),
    "value_yes": (
        SOURCE_000, C01_VALUE, "value: yes\n", ["claim c01: value is not a plain number", "found:    'yes'"]),
    "value_negative": (
        SOURCE_000, C01_VALUE, f"value: -{VALUE}\n", ["claim c01: value is not a plain number", f"'-{VALUE}'"]),
    "value_infinite": (
        SOURCE_000, C01_VALUE, "value: .inf\n", ["claim c01: value is not a plain number", "'.inf'"]),
    "formula_in_a_note": (
        SOURCE_000, "qualifier: unhedged\n", 'qualifier: unhedged\n    note: =HYPERLINK("http://x")\n',
        [f"{SOURCE_000}:{C01}: claim c01: note starts with '=', which spreadsheets run as a formula"]),
    "formula_in_source_notes": (
        SOURCE_000, "notes: No headline", "notes: +No headline",
        [f"{SOURCE_000}: source: notes starts with '+', which spreadsheets run as a formula"]),
    "formula_in_a_fact_label": (
        FACTS, "label: GPUs Microsoft will deploy in France", 'label: "@GPUs Microsoft will deploy in France"',
        [f"{FACTS}:{line_of(FACTS, '  - id: msft-fr-gpus')}: fact msft-fr-gpus: label starts with '@'"]),
    "offset_with_leading_zero": (
        SOURCE_000, f"start: {START}", f"start: 0{START}",
        [f"{SOURCE_000}:{line_of(SOURCE_000, f'start: {START}')}: claim c01: start is not a character offset",
         f"found:    '0{START}'"]),
    # Vocabularies
    "unknown_metric": (
        SOURCE_000, "metric: investment", "metric: investmnet",
        ["claim c01: unknown metric", "one of investment, jobs", "found:    'investmnet'"]),
    "unit_unfit_for_metric": (
        SOURCE_000, "unit: gpus", "unit: GPUs", ["claim c02: unit does not fit metric gpus", "found:    'GPUs'"]),
    "unknown_qualifier": (
        SOURCE_000, "qualifier: up_to", "qualifier: upto", ["claim c02: unknown qualifier", "found:    'upto'"]),
    "unknown_country": (
        FACTS, "country: DE", "country: XX",
        [f"{FACTS}:{line_of(FACTS, '  - id: msft-de-investment')}: fact msft-de-investment: unknown country",
         "found:    'XX'"]),
    "unknown_region": (
        FACTS, "regions: FR-IDF, FR-PAC, FR-GES", "regions: FR-IDF, FR-PAC, FR-XYZ",
        ["fact msft-fr-investment: unknown region", "found:    'FR-XYZ'"]),
    "unsupported_language": (
        SOURCE_000, "language: en", "language: de", [f"{SOURCE_000}: source: unsupported language", "'de'"]),
    "date_that_does_not_exist": (
        SOURCE_000, "published: 2024-05-13", "published: 2024-13-05",
        [f"{SOURCE_000}:{line_of(SOURCE_000, 'published:')}: source: published is not a date",
         "found:    '2024-13-05'"]),
    "date_evidence_not_in_seed": (
        SOURCE_000, "date_evidence: date 2024-05-13", "date_evidence: 13 May 2024",
        ["source: date_evidence is not in the seed", "'13 May 2024'"]),
    "target_without_its_date": (
        SOURCE_000, "    target_date: 2025-12-31\n", "",
        ["claim c02: target and target_date go together", "target: 'by the end of 2025'"]),
    # Ids and references
    "duplicate_claim_id": (
        SOURCE_000, "  - id: c02", "  - id: c01",
        ["duplicate claim id 'c01'", f"found:    2 claims, at lines {C01}, {line_of(SOURCE_000, '  - id: c02')}"]),
    "duplicate_fact_id": (
        FACTS, "  - id: msft-fr-gpus", "  - id: msft-fr-investment",
        [f"{FACTS}:{line_of(FACTS, '  - id: msft-fr-gpus')}: fact msft-fr-investment: duplicate fact id",
         f"already defined at line {line_of(FACTS, '  - id: msft-fr-investment')}"]),
    "unknown_fact": (
        SOURCE_000, "fact: msft-fr-investment", "fact: msft-fr-investmnt",
        ["claim c01: unknown fact", "found:    'msft-fr-investmnt'", "did you mean 'msft-fr-investment'?"]),
    "claim_subject_disagrees_with_fact": (
        SOURCE_000, "subject: Microsoft", "subject: Amazon",
        ["claim c01: subject disagrees with its fact", "expected: 'Microsoft' (fact msft-fr-investment)",
         "found:    'Amazon'"]),
    "sum_of_unknown_fact": (
        FACTS, "sum_of: msft-fr-investment, amzn-fr-investment", "sum_of: msft-fr-investment, amzn-investment",
        ["fact msft-amzn-fr-combined: sum_of names an unknown fact", "'amzn-investment'"]),
    # YAML itself
    "yaml_syntax_error": (
        SOURCE_000, 'title: ""', 'title: "unclosed', [f"{SOURCE_000}:"]),
    "control_character": (
        SOURCE_000, "title: \"\"", "title: \"\x1f\"",
        [f"{SOURCE_000}:{line_of(SOURCE_000, 'title:')}: control character YAML does not allow: U+001F"]),
    "language_that_is_no_locale": (
        SOURCE_000, "language: en", "language: 0en", [f"{SOURCE_000}: source: unsupported language", "'0en'"]),
    "duplicated_key": (
        SOURCE_000, C01_VALUE, C01_VALUE + "    value: 5\n", [f"{SOURCE_000}:{C01_VALUE_LINE + 1}:",
                                                              "Duplicate key 'value' found"]),
    "misspelt_key": (
        SOURCE_000, C01_VALUE, C01_VALUE + "    qualifer: unhedged\n",
        [f"{SOURCE_000}:{C01_VALUE_LINE + 1}:", "unexpected key not in schema 'qualifer'",
         "did you mean 'qualifier'?"]),
    "flow_style_list": (
        FACTS, "regions: FR-IDF, FR-PAC, FR-GES", "regions: [FR-IDF, FR-PAC]", [f"{FACTS}:", "flow"]),
    # Rules enforced where the annotation is read (issue: errors that named a table, not the file)
    "lower_case_country": (
        FACTS, "country: DE", "country: de",
        [f"{FACTS}:{line_of(FACTS, '  - id: msft-de-investment')}: fact msft-de-investment: unknown country",
         "expected: an ISO 3166-1 alpha-2 code in capitals", "hint:     write DE"]),
    "lower_case_region": (
        FACTS, "regions: FR-IDF, FR-PAC, FR-GES", "regions: fr-idf, FR-PAC, FR-GES",
        ["fact msft-fr-investment: region code not in its canonical case", "found:    'fr-idf'"]),
    "malformed_claim_id": (
        SOURCE_000, "  - id: c02", "  - id: C 02", ["claim C 02: claim id is not lower-case letters and digits"]),
    "malformed_fact_id": (
        FACTS, "  - id: msft-fr-gpus", "  - id: Msft_GPUs",
        ["fact Msft_GPUs: fact id is not lower-case words joined by hyphens"]),
    "deadline_before_announcement": (
        SOURCE_000, "target_date: 2025-12-31", "target_date: 2023-12-31",
        [f"{SOURCE_000}:", "claim c02: deadline is not after the announcement", "found:    2023-12-31"]),
    "date_past_2262": (
        FACTS, "announced: 2023-01-23", "announced: 2300-01-23",
        ["fact msft-openai-investment: announced is outside the dates the package supports",
         "1900-01-01 to 2199-12-31"]),
    "announcement_without_an_ecb_rate": (
        FACTS, "announced: 2023-01-23", "announced: 1990-01-23",
        ["fact msft-openai-investment: announced has no ECB reference rate", "ECB history shipped"]),
    "target_text_not_in_the_quote": (
        SOURCE_000, "target: by the end of 2025", "target: by the end of 2026",
        ["claim c02: target is not in the quote", "'by the end of 2026'"]),
    "seed_changed_after_annotation": (
        SEED_000, QUOTE, QUOTE.upper(),
        [f"{SEED_000}: seed: seed differs from the one annotated",
         f"expected: sha256 {SEED_000_SHA256}", "found:    sha256 "]),
}


@pytest.mark.parametrize("case", sorted(CASES))
def test_bad_input_is_named_and_leaves_outputs_unchanged(package, capsys, case):
    path, old, new, expected = CASES[case]
    before = package.outputs()
    package.edit(path, old, new)
    status, _, err = package.build(capsys)
    assert status == 1
    for fragment in expected:
        assert fragment in err, f"{fragment!r} not in:\n{err}"
    assert "Traceback" not in err
    assert "data/ and datapackage.json were left unchanged" in err
    assert package.outputs() == before


def _assert_refused(package, capsys, before, *fragments):
    status, _, err = package.build(capsys)
    assert status == 1
    for fragment in fragments:
        assert fragment in err, f"{fragment!r} not in:\n{err}"
    assert "Traceback" not in err
    assert package.outputs() == before


def test_missing_seed_is_named(package, capsys):
    before = package.outputs()
    (package.root / SEED_000).unlink()
    _assert_refused(package, capsys, before, f"{SOURCE_000}: seed: seed file {SEED_000} does not exist")


def _replace_seed_bytes(package, data: bytes) -> None:
    """Write new seed bytes and record their sha256, as an annotator who re-saved the file would."""
    import hashlib

    path = package.root / SEED_000
    old_sha = hashlib.sha256(path.read_bytes()).hexdigest()
    path.write_bytes(data)
    package.edit(SOURCE_000, old_sha, hashlib.sha256(data).hexdigest())


def test_seed_with_bom_is_refused_not_shifted(package, capsys):
    before = package.outputs()
    _replace_seed_bytes(package, b"\xef\xbb\xbf" + (package.root / SEED_000).read_bytes())
    _assert_refused(package, capsys, before, f"{SEED_000}: seed: seed starts with a byte-order mark")


def test_seed_with_crlf_is_refused_not_shifted(package, capsys):
    before = package.outputs()
    _replace_seed_bytes(package, (package.root / SEED_000).read_bytes().replace(b"\n", b"\r\n"))
    lines = (ROOT / SEED_000).read_bytes().count(b"\n")
    _assert_refused(package, capsys, before, f"{SEED_000}: seed: seed has CR line endings",
                    f"found:    {lines} CR characters")


def test_seed_not_utf8_is_refused(package, capsys):
    before = package.outputs()
    _replace_seed_bytes(package, (package.root / SEED_000).read_bytes().replace("€".encode(), b"\x80", 1))
    _assert_refused(package, capsys, before, f"{SEED_000}: seed: seed is not valid UTF-8", "byte 0x80")


def test_stray_file_in_annotations_is_named(package, capsys):
    before = package.outputs()
    (package.root / "annotations" / "notes.txt").write_text("to do\n")
    _assert_refused(package, capsys, before, "annotations/notes.txt: unexpected file in annotations/")


def test_two_annotation_files_for_one_seed_are_refused(package, capsys):
    before = package.outputs()
    text = (package.root / SOURCE_000).read_text(encoding="utf-8")
    (package.root / "annotations/sources/000_a740679b1ad3bc90-copy.yaml").write_text(text, encoding="utf-8")
    _assert_refused(package, capsys, before,
                    f"annotations/sources/000_a740679b1ad3bc90-copy.yaml:{line_of(SOURCE_000, 'seed:')}: seed: "
                    f"annotation file "
                    "is not named after its seed",
                    f"hint:     {SOURCE_000} already annotates 000_a740679b1ad3bc90.txt: keep one annotation per seed")


def test_seed_without_annotation_is_listed_with_the_command_that_drafts_one(package, capsys):
    before = package.outputs()
    (package.root / "seeds/005_0000000000000000.txt").write_text("An article.\n", encoding="utf-8")
    status, out, _ = package.build(capsys)
    assert status == 0 and package.outputs() == before
    assert ("seeds/005_0000000000000000.txt has no annotation yet and is left out; draft one with: "
            "make suggest SEED=seeds/005_0000000000000000.txt") in out


def test_fact_without_claims_is_named(package, capsys):
    before = package.outputs()
    package.edit(FACTS, "facts:\n", "facts:\n  - id: orphan\n    label: x\n    subject: Microsoft\n"
                 "    metric: jobs\n    unit: jobs\n    scope: related\n    announced: 2024-05-13\n    "
                 "announced_date_basis: stated\n    announced_evidence: x\n")
    _assert_refused(package, capsys, before, f"{FACTS}:{line_of(FACTS, 'facts:') + 1}: fact orphan: fact has no claims")


def test_all_problems_are_reported_at_once(package, capsys):
    package.edit(SOURCE_000, C01_VALUE, f"value: {WRONG_VALUE}\n")
    package.edit(SOURCE_000, "qualifier: up_to", "qualifier: upto")
    status, _, err = package.build(capsys)
    assert status == 1
    assert "claim c01: value is not stated" in err and "claim c02: unknown qualifier" in err
    assert "build stopped: 2 problems" in err



OFFSETS_C01 = f"    start: {START}\n    end: {END}\n"


def test_offsets_left_out_are_found_and_give_the_same_package(package, capsys):
    before = package.outputs()
    package.edit(SOURCE_000, OFFSETS_C01, "")
    status, _, err = package.build(capsys)
    assert status == 0, err
    assert package.outputs() == before


def test_half_written_offsets_are_refused(package, capsys):
    before = package.outputs()
    package.edit(SOURCE_000, OFFSETS_C01, f"    end: {END}\n")
    _assert_refused(package, capsys, before,
                    f"{SOURCE_000}:{line_of(SOURCE_000, f'start: {START}')}: claim c01: start and end go together")


def test_a_quote_that_stands_twice_needs_an_occurrence(package, capsys):
    before = package.outputs()
    package.edit(SOURCE_000, f"    quote: {QUOTE}\n" + OFFSETS_C01,
                 "    quote: Microsoft\n    inferred: test\n")
    _assert_refused(package, capsys, before, "claim c01: quote stands more than once in the seed")
    package.edit(SOURCE_000, "    inferred: test\n", "    occurrence: 99\n    inferred: test\n")
    _assert_refused(package, capsys, before, "claim c01: occurrence out of range")
