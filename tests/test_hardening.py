"""The cases the hardening review found, each fed for real: the message names the file (and line,
claim or fact), what was expected and found; no traceback; nothing built changes."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import FACTS, ROOT, SOURCE_000

from pledges import pipeline

pytestmark = pytest.mark.slow  # builds or copies the whole package, case after case (make quick leaves it out)


def _build(package, capsys):
    before = package.outputs()
    status, out, err = package.build(capsys)
    assert "Traceback" not in err
    return status, err, before


def test_a_list_item_whose_keys_start_on_the_next_line_and_a_quoted_key_are_valid_yaml(package, capsys):
    package.edit(SOURCE_000, "  - id: c02\n", "  -\n    id: c02\n")
    package.edit(SOURCE_000, "\npublisher:", '\n"publisher":')
    status, err, _ = _build(package, capsys)
    assert status == 0, err


@pytest.mark.parametrize("missing", ["annotations/sources", "annotations"])
def test_a_missing_annotations_folder_is_named(package, capsys, missing):
    shutil.rmtree(package.root / missing)
    status, err, before = _build(package, capsys)
    assert status == 1 and "annotations/sources does not exist" in err
    assert package.outputs() == before


def test_a_total_of_a_fact_of_another_metric_is_named(package, capsys):
    package.edit(FACTS, "sum_of: msft-fr-investment, amzn-fr-investment", "sum_of: msft-fr-investment, amzn-fr-jobs")
    status, err, before = _build(package, capsys)
    assert status == 1
    assert "fact msft-amzn-fr-combined: sum_of names a fact that is not a pledge of the same metric" in err
    assert "found:    amzn-fr-jobs (pledge, jobs)" in err and package.outputs() == before


def test_a_file_in_data_the_build_did_not_write_is_named_not_deleted(package, capsys):
    (package.root / "data/my-notes.csv").write_text("mine\n")
    status, err, _ = _build(package, capsys)
    assert status == 1 and "data/my-notes.csv: a file in data/ that the build did not write" in err
    assert (package.root / "data/my-notes.csv").read_text() == "mine\n"


def test_validate_without_a_package_says_to_build_first(tmp_path):
    done = subprocess.run([sys.executable, "-m", "pledges.validate.run", "--root", str(tmp_path)], cwd=ROOT,
                          capture_output=True, text=True, check=False)
    assert done.returncode == 1 and "run make build first" in done.stderr and "Traceback" not in done.stderr


@pytest.mark.parametrize("text", ["", "Nothing here but words.\n"])
def test_suggest_on_an_empty_article_or_one_without_figures_drafts_nothing_without_failing(tmp_path, text):
    (tmp_path / "seeds").mkdir()
    (tmp_path / "seeds" / "005_0000000000000000.txt").write_text(text, encoding="utf-8")
    done = subprocess.run([sys.executable, "-m", "pledges.suggest.draft", "seeds/005_0000000000000000.txt",
                           "--root", str(tmp_path)], cwd=ROOT, capture_output=True, text=True, check=False)
    assert done.returncode == 0 and "0 candidate claims" in done.stdout, done.stderr


def test_diff_against_a_broken_release_says_so(tmp_path):
    shutil.copytree(ROOT / "data", tmp_path / "data")
    shutil.copytree(ROOT / "schemas", tmp_path / "schemas")
    shutil.copy2(ROOT / "datapackage.json", tmp_path / "datapackage.json")
    (tmp_path / "dist").mkdir()
    (tmp_path / "dist/big-tech-ai-cloud-pledges-france-1.0.0.zip").write_bytes(b"")  # a release killed mid-way
    done = subprocess.run([sys.executable, "-m", "pledges.publish.diff", "--from", "1.0.0", "--root", str(tmp_path)],
                          cwd=ROOT,
                          capture_output=True, text=True, check=False)
    assert done.returncode == 1 and "is not a zip file" in done.stderr and "Traceback" not in done.stderr


@pytest.mark.parametrize("target, variable", [("suggest", "SEED"), ("diff", "FROM")])
def test_make_passes_variables_as_arguments_never_as_shell_code(tmp_path, target, variable):
    venv = Path(sys.prefix)
    if not (venv / "bin" / "activate").is_file():
        pytest.skip("the tests do not run in a virtual environment the Makefile can use")
    marker = tmp_path / "ran"
    hostile = f"seeds/a b `touch {marker}` $(touch {marker}) \"q\" 'q'.txt"
    # VENV: the environment running the tests, so make installs nothing (a copy of the package has none)
    installed = [arg for stamp in (".build", ".publish", ".dev") for arg in ("-o", f"{venv}/{stamp}")]
    done = subprocess.run(["make", "-s", *installed, target, f"VENV={venv}", f"{variable}={hostile}"], cwd=ROOT,
                          capture_output=True, text=True, check=False, env={**os.environ, "MAKEFLAGS": ""})
    assert not marker.exists()
    assert done.returncode != 0 and "Traceback" not in done.stderr
    assert "`touch" in done.stderr  # the value reached the program as written


def test_an_internal_error_is_a_message_and_the_debug_switch_shows_the_traceback(package, capsys, monkeypatch):
    def broken(*args, **kwargs):
        raise RuntimeError("something the package did not expect")

    monkeypatch.setattr(pipeline, "reconcile", broken)
    assert pipeline.main(["--root", str(package.root)]) == 2
    err = capsys.readouterr().err
    assert "build stopped by an internal error: RuntimeError: something the package did not expect" in err
    assert "Traceback" not in err and "PLEDGES_DEBUG=1" in err
    monkeypatch.setenv("PLEDGES_DEBUG", "1")
    assert pipeline.main(["--root", str(package.root)]) == 2
    assert "Traceback" in capsys.readouterr().err
