"""make validate: three engines, one readable report, and every failure named with its engine."""

import json
from collections import Counter

import pytest
from conftest import ROOT, copy_parts

from pledges.validate.expectations import DERIVED, SUITES_DIR, refused, suites, typed
from pledges.validate.frictionless_engine import table_errors
from pledges.validate.run import main
from tools.faults import FAULTS, FOUND, break_package

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def validated(tmp_path_factory):
    """One validation run of an intact copy and one of a copy broken on purpose."""
    runs = {}
    for name in ("intact", "broken"):
        root = copy_parts(tmp_path_factory.mktemp(name), ("data", "schemas", "gx", "datapackage.json", "package.yaml"))
        if name == "broken":
            break_package(root)
        status = main(["--root", str(root)])
        runs[name] = (status, root)
    return runs


def checks(root) -> list[dict]:
    return json.loads((root / "reports/validation.json").read_text(encoding="utf-8"))["checks"]


def test_committed_report_is_what_validation_writes(validated):
    status, root = validated["intact"]
    assert status == 0
    for name in ("validation.json", "validation.html"):
        assert (root / "reports" / name).read_bytes() == (ROOT / "reports" / name).read_bytes(), name


def test_report_lists_every_check_of_all_three_engines(validated):
    _, root = validated["intact"]
    report = checks(root)
    assert {c["engine"] for c in report} == {"frictionless", "pandera", "great_expectations"}
    assert all(c["status"] == "passed" for c in report)
    assert {"engine": "great_expectations", "table": "investments",
            "check": "expect_column_values_to_be_between(rate_implied_by_amounts_error)",
            "status": "passed", "detail": ""} in report
    page = (root / "reports/validation.html").read_text(encoding="utf-8")
    assert page.count("<tr><td>") >= len(report)
    assert "http" not in page.split("<body>")[0]  # no stylesheet or script fetched from the network


def test_every_table_gets_the_suites_of_its_schema(validated):
    """The topic tables share schemas/pledges.json, and so its suite: a new one gets it unedited."""
    _, root = validated["intact"]
    found = Counter(c["table"] for c in checks(root) if c["engine"] == "great_expectations")
    schema = {r["name"]: r["schema"] for r in json.loads((root / "datapackage.json").read_text())["resources"]}
    expected = Counter({table: sum(len(s["expectations"]) for s in suites(root) if path in s["meta"]["schemas"])
                        for table, path in schema.items()})
    assert found == +expected
    assert sum(path == "schemas/pledges.json" and found[table] > 0 for table, path in schema.items()) > 1


def test_great_expectations_holds_no_rule_a_table_schema_states():
    """An expectation names several columns, a derived column, or one column with a value taken from
    the other tables (a suite parameter): a rule on one published column alone is the schema's."""
    for suite in suites(ROOT):
        for expectation in suite["expectations"]:
            kwargs = expectation["kwargs"]
            columns = {kwargs.get("column"), kwargs.get("column_A"), kwargs.get("column_B"),
                       *(kwargs.get("column_list") or [])} - {None}
            parameter = any(isinstance(v, dict) and "$PARAMETER" in v for v in kwargs.values())
            assert len(columns) > 1 or columns <= set(DERIVED) or parameter, (suite["name"], expectation)


def test_every_class_of_fault_is_found_with_engine_and_check_named(validated):
    status, root = validated["broken"]
    assert status == 1
    reported = {(c["engine"], c["table"], c["check"], c["status"]) for c in checks(root)}
    assert FOUND - reported == set()
    assert {engine for engine, *_ in FOUND} == {"frictionless", "pandera", "great_expectations"}


def test_a_source_no_claim_cites_is_found_by_great_expectations_alone(validated):
    """No Table Schema can say that every source has a claim: Frictionless and pandera pass the
    table (but for its changed bytes)."""
    _, root = validated["broken"]
    [fault] = [f for f in FAULTS if f.table == "sources"]
    failed = {(c["engine"], c["check"]) for c in checks(root) if c["table"] == "sources" and c["status"] != "passed"}
    assert failed == {("frictionless", "bytes and hash")} | {(engine, check) for engine, check, _ in fault.found}
    assert {engine for engine, _, _ in fault.found} == {"great_expectations"}


def test_great_expectations_reads_the_types_of_the_schema_and_a_cell_of_another_type_as_missing():
    """So that "early" among offsets leaves the others numbers, and a duplicate row still equal to
    its first (pandas, left to guess, types each chunk of a large file apart)."""
    schema = {"fields": [{"name": "start", "type": "integer"}, {"name": "on", "type": "date"},
                         {"name": "id", "type": "string"}]}
    rows = typed(b"start,on,id\n23,2024-05-13,007\nearly,2024-13-01,x\n23,,007\n", schema)
    assert rows["start"].iloc[0] == rows["start"].iloc[2] == 23
    assert rows["start"].isna().tolist() == [False, True, False]
    assert rows["on"].isna().tolist() == [False, True, True] and rows["on"].iloc[0].year == 2024
    assert rows["id"].tolist() == ["007", "x", "007"]


def test_expectation_that_raises_is_an_error_not_a_failure(validated):
    _, root = validated["broken"]
    [fault] = [f for f in FAULTS if f.suite]
    [(_, check, status)] = fault.found
    [error] = [c for c in checks(root) if c["status"] == "error"]
    assert (error["table"], error["check"], status) == (fault.table, check, "error")
    assert "does not exist" in error["detail"]


def test_frictionless_table_by_table_finds_what_frictionless_validate_finds(validated):
    from frictionless import validate

    _, root = validated["broken"]
    datapackage = str(root / "datapackage.json")
    alone = {(task.name, error.message) for task in validate(datapackage).tasks for error in task.errors}
    names = [r["name"] for r in json.loads((root / "datapackage.json").read_text())["resources"]]
    by_table = {(name, message) for name in names for _, message in table_errors(datapackage, name)}
    assert alone and by_table == alone


def test_validation_writes_nothing_into_the_great_expectations_project(validated):
    _, root = validated["intact"]
    assert sorted(p.relative_to(root).as_posix() for p in (root / "gx").rglob("*") if p.is_file()) == \
        sorted(p.relative_to(ROOT).as_posix() for p in (ROOT / "gx").rglob("*") if p.is_file())


def test_suites_open_in_a_file_based_great_expectations_context(tmp_path):
    import great_expectations as gx

    copy_parts(tmp_path, ("gx",))
    context = gx.get_context(mode="file", project_root_dir=str(tmp_path))
    names = sorted(s.name for s in context.suites.all())
    assert names == sorted(p.stem for p in (ROOT / SUITES_DIR).glob("*.json"))


@pytest.mark.parametrize("expectation", [
    {"type": "expect_column_values_to_match_json_schema",  # a $ref can name a file or a web address
     "kwargs": {"column": "notes", "json_schema": {"$ref": "http://127.0.0.1:9/x.json"}}},
    {"type": "expect_column_values_to_match_regex", "kwargs": {"column": "notes", "regex": "^(.+)+X$"}},
    {"type": "expect_nothing_great_expectations_knows", "kwargs": {"column": "notes"}},
    {"type": "expect_column_values_to_be_between",  # pandas evaluates a row condition as an expression
     "kwargs": {"column": "n_claims", "min_value": 1, "row_condition": "notes == notes", "condition_parser": "pandas"}},
])
def test_a_committed_suite_runs_only_the_rules_make_validate_knows(expectation):
    """A suite is input a commit can change: an expectation that could read outside the package,
    take exponential time, run an expression or be dropped unseen is refused, and reported."""
    suite = {"name": "planted", "expectations": [expectation], "meta": {"schemas": ["sources"]}}
    assert len(refused(suite)) == 1
    assert all(refused(s) == [] for s in suites(ROOT))
