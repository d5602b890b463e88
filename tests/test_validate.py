"""make validate: three engines, one readable report, and every failure named with its engine."""

import json

import pytest
from conftest import ROOT, copy_parts

from pledges.validate.run import main
from tools.faults import FOUND, break_package

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


def test_every_class_of_fault_is_found_with_engine_and_check_named(validated):
    status, root = validated["broken"]
    assert status == 1
    reported = {(c["engine"], c["table"], c["check"], c["status"]) for c in checks(root)}
    assert FOUND - reported == set()


def test_expectation_that_raises_is_an_error_not_a_failure(validated):
    _, root = validated["broken"]
    [error] = [c for c in checks(root) if c["status"] == "error" and c["table"] == "sources"]
    assert error["check"] == "expect_column_values_to_be_in_set(no_such_column)"
    assert "does not exist" in error["detail"]


def test_validation_writes_nothing_into_the_great_expectations_project(validated):
    _, root = validated["intact"]
    assert sorted(p.relative_to(root).as_posix() for p in (root / "gx").rglob("*") if p.is_file()) == \
        sorted(p.relative_to(ROOT).as_posix() for p in (ROOT / "gx").rglob("*") if p.is_file())


def test_suites_open_in_a_file_based_great_expectations_context(tmp_path):
    import great_expectations as gx

    copy_parts(tmp_path, ("gx",))
    context = gx.get_context(mode="file", project_root_dir=str(tmp_path))
    names = sorted(s.name for s in context.suites.all())
    assert names == sorted(p.stem for p in (ROOT / "gx/expectations").glob("*.json"))
