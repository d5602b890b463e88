"""The benchmark's synthetic packages build, and state the disagreements they are written with."""

from __future__ import annotations

import csv

from pledges import pipeline
from tools import synthetic


def rows(root, table):
    with open(root / "data" / f"{table}.csv", encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


def test_a_synthetic_package_builds_with_dollars_and_other_hedges_among_its_reports(tmp_path, capsys):
    root = synthetic.write(tmp_path / "package", 12)
    assert pipeline.main(["--root", str(root)]) == 0
    kinds = {row["kind"] for row in rows(root, "checks")}
    assert {"currency", "qualifier"} <= kinds
    assert {row["unit"] for row in rows(root, "claims")} >= {"EUR", "USD"}
    capsys.readouterr()


def test_one_fact_stated_by_every_source_is_one_pledge_of_them_all(tmp_path, capsys):
    root = synthetic.write(tmp_path / "package", 40, claims=1, facts=1)
    assert pipeline.main(["--root", str(root)]) == 0
    [pledge] = rows(root, "pledges")
    assert pledge["n_sources"] == "40"
    capsys.readouterr()
